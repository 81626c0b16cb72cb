import { beforeEach, describe, expect, it } from 'vitest'
import { TicketService } from '../../src-main/trading/ticket/service'
import { ticketSchema, type TicketInput } from '../../src-main/api/schemas/trading'
import { AppError } from '../../src-main/api/errors'
import { silentLogger } from '../../src-main/log'
import type { LiveBooks } from '../../src-main/trading/ticket/live-book'
import type { OrderIntent, RiskGate } from '../../src-main/trading/model'
import { balance, btcUsdt, fakeGateway, fakeVenue, fakeVenues, recordOf, type FakeVenue } from '../support/desk-fakes'

const book = {
  asks: [
    ['100.00', '0.5'],
    ['100.50', '1'],
    ['101.00', '2'],
  ] as [string, string][],
  bids: [['99.90', '1']] as [string, string][],
}

let venue: FakeVenue
let gateway: ReturnType<typeof fakeGateway>
let ticket: TicketService

beforeEach(() => {
  venue = fakeVenue('v1', [{ ...btcUsdt }])
  venue.books.set('BTC/USDT', book)
  venue.balances = [balance('USDT', '1000'), balance('BTC', '2')]
  gateway = fakeGateway()
  ticket = new TicketService({ venues: fakeVenues(venue), gateway, log: silentLogger })
})

const t = (input: Partial<TicketInput>) =>
  ticketSchema.parse({ venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '99.00', size: { unit: 'base', value: '1' }, ...input })

/** The preview lists exactly this message; submit refuses with it (BAD_INPUT) and sends nothing. */
async function refused(input: Partial<TicketInput>, message: string, field: string): Promise<void> {
  const p = await ticket.preview(t(input))
  expect(p.ok).toBe(false)
  expect(p.problems).toContainEqual({ field, message })
  const err = await ticket.submit(t(input)).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe('BAD_INPUT')
  expect((err as AppError).message).toContain(message)
  expect(gateway.submitted).toEqual([])
}

describe('ticket refusals, each with its numbers', () => {
  it('a price off the tick, naming the two nearest valid prices', async () => {
    await refused({ price: '100.005' }, 'Price 100.005 is not on the tick 0.01 of BTC/USDT: use 100.00 or 100.01', 'price')
  })

  it('an off-tick price is previewed as typed, not rounded onto the tick it is refused for', async () => {
    const p = await ticket.preview(t({ price: '100.005' }))
    expect(p).toMatchObject({ ok: false, price: '100.005' })
    // On the tick, it is shown at the tick's decimals.
    expect(await ticket.preview(t({ price: '99.5' }))).toMatchObject({ ok: true, price: '99.50' })
  })

  it('an amount below the minimum amount', async () => {
    await refused({ size: { unit: 'base', value: '0.00004' } }, '0.00004 BTC is below the minimum amount 0.0001 BTC', 'size')
  })

  it('an amount smaller than one step', async () => {
    await refused({ size: { unit: 'base', value: '0.000004' } }, '0.000004 BTC is less than one amount step (0.00001 BTC) of BTC/USDT', 'size')
  })

  it('an order value below the minimum notional (limit: at its price; market: estimated)', async () => {
    await refused({ size: { unit: 'base', value: '0.05' } }, 'Order value 4.95 USDT is below the minimum 5 USDT of BTC/USDT', 'size')
    await refused(
      { type: 'market', price: undefined, size: { unit: 'base', value: '0.0499' } },
      'Order value ≈ 4.99 USDT is below the minimum 5 USDT of BTC/USDT',
      'size',
    )
  })

  it('a market that is not trading', async () => {
    venue.markets[0] = { ...btcUsdt, active: false }
    await refused({}, 'BTC/USDT is not trading on Venue v1 now (the market is inactive)', 'market')
  })

  it('an unknown market and an unknown venue', async () => {
    await refused({ symbol: 'DOGE/USDT' }, 'No market DOGE/USDT on Venue v1', 'market')
    await refused({ venueId: 'nope' }, 'No venue "nope"', 'market')
  })

  it('a market order bigger than the visible book', async () => {
    await refused(
      { type: 'market', price: undefined, size: { unit: 'base', value: '4' } },
      'The book shows only 3.5 BTC on the ask side within the loaded depth, less than this order needs',
      'book',
    )
    await refused(
      { type: 'market', price: undefined, side: 'sell', size: { unit: 'quote', value: '150' } },
      'The book shows only 1 BTC on the bid side within the loaded depth, less than this order needs',
      'book',
    )
  })

  it('a market order bigger than the visible book has no average price, slippage or value in its preview', async () => {
    // 3.5 BTC of asks for a 4 BTC buy: any average or notional would be the price of an order nobody asked for.
    for (const size of [{ unit: 'base', value: '4' }, { unit: 'quote', value: '1000' }] as const) {
      const p = await ticket.preview(t({ type: 'market', price: undefined, size }))
      expect(p).toMatchObject({ ok: false, estimatedAvgPrice: null, slippagePct: null, notional: null, estimatedFee: null })
    }
    // What the free quote cannot pay for is said of the part the book shows, not of a made-up whole.
    venue.balances = [balance('USDT', '150'), balance('BTC', '2')]
    const p = await ticket.preview(t({ type: 'market', price: undefined, size: { unit: 'base', value: '4' } }))
    expect(p.problems).toContainEqual({
      field: 'balance',
      message: 'A market buy of 4 BTC: the visible 3.5 BTC alone need ≈ 352.5 USDT at the book now; 150 USDT is free on Venue v1',
    })
  })

  it('a market buy the free quote cannot pay for (as the venue would refuse it)', async () => {
    venue.balances = [balance('USDT', '150'), balance('BTC', '2')]
    // 0.5 × 100 + 1 × 100.50 + 0.5 × 101 = 201 USDT for 2 BTC.
    await refused(
      { type: 'market', price: undefined, size: { unit: 'base', value: '2' } },
      'A market buy of 2 BTC needs ≈ 201 USDT at the book now; 150 USDT is free on Venue v1',
      'balance',
    )
    // What the free quote pays for passes.
    expect((await ticket.preview(t({ type: 'market', price: undefined, size: { unit: 'base', value: '1.4' } }))).ok).toBe(true)
  })

  it('a post-only order that would take liquidity', async () => {
    await refused({ price: '100.50', postOnly: true }, 'A post-only buy at 100.50 would take liquidity (best ask 100.00); the venue would refuse it', 'price')
  })

  it('a market order without a live book (stale feed, venue unreachable): UNAVAILABLE, nothing sent', async () => {
    const books: LiveBooks = {
      bookFeed: () => ({ health: { status: 'stale', reason: 'no message for 12 s' }, book: { bids: emptySide, asks: emptySide } }),
    }
    ticket = new TicketService({ venues: fakeVenues(venue), gateway, books, log: silentLogger })
    venue.bookError = new Error('connect ECONNREFUSED')
    const p = await ticket.preview(t({ type: 'market', price: undefined }))
    expect(p).toMatchObject({
      ok: false,
      bookStatus: 'stale',
      estimatedAvgPrice: null,
      problems: [{ field: 'book', message: 'No live BTC/USDT book on Venue v1 (no message for 12 s): a market order needs it to estimate its fill' }],
    })
    const err = (await ticket.submit(t({ type: 'market', price: undefined })).catch((e: unknown) => e)) as AppError
    expect(err.code).toBe('UNAVAILABLE')
    expect(gateway.submitted).toEqual([])
    // A limit order does not need the book.
    expect((await ticket.preview(t({}))).ok).toBe(true)
  })

  it('lists several problems at once', async () => {
    const p = await ticket.preview(t({ price: '99.001', size: { unit: 'base', value: '0.00004' } }))
    expect(p.problems.map((x) => x.field)).toEqual(['price', 'size', 'size'])
  })

  it('shows a risk refusal in the preview (submit leaves risk to the gateway)', async () => {
    const risk: RiskGate = {
      check: async (intent: OrderIntent) => {
        throw new AppError('CONFLICT', `no ${intent.amount} today`)
      },
    }
    ticket = new TicketService({ venues: fakeVenues(venue), gateway, risk, log: silentLogger })
    expect(await ticket.preview(t({}))).toMatchObject({ ok: false, problems: [{ field: 'risk', message: 'no 1 today' }] })
  })
})

describe('amend and flatten with the ticket rules', () => {
  const resting = recordOf({ venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '1', price: '99.00', origin: { kind: 'manual', ref: null } }, 'c9')

  it('amend: new price on the tick, amount floored, minimums kept', async () => {
    expect(await ticket.checkAmend(resting, { price: '98.5' })).toEqual({ price: '98.50', amount: '1' })
    expect(await ticket.checkAmend(resting, { amount: '0.123456' })).toEqual({ price: '99.00', amount: '0.12345' })
    await expect(ticket.checkAmend(resting, { price: '98.555' })).rejects.toThrow('Price 98.555 is not on the tick 0.01 of BTC/USDT: use 98.55 or 98.56')
    await expect(ticket.checkAmend(resting, { amount: '0.00004' })).rejects.toThrow('0.00004 BTC is below the minimum amount 0.0001 BTC')
    await expect(ticket.checkAmend(resting, { amount: '0.05' })).rejects.toThrow('Order value 4.95 USDT is below the minimum 5 USDT of BTC/USDT')
    await expect(ticket.checkAmend({ ...resting, type: 'market', price: null }, { amount: '2' })).rejects.toThrow('Only a limit order can be amended')
  })

  it('amend: refuses before anything is canceled a post-only price that would cross the live book', async () => {
    const postOnly = { ...resting, postOnly: true }
    await expect(ticket.checkAmend(postOnly, { price: '100.50' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'A post-only buy at 100.50 would take liquidity (best ask 100.00); the venue would refuse it: the order is left as it was',
    })
    const sell = { ...resting, side: 'sell' as const, price: '101.00', postOnly: true }
    await expect(ticket.checkAmend(sell, { price: '99.80' })).rejects.toThrow('A post-only sell at 99.80 would take liquidity (best bid 99.90)')
    // Still resting on its side of the book: fine; without post-only the venue takes it as a taker.
    expect(await ticket.checkAmend(postOnly, { price: '99.95' })).toEqual({ price: '99.95', amount: '1' })
    expect(await ticket.checkAmend(resting, { price: '100.50' })).toEqual({ price: '100.50', amount: '1' })
  })

  it('amend: refuses a replacement the free balance plus what the order holds cannot pay for', async () => {
    // The order (1 BTC at 99.00) holds 99 USDT, and 100 USDT more is free: 199 USDT in all.
    venue.balances = [balance('USDT', '100', '99'), balance('BTC', '2')]
    await expect(ticket.checkAmend(resting, { amount: '3' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'The amended buy of 3 BTC at 99.00 needs 297 USDT; 100 USDT is free on Venue v1 and this order holds 99 USDT: the order is left as it was',
    })
    // What is free plus what the order frees pays for it (exactly 199 USDT).
    expect(await ticket.checkAmend(resting, { amount: '2.0101' })).toEqual({ price: '99.00', amount: '2.0101' })
    await expect(ticket.checkAmend(resting, { amount: '2.0102' })).rejects.toThrow('needs 199.0098 USDT')
    // A higher price counts too; a partly filled order holds (and needs) only what is left.
    await expect(ticket.checkAmend(resting, { price: '200.00' })).rejects.toThrow('needs 200 USDT')
    const partly = { ...resting, amount: '2', filled: '1.5', cost: '148.5' }
    expect(await ticket.checkAmend(partly, { amount: '3' })).toEqual({ price: '99.00', amount: '3' })
    await expect(ticket.checkAmend(partly, { amount: '3.5' })).rejects.toThrow('The amended buy of 2 BTC at 99.00 needs 198 USDT; 100 USDT is free on Venue v1 and this order holds 49.5 USDT')
  })

  it('amend: a marketable buy on an exchange charging its fee in the quote needs what the ticket needs (taker fee on what crosses)', async () => {
    // Kraken/Coinbase-like: fee in the quote, maker 0.1 %, taker 0.2 %; best ask 100.00.
    venue.markets[0] = { ...btcUsdt, feeIn: 'quote' }
    // The order (1 BTC at 99.00) holds 99.099 USDT with its maker fee; 101.2 free: 200.299 in all.
    venue.balances = [balance('USDT', '101.2', '99.099'), balance('BTC', '2')]
    // At 200.00 it crosses the book: the exchange holds 1 × 200 and the taker fee at that price, 200.4 USDT.
    const held = await ticket.preview(t({ price: '200.00' }))
    expect(held.problems).toContainEqual({ field: 'balance', message: 'A limit buy of 1 BTC at 200.00 needs 200.4 USDT with its fee; 101.2 USDT is free on Venue v1' })
    await expect(ticket.checkAmend(resting, { price: '200.00' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'The amended buy of 1 BTC at 200.00 needs 200.4 USDT; 101.2 USDT is free on Venue v1 and this order holds 99.099 USDT: the order is left as it was',
    })
    // Below the best ask it rests: the maker fee, 99.50 × 1.001 = 99.5995 USDT.
    venue.balances = [balance('USDT', '0.5005', '99.099'), balance('BTC', '2')]
    expect(await ticket.checkAmend(resting, { price: '99.50' })).toEqual({ price: '99.50', amount: '1' })
    venue.balances = [balance('USDT', '0.5004', '99.099'), balance('BTC', '2')]
    await expect(ticket.checkAmend(resting, { price: '99.50' })).rejects.toThrow('needs 99.5995 USDT')
  })

  it('amend: a sell counts the base amount', async () => {
    const sell = { ...resting, side: 'sell' as const, price: '101.00', amount: '0.5' }
    venue.balances = [balance('USDT', '0'), balance('BTC', '1', '0.5')]
    expect(await ticket.checkAmend(sell, { amount: '1.5' })).toEqual({ price: '101.00', amount: '1.5' })
    await expect(ticket.checkAmend(sell, { amount: '1.50001' })).rejects.toThrow(
      'The amended sell of 1.50001 BTC needs 1.50001 BTC; 1 BTC is free on Venue v1 and this order holds 0.5 BTC: the order is left as it was',
    )
  })

  it('flatten sells the free base, floored to the step, at market', async () => {
    venue.balances = [balance('BTC', '0.5123456', '1')]
    await ticket.flatten('v1', 'BTC/USDT')
    expect(gateway.submitted).toEqual([
      { venueId: 'v1', symbol: 'BTC/USDT', side: 'sell', type: 'market', timeInForce: 'GTC', postOnly: false, amount: '0.51234', origin: { kind: 'flatten', ref: null } },
    ])
  })

  it('flatten refuses dust and an empty balance, naming the numbers', async () => {
    venue.balances = [balance('BTC', '0.00004')]
    await expect(ticket.flatten('v1', 'BTC/USDT')).rejects.toThrow('Cannot flatten BTC/USDT: 0.00004 BTC is below the minimum amount 0.0001 BTC')
    venue.balances = [balance('BTC', '0.0004')]
    await expect(ticket.flatten('v1', 'BTC/USDT')).rejects.toThrow('Cannot flatten BTC/USDT: Order value ≈ 0.03 USDT is below the minimum 5 USDT of BTC/USDT')
    venue.balances = []
    await expect(ticket.flatten('v1', 'BTC/USDT')).rejects.toThrow('No free BTC on Venue v1: nothing to flatten on BTC/USDT')
    expect(gateway.submitted).toEqual([])
  })
})

const emptySide = { length: 0, priceAt: () => NaN, sizeAt: () => 0, priceTextAt: () => undefined, sizeTextAt: () => undefined }
