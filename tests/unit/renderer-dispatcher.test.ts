import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { keydown, loadRenderer, stubDom, type KeyEvent } from './renderer-keys-harness'

// The app's one key dispatcher with the app's Alt bindings, per platform: in a text field on macOS,
// Option+key types the layout's character and that character belongs to the field.

interface Dispatcher {
  installHotkeys(): () => void
  dispatchKey(e: KeyEvent): boolean
}

const bindings = [
  ['alerts.new', 'Alt+L'],
  ['accounts.add', 'Alt+N'],
  ['workspace.addView', 'Alt+A'],
  ['trade.focusChart', 'Alt+C'],
  ['orders.focusOpen', 'Alt+O'],
  ['workspace.closeView', 'Alt+X'],
  ['workspace.focusPrevious', 'Alt+['],
  ['lock.now', 'Alt+Shift+L'],
] as const

async function setUp(platform: 'mac' | 'other') {
  const dom = stubDom(platform)
  const registry = await import('../../src-renderer/app/hotkeys/registry')
  const { installHotkeys, dispatchKey } = await loadRenderer<Dispatcher>('app/hotkeys/dispatcher.ts')
  const ran: string[] = []
  for (const [id, keys] of bindings) registry.registerAction({ id, title: id, section: 't', keys: [keys], run: () => void ran.push(id) })
  installHotkeys()
  /** Presses Alt(+Shift)+key on `target`: what ran, and whether the key's default was stopped. */
  const press = (key: string, code: string, target: object, shiftKey = false) => {
    ran.length = 0
    const p = keydown(key, target, { code, altKey: true, shiftKey })
    dispatchKey(p.event)
    return { ran: [...ran], swallowed: p.prevented() }
  }
  return { dom, press }
}

afterAll(() => void vi.unstubAllGlobals())

describe('macOS: Option+key in a text field', () => {
  let s: Awaited<ReturnType<typeof setUp>>
  beforeAll(async () => {
    s = await setUp('mac')
  })

  it.each([
    ['German', '@', 'KeyL'],
    ['German', '~', 'KeyN'],
    ['Polish Pro', 'ą', 'KeyA'],
    ['Polish Pro', 'ć', 'KeyC'],
    ['Polish Pro', 'ó', 'KeyO'],
    ['Polish Pro', 'ź', 'KeyX'],
    ['US', '“', 'BracketLeft'],
    ['US', '¬', 'KeyL'],
    ['US (dead key: ˜ then n is ñ)', 'Dead', 'KeyN'],
  ])('%s layout: typing %s stays in the field, no action runs', (_layout, char, code) => {
    expect(s.press(char, code, s.dom.input)).toEqual({ ran: [], swallowed: false })
  })

  it('Option+Shift+L (Ò on a US keyboard) types too', () => {
    expect(s.press('Ò', 'KeyL', s.dom.input, true)).toEqual({ ran: [], swallowed: false })
  })

  it('outside a text field the same presses run their actions', () => {
    expect(s.press('@', 'KeyL', s.dom.table)).toEqual({ ran: ['alerts.new'], swallowed: true })
    expect(s.press('ą', 'KeyA', s.dom.table)).toEqual({ ran: ['workspace.addView'], swallowed: true })
    expect(s.press('“', 'BracketLeft', s.dom.table)).toEqual({ ran: ['workspace.focusPrevious'], swallowed: true })
    expect(s.press('Ò', 'KeyL', s.dom.table, true)).toEqual({ ran: ['lock.now'], swallowed: true })
  })
})

describe('Windows/Linux: Alt+key types nothing, so Alt shortcuts work in text fields too', () => {
  let s: Awaited<ReturnType<typeof setUp>>
  beforeAll(async () => {
    s = await setUp('other')
  })

  it('Alt+L runs its action in a text field and outside one', () => {
    expect(s.press('l', 'KeyL', s.dom.input)).toEqual({ ran: ['alerts.new'], swallowed: true })
    expect(s.press('l', 'KeyL', s.dom.table)).toEqual({ ran: ['alerts.new'], swallowed: true })
  })

  it('on a Russian layout (Alt+L reports д) too, by the physical key', () => {
    expect(s.press('д', 'KeyL', s.dom.input)).toEqual({ ran: ['alerts.new'], swallowed: true })
    expect(s.press('х', 'BracketLeft', s.dom.table)).toEqual({ ran: ['workspace.focusPrevious'], swallowed: true })
  })
})
