import { afterEach, describe, expect, it } from 'vitest'
import { ticketSchema, type TicketInput } from '../../src-main/api/schemas/trading'
import { silentLogger } from '../../src-main/log'
import type { OrderGateway } from '../../src-main/trading/model'
import type { LiveBooks, SideReader } from '../../src-main/trading/ticket/live-book'
import { TicketService } from '../../src-main/trading/ticket/service'
import type { BookLevel, VenueOrder } from '../../src-main/venues/port'
import { recordOf } from '../support/desk-fakes'
import { balanceOf, paperRig, type PaperRig } from '../support/paper-market'

// The order ticket on a paper account: the paper venue charges a buy's fee in the quote (price × amount ×
// (1 + fee)), so the ticket estimates it in the quote and sizes "% of the free balance" net of it, and the
// order it sends is one the paper venue accepts. BTC/USDT here: maker 0.0008, taker 0.001, step 0.0001.

let rig: PaperRig
afterEach(async () => {
  await rig?.close()
})

/** The ticket reads the paper account's book (the test's hand-set one) as the market module's live book. */
function booksOf(r: PaperRig): LiveBooks {
  const reader = (levels: () => BookLevel[]): SideReader => ({
    get length() {
      return levels().length
    },
    priceAt: (rank) => Number(levels()[rank]?.[0]),
    sizeAt: (rank) => Number(levels()[rank]?.[1]),
    priceTextAt: (rank) => levels()[rank]?.[0],
    sizeTextAt: (rank) => levels()[rank]?.[1],
  })
  const book = { bids: reader(() => r.book.bids), asks: reader(() => r.book.asks) }
  return { bookFeed: () => ({ health: { status: 'live', reason: null }, book }) }
}

/** Sends the ticket's intent straight to the paper venue; keeps what the venue answered. */
function paperGateway(r: PaperRig): OrderGateway & { placed: VenueOrder[] } {
  const placed: VenueOrder[] = []
  return {
    placed,
    async submit(intent) {
      const clientOrderId = `t${placed.length + 1}`
      const { venueId: _v, origin: _o, ...request } = intent
      placed.push(await r.venue.placeOrder({ clientOrderId, ...request }))
      return recordOf(intent, clientOrderId)
    },
    async cancel() {
      throw new Error('not in this test')
    },
    get: () => undefined,
    open: () => [],
  }
}

async function setUp(): Promise<{ ticket: TicketService; gateway: ReturnType<typeof paperGateway>; t: (input: Partial<TicketInput>) => ReturnType<typeof ticketSchema.parse> }> {
  rig = await paperRig([{ asset: 'USDT', amount: '1000' }])
  rig.book.set({ bids: [['99', '5']], asks: [['100', '5'], ['101', '10']] })
  const gateway = paperGateway(rig)
  const venues = { list: () => [{ id: rig.accountId, label: 'Paper' }], open: async () => rig.venue }
  const ticket = new TicketService({ venues, gateway, books: booksOf(rig), log: silentLogger })
  const t = (input: Partial<TicketInput>) =>
    ticketSchema.parse({ venueId: rig.accountId, symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'percent', value: '100' }, ...input })
  return { ticket, gateway, t }
}

describe('the ticket on a paper account (fees charged in the quote)', () => {
  it('a resting limit buy at 100 % of the free quote is sized net of the maker fee, and the paper venue takes it', async () => {
    const { ticket, gateway, t } = await setUp()
    const input = t({ type: 'limit', price: '99', timeInForce: 'GTC' })
    // 1000 / 1.0008 / 99 = 10.0929357… → 10.0929 BTC; fee 10.0929 × 99 × 0.0008 = 0.79935768 USDT.
    const p = await ticket.preview(input)
    expect(p).toMatchObject({ ok: true, amount: '10.0929', notional: '999.1971', estimatedFee: '0.79935768', feeAsset: 'USDT' })
    await ticket.submit(input)
    expect(gateway.placed.map((o) => [o.status, o.amount])).toEqual([['open', '10.0929']])
    // Reserved 999.1971 × 1.0008 = 999.99645768 of the 1000.
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '0.00354232', used: '999.99645768', total: '1000' })
  })

  it('a market buy at 100 % spends the free quote net of the taker fee, and fills on the paper venue', async () => {
    const { ticket, gateway, t } = await setUp()
    const input = t({})
    // 1000 / 1.001 = 999.000999… to spend: 5 at 100, then 499.000999… / 101 = 4.94060… → 9.9406 BTC for 999.0006.
    const p = await ticket.preview(input)
    expect(p).toMatchObject({ ok: true, amount: '9.9406', notional: '999.0006', estimatedFee: '0.9990006', feeAsset: 'USDT' })
    await ticket.submit(input)
    expect(gateway.placed.map((o) => [o.status, o.filled])).toEqual([['closed', '9.9406']])
    // 999.0006 + 0.9990006 paid.
    expect(await balanceOf(rig.venue, 'USDT')).toMatchObject({ free: '0.0003994' })
    expect(await balanceOf(rig.venue, 'BTC')).toMatchObject({ free: '9.9406' })
  })

  it('a marketable limit buy at 100 % is sized net of the taker fee; its estimated fee is taker on what crosses, maker on the rest', async () => {
    const { ticket, gateway, t } = await setUp()
    const input = t({ type: 'limit', price: '101', timeInForce: 'GTC' })
    // 1000 / 1.001 / 101 = 9.89109… → 9.891 BTC: 5 at 100 and 4.891 at 101 cross (all of it, taker).
    const p = await ticket.preview(input)
    expect(p).toMatchObject({ ok: true, amount: '9.891', estimatedFee: '0.993991', feeAsset: 'USDT' })
    await ticket.submit(input)
    expect(gateway.placed.map((o) => [o.status, o.filled])).toEqual([['closed', '9.891']])
  })

  it('a sell keeps its fee in the quote received and sells the whole free base', async () => {
    rig = await paperRig([{ asset: 'BTC', amount: '2' }])
    rig.book.set({ bids: [['99', '5']], asks: [['100', '5']] })
    const gateway = paperGateway(rig)
    const ticket = new TicketService({ venues: { list: () => [{ id: rig.accountId, label: 'Paper' }], open: async () => rig.venue }, gateway, books: booksOf(rig), log: silentLogger })
    const input = ticketSchema.parse({ venueId: rig.accountId, symbol: 'BTC/USDT', side: 'sell', type: 'market', size: { unit: 'percent', value: '100' } })
    expect(await ticket.preview(input)).toMatchObject({ ok: true, amount: '2', estimatedFee: '0.198', feeAsset: 'USDT' })
    await ticket.submit(input)
    expect(gateway.placed.map((o) => [o.status, o.filled])).toEqual([['closed', '2']])
  })
})
