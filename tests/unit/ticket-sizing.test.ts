import { beforeEach, describe, expect, it } from 'vitest'
import { TicketService } from '../../src-main/trading/ticket/service'
import { ticketSchema, type TicketInput } from '../../src-main/api/schemas/trading'
import { silentLogger } from '../../src-main/log'
import { OrderBook } from '../../src-main/market/order-book'
import type { LiveBooks } from '../../src-main/trading/ticket/live-book'
import { balance, btcUsdt, fakeGateway, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'

// A hand-made BTC/USDT book: asks 0.5 @ 100.00, 1 @ 100.50, 2 @ 101.00; bids 1 @ 99.90, 2 @ 99.50.
// Taker fee 0.2 %, maker fee 0.1 %, tick 0.01, step 0.00001, minimum 0.0001 BTC and 5 USDT.
const book = {
  asks: [
    ['100.00', '0.5'],
    ['100.50', '1'],
    ['101.00', '2'],
  ] as [string, string][],
  bids: [
    ['99.90', '1'],
    ['99.50', '2'],
  ] as [string, string][],
}

let venue: FakeVenue
let gateway: ReturnType<typeof fakeGateway>
let ticket: TicketService

beforeEach(() => {
  venue = fakeVenue('v1')
  venue.books.set('BTC/USDT', book)
  venue.balances = [balance('USDT', '1000'), balance('BTC', '0.123456', '1')]
  gateway = fakeGateway()
  ticket = new TicketService({ venues: fakeVenues(venue), gateway, log: silentLogger })
})

const t = (input: Partial<TicketInput>) =>
  ticketSchema.parse({ venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '1' }, ...input })

describe('ticket sizing and the fill estimate', () => {
  it('walks the asks for a market buy in base: average price, slippage vs the best ask, taker fee in the base', async () => {
    const p = await ticket.preview(t({ size: { unit: 'base', value: '1.5' } }))
    expect(p).toMatchObject({
      ok: true,
      amount: '1.5',
      price: null,
      // 0.5 × 100.00 + 1 × 100.50 = 150.50 for 1.5 BTC
      notional: '150.5',
      estimatedAvgPrice: '100.333333',
      slippagePct: '0.3333',
      estimatedFee: '0.003',
      feeAsset: 'BTC',
      bookStatus: 'live',
      problems: [],
    })
  })

  it('walks the bids for a market sell; the fee is taken from the quote received', async () => {
    venue.balances = [balance('BTC', '2')] // the BTC sold is free
    const p = await ticket.preview(t({ side: 'sell', size: { unit: 'base', value: '2' } }))
    // 1 × 99.90 + 1 × 99.50 = 199.40 → average 99.70, (99.90 − 99.70) / 99.90 = 0.2002 %
    expect(p).toMatchObject({ ok: true, amount: '2', notional: '199.4', estimatedAvgPrice: '99.7', slippagePct: '0.2002', estimatedFee: '0.3988', feeAsset: 'USDT' })
  })

  it('sizes a market buy in quote by spending it level by level, floored to the step', async () => {
    // 50 USDT buys the 0.5 at 100.00; the other 50 buys 50 / 100.50 = 0.4975124… → 0.99751 BTC
    const p = await ticket.preview(t({ size: { unit: 'quote', value: '100' } }))
    expect(p.amount).toBe('0.99751')
    expect(p.ok).toBe(true)
    const exact = await ticket.preview(t({ size: { unit: 'quote', value: '150.5' } }))
    expect(exact.amount).toBe('1.5')
  })

  it('sizes a market sell in quote by what the bids pay for it', async () => {
    // 99.90 for the first BTC, then 0.1 / 99.50 = 0.001005… → 1.001 (floored)
    const p = await ticket.preview(t({ side: 'sell', size: { unit: 'quote', value: '100' } }))
    expect(p.amount).toBe('1.001')
  })

  it('sizes a limit order in quote at its limit price', async () => {
    const p = await ticket.preview(t({ type: 'limit', price: '99.00', size: { unit: 'quote', value: '100' } }))
    expect(p).toMatchObject({ ok: true, amount: '1.0101', price: '99.00', notional: '99.9999' })
  })

  it('sizes a buy as a % of the free quote and a sell as a % of the free base (locked balance left out)', async () => {
    const buy = await ticket.preview(t({ size: { unit: 'percent', value: '10' } }))
    expect(buy.amount).toBe('0.99751') // 10 % of 1000 USDT free = 100 USDT, as above
    const sell = await ticket.preview(t({ side: 'sell', type: 'limit', price: '100.00', size: { unit: 'percent', value: '50' } }))
    expect(sell.amount).toBe('0.06172') // 50 % of 0.123456 free (1 BTC is locked) = 0.061728 → 0.06172
    venue.balances = [balance('USDT', '0', '500')]
    const none = await ticket.preview(t({ size: { unit: 'percent', value: '10' } }))
    expect(none).toMatchObject({ ok: false, amount: null, problems: [{ field: 'balance', message: 'No free USDT on Venue v1 to spend' }] })
  })

  it('floors a base amount to the step', async () => {
    const p = await ticket.preview(t({ type: 'limit', price: '99.00', size: { unit: 'base', value: '0.123456789' } }))
    expect(p.amount).toBe('0.12345')
  })

  it('estimates a marketable limit: what crosses fills at the book (taker), the rest rests at the limit (maker)', async () => {
    // 0.5 at 100.00 now (100.50 is above the limit); 0.5 rests at 100.20 → average 100.10
    const p = await ticket.preview(t({ type: 'limit', price: '100.20', size: { unit: 'base', value: '1' } }))
    expect(p).toMatchObject({ ok: true, estimatedAvgPrice: '100.1', slippagePct: '0.1', estimatedFee: '0.0015', feeAsset: 'BTC', notional: '100.2' })
  })

  it('a resting limit order has no slippage and pays the maker fee', async () => {
    venue.balances = [balance('BTC', '2')] // the BTC sold is free
    const p = await ticket.preview(t({ type: 'limit', side: 'sell', price: '101.00', size: { unit: 'base', value: '1' } }))
    expect(p).toMatchObject({ ok: true, estimatedAvgPrice: '101', slippagePct: '0', estimatedFee: '0.101', feeAsset: 'USDT' })
  })

  it('reads the shared live book when one is running, without asking the venue', async () => {
    const live = new OrderBook({ venue: 'v1', symbol: 'BTC/USDT' })
    live.applySnapshot({ lastUpdateId: 1, bids: [['99.00', '3']], asks: [['99.50', '0.25'], ['99.60', '3']] })
    const books: LiveBooks = { bookFeed: (v, s) => (v === 'v1' && s === 'BTC/USDT' ? { health: live.health, book: live } : undefined) }
    ticket = new TicketService({ venues: fakeVenues(venue), gateway, books, log: silentLogger })
    const p = await ticket.preview(t({ size: { unit: 'base', value: '0.5' } }))
    // 0.25 × 99.50 + 0.25 × 99.60 = 49.775 → 99.55
    expect(p).toMatchObject({ ok: true, estimatedAvgPrice: '99.55', bookStatus: 'live', notional: '49.775' })
    expect(venue.calls.filter((c) => c.startsWith('fetchOrderBook'))).toEqual([])
  })

  it('submit sends the rounded intent through the gateway as a manual order', async () => {
    const order = await ticket.submit(t({ type: 'limit', price: '99.5', size: { unit: 'base', value: '0.123456' }, timeInForce: 'IOC' }))
    expect(gateway.submitted).toEqual([
      {
        venueId: 'v1',
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        timeInForce: 'IOC',
        postOnly: false,
        amount: '0.12345',
        price: '99.50',
        origin: { kind: 'manual', ref: null },
      },
    ])
    expect(order.clientOrderId).toBe('c1')
    expect(btcUsdt.tickSize).toBe('0.01')
  })
})
