import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { keydown, loadRenderer, stubDom, type FakeDom, type KeyEvent, venueView as venue } from './renderer-keys-harness'
import type { Action } from '../../src-renderer/app/hotkeys/registry'
import type { VenueView } from '../../src-main/api/contract'

// The ticket on a paper account that was then closed (in another window): Mod+Shift+Backspace toasted
// "Canceled 0 open orders — BTC/USDT on paper:1", and flatten asked about "paper:1" and then failed with a
// bare `No venue "paper:1"`. Now both are off while the account is gone, and say so by its name.

interface Dispatcher {
  installHotkeys(): () => void
  dispatchKey(e: KeyEvent): boolean
}
type Store<S> = { getState(): S; setState(s: Partial<S>): void }
interface Actions {
  tradingActions(): Action[]
  cancelAllOnMarket(): Promise<void>
  flatten(): void
}

const sim = venue('sim', 'Simulated exchange')
const paper = venue('paper:1', 'Rehearsal')

let dom: FakeDom
let calls: string[]
let dispatchKey: (e: KeyEvent) => boolean
let actions: Actions
let enabled: (id: string) => boolean
let venues: Store<{ status: string; venues: VenueView[]; former: Record<string, string>; formerKind?: Record<string, 'exchange' | 'paper'> }>
let ticketMarket: Store<{ setMarket(v: string, s: string): void }>
let confirm: Store<{ request: { title: string; body: string } | null }>
let toasts: Store<{ toasts: { kind: string; title: string; detail?: string }[] }>

beforeAll(async () => {
  dom = stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string) => {
    calls.push(name)
    return { canceled: 0, partlyFilled: [], awaiting: [], ended: [], failed: [] }
  }
  actions = await loadRenderer<Actions>('features/trading/tradingActions.ts')
  const registry = await import('../../src-renderer/app/hotkeys/registry')
  const dispatcher = await loadRenderer<Dispatcher>('app/hotkeys/dispatcher.ts')
  const { useTicketMarket } = await loadRenderer<{ useTicketMarket: Store<{ setMarket(v: string, s: string): void }> }>('features/trading/ticketMarket.ts')
  venues = (await loadRenderer<{ useVenues: never }>('features/markets/venuesStore.ts')).useVenues
  confirm = (await loadRenderer<{ useConfirm: never }>('features/trading/ConfirmDialog.tsx')).useConfirm
  toasts = (await loadRenderer<{ useToasts: never }>('features/toasts/toastStore.ts')).useToasts
  useTicketMarket.getState().setMarket('paper:1', 'BTC/USDT')
  ticketMarket = useTicketMarket
  for (const action of actions.tradingActions()) registry.registerAction(action)
  dispatcher.installHotkeys()
  dispatchKey = dispatcher.dispatchKey
  enabled = (id) => registry.isEnabled(registry.getAction(id)!)
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  calls = []
  confirm.setState({ request: null })
  toasts.setState({ toasts: [] })
})

describe('the ticket on a paper account', () => {
  it('while it is open, flatten names it by its label, never its id', () => {
    venues.setState({ status: 'ready', venues: [sim, paper], former: {} })
    expect(enabled('trading.cancelAll')).toBe(true)
    actions.flatten()
    expect(confirm.getState().request?.body).toContain('on Rehearsal')
    expect(confirm.getState().request?.body).not.toContain('paper:1')
  })

  it('once closed, cancel-all and flatten are off: their keys send nothing and ask nothing', async () => {
    venues.setState({ status: 'ready', venues: [sim], former: { 'paper:1': 'Rehearsal' } })
    expect(enabled('trading.cancelAll')).toBe(false)
    expect(enabled('trading.flatten')).toBe(false)
    dom.focus(dom.table)
    dispatchKey(keydown('Backspace', dom.table, { ctrlKey: true, shiftKey: true }).event)
    dispatchKey(keydown('F', dom.table, { ctrlKey: true, shiftKey: true }).event)
    await new Promise((r) => setTimeout(r, 10))
    expect(calls).toEqual([])
    expect(confirm.getState().request).toBeNull()
  })

  it('once closed, the buttons’ calls are refused by its name', async () => {
    venues.setState({ status: 'ready', venues: [sim], former: { 'paper:1': 'Rehearsal' } })
    await actions.cancelAllOnMarket()
    actions.flatten()
    expect(calls).toEqual([])
    expect(confirm.getState().request).toBeNull()
    expect(toasts.getState().toasts.map((t) => [t.kind, t.title, t.detail])).toEqual([
      ['error', 'Orders not canceled', 'Rehearsal was closed'],
      ['error', 'Nothing flattened', 'Rehearsal was closed'],
    ])
  })
})

describe('the ticket on an exchange account that was removed', () => {
  // Removing an exchange account leaves its open orders live on the exchange: "was closed" (as a paper
  // account's) read as if nothing were left.
  it('cancel-all says its orders are left on the exchange, to cancel there', async () => {
    ticketMarket.getState().setMarket('acc-1', 'BTC/USDT')
    venues.setState({ status: 'ready', venues: [sim], former: { 'acc-1': 'Binance main' }, formerKind: { 'acc-1': 'exchange' } })
    expect(enabled('trading.cancelAll')).toBe(false)
    await actions.cancelAllOnMarket()
    actions.flatten()
    expect(calls).toEqual([])
    expect(toasts.getState().toasts.map((t) => [t.kind, t.title, t.detail])).toEqual([
      ['error', 'Orders not canceled', 'Binance main was removed; its orders left on the exchange must be canceled there'],
      ['error', 'Nothing flattened', 'Binance main was removed'],
    ])
    ticketMarket.getState().setMarket('paper:1', 'BTC/USDT')
  })
})
