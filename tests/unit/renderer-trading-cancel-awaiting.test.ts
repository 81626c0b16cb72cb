import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom, venueView } from './renderer-keys-harness'
import type { VenueView } from '../../src-main/api/contract'

// OKX and Bybit take a cancel asynchronously: the engine answers 'canceling' and the order may still fill.
// The screen toasted "Order canceled" on that answer, and cancel-all / the kill switch counted such orders
// as canceled. Now it says the cancel was requested and waits: the outcome (canceled, or filled meanwhile)
// is told when the orders stream brings it, and cancel-all says how many are awaiting confirmation.

type Toast = { kind: string; title: string; detail?: string }
type Store<S> = { getState(): S; setState(s: Partial<S>): void }
type Row = Record<string, unknown> & { clientOrderId: string; status: string; updatedAt: number }
interface Actions {
  cancelLast(): Promise<void>
  cancelOrder(id: string): Promise<void>
  cancelAllOnMarket(market?: { venueId: string; symbol: string } | null): Promise<void>
  pullKillSwitch(): void
}

let open: Row[]
let replies: Record<string, unknown>
/** What risk.get answers (null: not read). */
let risk: unknown = null
let pushOrder: ((order: Row) => void) | undefined
let actions: Actions
let toasts: Store<{ toasts: Toast[] }>
let confirm: Store<{ request: { run(): Promise<void> } | null }>
let venues: Store<{ status: string; venues: VenueView[]; former: Record<string, string> }>
let ordersStore: Store<{ open: Row[]; history: Row[]; load(): Promise<void> }>
const useOrdersState = () => ordersStore.getState()

const row = (id: string, status: string, updatedAt: number, filled = '0'): Row => ({
  clientOrderId: id,
  venueId: 'okx-1',
  venueLabel: 'OKX main',
  symbol: 'BTC/USDT',
  side: 'sell',
  type: 'limit',
  amount: '1',
  price: '110',
  filled,
  status,
  error: null,
  createdAt: 1,
  updatedAt,
})

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: Record<string, unknown> }>('api/index.ts')
  api.invoke = async (name: string, input: { scope?: string }) => {
    if (name === 'orders.list') return input.scope === 'open' ? open : []
    if (name === 'fills.list' || name === 'conditional.list') return []
    if (name === 'risk.get') return risk
    if (name in replies) return replies[name]
    throw new Error(`unexpected ${name}`)
  }
  api.subscribe = (name: string, _input: object, cb: (order: Row) => void) => {
    if (name === 'orders.changed') pushOrder = cb
    return () => {
      if (name === 'orders.changed') pushOrder = undefined
    }
  }
  api.onConnectionChange = () => () => {}
  const { useTicketMarket } = await loadRenderer<{ useTicketMarket: Store<{ setMarket(v: string, s: string): void }> }>('features/trading/ticketMarket.ts')
  useTicketMarket.getState().setMarket('okx-1', 'BTC/USDT')
  actions = await loadRenderer<Actions>('features/trading/tradingActions.ts')
  toasts = (await loadRenderer<{ useToasts: never }>('features/toasts/toastStore.ts')).useToasts
  confirm = (await loadRenderer<{ useConfirm: never }>('features/trading/ConfirmDialog.tsx')).useConfirm
  venues = (await loadRenderer<{ useVenues: never }>('features/markets/venuesStore.ts')).useVenues
  ordersStore = (await loadRenderer<{ useOrders: never }>('features/trading/ordersStore.ts')).useOrders
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  toasts.setState({ toasts: [] })
  replies = {}
  risk = null
  venues.setState({ status: 'loading', venues: [], former: {} }) // as on a page that had not loaded the accounts
})

const shown = () => toasts.getState().toasts.map((t) => ({ kind: t.kind, title: t.title, detail: t.detail }))
const tick = () => new Promise((r) => setTimeout(r, 5))

/** A fill that beat the cancel is ordinary trading: a calm notice naming the order and its account, no error. */
const FILLED_FIRST = {
  kind: 'warning',
  title: 'Order filled before the cancel reached the exchange',
  detail: 'Sell 1 BTC/USDT @ 110 on OKX main: it filled (1 BTC sold) before the cancel reached the exchange, so there was nothing left to cancel',
}

describe('a cancel the exchange has accepted but not confirmed', () => {
  it('cancel-last says the cancel was requested, then that the order filled meanwhile — never "canceled"', async () => {
    open = [row('o1', 'open', 1)]
    replies['orders.cancel'] = row('o1', 'canceling', 2)
    await actions.cancelLast()
    expect(shown()).toEqual([{ kind: 'info', title: 'Cancel requested — waiting for the exchange to confirm', detail: 'Sell 1 BTC/USDT @ 110' }])
    expect(pushOrder).toBeDefined() // the outcome is followed on the orders stream
    pushOrder!(row('o1', 'filled', 3, '1'))
    await tick()
    expect(shown().slice(1)).toEqual([FILLED_FIRST])
    expect(shown().some((t) => t.title === 'Order canceled')).toBe(false)
  })

  it('cancel-last tells "Order canceled" once the exchange confirms it', async () => {
    open = [row('o2', 'open', 1)]
    replies['orders.cancel'] = row('o2', 'canceling', 2)
    await actions.cancelLast()
    pushOrder!(row('o2', 'canceled', 3))
    await tick()
    expect(shown().map((t) => t.title)).toEqual(['Cancel requested — waiting for the exchange to confirm', 'Order canceled'])
  })

  it('a cancel from the table (Delete) that the exchange refuses later: says the order is still open', async () => {
    open = [row('o3', 'open', 1)]
    replies['orders.cancel'] = row('o3', 'canceling', 2)
    await actions.cancelOrder('o3')
    expect(shown().map((t) => t.title)).toEqual(['Cancel requested — waiting for the exchange to confirm'])
    pushOrder!({ ...row('o3', 'open', 3), error: 'order is being amended' })
    await tick()
    expect(shown().slice(1)).toEqual([{ kind: 'error', title: 'Order not canceled', detail: 'Sell 1 BTC/USDT @ 110 is still open: order is being amended' }])
  })

  it('while trading is halted, an order whose cancel did not go through is said to be canceled again', async () => {
    risk = { halted: true, haltedAt: 1, version: 0 }
    open = [row('o11', 'open', 1)]
    replies['orders.cancel'] = row('o11', 'canceling', 2)
    await actions.cancelOrder('o11')
    await tick()
    pushOrder!({ ...row('o11', 'open', 3), error: 'the cancel did not go through' })
    await tick()
    expect(shown().slice(1)).toEqual([
      { kind: 'error', title: 'Order not canceled', detail: 'Sell 1 BTC/USDT @ 110 is still open: the cancel did not go through. It is canceled again while trading stays halted' },
    ])
  })

  it('cancel-all says how many were canceled and how many await confirmation; one that filled meanwhile already ended', async () => {
    open = [row('o4', 'canceling', 2)]
    replies['orders.cancelAll'] = { canceled: 2, partlyFilled: [], awaiting: [{ clientOrderId: 'o4', venueId: 'okx-1', updatedAt: 2 }], ended: [], failed: [] }
    await actions.cancelAllOnMarket()
    expect(shown()).toEqual([{ kind: 'warning', title: '2 canceled, 1 awaiting confirmation', detail: 'BTC/USDT on okx-1' }])
    pushOrder!(row('o4', 'filled', 3, '1'))
    await tick()
    // As cancel-all's own result counts an order that filled before its cancel: already ended, no error.
    expect(shown().slice(1)).toEqual([{ kind: 'success', title: '1 order already ended', detail: 'Orders that were awaiting confirmation. Already ended: o4 filled before the cancel reached it' }])
  })

  it('the kill switch summary counts awaiting orders apart from canceled ones', async () => {
    replies['trading.killSwitch'] = { disarmed: 0, canceled: 3, partlyFilled: [], awaiting: [{ clientOrderId: 'o5', venueId: 'okx-1', updatedAt: 2 }, { clientOrderId: 'o6', venueId: 'okx-1', updatedAt: 2 }], ended: [], failed: [], at: 1 }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    expect(shown()[0]).toMatchObject({ title: 'Kill switch pulled: trading halted', detail: '3 orders canceled, 2 awaiting confirmation, 0 conditional disarmed' })
  })

  it('the kill switch tells an order that filled before its cancel reached it as already ended, not as a failure', async () => {
    replies['trading.killSwitch'] = {
      disarmed: 1,
      canceled: 2,
      partlyFilled: [],
      awaiting: [],
      ended: [{ clientOrderId: 'o7', venueId: 'okx-1', status: 'filled', how: 'filled before the cancel reached it' }],
      failed: [],
      at: 1,
    }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    expect(shown()).toEqual([
      {
        kind: 'success',
        title: 'Kill switch pulled: trading halted',
        detail: '2 orders canceled, 1 already ended, 1 conditional disarmed. Already ended: okx-1 o7 filled before the cancel reached it',
      },
    ])
  })

  it('cancel-all tells an order that expired before its cancel reached it as already ended, not as refused', async () => {
    replies['orders.cancelAll'] = {
      canceled: 1,
      partlyFilled: [],
      awaiting: [],
      ended: [{ clientOrderId: 'o8', venueId: 'okx-1', status: 'expired', how: 'expired with 0.4 of 1 BTC filled before the cancel reached it' }],
      failed: [],
    }
    await actions.cancelAllOnMarket()
    expect(shown()).toEqual([{ kind: 'success', title: 'Canceled 1 open order, 1 already ended', detail: 'BTC/USDT on okx-1. Already ended: o8 expired with 0.4 of 1 BTC filled before the cancel reached it' }])
  })
})

// An order canceled after part of it filled was told only as one more "canceled": the trader did not learn
// that 0.4 of the 1 BTC they meant to sell was sold. Each such order is named with what filled.
describe('an order canceled after part of it filled', () => {
  const partly = { clientOrderId: 'o12', venueId: 'okx-1', symbol: 'BTC/USDT', filled: '0.4', amount: '1' }

  it('cancel-all says what filled before the cancel, in the market’s base asset', async () => {
    replies['orders.cancelAll'] = { canceled: 2, partlyFilled: [partly], awaiting: [], ended: [], failed: [] }
    await actions.cancelAllOnMarket()
    expect(shown()).toEqual([{ kind: 'success', title: 'Canceled 2 open orders, 1 partly filled', detail: 'BTC/USDT on okx-1. o12 canceled after 0.4 of 1 BTC filled' }])
  })

  it('the kill switch says it for each such order, naming its account', async () => {
    replies['trading.killSwitch'] = { disarmed: 0, canceled: 2, partlyFilled: [partly, { ...partly, clientOrderId: 'o13', symbol: 'ETH/USDT', filled: '2.5', amount: '10' }], awaiting: [], ended: [], failed: [], at: 1 }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    expect(shown()).toEqual([
      {
        kind: 'success',
        title: 'Kill switch pulled: trading halted',
        detail: '2 orders canceled (2 partly filled), 0 conditional disarmed. okx-1 o12 canceled after 0.4 of 1 BTC filled; okx-1 o13 canceled after 2.5 of 10 ETH filled',
      },
    ])
  })

  it('an order awaiting confirmation that the exchange then cancels after part of it filled is told with what filled', async () => {
    open = [row('o14', 'canceling', 2)]
    replies['orders.cancelAll'] = { canceled: 0, partlyFilled: [], awaiting: [{ clientOrderId: 'o14', venueId: 'okx-1', updatedAt: 2 }], ended: [], failed: [] }
    await actions.cancelAllOnMarket()
    pushOrder!(row('o14', 'canceled', 3, '0.4'))
    await tick()
    expect(shown()[1]).toEqual({ kind: 'success', title: 'Exchange confirmed 1 cancel', detail: 'Orders that were awaiting confirmation. o14 canceled after 0.4 of 1 BTC filled' })
  })

  // The kill switch spans accounts: its first toast names each order's account ("okx-1 o12 canceled after …"), and
  // its later one said only "o15 canceled after …" — the trader could not tell on which account it was sold.
  it("the kill switch's later confirmation names each such order's account, as its first toast does", async () => {
    open = [row('o15', 'canceling', 2)]
    replies['trading.killSwitch'] = { disarmed: 0, canceled: 0, partlyFilled: [], awaiting: [{ clientOrderId: 'o15', venueId: 'okx-1', updatedAt: 2 }], ended: [], failed: [], at: 1 }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    pushOrder!(row('o15', 'canceled', 3, '0.4'))
    await tick()
    expect(shown()[1]).toEqual({ kind: 'success', title: 'Exchange confirmed 1 cancel', detail: 'Orders that were awaiting confirmation. okx-1 o15 canceled after 0.4 of 1 BTC filled' })
  })
})

// Exchange accounts are known to the engine by a random UUID. The kill switch's toasts named each order's
// account by that id — "3f2a9c1e-… o15 canceled after 0.4 of 1 BTC filled" — where the trader knows it as
// "Binance main". Every account in those toasts is now named by its label, loaded if no page had loaded them.
describe('the accounts named in cancel toasts', () => {
  const binance = 'f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b'
  const kraken = '9b8c7d6e-1f2a-4b3c-9d4e-5f6a7b8c9d0e'
  const accounts = [venueView('sim', 'Simulated exchange'), venueView('paper:2', 'Rehearsal'), { ...venueView(binance, 'Binance main'), kind: 'exchange' as const }]
  const partly = (clientOrderId: string, venueId: string) => ({ clientOrderId, venueId, symbol: 'BTC/USDT', filled: '0.4', amount: '1' })

  it('the kill switch names every account by its label, loading the names when no page had them', async () => {
    replies['venues.list'] = accounts
    replies['venues.former'] = [{ id: kraken, label: 'Kraken old', kind: 'exchange' }]
    replies['trading.killSwitch'] = {
      disarmed: 0,
      canceled: 3,
      partlyFilled: [partly('o20', binance), partly('o21', 'paper:2'), partly('o22', 'sim')],
      awaiting: [],
      ended: [{ clientOrderId: 'o23', venueId: kraken, status: 'filled', how: 'filled before the cancel reached it' }],
      failed: [{ clientOrderId: 'o24', venueId: binance, error: 'exchange unreachable' }],
      at: 1,
    }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    expect(shown()).toEqual([
      {
        kind: 'error',
        title: 'Kill switch pulled; some orders were not canceled',
        detail:
          '3 orders canceled (3 partly filled), 1 already ended, 0 conditional disarmed. Binance main o20 canceled after 0.4 of 1 BTC filled; ' +
          'Rehearsal o21 canceled after 0.4 of 1 BTC filled; Simulated exchange o22 canceled after 0.4 of 1 BTC filled. ' +
          'Binance main o24: exchange unreachable. Already ended: Kraken old (removed) o23 filled before the cancel reached it',
      },
    ])
    expect(JSON.stringify(shown())).not.toContain(binance)
  })

  it("the kill switch's later confirmation names the account by its label", async () => {
    venues.setState({ status: 'ready', venues: accounts, former: {} })
    open = [{ ...row('o25', 'canceling', 2), venueId: binance }]
    replies['trading.killSwitch'] = { disarmed: 0, canceled: 0, partlyFilled: [], awaiting: [{ clientOrderId: 'o25', venueId: binance, updatedAt: 2 }], ended: [], failed: [], at: 1 }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    pushOrder!({ ...row('o25', 'canceled', 3, '0.4'), venueId: binance })
    await tick()
    expect(shown()[1]).toEqual({ kind: 'success', title: 'Exchange confirmed 1 cancel', detail: 'Orders that were awaiting confirmation. Binance main o25 canceled after 0.4 of 1 BTC filled' })
  })

  it('cancel-all names its account by its label', async () => {
    replies['venues.list'] = accounts
    replies['venues.former'] = []
    replies['orders.cancelAll'] = { canceled: 2, partlyFilled: [partly('o26', binance)], awaiting: [], ended: [], failed: [] }
    await actions.cancelAllOnMarket({ venueId: binance, symbol: 'BTC/USDT' })
    expect(shown()).toEqual([{ kind: 'success', title: 'Canceled 2 open orders, 1 partly filled', detail: 'BTC/USDT on Binance main. o26 canceled after 0.4 of 1 BTC filled' }])
  })

  it('an account whose name cannot be read is called an account with the end of its id, never the bare UUID', async () => {
    // venues.list is not answered here: the names cannot be loaded.
    replies['trading.killSwitch'] = { disarmed: 0, canceled: 1, partlyFilled: [partly('o27', binance)], awaiting: [], ended: [], failed: [], at: 1 }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    expect(shown()[0]?.detail).toBe('1 order canceled (1 partly filled), 0 conditional disarmed. account …2e3f4a5b o27 canceled after 0.4 of 1 BTC filled')
  })
})

// An order awaiting the exchange's confirmation of its cancel that expired meanwhile was told as an error
// ("Order not canceled: expired"), though cancel-all counts such an order as already ended — nothing is left
// open. It is now told as ended, with what filled (which stays bought or sold), as cancel-all says it.
describe('an order awaiting confirmation that expires meanwhile', () => {
  it('a single cancel says it already ended, with what filled in the base asset', async () => {
    open = [row('o30', 'open', 1)]
    replies['orders.cancel'] = row('o30', 'canceling', 2)
    await actions.cancelOrder('o30')
    pushOrder!(row('o30', 'expired', 3, '0.4'))
    await tick()
    expect(shown().slice(1)).toEqual([{ kind: 'info', title: 'Order already ended', detail: 'Sell 1 BTC/USDT @ 110 expired with 0.4 of 1 BTC filled before the cancel reached it' }])
  })

  it('cancel-all counts it as already ended, as its own result does', async () => {
    open = [row('o31', 'canceling', 2), row('o32', 'canceling', 2)]
    replies['orders.cancelAll'] = {
      canceled: 0,
      partlyFilled: [],
      awaiting: [
        { clientOrderId: 'o31', venueId: 'okx-1', updatedAt: 2 },
        { clientOrderId: 'o32', venueId: 'okx-1', updatedAt: 2 },
      ],
      ended: [],
      failed: [],
    }
    await actions.cancelAllOnMarket()
    pushOrder!(row('o31', 'expired', 3, '0.4'))
    pushOrder!(row('o32', 'canceled', 3))
    await tick()
    expect(shown().slice(1)).toEqual([
      { kind: 'success', title: 'Exchange confirmed 1 cancel, 1 already ended', detail: 'Orders that were awaiting confirmation. Already ended: o31 expired with 0.4 of 1 BTC filled before the cancel reached it' },
    ])
  })

  it('after the kill switch, with its account named by its label', async () => {
    const binance = 'f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b'
    venues.setState({ status: 'ready', venues: [{ ...venueView(binance, 'Binance main'), kind: 'exchange' }], former: {} })
    open = [{ ...row('o33', 'canceling', 2), venueId: binance }]
    replies['trading.killSwitch'] = { disarmed: 0, canceled: 0, partlyFilled: [], awaiting: [{ clientOrderId: 'o33', venueId: binance, updatedAt: 2 }], ended: [], failed: [], at: 1 }
    actions.pullKillSwitch()
    await confirm.getState().request!.run()
    pushOrder!({ ...row('o33', 'expired', 3), venueId: binance })
    await tick()
    expect(shown()[1]).toEqual({ kind: 'success', title: '1 order already ended', detail: 'Orders that were awaiting confirmation. Already ended: Binance main o33 expired before the cancel reached it' })
  })
})

// A cancel answered by the engine with the order filled (it filled just before the cancel reached the exchange,
// or before the cancel was sent) was told as a red error: "Order not canceled: it filled before the cancel
// landed" (awaited), or "Order not canceled — order … is already filled" (the engine refused the cancel). A fill
// racing a cancel is ordinary trading: a warning naming the order and its account, and the order among the
// filled ones. One canceled after part of it filled says how much.
describe('a single cancel that a fill beat', () => {
  const history = () => useOrdersState().history.map((o) => [o.clientOrderId, o.status])
  const openIds = () => useOrdersState().open.map((o) => o.clientOrderId)

  it('from the table (Delete): a warning, not an error, and the order moves to the filled ones', async () => {
    open = [row('o40', 'open', 1)]
    await ordersStore.getState().load()
    replies['orders.cancel'] = row('o40', 'filled', 2, '1')
    await actions.cancelOrder('o40')
    expect(shown()).toEqual([{ ...FILLED_FIRST }])
    expect(openIds()).not.toContain('o40')
    expect(history()).toContainEqual(['o40', 'filled'])
  })

  it('cancel-last: the same warning, never "Order canceled"', async () => {
    open = [row('o41', 'open', 1)]
    await ordersStore.getState().load() // (the orders stream may be followed still for an earlier case's awaited cancel)
    replies['orders.cancel'] = row('o41', 'filled', 2, '1')
    await actions.cancelLast()
    expect(shown()).toEqual([{ ...FILLED_FIRST }])
  })

  it('a buy that filled says what was bought', async () => {
    open = [{ ...row('o42', 'open', 1), side: 'buy', amount: '0.5' }]
    replies['orders.cancel'] = { ...row('o42', 'filled', 2, '0.5'), side: 'buy', amount: '0.5' }
    await actions.cancelOrder('o42')
    expect(shown()).toEqual([
      { ...FILLED_FIRST, detail: 'Buy 0.5 BTC/USDT @ 110 on OKX main: it filled (0.5 BTC bought) before the cancel reached the exchange, so there was nothing left to cancel' },
    ])
  })

  it('from the table, one canceled after part of it filled says how much filled', async () => {
    open = [row('o43', 'open', 1)]
    replies['orders.cancel'] = row('o43', 'canceled', 2, '0.4')
    await actions.cancelOrder('o43')
    expect(shown()).toEqual([{ kind: 'success', title: 'Order canceled', detail: 'Sell 1 BTC/USDT @ 110 · 0.4 of 1 filled' }])
  })

  it('one that expired before the cancel reached it: already ended, as when awaited', async () => {
    open = [row('o44', 'open', 1)]
    replies['orders.cancel'] = row('o44', 'expired', 2, '0.4')
    await actions.cancelOrder('o44')
    expect(shown()).toEqual([{ kind: 'info', title: 'Order already ended', detail: 'Sell 1 BTC/USDT @ 110 expired with 0.4 of 1 BTC filled before the cancel reached it' }])
  })
})

// Unlike a fill, an awaited cancel whose order ends lost or left on the exchange is a real problem: still an
// error, in the engine's words.
describe('an awaited cancel whose order ends lost or left on the exchange', () => {
  it.each([
    ['lost', 'OKX main no longer knows this order (not found at two looks); it was canceling, 0 of 1 filled', 'Order not canceled: lost'],
    ['left-on-exchange', 'left on the exchange: its account was removed — the app can no longer see or cancel it', 'Order not canceled: left on exchange'],
  ])('%s: an error saying so', async (status, error, title) => {
    const id = `o50-${status}`
    open = [row(id, 'open', 1)]
    replies['orders.cancel'] = row(id, 'canceling', 2)
    await actions.cancelOrder(id)
    pushOrder!({ ...row(id, status, 3), error })
    await tick()
    expect(shown().slice(1)).toEqual([{ kind: 'error', title, detail: `Sell 1 BTC/USDT @ 110: ${error}` }])
  })
})
