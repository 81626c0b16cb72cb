import { afterEach, describe, expect, it } from 'vitest'
import { paperRig, filledOf, order, type PaperRig } from '../support/paper-market'

// The book holds a limited number of levels. An order priced beyond the last visible level of its side
// cannot know what queues at its price: it joins the back of the queue once its price is in view.

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

const BTC = 'BTC/USDT'

const filled = (id: string) => filledOf(rig, id)

describe('an order priced beyond the visible depth', () => {
  it('joins behind the size shown at its price once the book reaches it', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '3'], ['99.9', '3'], ['99.8', '3']], asks: [['100.1', '5']] }) // depth ends at 99.8
    const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '95', amount: '1' }))
    expect(placed.status).toBe('open')
    rig.book.set({ bids: [['95.1', '3'], ['95', '50'], ['94.9', '3']], asks: [['95.2', '5']] }) // 50 queued at 95
    rig.market.trade(BTC, '95', '1')
    expect(await filled(placed.venueOrderId)).toBe('0')
    rig.market.trade(BTC, '95', '49.5') // the last 49 ahead, then 0.5 for us
    expect(await filled(placed.venueOrderId)).toBe('0.5')
  })

  it('a sell above the visible asks the same', async () => {
    rig = await paperRig([{ asset: 'BTC', amount: '1' }])
    rig.book.set({ bids: [['100', '3']], asks: [['100.1', '3'], ['100.2', '3']] })
    const placed = await rig.venue.placeOrder(order({ side: 'sell', type: 'limit', price: '110', amount: '1' }))
    rig.market.trade(BTC, '110', '1', 'buy') // not in view yet: where it stands is unknown
    expect(await filled(placed.venueOrderId)).toBe('0')
    rig.book.set({ bids: [['109.9', '3']], asks: [['110', '20'], ['110.1', '3']] })
    rig.market.trade(BTC, '110', '20.5', 'buy')
    expect(await filled(placed.venueOrderId)).toBe('0.5')
  })

  it('a price inside the visible range with nothing at it has nothing ahead', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '3'], ['99', '3']], asks: [['101', '5']] })
    const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '99.5', amount: '1' }))
    rig.market.trade(BTC, '99.5', '0.4')
    expect(await filled(placed.venueOrderId)).toBe('0.4')
  })

  it('a restored order whose price the first live book does not reach joins when it does', async () => {
    rig = await paperRig()
    rig.book.set({ bids: [['100', '3']], asks: [['100.1', '5']] })
    const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '100', amount: '1' }))
    rig = await rig.restart()
    rig.book.set({ bids: [['101', '3'], ['100.9', '3']], asks: [['101.1', '5']] }) // 100 is beyond the depth
    rig.book.set({ bids: [['100.1', '2'], ['100', '40']], asks: [['100.2', '5']] }) // the market comes down
    rig.market.trade(BTC, '100', '1')
    expect(await filled(placed.venueOrderId)).toBe('0')
    rig.market.trade(BTC, '100', '40')
    expect(await filled(placed.venueOrderId)).toBe('1')
  })
})
