import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { keydown, loadRenderer, stubDom, type FakeDom } from './renderer-keys-harness'

// A modal dialog owns the keyboard: a page's shortcuts must not act behind it (in the Portfolio "Entries
// of …" dialog, "3" changed the period behind it and "B" left the page). App-wide actions marked to run
// in dialogs (the palette, the pages, the kill switch, lock) still do.

interface Dispatcher {
  installHotkeys(): () => void
  dispatchKey(e: ReturnType<typeof keydown>['event']): boolean
}

let dom: FakeDom
let ran: string[]
let dispatch: Dispatcher['dispatchKey']
let openModal: () => () => void

beforeAll(async () => {
  dom = stubDom('other')
  const registry = await import('../../src-renderer/app/hotkeys/registry')
  const d = await loadRenderer<Dispatcher>('app/hotkeys/dispatcher.ts')
  ;({ openModal } = await loadRenderer<{ openModal: () => () => void }>('ui/modalStack.ts'))
  ran = []
  const add = (id: string, keys: string, inDialogs?: boolean) =>
    registry.registerAction({ id, title: id, section: 't', keys: [keys], run: () => void ran.push(id), ...(inDialogs ? { inDialogs } : {}) })
  add('portfolio.period.30d', '3')
  add('trading.buy', 'B')
  add('orders.focusOpen', 'Alt+O')
  add('trading.killSwitch', 'Mod+Shift+K', true)
  d.installHotkeys()
  dispatch = d.dispatchKey
})

afterAll(() => void vi.unstubAllGlobals())

const press = (key: string, mods: Record<string, boolean> = {}) => {
  ran.length = 0
  dispatch(keydown(key, dom.table, mods).event)
  return [...ran]
}

describe('keys while a modal dialog is open', () => {
  it('page actions do not run; app-wide ones marked for dialogs do', () => {
    const close = openModal()
    expect(press('3')).toEqual([])
    expect(press('b')).toEqual([])
    expect(press('o', { altKey: true })).toEqual([])
    expect(press('K', { ctrlKey: true, shiftKey: true })).toEqual(['trading.killSwitch'])
    close()
  })

  it('once it closed (two stacked dialogs: once both closed), page actions run again', () => {
    const a = openModal()
    const b = openModal()
    b()
    expect(press('3')).toEqual([])
    a()
    expect(press('3')).toEqual(['portfolio.period.30d'])
    expect(press('b')).toEqual(['trading.buy'])
  })
})
