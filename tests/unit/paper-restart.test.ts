import { afterEach, describe, expect, it } from 'vitest'
import { balanceOf, order, paperRig, type PaperRig } from '../support/paper-market'

// A restart: balances, resting orders and fills come back from SQLite; resting orders follow their market
// again at once and rejoin the back of their queue.

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

const BTC = 'BTC/USDT'

describe('paper accounts survive a restart', () => {
  it('restores balances and resting orders; a restored order rejoins at the back of the queue', async () => {
    rig = await paperRig([
      { asset: 'USDT', amount: '10000' },
      { asset: 'BTC', amount: '1' },
    ])
    rig.book.set({ bids: [['99', '5']], asks: [['100', '1'], ['101', '3']] })
    await rig.venue.placeOrder(order({ side: 'buy', amount: '1' })) // 100.1 paid
    const buy = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', amount: '2', price: '99' }))
    const sell = await rig.venue.placeOrder(order({ side: 'sell', type: 'limit', amount: '0.5', price: '105' }))
    rig.market.trade(BTC, '99', '5.5') // 5 ahead, 0.5 for the buy
    const before = {
      balances: await rig.venue.fetchBalances(),
      open: await rig.venue.fetchOpenOrders(),
      fills: await rig.venue.fetchMyFills(BTC),
    }
    expect(before.open.map((o) => [o.venueOrderId, o.filled])).toEqual([
      [buy.venueOrderId, '0.5'],
      [sell.venueOrderId, '0'],
    ])

    rig = await rig.restart()
    expect(await rig.venue.fetchBalances()).toEqual(before.balances)
    expect(await rig.venue.fetchOpenOrders()).toEqual(before.open)
    expect(await rig.venue.fetchMyFills(BTC)).toEqual(before.fills)
    // The market is followed again without anyone opening it.
    expect(rig.book.holds).toBe(1)
    expect(rig.market.listeners(BTC)).toBe(1)

    // Its book is first live now with 7 at 99: the buy is behind all 7.
    rig.book.set({ bids: [['99', '7']], asks: [['100', '1']] })
    rig.market.trade(BTC, '99', '7')
    expect((await rig.venue.fetchOrder(BTC, { venueOrderId: buy.venueOrderId }))?.filled).toBe('0.5')
    rig.market.trade(BTC, '99', '2')
    const done = await rig.venue.fetchOrder(BTC, { venueOrderId: buy.venueOrderId })
    expect(done).toMatchObject({ status: 'closed', filled: '2', cost: '198' })
    // 10000 − 100.1 − 198 × 1.0008 = 9701.7416; the sell still reserves its 0.5 BTC.
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '9701.7416', used: '0', total: '9701.7416' })
    expect(await balanceOf(rig.venue, 'BTC')).toEqual({ free: '3.5', used: '0.5', total: '4' })

    // Ids go on from where they were; a client id used before the restart is still refused.
    const next = await rig.venue.placeOrder(order({ side: 'buy', amount: '0.1' }))
    expect(Number(next.venueOrderId)).toBe(Number(sell.venueOrderId) + 1)
    await expect(rig.venue.placeOrder(order({ side: 'buy', amount: '0.1', clientOrderId: buy.clientOrderId }))).rejects.toThrow(/Duplicate client order id/)
    expect(new Set((await rig.venue.fetchMyFills(BTC)).map((f) => f.tradeId)).size).toBe((await rig.venue.fetchMyFills(BTC)).length)
  })

  it('a restored order does not fill from trades at its price before its book is live again', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '1']], asks: [['100', '1']] })
    const buy = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', amount: '1', price: '99' }))
    rig = await rig.restart()
    rig.book.setHealth('resyncing', 'awaiting snapshot')
    rig.market.trade(BTC, '99', '10') // where it stands in the queue is unknown yet
    expect((await rig.venue.fetchOrder(BTC, { venueOrderId: buy.venueOrderId }))?.filled).toBe('0')
    rig.market.trade(BTC, '98', '10') // a trade through its price fills it whatever the queue
    expect((await rig.venue.fetchOrder(BTC, { venueOrderId: buy.venueOrderId }))?.status).toBe('closed')
  })
})
