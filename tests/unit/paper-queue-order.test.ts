import { afterEach, describe, expect, it } from 'vitest'
import { paperRig, filledOf, order, type PaperRig } from '../support/paper-market'

// The venue's book and its trades come on separate streams: the book may show a level shrinking before
// the trade that shrank it arrives. The queue ahead of a resting order must go down once for that trade.

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

const BTC = 'BTC/USDT'

async function restBuy(price: string, amount: string): Promise<string> {
  const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price, amount }))
  expect(placed.status).toBe('open')
  return placed.venueOrderId
}

const filled = (id: string) => filledOf(rig, id)

describe('a level shrinking in the book before its trade arrives', () => {
  it('10 ahead, the book shows 6 gone, then the trade of those 6: 4 still ahead, nothing filled', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '10']], asks: [['101', '5']] })
    const id = await restBuy('100', '2')
    rig.book.set({ bids: [['100', '4']] })
    rig.market.trade(BTC, '100', '6')
    expect(await filled(id)).toBe('0')
    rig.market.trade(BTC, '100', '5') // the 4 really ahead, then 1 for us
    expect(await filled(id)).toBe('1')
  })

  it('the same when the trades come first (as on the simulated exchange)', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '10']], asks: [['101', '5']] })
    const id = await restBuy('100', '2')
    rig.market.trade(BTC, '100', '6')
    rig.book.set({ bids: [['100', '4']] })
    expect(await filled(id)).toBe('0')
    rig.market.trade(BTC, '100', '5')
    expect(await filled(id)).toBe('1')
  })

  it('a trade larger than what the book showed gone consumes the rest of the queue', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '10']], asks: [['101', '5']] })
    const id = await restBuy('100', '2')
    rig.book.set({ bids: [['100', '4']] }) // 6 of a 10.5 trade shown so far
    rig.market.trade(BTC, '100', '10.5') // 6 already gone, 4 ahead, 0.5 for us
    expect(await filled(id)).toBe('0.5')
  })

  it('size that left without a trade (cancelled) shortens the queue, and later trades consume what is left', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '10']], asks: [['101', '5']] })
    const id = await restBuy('100', '2')
    rig.book.set({ bids: [['100', '4']] }) // 6 cancelled: no trade follows
    rig.clock.advance(rig.clock.now() + 10_000)
    rig.market.trade(BTC, '100', '5') // 4 ahead, 1 for us
    expect(await filled(id)).toBe('1')
  })

  it('cancellations ahead one every 1.5 s each expire on their own: a later trade at the price still reaches us', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '10']], asks: [['101', '5']] })
    const id = await restBuy('100', '2')
    // The 10 ahead cancel one at a time, 1.5 s apart, no trade; a newcomer behind us keeps the level (0.5).
    let t = rig.clock.now()
    for (let left = 9; left >= 0; left--) {
      t += 1500
      rig.clock.advance(t)
      rig.book.set({ bids: [['100', left > 0 ? String(left) : '0.5']] })
    }
    t += 1500
    rig.clock.advance(t)
    // Only the last cut (0.5, 1.5 s old) may still wait for its trade: 0.5 of this trade, then 2 for us.
    rig.market.trade(BTC, '100', '3')
    expect(await filled(id)).toBe('2')
  })

  it('cuts the book shows within 2 s of each other all wait for their trades', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '10']], asks: [['101', '5']] })
    const id = await restBuy('100', '2')
    rig.book.set({ bids: [['100', '7']] })
    rig.clock.advance(rig.clock.now() + 1000)
    rig.book.set({ bids: [['100', '4']] })
    rig.clock.advance(rig.clock.now() + 500)
    rig.market.trade(BTC, '100', '6') // the trade of both cuts: 4 still ahead
    expect(await filled(id)).toBe('0')
    rig.market.trade(BTC, '100', '5')
    expect(await filled(id)).toBe('1')
  })

  it('our own earlier order at the price cancelled is no cut waiting for a trade: the next trade reaches the later one', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '5']], asks: [['101', '5']] })
    const a = await restBuy('100', '2')
    const b = await restBuy('100', '2') // 5 others and our A ahead
    await rig.venue.cancelOrder(BTC, a)
    rig.clock.advance(rig.clock.now() + 100)
    rig.book.set({ bids: [['100', '5']] }) // an ordinary tick: the venue's level unchanged
    rig.clock.advance(rig.clock.now() + 500)
    rig.market.trade(BTC, '100', '6') // the 5 others, then 1 for B
    expect(await filled(b)).toBe('1')
  })

  it('our own earlier order cancelled while the book shows others traded away: only the book part waits for its trade', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '5']], asks: [['101', '5']] })
    const a = await restBuy('100', '2')
    const b = await restBuy('100', '2')
    await rig.venue.cancelOrder(BTC, a)
    rig.book.set({ bids: [['100', '3']] }) // 2 of the others traded; their trade is on its way
    rig.market.trade(BTC, '100', '2') // that trade: 3 others still ahead of B
    expect(await filled(b)).toBe('0')
    rig.market.trade(BTC, '100', '4') // the 3, then 1 for B
    expect(await filled(b)).toBe('1')
  })

  it('our own earlier order at the price filled from sellers crossing it is no cut waiting for a trade', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '5']], asks: [['101', '5']] })
    const a = await restBuy('100', '2')
    const b = await restBuy('100', '2')
    rig.book.set({ asks: [['100', '2']] }) // a seller at our price: A takes the 2
    expect(await filled(a)).toBe('2')
    expect(await filled(b)).toBe('0')
    rig.book.set({ bids: [['100', '5']], asks: [['101', '5']] })
    rig.market.trade(BTC, '100', '6') // the 5 others, then 1 for B
    expect(await filled(b)).toBe('1')
  })
})
