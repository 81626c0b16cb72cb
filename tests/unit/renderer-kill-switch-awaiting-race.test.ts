import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// The kill switch and cancel-all cancel a venue's orders one after another, so the reply comes after the
// earlier orders' stories. An order whose cancel the exchange accepted ('canceling') and then did not carry
// out (back to open) may stream in as open before the reply. With an Orders view on screen the store already
// holds that open row; the screen took its time as "already seen", so the trader was never told the order is
// still open, the other awaited order's confirmation was never shown, and the streams stayed open for good.

type Toast = { kind: string; title: string; detail?: string }
type Store<S> = { getState(): S; setState(s: Partial<S>): void }
type Row = Record<string, unknown> & { clientOrderId: string; status: string; updatedAt: number }

let open: Row[]
let replies: Record<string, () => unknown>
let pushOrder: ((order: Row) => void) | undefined
let pushRisk: ((risk: Record<string, unknown>) => void) | undefined
let subscriptions = 0
let actions: { pullKillSwitch(): void; cancelAllOnMarket(market?: { venueId: string; symbol: string } | null): Promise<void> }
let toasts: Store<{ toasts: Toast[] }>
let confirm: Store<{ request: { run(): Promise<void> } | null }>
let startOrdersSync: () => () => void

const row = (id: string, status: string, updatedAt: number, error: string | null = null): Row => ({
  clientOrderId: id,
  venueId: 'okx-1',
  symbol: 'BTC/USDT',
  side: 'sell',
  type: 'limit',
  amount: '1',
  price: '110',
  filled: '0',
  status,
  error,
  createdAt: 1,
  updatedAt,
})

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: Record<string, unknown> }>('api/index.ts')
  api.invoke = async (name: string, input: { scope?: string }) => {
    if (name === 'orders.list') return input.scope === 'open' ? open : []
    if (name === 'fills.list' || name === 'conditional.list') return []
    if (name === 'risk.get') return null
    if (name in replies) return replies[name]!()
    throw new Error(`unexpected ${name}`)
  }
  api.subscribe = (name: string, _input: object, cb: (order: Row) => void) => {
    subscriptions++
    if (name === 'orders.changed') pushOrder = cb
    if (name === 'risk.changed') pushRisk = cb as never
    return () => {
      subscriptions--
      if (name === 'orders.changed') pushOrder = undefined
      if (name === 'risk.changed') pushRisk = undefined
    }
  }
  api.onConnectionChange = () => () => {}
  actions = await loadRenderer('features/trading/tradingActions.ts')
  toasts = (await loadRenderer<{ useToasts: never }>('features/toasts/toastStore.ts')).useToasts
  confirm = (await loadRenderer<{ useConfirm: never }>('features/trading/ConfirmDialog.tsx')).useConfirm
  ;({ startOrdersSync } = await loadRenderer<{ startOrdersSync: () => () => void }>('features/trading/ordersStore.ts'))
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  toasts.setState({ toasts: [] })
  replies = {}
})

const shown = () => toasts.getState().toasts.map((t) => ({ kind: t.kind, title: t.title, detail: t.detail }))
const tick = () => new Promise((r) => setTimeout(r, 5))
const awaiting = (...ids: string[]) => ids.map((id) => ({ clientOrderId: id, venueId: 'okx-1', updatedAt: 2 }))

it('kill switch: an order back to open before the reply is told as still open, the other one as confirmed, and the watch ends', async () => {
  open = [row('o7', 'open', 1), row('o8', 'open', 1)]
  const closeView = startOrdersSync() // an Orders view is on screen: the store follows the streams
  await tick()
  replies['trading.killSwitch'] = () => {
    // While the engine still works through the venue's orders, the stream brings o7's and o8's cancels,
    // and o7 back to open: its cancel did not go through.
    pushOrder!(row('o7', 'canceling', 2))
    pushOrder!(row('o8', 'canceling', 2))
    pushOrder!(row('o7', 'open', 3, 'the cancel did not go through'))
    return { disarmed: 0, canceled: 0, partlyFilled: [], awaiting: awaiting('o7', 'o8'), ended: [], failed: [], at: 1 }
  }
  actions.pullKillSwitch()
  await confirm.getState().request!.run()
  await tick()
  expect(shown()).toEqual([
    { kind: 'warning', title: 'Kill switch pulled: trading halted', detail: '0 orders canceled, 2 awaiting confirmation, 0 conditional disarmed' },
    // While trading is halted the engine asks that cancel again: the trader is told so.
    { kind: 'error', title: 'Order not canceled', detail: 'Sell 1 BTC/USDT @ 110 is still open: the cancel did not go through. It is canceled again while trading stays halted' },
  ])
  pushOrder!(row('o8', 'canceled', 5)) // o8's cancel is confirmed later
  await tick()
  expect(shown()[2]).toEqual({ kind: 'success', title: 'Exchange confirmed 1 cancel', detail: 'Orders that were awaiting confirmation' })
  closeView()
  expect(subscriptions).toBe(0) // nothing awaited any more: the streams are closed with the view
})

it('cancel-all: an awaited order the store still shows open from before is not mistaken for "still open"', async () => {
  open = [row('o9', 'open', 1)]
  const closeView = startOrdersSync()
  await tick()
  // The reply arrives before the stream brings the 'canceling' row: the store's open row is older than it.
  replies['orders.cancelAll'] = () => ({ canceled: 0, partlyFilled: [], awaiting: awaiting('o9'), ended: [], failed: [] })
  await actions.cancelAllOnMarket({ venueId: 'okx-1', symbol: 'BTC/USDT' })
  expect(shown()).toEqual([{ kind: 'warning', title: '0 canceled, 1 awaiting confirmation', detail: 'BTC/USDT on okx-1' }])
  pushOrder!(row('o9', 'canceling', 2))
  pushOrder!(row('o9', 'canceled', 4))
  await tick()
  expect(shown().slice(1)).toEqual([{ kind: 'success', title: 'Exchange confirmed 1 cancel', detail: 'Orders that were awaiting confirmation' }])
  closeView()
  expect(subscriptions).toBe(0)
})

it('kill switch: an order back to open after trading was resumed is not said to be canceled again (the engine no longer does)', async () => {
  open = [row('o10', 'open', 1)]
  replies['trading.killSwitch'] = () => {
    pushOrder?.(row('o10', 'canceling', 2))
    return { disarmed: 0, canceled: 0, partlyFilled: [], awaiting: awaiting('o10'), ended: [], failed: [], at: 1 }
  }
  actions.pullKillSwitch()
  await confirm.getState().request!.run()
  await tick()
  pushRisk!({ halted: true, haltedAt: 1, version: 0 }) // the switch's own change, on the stream
  pushOrder!(row('o10', 'canceling', 2))
  await tick()
  // The trader resumes trading before the exchange has carried out the cancel; then it comes back open.
  pushRisk!({ halted: false, haltedAt: null, version: 0 })
  pushOrder!(row('o10', 'open', 4, 'the cancel did not go through'))
  await tick()
  expect(shown().slice(1)).toEqual([{ kind: 'error', title: 'Order not canceled', detail: 'Sell 1 BTC/USDT @ 110 is still open: the cancel did not go through' }])
  expect(subscriptions).toBe(0)
})
