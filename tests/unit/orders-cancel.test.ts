import { afterEach, describe, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { tradingHandlers, type TradingModules } from '../../src-main/api/handlers/trading'
import { tradingCommands } from '../../src-main/api/schemas/trading'
import { OrderStore } from '../../src-main/trading/orders/store'
import { fail, harness, ME, ME_FAKE, waitFor, type Behaviour, type Harness } from './orders-support'

// cancel, cancelAll and amend (cancel-replace).

let h: Harness
afterEach(async () => {
  await h.close()
})

describe('cancel', () => {
  it('cancels a resting order: canceling, then canceled; nothing left on the venue', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent())
    const canceled = await h.manager.cancel(order.clientOrderId)
    expect(canceled).toMatchObject({ status: 'canceled', filled: '0', error: null })
    expect(h.engine.openOrders(ME)).toEqual([])
    const statuses = h.events.orderChanged!.filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => e.order.status)
    expect(statuses.slice(-2)).toEqual(['canceling', 'canceled'])
    expect(h.manager.open()).toEqual([])
    expect(h.manager.list({ scope: 'history', limit: 10 })).toEqual([canceled])
  })

  it('keeps what filled before the cancel', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ price: '100.00' }))
    h.other('sell', '0.4', '100.00')
    expect(await h.manager.cancel(order.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0.4', cost: '40' })
  })

  it('says so when the order is already filled, or unknown', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ price: '100.00' }))
    h.other('sell', '1', '100.00')
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'CONFLICT', message: `order ${order.clientOrderId} is already filled` })
    await expect(h.manager.cancel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('an order that filled while the cancel was on its way: filled, and the cancel says "already filled"', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    h.fake.script('cancelOrder', async (real) => {
      h.other('sell', '1', '100.00') // it fills just before the venue sees the cancel
      return real()
    })
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'CONFLICT', message: `order ${order.clientOrderId} is already filled` })
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '1' })
    expect(h.events.orderTransitionRefused).toEqual([])
  })

  it('a cancel the venue refuses puts the order back to resting with the venue words', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    h.fake.script('cancelOrder', fail('permission-denied', 'Fake refused: the API key lacks the permission for this'))
    await expect(h.manager.cancel(order.clientOrderId)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Fake refused: the API key lacks the permission for this' })
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'open', error: 'Fake refused: the API key lacks the permission for this' })
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(1)
  })

  it('retries a rate-limited cancel', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    h.fake.script('cancelOrder', fail('rate-limited'), fail('unreachable'))
    expect(await h.manager.cancel(order.clientOrderId)).toMatchObject({ status: 'canceled' })
    expect(h.fake.callsOf('cancelOrder')).toHaveLength(3)
  })

  it('waits for an order still being submitted, then cancels it', async () => {
    h = await harness()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    h.fake.script('placeOrder', async (real) => {
      await gate
      return real()
    })
    const submitting = h.manager.submit(h.intent({ venueId: 'fake' }))
    await waitFor(() => h.fake.callsOf('placeOrder').length === 1, 'the order to be on its way')
    const [row] = h.manager.open({ venueId: 'fake' })
    expect(row!.status).toBe('submitting')
    const canceling = h.manager.cancel(row!.clientOrderId)
    release()
    await submitting
    expect(await canceling).toMatchObject({ status: 'canceled' })
    expect(h.engine.openOrders(ME_FAKE)).toEqual([])
  })
})

// The trader's cancel (orders.cancel: the open-orders table, cancel-last, the ticket). An order that filled just
// before its cancel reached the exchange was answered CONFLICT "already filled", which the screen showed as a
// red error, though a fill racing a cancel is ordinary trading. It answers with the order as it ended instead,
// as cancel-all counts such an order "already ended"; orders lost or left on the exchange stay refusals.
describe("the trader's cancel (orders.cancel) of an order that filled first", () => {
  const cancelCommand = () => {
    const handlers = tradingHandlers({ orders: h.manager, venueLabel: () => 'Fake main' } as unknown as TradingModules) as unknown as Record<
      string,
      (input: object) => Promise<unknown>
    >
    return async (clientOrderId: string) => tradingCommands['orders.cancel'].output.parse(await handlers['orders.cancel']!({ clientOrderId }))
  }

  it('filled while the cancel was on its way: answered with the filled order, not refused', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '100.00' }))
    h.fake.script('cancelOrder', async (real) => {
      h.other('buy', '1', '100.00') // it fills just before the venue sees the cancel
      return real()
    })
    expect(await cancelCommand()(order.clientOrderId)).toMatchObject({ clientOrderId: order.clientOrderId, venueLabel: 'Fake main', status: 'filled', filled: '1', side: 'sell', amount: '1' })
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '1' })
  })

  it('already filled when the cancel was asked (the table a moment behind): the filled order, nothing sent', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    h.other('sell', '1', '100.00')
    await waitFor(() => h.manager.get(order.clientOrderId)?.status === 'filled', 'the fill')
    expect(await cancelCommand()(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '1' })
    expect(h.fake.callsOf('cancelOrder')).toEqual([])
  })

  it('a second cancel of an order already canceled, or an unknown order, is still refused', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ price: '100.00' }))
    await h.manager.cancel(order.clientOrderId)
    await expect(cancelCommand()(order.clientOrderId)).rejects.toMatchObject({ code: 'CONFLICT', message: `order ${order.clientOrderId} is already canceled` })
    await expect(cancelCommand()('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  // Lost or left on the exchange, the order may still be working there: refused with the reason, never answered
  // as an order that ended (the screen would then tell the trader there is nothing left to cancel).
  it.each([
    ['lost', 'fake no longer knows this order (not found at two looks); it was open, 0 of 1 filled', 'is lost: fake no longer knows this order'],
    ['left-on-exchange', 'left on the exchange: its account was removed', 'was left on the exchange when its account was removed'],
  ] as const)('an order %s is still refused with the reason', async (status, error, said) => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    new OrderStore(h.store.db).update(order.clientOrderId, { status, error }, Date.now()) // as the reconcile / an account's removal leaves it
    await expect(cancelCommand()(order.clientOrderId)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(said) as string })
  })
})

describe('cancelAll', () => {
  it('cancels every open order in scope and reports the ones the venue refused', async () => {
    h = await harness()
    const a = await h.manager.submit(h.intent({ price: '98.00' }))
    const b = await h.manager.submit(h.intent({ price: '97.00' }))
    const c = await h.manager.submit(h.intent({ venueId: 'fake', price: '96.00' }))
    const d = await h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' }))
    // the venue refuses to cancel c (only c)
    const refuseC: Behaviour = async (real, [, venueOrderId]) => {
      if (venueOrderId === c.venueOrderId) throw new VenueError('permission-denied', 'no cancel for you')
      return real()
    }
    h.fake.script('cancelOrder', refuseC, refuseC)
    expect(await h.manager.cancelAll({ venueId: 'sim' })).toEqual({ canceled: 2, partlyFilled: [], awaiting: [], ended: [], failed: [] })
    expect(h.manager.open().map((o) => o.clientOrderId)).toEqual([c.clientOrderId, d.clientOrderId])
    expect(await h.manager.cancelAll()).toEqual({ canceled: 1, partlyFilled: [], awaiting: [], ended: [], failed: [{ clientOrderId: c.clientOrderId, venueId: 'fake', error: 'no cancel for you' }] })
    expect(h.manager.open().map((o) => o.clientOrderId)).toEqual([c.clientOrderId])
    expect([a, b].map((o) => h.manager.get(o.clientOrderId)!.status)).toEqual(['canceled', 'canceled'])
  })

  it('an order that filled before its cancel reached it is reported as ended, saying how — not as a cancel that failed', async () => {
    h = await harness()
    const a = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '100.00' }))
    const b = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '120.00' }))
    h.fake.script('cancelOrder', async (real) => {
      h.other('buy', '1', '100.00') // a fills just before the venue sees its cancel
      return real()
    })
    expect(await h.manager.cancelAll()).toEqual({
      canceled: 1,
      partlyFilled: [],
      awaiting: [],
      ended: [{ clientOrderId: a.clientOrderId, venueId: 'fake', status: 'filled', how: 'filled before the cancel reached it' }],
      failed: [],
    })
    expect(h.manager.get(b.clientOrderId)!.status).toBe('canceled')
  })
})

describe('amend', () => {
  it('cancel-replace at a new price: the old one canceled, a new client id with the same origin resting', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ price: '98.00', origin: { kind: 'copy', ref: 'flw7' } }))
    const amended = await h.manager.amend(order.clientOrderId, { price: '98.50' })
    expect(amended.clientOrderId).not.toBe(order.clientOrderId)
    expect(amended).toMatchObject({ status: 'open', price: '98.50', amount: '1', origin: { kind: 'copy', ref: 'flw7' }, side: 'buy' })
    expect(h.manager.get(order.clientOrderId)!.status).toBe('canceled')
    expect(h.engine.openOrders(ME)).toEqual([expect.objectContaining({ clientOrderId: amended.clientOrderId, price: '98.50' })])
  })

  it('refuses an order a conditional order sent (it follows that order), and leaves it working', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ price: '98.00', origin: { kind: 'conditional', ref: 'cond7' } }))
    await expect(h.manager.amend(order.clientOrderId, { price: '98.50' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('sent by a conditional order, which follows it'),
    })
    expect(h.manager.get(order.clientOrderId)!.status).toBe('open')
    expect(h.engine.openOrders(ME)).toEqual([expect.objectContaining({ clientOrderId: order.clientOrderId, price: '98.00' })])
  })

  it('a new total amount counts what already filled', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ price: '100.00' }))
    h.other('sell', '0.4', '100.00')
    const amended = await h.manager.amend(order.clientOrderId, { amount: '2' })
    expect(amended).toMatchObject({ amount: '1.6', price: '100.00', status: 'open' })
  })

  it('says so when the order filled before the cancel landed, and places nothing', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    h.fake.script('cancelOrder', async (real) => {
      h.other('sell', '1', '100.00')
      return real()
    })
    await expect(h.manager.amend(order.clientOrderId, { price: '99.00' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `order ${order.clientOrderId} filled before it could be amended; nothing was changed`,
    })
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
  })

  it('a replacement the venue refuses after the cancel: the error says the order was canceled', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '98.00' }))
    h.fake.script('placeOrder', fail('insufficient-funds', 'Account has insufficient balance for requested action.'))
    await expect(h.manager.amend(order.clientOrderId, { amount: '2' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Your order was canceled, but its replacement was refused: Account has insufficient balance for requested action.',
    })
    expect(h.manager.get(order.clientOrderId)!.status).toBe('canceled')
  })

  it('refuses market orders, finished orders, and a total already filled', async () => {
    h = await harness()
    h.other('sell', '5', '100.00')
    const market = await h.manager.submit(h.intent({ type: 'market', price: undefined, timeInForce: 'IOC', amount: '0.1' }))
    await expect(h.manager.amend(market.clientOrderId, { amount: '0.2' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'only limit orders can be amended' })
    const resting = await h.manager.submit(h.intent({ price: '99.00' }))
    h.other('sell', '0.5', '99.00')
    await expect(h.manager.amend(resting.clientOrderId, { amount: '0.5' })).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(h.manager.get(resting.clientOrderId)!.status).toBe('partially-filled')
  })
})
