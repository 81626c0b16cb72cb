import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { keydown, loadRenderer, stubDom, venueView, type FakeDom, type KeyEvent } from './renderer-keys-harness'
import type { Action } from '../../src-renderer/app/hotkeys/registry'

// The trading actions' keys, through the app's one key dispatcher, with the engine call recorded: a key
// that cancels orders at once must never come from a slip while typing in a text field.

interface Dispatcher {
  installHotkeys(): () => void
  dispatchKey(e: KeyEvent): boolean
}

let dom: FakeDom
let calls: [string, unknown][]
let dispatchKey: (e: KeyEvent) => boolean
let overlay: () => string | null
let hideOverlay: () => void
let enabled: (id: string) => boolean

beforeAll(async () => {
  dom = stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string, input: unknown) => {
    calls.push([name, input])
    if (name === 'orders.list') return []
    return { canceled: 3, partlyFilled: [], awaiting: [], ended: [], failed: [] }
  }
  const { tradingActions } = await loadRenderer<{ tradingActions: () => Action[] }>('features/trading/tradingActions.ts')
  const registry = await import('../../src-renderer/app/hotkeys/registry')
  const dispatcher = await loadRenderer<Dispatcher>('app/hotkeys/dispatcher.ts')
  type Store<S> = { getState(): S }
  const { useTicketMarket } = await loadRenderer<{ useTicketMarket: Store<{ setMarket(v: string, s: string): void }> }>(
    'features/trading/ticketMarket.ts',
  )
  const { useOverlay } = await import('../../src-renderer/app/overlays')
  useTicketMarket.getState().setMarket('sim', 'BTC/USDT')
  // The accounts' names, as a ticket on screen has them (cancel-all's toast names the account).
  const { useVenues } = await loadRenderer<{ useVenues: { setState(s: object): void } }>('features/markets/venuesStore.ts')
  useVenues.setState({ status: 'ready', venues: [venueView('sim', 'Simulated exchange')], former: {} })
  for (const action of tradingActions()) registry.registerAction(action)
  dispatcher.installHotkeys()
  dispatchKey = dispatcher.dispatchKey
  overlay = () => useOverlay.getState().open
  hideOverlay = () => useOverlay.getState().hide()
  enabled = (id) => registry.isEnabled(registry.getAction(id)!)
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  calls = []
  hideOverlay()
})

const settle = () => new Promise((r) => setTimeout(r, 10))
const ctrl = { ctrlKey: true }
const ctrlShift = { ctrlKey: true, shiftKey: true }

describe('trading keys while typing in a text field', () => {
  it('Ctrl+Shift+Backspace (delete a word, Shift still held) stays the field’s: no order is canceled', async () => {
    dom.focus(dom.input)
    const press = keydown('Backspace', dom.input, ctrlShift)
    expect(dispatchKey(press.event)).toBe(false)
    expect(press.prevented()).toBe(false)
    await settle()
    expect(calls).toEqual([])
  })

  it('Ctrl+Backspace (delete a word) stays the field’s too', async () => {
    dom.focus(dom.input)
    const press = keydown('Backspace', dom.input, ctrl)
    expect(dispatchKey(press.event)).toBe(false)
    await settle()
    expect(calls).toEqual([])
  })

  it('the kill switch and flatten still open their confirm step from a field, and send nothing', async () => {
    dom.focus(dom.input)
    expect(dispatchKey(keydown('K', dom.input, ctrlShift).event)).toBe(true)
    expect(overlay()).toBe('trading-confirm')
    hideOverlay()
    expect(dispatchKey(keydown('F', dom.input, ctrlShift).event)).toBe(true)
    expect(overlay()).toBe('trading-confirm')
    await settle()
    expect(calls).toEqual([])
  })
})

describe('trading keys outside text fields', () => {
  it('Ctrl+Shift+Backspace cancels every order on the ticket’s market', async () => {
    dom.focus(dom.table)
    const press = keydown('Backspace', dom.table, ctrlShift)
    expect(dispatchKey(press.event)).toBe(true)
    expect(press.prevented()).toBe(true)
    await settle()
    expect(calls).toEqual([['orders.cancelAll', { venueId: 'sim', symbol: 'BTC/USDT' }]])
  })

  it('Ctrl+Backspace cancels the last order', () => {
    dom.focus(dom.table)
    expect(dispatchKey(keydown('Backspace', dom.table, ctrl).event)).toBe(true)
  })

  it('the palette can run “Cancel the last order” though its own search field has the focus', () => {
    dom.focus(dom.input)
    expect(enabled('trading.cancelLast')).toBe(true)
    expect(enabled('trading.cancelAll')).toBe(true)
  })
})
