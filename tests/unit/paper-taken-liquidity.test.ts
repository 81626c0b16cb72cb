import { afterEach, describe, expect, it } from 'vitest'
import type { Fill } from '../../src-main/venues/port'
import { paperRig, balanceOf, filledOf, order, type PaperRig } from '../support/paper-market'

// Liquidity a paper order took (at placement, or from asks crossing a resting buy) is ours: when the venue
// later prints the trade of a buyer lifting those same asks, it must not fill the order a second time.

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

const BTC = 'BTC/USDT'

const filled = (id: string) => filledOf(rig, id)

describe('the same asks fill a resting buy once', () => {
  it('a buy that took the 0.3 ask at placement is not filled again when a venue buyer lifts that ask', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '5']], asks: [['100.1', '0.3'], ['100.2', '4']] })
    const fills: Fill[] = []
    rig.venue.watchMyFills((f) => fills.push(f), () => undefined)
    const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '100.1', amount: '0.5' }))
    expect(placed).toMatchObject({ status: 'open', filled: '0.3' })

    rig.market.trade(BTC, '100.1', '0.3', 'buy') // a venue buyer lifts the 0.3 ask we already took
    rig.book.set({ asks: [['100.2', '4']] })
    expect(await rig.venue.fetchOrder(BTC, { venueOrderId: placed.venueOrderId })).toMatchObject({ status: 'open', filled: '0.3' })
    expect(fills.map((f) => [f.price, f.amount, f.liquidity])).toEqual([['100.1', '0.3', 'taker']])
    expect(await balanceOf(rig.venue, 'BTC')).toMatchObject({ total: '0.3' })
  })

  it('an ask appearing at a resting buy fills it once, whether its lift is printed before or after the book drops it', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '5']], asks: [['101', '5']] })
    const first = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '100', amount: '2' }))
    rig.book.set({ asks: [['100', '1'], ['101', '5']] }) // a seller posts 1 at our price: it fills us
    expect(await filled(first.venueOrderId)).toBe('1')
    rig.market.trade(BTC, '100', '1', 'buy') // a venue buyer lifts that ask
    rig.book.set({ asks: [['101', '5']] })
    expect(await filled(first.venueOrderId)).toBe('1')

    rig.book.set({ asks: [['99.5', '0.5'], ['101', '5']] }) // an ask through our price
    expect(await filled(first.venueOrderId)).toBe('1.5')
    rig.book.set({ asks: [['101', '5']] }) // the book drops it first…
    rig.market.trade(BTC, '99.5', '0.5', 'buy') // …then the trade that lifted it arrives
    expect(await filled(first.venueOrderId)).toBe('1.5')
    expect(await balanceOf(rig.venue, 'BTC')).toMatchObject({ total: '1.5' })
  })

  it('a buyer lifting asks does not consume the queue of a resting buy; sellers hitting bids still do', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['99', '2']], asks: [['99.1', '5']] })
    const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '99', amount: '1' })) // 2 ahead
    rig.market.trade(BTC, '99', '2', 'buy')
    rig.market.trade(BTC, '99', '2.5', 'sell') // 2 ahead, 0.5 for us
    expect(await filled(placed.venueOrderId)).toBe('0.5')
  })
})
