import { afterEach, describe, expect, it } from 'vitest'
import type { Fill, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import { balanceOf, order, paperRig, type PaperRig } from '../support/paper-market'

// Paper orders that take liquidity: market orders, marketable limits, IOC/FOK, post-only, the live-book
// rule, balances and fees (taker 0.001, maker 0.0008 on BTC/USDT here).

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

async function refusal(p: Promise<unknown>): Promise<VenueError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(err instanceof VenueError)) throw new Error(`expected a VenueError, got ${String(err)}`)
  return err
}

describe('paper market orders walk the live book', () => {
  it('a market buy walks three levels: exact average price, taker fee and balances', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99.9', '3']], asks: [['100', '1'], ['100.5', '2'], ['101.2', '5'], ['103', '9']] })
    const fills: Fill[] = []
    const orders: VenueOrder[] = []
    rig.venue.watchMyFills((f) => fills.push(f), () => undefined)
    rig.venue.watchMyOrders((o) => orders.push(o), () => undefined)

    const placed = await rig.venue.placeOrder(order({ side: 'buy', amount: '4' }))

    // 1 @ 100 + 2 @ 100.5 + 1 @ 101.2 = 100 + 201 + 101.2 = 402.2; average 100.55; fee 0.4022.
    expect(placed).toMatchObject({ status: 'closed', filled: '4', cost: '402.2', type: 'market', side: 'buy' })
    expect(fills.map((f) => [f.price, f.amount, f.fee.amount, f.fee.asset, f.liquidity])).toEqual([
      ['100', '1', '0.1', 'USDT', 'taker'],
      ['100.5', '2', '0.201', 'USDT', 'taker'],
      ['101.2', '1', '0.1012', 'USDT', 'taker'],
    ])
    expect(orders).toEqual([placed])
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '9597.3978', used: '0', total: '9597.3978' })
    expect(await balanceOf(rig.venue, 'BTC')).toEqual({ free: '4', used: '0', total: '4' })
    expect(await rig.venue.fetchMyFills('BTC/USDT')).toEqual(fills)
    expect(await rig.venue.fetchOrder('BTC/USDT', { clientOrderId: placed.clientOrderId })).toEqual(placed)
    expect(await rig.venue.fetchOrder('BTC/USDT', { venueOrderId: placed.venueOrderId })).toEqual(placed)
    expect(rig.source.orderCalls).toBe(0)
  })

  it('a market sell walks the bids; the quote received is net of the fee', async () => {
    rig = await paperRig([{ asset: 'BTC', amount: '2' }])
    rig.book.set({ bids: [['99', '0.5'], ['98', '3']], asks: [['100', '1']] })
    const placed = await rig.venue.placeOrder(order({ side: 'sell', amount: '1.5' }))
    // 0.5 @ 99 + 1 @ 98 = 49.5 + 98 = 147.5; fee 0.1475.
    expect(placed).toMatchObject({ status: 'closed', filled: '1.5', cost: '147.5' })
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '147.3525', used: '0', total: '147.3525' })
    expect(await balanceOf(rig.venue, 'BTC')).toEqual({ free: '0.5', used: '0', total: '0.5' })
  })

  it('liquidity we took is not taken twice while the venue still shows it', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1'], ['101', '2']], bids: [['99', '1']] })
    await rig.venue.placeOrder(order({ side: 'buy', amount: '1' }))
    const second = await rig.venue.placeOrder(order({ side: 'buy', amount: '1' }))
    expect(second.cost).toBe('101') // the 100 level is ours already
    // The venue shows the 100 level shrinking by 0.4 (traded away): our share goes first, so still none there.
    rig.book.set({ asks: [['100', '0.6'], ['101', '2']] })
    expect((await rig.venue.placeOrder(order({ side: 'buy', amount: '1' }))).cost).toBe('101')
    // New sellers join the level: they are available.
    rig.book.set({ asks: [['100', '1.6'], ['101', '2']] })
    expect((await rig.venue.placeOrder(order({ side: 'buy', amount: '1' }))).cost).toBe('100')
    // The level leaves the book and comes back: all of it is new.
    rig.book.set({ asks: [['101', '2']] })
    rig.book.set({ asks: [['100', '1'], ['101', '2']] })
    expect((await rig.venue.placeOrder(order({ side: 'buy', amount: '1' }))).cost).toBe('100')
  })

  it('a market order larger than the visible book fills what is there and expires the rest', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1'], ['101', '1']], bids: [['99', '1']] })
    const placed = await rig.venue.placeOrder(order({ side: 'buy', amount: '3' }))
    expect(placed).toMatchObject({ status: 'expired', filled: '2', cost: '201' })
  })

  it('refuses what the paper balance cannot pay, changing nothing', async () => {
    rig = await paperRig([{ asset: 'USDT', amount: '150' }])
    rig.book.set({ asks: [['100', '1'], ['101', '1']], bids: [['99', '1']] })
    const err = await refusal(rig.venue.placeOrder(order({ side: 'buy', amount: '1.5' })))
    expect(err.kind).toBe('insufficient-funds')
    // 100 + 50.5 = 150.5, plus the fee 0.1505.
    expect(err.message).toBe('Paper balance too low: buy 1.5 BTC/USDT needs 150.6505 USDT, 150 USDT is free')
    const sell = await refusal(rig.venue.placeOrder(order({ side: 'sell', amount: '0.1' })))
    expect(sell.message).toBe('Paper balance too low: sell 0.1 BTC/USDT needs 0.1 BTC, 0 BTC is free')
    expect(await rig.venue.fetchBalances()).toEqual([{ asset: 'USDT', free: '150', used: '0', total: '150' }])
    expect(await rig.venue.fetchMyFills('BTC/USDT')).toEqual([])
  })
})

describe('time in force, post-only and the market rules', () => {
  it('FOK: all or nothing against the visible book', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1'], ['101', '2'], ['102', '5']], bids: [['99', '1']] })
    const market = await refusal(rig.venue.placeOrder(order({ side: 'buy', amount: '9', timeInForce: 'FOK' })))
    expect(market).toMatchObject({ kind: 'invalid-order', message: 'FOK order cannot be filled in full: 8 of 9 BTC available in the visible book' })
    const limit = await refusal(rig.venue.placeOrder(order({ side: 'buy', amount: '4', type: 'limit', price: '101', timeInForce: 'FOK' })))
    expect(limit.message).toBe('FOK order cannot be filled in full: 3 of 4 BTC available at 101 or better')
    expect(await balanceOf(rig.venue, 'USDT')).toMatchObject({ free: '10000' })
    const filled = await rig.venue.placeOrder(order({ side: 'buy', amount: '3', type: 'limit', price: '101', timeInForce: 'FOK' }))
    expect(filled).toMatchObject({ status: 'closed', filled: '3', cost: '302' })
  })

  it('IOC limit: takes up to its price and lets the rest expire, reserving nothing', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1'], ['101', '2']], bids: [['99', '1']] })
    const placed = await rig.venue.placeOrder(order({ side: 'buy', amount: '2', type: 'limit', price: '100', timeInForce: 'IOC' }))
    expect(placed).toMatchObject({ status: 'expired', filled: '1', cost: '100' })
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '9899.9', used: '0', total: '9899.9' })
    expect(await rig.venue.fetchOpenOrders()).toEqual([])
  })

  it('a GTC limit takes the marketable part as taker and rests the rest', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1'], ['101', '2']], bids: [['99', '1']] })
    const placed = await rig.venue.placeOrder(order({ side: 'buy', amount: '3', type: 'limit', price: '100' }))
    expect(placed).toMatchObject({ status: 'open', filled: '1', cost: '100', price: '100' })
    // Paid 100.1; reserved 2 × 100 × 1.0008 = 200.16 for the rest.
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '9699.74', used: '200.16', total: '9899.9' })
    expect(await rig.venue.fetchOpenOrders('BTC/USDT')).toEqual([placed])
    // The 100 ask it took is still on the venue's book: it does not fill the resting rest again.
    rig.book.set({ asks: [['100', '1'], ['101', '2']] })
    expect((await rig.venue.fetchOpenOrders())[0]?.filled).toBe('1')
  })

  it('post-only that would take is refused; resting post-only is accepted', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1']], bids: [['99', '1']] })
    const err = await refusal(rig.venue.placeOrder(order({ side: 'buy', amount: '1', type: 'limit', price: '100', postOnly: true })))
    expect(err).toMatchObject({ kind: 'invalid-order', message: 'Post-only order would take liquidity: the best ask 100 is at or through the limit 100' })
    const sell = await refusal(rig.venue.placeOrder(order({ side: 'sell', amount: '1', type: 'limit', price: '98.5', postOnly: true })))
    expect(sell.message).toBe('Post-only order would take liquidity: the best bid 99 is at or through the limit 98.5')
    expect(await rig.venue.fetchOpenOrders()).toEqual([])
    const ok = await rig.venue.placeOrder(order({ side: 'buy', amount: '1', type: 'limit', price: '99.9', postOnly: true }))
    expect(ok).toMatchObject({ status: 'open', filled: '0', postOnly: true })
  })

  it('refuses what the market rules forbid, and a client id used before', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1']], bids: [['99', '1']] })
    const cases: [Parameters<typeof order>[0], string][] = [
      [{ side: 'buy', amount: '0' }, 'Amount must be a number greater than zero, not "0"'],
      [{ side: 'buy', amount: '0.00005' }, 'Amount 0.00005 is not a multiple of the step 0.0001 of BTC/USDT'],
      [{ side: 'buy', amount: '1', type: 'limit', price: '99.95' }, 'Price 99.95 is not a multiple of the tick 0.1 of BTC/USDT'],
      [{ side: 'buy', amount: '0.01', type: 'limit', price: '99' }, 'Order value 0.99 USDT is below the minimum notional 5 of BTC/USDT'],
      [{ side: 'buy', amount: '1', type: 'limit' }, 'A limit order needs a price greater than zero, not ""'],
      [{ side: 'buy', amount: '1', symbol: 'DOGE/USDT' }, 'No market DOGE/USDT on binance'],
    ]
    for (const [req, message] of cases) {
      const err = await refusal(rig.venue.placeOrder(order(req)))
      expect(err).toMatchObject({ kind: 'invalid-order', message })
    }
    const first = await rig.venue.placeOrder(order({ side: 'buy', amount: '0.5', clientOrderId: 'same' }))
    const dup = await refusal(rig.venue.placeOrder(order({ side: 'buy', amount: '0.5', clientOrderId: 'same' })))
    expect(dup).toMatchObject({ kind: 'invalid-order', message: `Duplicate client order id "same": it is paper order #${first.venueOrderId} (closed)` })
    expect(await balanceOf(rig.venue, 'BTC')).toMatchObject({ total: '0.5' })
  })
})

describe('paper orders need a live book', () => {
  it('a stale or resyncing book refuses market and limit orders with the reason', async () => {
    rig = await paperRig()
    rig.book.set({ asks: [['100', '1']], bids: [['99', '1']] })
    rig.book.setHealth('stale', 'no message for 10 s')
    const err = await refusal(rig.venue.placeOrder(order({ side: 'buy', amount: '1' })))
    expect(err).toMatchObject({ kind: 'invalid-order', message: 'Paper orders need a live book: the BTC/USDT book is stale (no message for 10 s)' })
    rig.book.setHealth('resyncing', 'sequence gap')
    const limit = await refusal(rig.venue.placeOrder(order({ side: 'buy', amount: '1', type: 'limit', price: '98' })))
    expect(limit.message).toBe('Paper orders need a live book: the BTC/USDT book is resyncing (sequence gap)')
    expect(await balanceOf(rig.venue, 'USDT')).toMatchObject({ free: '10000', used: '0' })
  })

  it('an order waits (up to liveWaitMs) for a book that is starting, then fills', async () => {
    rig = await paperRig(undefined, { liveWaitMs: 5000 })
    rig.book.setHealth('resyncing', 'awaiting snapshot')
    const placing = rig.venue.placeOrder(order({ side: 'buy', amount: '1' }))
    await Promise.resolve()
    rig.book.set({ asks: [['100', '2']], bids: [['99', '1']] })
    rig.book.setHealth('live')
    expect(await placing).toMatchObject({ status: 'closed', cost: '100' })
    // Still not live after the wait: refused with the reason.
    rig.book.setHealth('stale', 'socket closed')
    const late = rig.venue.placeOrder(order({ side: 'buy', amount: '1' }))
    await new Promise((r) => setTimeout(r, 0))
    rig.clock.advance(rig.clock.now() + 5000)
    expect((await refusal(late)).message).toBe('Paper orders need a live book: the BTC/USDT book is stale (socket closed)')
  })
})
