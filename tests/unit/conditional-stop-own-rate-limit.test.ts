import { afterEach, beforeEach, expect, it } from 'vitest'
import type { OrderManager } from '../../src-main/trading/orders/order-manager'
import type { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import type { OrderRequest, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import { AppError } from '../../src-main/api/errors'
import type { FakeVenue } from '../support/desk-fakes'
import { armStopAt95, closeDesk, onlyView, openDesk, settled, tickAt, type Desk } from './conditional-desk-support'

// A stop's own send meets the exchange's rate limit (429 / Binance -1015 / 418) with a Retry-After longer
// than the order manager's retries: the manager stores that order 'rejected' (not placed) and holds the
// account's new orders. The stop must not fail and leave the position unguarded: it waits for the hold and
// is then sent under a new client id (the refused one is history), written on its row before it goes out.
// A genuine refusal (no funds) still fails it, and a send that may have landed (an earlier attempt's answer
// was lost) is never sent again under another id. The real order manager and conditional engine over a
// hand-made venue.

let desk: Desk
let venue: FakeVenue
let orders: OrderManager
let conditional: ConditionalEngine
let clock: { t: number }
/** What the risk gate refuses every order with (null: it lets them through). */
let riskRefusal: Error | null

beforeEach(async () => {
  riskRefusal = null
  const risk = {
    check: async () => {
      if (riskRefusal !== null) throw riskRefusal
    },
  }
  desk = await openDesk({ dirPrefix: 'co-own429-', risk })
  ;({ venue, orders, conditional, clock } = desk)
})
afterEach(() => closeDesk(desk))

const tick = (last: string) => tickAt(desk, last)
const runTimers = () => desk.timers.forEach((fn) => fn())
const stopView = () => onlyView(desk)
const placed = () => venue.orders.map((o) => [o.side, o.type, o.amount])

/** Scripts the next placeOrder calls (then the venue places as usual). */
function answers(...errors: VenueError[]): void {
  const place = venue.placeOrder.bind(venue)
  venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    const err = errors.shift()
    if (err === undefined) return place(r)
    venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return Promise.reject(err)
  }
}

/** `ms` pass: the engine's timers run, then a tick at `last` if given, and all settles. */
async function later(ms: number, last?: string): Promise<void> {
  clock.t += ms
  runTimers()
  if (last !== undefined) tick(last)
  await settled()
}

const tooManyNewOrders = () => new VenueError('rate-limited', 'binance {"code":-1015,"msg":"Too many new orders; current limit is 50 orders per 10 SECOND."}', undefined, 60_000)

/** Another order's send (a manual buy) meets -1015: it is refused and the account's 60 s hold starts. */
async function holdStartedByAnotherOrder(): Promise<void> {
  answers(tooManyNewOrders())
  await expect(orders.submit({ venueId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.1', price: '90.00', origin: { kind: 'manual', ref: null } })).rejects.toBeInstanceOf(Error)
}

const armStop = () => armStopAt95(desk)

it("a stop whose own send starts a 60 s hold (-1015) waits for it, then sells under a new client id written first", async () => {
  await armStop()
  answers(tooManyNewOrders())
  tick('94')
  await settled()
  const refusedId = venue.calls.find((c) => c.startsWith('placeOrder '))?.slice('placeOrder '.length) as string
  expect(orders.get(refusedId)?.status).toBe('rejected')
  expect(stopView()).toMatchObject({ status: 'triggered', reason: expect.stringMatching(/^waiting for the exchange's rate limit, sends at 10:01:00 UTC$/) })
  // Nothing goes out while the hold lasts (timers, ticks).
  await later(30_000, '93')
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  // The hold ends: sent once, under a new id its row names before the send.
  let rowAtSend: string | null = null
  const place = venue.placeOrder
  venue.placeOrder = (r) => {
    rowAtSend = stopView().clientOrderId
    return place(r)
  }
  await later(31_000)
  expect(placed()).toEqual([['sell', 'market', '0.5']])
  const sentId = venue.orders[0]?.clientOrderId as string
  expect(sentId).not.toBe(refusedId)
  expect(rowAtSend).toBe(sentId)
  expect(stopView()).toMatchObject({ status: 'triggered', reason: null, clientOrderId: sentId })
  runTimers()
  tick('92')
  await settled()
  expect(placed()).toHaveLength(1)
})

it('a stop refused for insufficient funds fails as before and is not sent again', async () => {
  await armStop()
  answers(new VenueError('insufficient-funds', 'binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}'))
  tick('94')
  await settled()
  expect(stopView()).toMatchObject({ status: 'failed', reason: expect.stringContaining('insufficient balance') })
  await later(120_000, '93')
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  expect(placed()).toEqual([])
})

it('a send that may have landed (first answer lost, then -1015) is followed, never sent again under another id', async () => {
  await armStop()
  answers(new VenueError('unreachable', 'binance: request timed out'), tooManyNewOrders())
  tick('94')
  await settled()
  const ids = new Set(venue.calls.filter((c) => c.startsWith('placeOrder ')).map((c) => c.slice('placeOrder '.length)))
  expect(ids.size).toBe(1)
  const [id] = [...ids] as [string]
  expect(orders.get(id)?.status).toBe('submitting')
  expect(stopView()).toMatchObject({ status: 'triggered', clientOrderId: id })
  expect(stopView().reason ?? '').not.toContain("waiting for the exchange's rate limit")
  await later(61_000, '93')
  expect(new Set(venue.calls.filter((c) => c.startsWith('placeOrder ')).map((c) => c.slice('placeOrder '.length)))).toEqual(ids)
})

it('canceling the stop while it waits for the hold sends nothing', async () => {
  await armStop()
  answers(tooManyNewOrders())
  tick('94')
  await settled()
  expect(stopView().status).toBe('triggered')
  await conditional.cancel(stopView().id)
  expect(stopView()).toMatchObject({ status: 'canceled', reason: 'canceled by you' })
  await later(61_000, '93')
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  expect(placed()).toEqual([])
})

async function armTakeProfit(): Promise<void> {
  tick('100')
  await conditional.create({ type: 'single', venueId: 'a', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'take-profit-market', side: 'sell', amount: '0.5', triggerPrice: '105.00', trigger: 'last' } })
}

it('a standalone take-profit whose own send starts a 60 s hold waits for it too, then sells once under a new client id', async () => {
  await armTakeProfit()
  answers(tooManyNewOrders())
  tick('106')
  await settled()
  const refusedId = venue.calls.find((c) => c.startsWith('placeOrder '))?.slice('placeOrder '.length) as string
  expect(orders.get(refusedId)?.status).toBe('rejected')
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  await later(30_000, '107')
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  await later(31_000)
  expect(placed()).toEqual([['sell', 'market', '0.5']])
  expect(venue.orders[0]?.clientOrderId).not.toBe(refusedId)
  runTimers()
  tick('108')
  await settled()
  expect(placed()).toHaveLength(1)
})

it('a standalone take-profit that triggers inside a hold another order started waits for it, then sells', async () => {
  await armTakeProfit()
  await holdStartedByAnotherOrder()
  tick('106')
  await settled()
  expect(stopView()).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  expect(venue.calls.filter((c) => c.startsWith('placeOrder'))).toHaveLength(1)
  await later(61_000)
  expect(placed()).toEqual([['sell', 'market', '0.5']])
})

it("a stop the risk gate refuses while another order's hold runs fails with the gate's reason, not as waiting for the rate limit", async () => {
  await armStop()
  await holdStartedByAnotherOrder()
  riskRefusal = new AppError('CONFLICT', 'No price for BTC/USDT on a: the max order notional cannot be checked, so the order is refused')
  tick('94')
  await settled()
  expect(stopView()).toMatchObject({ status: 'failed', reason: expect.stringContaining('the max order notional cannot be checked') })
  riskRefusal = null
  await later(61_000, '93')
  expect(placed()).toEqual([])
})

it("an OCO's take-profit whose own send starts a hold fails, its stop re-arms, and that stop then waits for the hold and sells once", async () => {
  tick('100')
  await conditional.create({
    type: 'oco',
    venueId: 'a',
    symbol: 'BTC/USDT',
    legs: [
      { kind: 'take-profit-market', side: 'sell', amount: '0.5', triggerPrice: '105.00', trigger: 'last' },
      { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' },
    ],
  })
  answers(tooManyNewOrders())
  tick('106')
  await settled()
  const all = () => [...conditional.list({ scope: 'active', limit: 10 }), ...conditional.list({ scope: 'history', limit: 10 })]
  expect(all().find((v) => v.kind === 'take-profit-market')).toMatchObject({ status: 'failed', reason: expect.stringContaining('rate-limited for 60 s') })
  expect(all().find((v) => v.kind === 'stop-market')).toMatchObject({ status: 'armed' })
  tick('94')
  await settled()
  expect(all().find((v) => v.kind === 'stop-market')).toMatchObject({ status: 'triggered', reason: "waiting for the exchange's rate limit, sends at 10:01:00 UTC" })
  expect(placed()).toEqual([])
  await later(61_000)
  expect(placed()).toEqual([['sell', 'market', '0.5']])
})

it("a stop the risk gate cannot check (its markets could not be loaded: UNAVAILABLE) while another order's hold runs fails with that reason, not as waiting for the rate limit", async () => {
  await armStop()
  await holdStartedByAnotherOrder()
  // What the gate's market lookup (ticket/markets.ts) says when the exchange cannot be reached.
  riskRefusal = new AppError('UNAVAILABLE', 'Could not load the markets of a: getaddrinfo ENOTFOUND')
  tick('94')
  await settled()
  expect(stopView()).toMatchObject({ status: 'failed', reason: expect.stringContaining('Could not load the markets of a') })
  riskRefusal = null
  await later(61_000, '93')
  expect(placed()).toEqual([])
})
