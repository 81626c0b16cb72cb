import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { harness, ME, type Harness } from './orders-support'

// Following orders: fills recorded once with everything the venue said, partial fills adding up to an
// exact average price, and a venue update that does not fit the status table refused and surfaced.

let h: Harness
afterEach(async () => {
  await h.close()
})

describe('fills and status updates', () => {
  it('a partial fill, then the rest: partially-filled then filled, exact cost and average price', async () => {
    h = await harness()
    h.other('sell', '0.3', '100.00')
    const order = await h.manager.submit(h.intent({ amount: '1', price: '100.37' }))
    // took 0.3 at 100.00 as taker; 0.7 rests at 100.37
    expect(order).toMatchObject({ status: 'partially-filled', filled: '0.3', cost: '30' })
    h.other('sell', '0.7', '100.37')
    const filled = h.manager.get(order.clientOrderId)!
    expect(filled).toMatchObject({ status: 'filled', filled: '1', cost: '100.259' })
    expect(new Decimal(filled.cost).div(filled.filled).toFixed()).toBe('100.259')
    const statuses = h.events.orderChanged!.filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => e.order.status)
    expect(statuses).toEqual(['pending', 'submitting', 'open', 'partially-filled', 'filled'])
    const fills = h.manager.fills({ limit: 10 })
    expect(fills.map((f) => ({ price: f.price, amount: f.amount, fee: f.fee, liquidity: f.liquidity, clientOrderId: f.clientOrderId, venueId: f.venueId }))).toEqual([
      { price: '100.37', amount: '0.700', fee: { asset: 'BTC', amount: '0.0007' }, liquidity: 'maker', clientOrderId: order.clientOrderId, venueId: 'sim' },
      { price: '100.00', amount: '0.300', fee: { asset: 'BTC', amount: '0.0006' }, liquidity: 'taker', clientOrderId: order.clientOrderId, venueId: 'sim' },
    ])
    expect(fills.map((f) => f.tradeId)).toEqual(h.engine.fills(ME).map((f) => f.tradeId).reverse())
    expect(h.events.orderFilled!.map((e) => [e.fill.amount, e.order?.status])).toEqual([
      ['0.300', 'partially-filled'],
      ['0.700', 'filled'],
    ])
  })

  it('reports the fees an order paid in the base and in the quote (the copier counts them in its P&L)', async () => {
    h = await harness()
    h.other('sell', '1', '100.00')
    const buy = await h.manager.submit(h.intent({ amount: '1', price: '100.00' }))
    h.other('buy', '1', '100.00')
    const sell = await h.manager.submit(h.intent({ side: 'sell', amount: '1', price: '100.00' }))
    expect(h.manager.get(sell.clientOrderId)).toMatchObject({ status: 'filled' })
    const feeOf = (id: string) => h.manager.fills({ limit: 10 }).find((f) => f.clientOrderId === id)!.fee
    expect(feeOf(buy.clientOrderId).asset).toBe('BTC')
    expect(feeOf(sell.clientOrderId).asset).toBe('USDT')
    expect(h.manager.baseFeePaid(buy.clientOrderId)).toBe(new Decimal(feeOf(buy.clientOrderId).amount).toFixed())
    expect(h.manager.quoteFeePaid(buy.clientOrderId)).toBe('0')
    expect(h.manager.quoteFeePaid(sell.clientOrderId)).toBe(new Decimal(feeOf(sell.clientOrderId).amount).toFixed())
    expect(new Decimal(h.manager.quoteFeePaid(sell.clientOrderId)).gt(0)).toBe(true)
    expect(h.manager.baseFeePaid(sell.clientOrderId)).toBe('0')
  })

  it('records each venue trade once, however often it is reported (stream, reconciliation, again)', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ price: '100.00' }))
    h.other('sell', '0.25', '100.00')
    await h.manager.reconcile('sim')
    await h.manager.reconcile('sim')
    expect(h.manager.fills({ limit: 10 })).toHaveLength(1)
    expect(h.events.orderFilled).toHaveLength(1)
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'partially-filled', filled: '0.25', cost: '25' })
  })

  it('keeps fills of orders placed elsewhere on the account (the ledger needs them), not tied to any order', async () => {
    h = await harness()
    await h.manager.submit(h.intent({ price: '90.00' })) // follows the venue
    h.engine.placeOrder({ accountId: ME, clientOrderId: 'webui1', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '0.5', price: '100.00', timeInForce: 'GTC', postOnly: false })
    h.other('buy', '0.5', '100.00')
    expect(h.manager.fills({ limit: 10 })).toEqual([expect.objectContaining({ clientOrderId: null, amount: '0.500', side: 'sell' })])
    expect(h.events.orderFilled!.at(-1)!.order).toBeNull()
  })

  it('fills that arrive before the order is acknowledged are tied to it once its venue id is known', async () => {
    h = await harness()
    h.fake.silenceStreams()
    h.other('sell', '0.4', '100.00')
    let rowWhenFilled: unknown
    h.fake.script('placeOrder', async (real) => {
      const ack = await real()
      // the fill comes first, without our client id (as Binance's trade updates and REST fills do)
      for (const fill of await h.fake.inner.fetchMyFills('BTC/USDT')) h.fake.pushFill({ ...fill, clientOrderId: null })
      rowWhenFilled = h.manager.open({ venueId: 'fake' })[0]
      return ack
    })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    expect(rowWhenFilled).toMatchObject({ status: 'submitting', venueOrderId: null, filled: '0' })
    expect(h.events.orderFilled).toEqual([expect.objectContaining({ order: null })]) // not ours yet when it came
    expect(h.manager.fills({ venueId: 'fake', limit: 10 })).toEqual([expect.objectContaining({ clientOrderId: order.clientOrderId, amount: '0.400' })])
    // The screen that listed the fill without its order is told: the same fill, now with the order's id.
    expect(h.events.fillsLinked).toEqual([
      { order: expect.objectContaining({ clientOrderId: order.clientOrderId }), fills: [expect.objectContaining({ clientOrderId: order.clientOrderId, amount: '0.400' })] },
    ])
    expect(order).toMatchObject({ status: 'partially-filled', filled: '0.4', cost: '40' })
  })

  it('a late update (fewer fills, earlier stage) is ignored quietly', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    h.other('sell', '1', '100.00')
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled' })
    const before = h.manager.get(order.clientOrderId)
    // the REST answer of the original placement, delivered after the stream's "filled"
    h.fake.pushOrder({ ...(await h.fake.inner.fetchOrder('BTC/USDT', { clientOrderId: order.clientOrderId }))!, status: 'open', filled: '0', cost: '0' })
    expect(h.manager.get(order.clientOrderId)).toEqual(before)
    expect(h.events.orderTransitionRefused).toEqual([])
  })

  it('an update that does not fit the table is refused: logged, announced, put on the order, never applied', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '99.00' }))
    const canceled = await h.manager.cancel(order.clientOrderId)
    expect(canceled).toMatchObject({ status: 'canceled', filled: '0' })
    // a venue update claiming that the canceled order has filled half since
    h.fake.pushOrder({
      venueOrderId: order.venueOrderId!, clientOrderId: order.clientOrderId, symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '99.00',
      amount: '1', filled: '0.5', cost: '49.5', status: 'open', timeInForce: 'GTC', postOnly: false, createdAt: 0, updatedAt: 0,
    })
    const after = h.manager.get(order.clientOrderId)!
    expect(after).toMatchObject({ status: 'canceled', filled: '0', cost: '0' })
    expect(after.error).toMatch(/^refused a status change: event "partially-filled" is not allowed for an order that is canceled \(the venue reports it open, 0.5 of 1 filled\)$/)
    expect(h.events.orderTransitionRefused).toEqual([
      expect.objectContaining({ clientOrderId: order.clientOrderId, venueId: 'fake', from: 'canceled', event: 'partially-filled' }),
    ])
    expect(h.warnings.some((w) => w.includes(order.clientOrderId) && w.includes('refused'))).toBe(true)
    expect(h.events.orderChanged!.at(-1)!.order).toEqual(after)
  })
})
