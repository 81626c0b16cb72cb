import { afterEach, describe, expect, it } from 'vitest'
import type { Fill, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import { balanceOf, order, paperRig, type PaperRig } from '../support/paper-market'

// Resting paper orders and the queue model: they join behind the size on their level, public trades at
// their price consume that queue first, trades through their price and a book crossing their price fill
// them (maker fee 0.0008 here), cancelling returns what they reserved.

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

const BTC = 'BTC/USDT'

async function rest(fields: Partial<Parameters<typeof order>[0]> & { side: 'buy' | 'sell'; amount: string; price: string }): Promise<VenueOrder> {
  const placed = await rig.venue.placeOrder(order({ type: 'limit', ...fields }))
  expect(placed.status).toBe('open')
  return placed
}

async function current(o: VenueOrder): Promise<VenueOrder> {
  const now = await rig.venue.fetchOrder(BTC, { venueOrderId: o.venueOrderId })
  if (now === null) throw new Error('order not found')
  return now
}

describe('a resting limit order queues behind the size on its level', () => {
  it('queue ahead 5: trades of 3 then 4 at its price fill 2 of 2, as maker, from the reservation', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '5'], ['98', '10']], asks: [['100', '1']] })
    const fills: Fill[] = []
    const events: VenueOrder[] = []
    rig.venue.watchMyFills((f) => fills.push(f), () => undefined)
    rig.venue.watchMyOrders((o) => events.push(o), () => undefined)

    const placed = await rest({ side: 'buy', amount: '2', price: '99' })
    // Reserved 2 × 99 × 1.0008 = 198.1584.
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '9801.8416', used: '198.1584', total: '10000' })

    rig.market.trade(BTC, '99', '3')
    expect((await current(placed)).filled).toBe('0') // 3 of the 5 ahead traded
    expect(fills).toEqual([])

    rig.market.trade(BTC, '99', '4') // the last 2 ahead, then 2 for us
    expect(await current(placed)).toMatchObject({ status: 'closed', filled: '2', cost: '198' })
    expect(fills.map((f) => [f.price, f.amount, f.fee.amount, f.liquidity])).toEqual([['99', '2', '0.1584', 'maker']])
    expect(events.map((e) => [e.status, e.filled])).toEqual([
      ['open', '0'],
      ['closed', '2'],
    ])
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '9801.8416', used: '0', total: '9801.8416' })
    expect(await balanceOf(rig.venue, 'BTC')).toEqual({ free: '2', used: '0', total: '2' })
    expect(await rig.venue.fetchOpenOrders()).toEqual([])
  })

  it('a partial fill leaves the order open with the rest reserved', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '1']], asks: [['100', '1']] })
    const placed = await rest({ side: 'buy', amount: '2', price: '99' })
    rig.market.trade(BTC, '99', '1.5') // 1 ahead, 0.5 for us
    expect(await current(placed)).toMatchObject({ status: 'open', filled: '0.5', cost: '49.5' })
    // 1.5 × 99 × 1.0008 = 148.6188 still reserved.
    expect(await balanceOf(rig.venue, 'USDT')).toMatchObject({ used: '148.6188' })
  })

  it('trades above a buy (or below a sell) do not touch it; size leaving its level shortens its queue', async () => {
    rig = await paperRig([{ asset: 'BTC', amount: '5' }])
    rig.book.set({ bids: [['99', '1']], asks: [['100', '4'], ['101', '2']] })
    const sell = await rest({ side: 'sell', amount: '1', price: '101' })
    rig.market.trade(BTC, '100', '3', 'buy')
    expect((await current(sell)).filled).toBe('0')
    // The venue shows the 101 level down to 0.5, and no trade there follows (cancelled): 0.5 is ahead now.
    rig.book.set({ asks: [['100', '4'], ['101', '0.5']] })
    rig.clock.advance(rig.clock.now() + 5_000)
    rig.market.trade(BTC, '101', '1.5', 'buy') // 0.5 ahead, 1 for us (with the 2 first ahead: nothing)
    expect(await current(sell)).toMatchObject({ status: 'closed', filled: '1', cost: '101' })
    // A sell reserved its base; received 101 less the maker fee 0.0808.
    expect(await balanceOf(rig.venue, 'BTC')).toEqual({ free: '4', used: '0', total: '4' })
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '100.9192', used: '0', total: '100.9192' })
  })

  it('our own earlier order at the same price queues ahead of the later one', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '1']], asks: [['100', '1']] })
    const first = await rest({ side: 'buy', amount: '1', price: '99' })
    const second = await rest({ side: 'buy', amount: '1', price: '99' })
    rig.market.trade(BTC, '99', '2.5') // 1 ahead of both, 1 for the first, 0.5 for the second
    expect((await current(first)).filled).toBe('1')
    expect((await current(second)).filled).toBe('0.5')
  })
})

describe('trades and books through its price', () => {
  it('a trade through the price fills as much as it traded, at our price', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '5']], asks: [['100', '1']] })
    const placed = await rest({ side: 'buy', amount: '1', price: '99' })
    rig.market.trade(BTC, '98.5', '0.4') // the whole 99 level traded away before this print
    expect(await current(placed)).toMatchObject({ status: 'open', filled: '0.4', cost: '39.6' })
    rig.market.trade(BTC, '99', '0.3') // nothing is ahead of it any more
    expect((await current(placed)).filled).toBe('0.7')
    rig.market.trade(BTC, '98', '3')
    expect(await current(placed)).toMatchObject({ status: 'closed', filled: '1', cost: '99' })
    const fills = await rig.venue.fetchMyFills(BTC)
    expect(fills.map((f) => [f.price, f.amount, f.liquidity])).toEqual([
      ['99', '0.4', 'maker'],
      ['99', '0.3', 'maker'],
      ['99', '0.3', 'maker'],
    ])
  })

  it('one trade through two of our orders is shared, best price first', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['98', '1']], asks: [['100', '1']] })
    const high = await rest({ side: 'buy', amount: '1', price: '99' })
    const low = await rest({ side: 'buy', amount: '1', price: '98' })
    rig.market.trade(BTC, '97', '1.5')
    expect((await current(high)).filled).toBe('1')
    expect((await current(low)).filled).toBe('0.5')
  })

  it('one trade fills our orders once in total: through our better buy first, what is left at its price', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['98', '5']], asks: [['101', '1']] })
    const high = await rest({ side: 'buy', amount: '1', price: '100' })
    const low = await rest({ side: 'buy', amount: '1', price: '99' })
    // The seller who printed 1 at 99 would have hit our 100 bid first: nothing is left for the 99 order.
    rig.market.trade(BTC, '99', '1')
    expect((await current(high)).filled).toBe('1')
    expect((await current(low)).filled).toBe('0')
    expect(await balanceOf(rig.venue, 'BTC')).toMatchObject({ total: '1' })
  })

  it('the same for sells: one trade at 101 fills our 100 ask, what is left goes to our 101 ask', async () => {
    rig = await paperRig([{ asset: 'BTC', amount: '5' }])
    rig.book.set({ bids: [['98', '1']], asks: [['102', '5']] })
    const low = await rest({ side: 'sell', amount: '1', price: '100' })
    const high = await rest({ side: 'sell', amount: '1', price: '101' })
    rig.market.trade(BTC, '101', '1.5', 'buy') // 1 to the 100 ask, 0.5 to the 101 ask (nothing ahead of it)
    expect((await current(low)).filled).toBe('1')
    expect((await current(high)).filled).toBe('0.5')
    expect(await balanceOf(rig.venue, 'BTC')).toMatchObject({ total: '3.5' })
  })

  it('what is left of a trade after our better orders first consumes the queue ahead at its price', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '1']], asks: [['101', '1']] })
    const high = await rest({ side: 'buy', amount: '1', price: '100' })
    const first = await rest({ side: 'buy', amount: '1', price: '99' }) // 1 ahead of it
    const second = await rest({ side: 'buy', amount: '1', price: '99' }) // 1 and our first ahead of it
    rig.market.trade(BTC, '99', '2.5') // 1 for the 100 bid; 1.5 left at 99: 1 ahead, 0.5 for the first
    expect((await current(high)).filled).toBe('1')
    expect((await current(first)).filled).toBe('0.5')
    expect((await current(second)).filled).toBe('0')
    rig.market.trade(BTC, '99', '1') // 0.5 more for the first, 0.5 for the second
    expect((await current(first)).filled).toBe('1')
    expect((await current(second)).filled).toBe('0.5')
  })

  it('asks standing at or through a resting buy fill it, at its price, once per visible size', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '2']], asks: [['100', '1']] })
    const placed = await rest({ side: 'buy', amount: '1', price: '99' })
    rig.book.set({ bids: [], asks: [['98.9', '0.3'], ['99', '0.5'], ['100', '1']] })
    expect(await current(placed)).toMatchObject({ filled: '0.8', cost: '79.2' })
    rig.book.set({ asks: [['98.9', '0.3'], ['99', '0.5'], ['100', '1']] }) // the same sellers again
    expect((await current(placed)).filled).toBe('0.8')
    rig.book.set({ asks: [['98.9', '0.3'], ['99', '1.5'], ['100', '1']] }) // new sellers at 99
    expect(await current(placed)).toMatchObject({ status: 'closed', filled: '1', cost: '99' })
    expect((await rig.venue.fetchMyFills(BTC)).every((f) => f.price === '99' && f.liquidity === 'maker')).toBe(true)
  })

  it('a book that is not live fills nothing by crossing', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '2']], asks: [['100', '1']] })
    const placed = await rest({ side: 'buy', amount: '1', price: '99' })
    rig.book.setHealth('resyncing', 'sequence gap')
    rig.book.set({ asks: [['98', '5']] })
    expect((await current(placed)).filled).toBe('0')
  })
})

describe('cancel', () => {
  it('returns the reserved balance and ends the order; a second cancel is refused', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '5']], asks: [['100', '1']] })
    const events: VenueOrder[] = []
    rig.venue.watchMyOrders((o) => events.push(o), () => undefined)
    const placed = await rest({ side: 'buy', amount: '2', price: '99' })
    expect(await balanceOf(rig.venue, 'USDT')).toMatchObject({ used: '198.1584' })
    const canceled = await rig.venue.cancelOrder(BTC, placed.venueOrderId)
    expect(canceled).toMatchObject({ status: 'canceled', filled: '0' })
    expect(events.at(-1)).toEqual(canceled)
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '10000', used: '0', total: '10000' })
    expect(await rig.venue.fetchOpenOrders()).toEqual([])
    const again = await rig.venue.cancelOrder(BTC, placed.venueOrderId).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(VenueError)
    expect(again).toMatchObject({ kind: 'order-not-found', message: `Paper order #${placed.venueOrderId} is canceled already, not open` })
    // Trades at its price no longer fill it.
    rig.market.trade(BTC, '99', '50')
    expect(await rig.venue.fetchMyFills(BTC)).toEqual([])
  })

  it('the market is followed while an order rests and let go after the linger time', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '5']], asks: [['100', '1']] })
    const placed = await rest({ side: 'buy', amount: '1', price: '99' })
    rig.clock.advance(rig.clock.now() + 10_000)
    expect(rig.book.holds).toBe(1)
    expect(rig.market.listeners(BTC)).toBe(1)
    await rig.venue.cancelOrder(BTC, placed.venueOrderId)
    rig.clock.advance(rig.clock.now() + 999)
    expect(rig.book.holds).toBe(1)
    rig.clock.advance(rig.clock.now() + 1)
    expect(rig.book.holds).toBe(0)
    expect(rig.market.listeners(BTC)).toBe(0)
  })
})
