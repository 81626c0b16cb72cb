import { beforeEach, describe, expect, it } from 'vitest'
import { TicketService } from '../../src-main/trading/ticket/service'
import { ticketSchema, type TicketInput } from '../../src-main/api/schemas/trading'
import { AppError } from '../../src-main/api/errors'
import { silentLogger } from '../../src-main/log'
import { balance, btcUsdt, fakeGateway, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'

// The ticket checks every order against the free balance before it is sent, not only market buys: a limit
// buy against the free quote (with its fee where the venue charges it in the quote), any sell against the
// free base. One the account cannot pay for is refused with its numbers and never stored or sent, where it
// used to reach the venue and stay in the order history as rejected.

let venue: FakeVenue
let gateway: ReturnType<typeof fakeGateway>
let ticket: TicketService

beforeEach(() => {
  venue = fakeVenue('v1', [{ ...btcUsdt }])
  venue.books.set('BTC/USDT', { asks: [['100.00', '5']], bids: [['99.90', '5']] })
  venue.balances = [balance('USDT', '1000'), balance('BTC', '2', '1')]
  gateway = fakeGateway()
  ticket = new TicketService({ venues: fakeVenues(venue), gateway, log: silentLogger })
})

const t = (input: Partial<TicketInput>) =>
  ticketSchema.parse({ venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '99.00', size: { unit: 'base', value: '1' }, ...input })

async function refused(input: Partial<TicketInput>, message: string): Promise<void> {
  const p = await ticket.preview(t(input))
  expect(p.ok).toBe(false)
  expect(p.problems).toContainEqual({ field: 'balance', message })
  const err = await ticket.submit(t(input)).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe('BAD_INPUT')
  expect((err as AppError).message).toContain(message)
  expect(gateway.submitted).toEqual([])
}

describe('the free balance pays for the order', () => {
  it('a limit buy the free quote cannot pay for', async () => {
    await refused({ size: { unit: 'base', value: '20' } }, 'A limit buy of 20 BTC at 99.00 needs 1980 USDT; 1000 USDT is free on Venue v1')
    // What it can pay for passes.
    expect((await ticket.preview(t({ size: { unit: 'base', value: '10' } }))).ok).toBe(true)
  })

  it('a limit buy where the venue charges the fee in the quote counts the fee', async () => {
    venue.markets[0] = { ...btcUsdt, feeIn: 'quote' }
    // 10 × 99 = 990 USDT, and the maker fee 0.99 USDT on top: 990.99 > 990 free.
    venue.balances = [balance('USDT', '990')]
    await refused({ size: { unit: 'base', value: '10' } }, 'A limit buy of 10 BTC at 99.00 needs 990.99 USDT with its fee; 990 USDT is free on Venue v1')
  })

  it('a marketable limit buy on an exchange account needs its price × amount, as the exchange holds, not the book’s cost', async () => {
    // Best ask 100, limit 150: the exchange holds 10 × 150 = 1500 USDT for it however it fills.
    venue.books.set('BTC/USDT', { asks: [['100.00', '20']], bids: [['99.90', '5']] })
    await refused({ price: '150.00', size: { unit: 'base', value: '10' } }, 'A limit buy of 10 BTC at 150.00 needs 1500 USDT; 1000 USDT is free on Venue v1')
    // With the fee in the quote, it is held on top at the price: 900 + 0.2 % taker fee = 901.8 > 900 free.
    venue.markets[0] = { ...btcUsdt, feeIn: 'quote' }
    venue.balances = [balance('USDT', '900')]
    await refused({ price: '150.00', size: { unit: 'base', value: '6' } }, 'A limit buy of 6 BTC at 150.00 needs 901.8 USDT with its fee; 900 USDT is free on Venue v1')
  })

  it('a marketable limit buy on a paper account needs what it costs at the book (the paper account reserves that)', async () => {
    const paper = fakeVenue('paper:p1', [{ ...btcUsdt, feeIn: 'quote' }])
    paper.books.set('BTC/USDT', { asks: [['100.00', '20']], bids: [['99.90', '5']] })
    paper.balances = [balance('USDT', '1002')]
    const onPaper = new TicketService({ venues: fakeVenues(paper), gateway, log: silentLogger })
    // 10 × 100 at the book + 2 USDT taker fee = 1002: free enough, though 10 × 150 is not.
    expect(await onPaper.preview(t({ venueId: 'paper:p1', price: '150.00', size: { unit: 'base', value: '10' } }))).toMatchObject({ ok: true, problems: [] })
    paper.balances = [balance('USDT', '1001')]
    const short = await onPaper.preview(t({ venueId: 'paper:p1', price: '150.00', size: { unit: 'base', value: '10' } }))
    expect(short.problems).toContainEqual({ field: 'balance', message: 'A limit buy of 10 BTC at 150.00 needs 1002 USDT with its fee; 1001 USDT is free on Venue paper:p1' })
  })

  it('a sell, limit or market, the free base cannot cover (what open orders hold is not free)', async () => {
    await refused({ side: 'sell', price: '101.00', size: { unit: 'base', value: '3' } }, 'A limit sell of 3 BTC needs 3 BTC; 2 BTC is free on Venue v1')
    await refused({ side: 'sell', type: 'market', price: undefined, size: { unit: 'base', value: '2.5' } }, 'A market sell of 2.5 BTC needs 2.5 BTC; 2 BTC is free on Venue v1')
    venue.balances = [balance('USDT', '1000')]
    await refused({ side: 'sell', type: 'market', price: undefined, size: { unit: 'base', value: '0.5' } }, 'A market sell of 0.5 BTC needs 0.5 BTC; 0 BTC is free on Venue v1')
    // The free base passes.
    venue.balances = [balance('BTC', '2', '1')]
    expect((await ticket.preview(t({ side: 'sell', price: '101.00', size: { unit: 'base', value: '2' } }))).ok).toBe(true)
  })
})
