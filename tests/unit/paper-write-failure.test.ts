import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import type { Fill, VenueOrder } from '../../src-main/venues/port'
import type { PaperChange } from '../../src-main/venues/paper/store'
import { balanceOf, order, paperRig, type PaperRig } from '../support/paper-market'

// A fill of a resting order whose write fails must leave nothing behind in memory (the database is what a
// restart sees), and ids go on from the highest one stored, so an id once delivered is never reused.

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

const BTC = 'BTC/USDT'

/** Makes the next write carrying fills fail, as a full disk would. */
function failNextFillWrite(r: PaperRig): void {
  const real = r.store.commit.bind(r.store)
  let armed = true
  r.store.commit = (accountId: string, change: PaperChange) => {
    if (armed && change.fills.length > 0) {
      armed = false
      throw new Error('SQLITE_FULL: database or disk is full')
    }
    real(accountId, change)
  }
}

describe('a failed fill write', () => {
  it('rolls the fill back, tells the fill watchers, and no id is ever delivered twice', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '1']], asks: [['101', '5']] })
    const fills: Fill[] = []
    const errors: Error[] = []
    const orders: VenueOrder[] = []
    rig.venue.watchMyFills((f) => fills.push(f), (e) => errors.push(e))
    rig.venue.watchMyOrders((o) => orders.push(o), () => undefined)
    rig.market.trade(BTC, '99', '1') // nothing ahead of the next order
    const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '99', amount: '3' }))
    rig.market.trade(BTC, '99', '1') // the 1 ahead
    failNextFillWrite(rig)

    rig.market.trade(BTC, '99', '1') // 1 for us: its write fails
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/saving .*fill.*SQLITE_FULL/i)])
    expect(fills).toEqual([])
    expect(await rig.venue.fetchOrder(BTC, { venueOrderId: placed.venueOrderId })).toMatchObject({ status: 'open', filled: '0' })
    // 3 × 99 × 1.0008 still reserved, nothing bought.
    expect(await balanceOf(rig.venue, 'USDT')).toMatchObject({ used: '297.2376' })
    expect(await balanceOf(rig.venue, 'BTC')).toMatchObject({ total: '0' })

    rig.market.trade(BTC, '99', '2') // saved
    expect(fills.map((f) => [f.tradeId, f.amount])).toEqual([['1', '2']])

    rig = await rig.restart()
    rig.book.set({ bids: [['99', '0']], asks: [['101', '5']] })
    const after: Fill[] = []
    rig.venue.watchMyFills((f) => after.push(f), () => undefined)
    rig.market.trade(BTC, '99', '1') // the restored order is at the back of an empty level: 1 for it
    expect(after.map((f) => [f.tradeId, f.amount])).toEqual([['2', '1']])
    const stored = await rig.venue.fetchMyFills(BTC)
    expect(stored.map((f) => [f.tradeId, f.amount])).toEqual([
      ['1', '2'],
      ['2', '1'],
    ])
    expect(await rig.venue.fetchOrder(BTC, { venueOrderId: placed.venueOrderId })).toMatchObject({ status: 'closed', filled: '3' })
    expect(await rig.venue.fetchOpenOrders()).toEqual([])
    expect(await balanceOf(rig.venue, 'BTC')).toEqual({ free: '3', used: '0', total: '3' })
  })

  it('ids go on from the highest stored id, not from how many rows there are', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '5']], asks: [['100', '1'], ['101', '5']] })
    await rig.venue.placeOrder(order({ side: 'buy', amount: '0.1' }))
    const second = await rig.venue.placeOrder(order({ side: 'buy', amount: '0.1' }))
    // A database where a lower id is missing (as an earlier failed write could leave it).
    rig.db.db.run(sql`delete from paper_fills where trade_id = '1'`)
    rig.db.db.run(sql`delete from paper_orders where venue_order_id = '1'`)
    rig = await rig.restart()
    rig.book.set({ bids: [['99', '5']], asks: [['100', '1'], ['101', '5']] })
    const fills: Fill[] = []
    rig.venue.watchMyFills((f) => fills.push(f), () => undefined)
    const third = await rig.venue.placeOrder(order({ side: 'buy', amount: '0.1' }))
    expect(third.venueOrderId).toBe(String(Number(second.venueOrderId) + 1))
    expect(fills.map((f) => f.tradeId)).toEqual(['3'])
  })
})
