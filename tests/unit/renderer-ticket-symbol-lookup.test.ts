import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import { marketRow } from './renderer-market-rows'
import type { VenueView } from '../../src-main/api/contract'

// The ticket's market picker knows a venue's first 500 markets, none while they load. A real market typed past
// them (PEPE/USDT on Binance), or before the list came, was refused as "is not a market of Binance". Now the
// engine is asked for that market before it is called a typo, and while the list loads the ticket says so.

type Store<S> = { getState(): S; setState(s: Partial<S>): void }
interface TicketModule {
  useTicket: Store<{ set(p: object): void; submitError: Record<string, string> | null; setSymbolDraft(text: string | null): void }>
  submitTicket(): Promise<string>
}
const row = (symbol: string) => marketRow(symbol)
const first500 = Array.from({ length: 500 }, (_, i) => row(`C${i}/USDT`))
const all = [...first500, row('PEPE/USDT')]
const binance: VenueView = { id: 'binance-1', exchange: 'binance', label: 'Binance', kind: 'exchange', accountId: 'a', connection: 'live', reason: null, marketCount: 2400 }

let calls: { name: string; input: { query?: string } }[]
let releaseList: () => void
let searchFails: string | null = null
let ticket: TicketModule
let lookup: { checkSymbolDraft(): void }
let market: Store<{ venueId: string | null; symbol: string | null; price: string; setMarket(v: string, s: string): void }>
const settle = () => new Promise((r) => setTimeout(r, 5))

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  const { ApiError } = await loadRenderer<{ ApiError: new (c: string, m: string) => Error }>('api/types.ts')
  let listGate = new Promise<void>((r) => (releaseList = r))
  api.invoke = async (name: string, input: { query?: string; limit?: number }) => {
    calls.push({ name, input })
    if (name === 'markets.search' && !input.query) {
      await listGate // the venue's first 500, once released
      listGate = Promise.resolve()
      return first500
    }
    if (name === 'markets.search') {
      if (searchFails) throw new ApiError('UNAVAILABLE', searchFails)
      const q = input.query!.toUpperCase()
      return all.filter((m) => m.symbol.includes(q) || m.symbol.replace('/', '').includes(q))
    }
    return { clientOrderId: 'c1', venueId: 'binance-1', symbol: 'PEPE/USDT', status: 'open' }
  }
  ticket = await loadRenderer<TicketModule>('features/trading/ticketStore.ts')
  lookup = await loadRenderer('features/trading/symbolLookup.ts')
  market = (await loadRenderer<{ useTicketMarket: never }>('features/trading/ticketMarket.ts')).useTicketMarket
  const venues = await loadRenderer<{ useVenues: Store<object> }>('features/markets/venuesStore.ts')
  venues.useVenues.setState({ status: 'ready', venues: [binance], former: {} })
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  calls = []
  market.setState({ venueId: 'binance-1', symbol: null, price: '' }) // as the venue <select> sets it
  ticket.useTicket.getState().set({ size: '1000000' })
})

const type = (text: string) => {
  ticket.useTicket.getState().setSymbolDraft(text)
  lookup.checkSymbolDraft()
}

describe('a market typed in the ticket that the picker’s list does not hold', () => {
  it('while the venue’s markets load, the send says so; once here, a market past the first 500 is found', async () => {
    type('PEPE/USDT')
    expect(await ticket.submitTicket()).toBe('refused')
    expect(ticket.useTicket.getState().submitError).toEqual({ market: 'Markets of Binance are still loading' })
    releaseList()
    await settle()
    expect(calls).toContainEqual(expect.objectContaining({ name: 'markets.search', input: expect.objectContaining({ venueId: 'binance-1', query: 'PEPE/USDT' }) }))
    expect(market.getState()).toMatchObject({ venueId: 'binance-1', symbol: 'PEPE/USDT' })
    market.setState({ price: '0.00001' })
    expect(await ticket.submitTicket()).toBe('sent')
  })

  it('as exchanges write it (PEPEUSDT) it is found too', async () => {
    type('pepeusdt')
    await settle()
    expect(market.getState().symbol).toBe('PEPE/USDT')
  })

  it('a real typo is still refused, once the engine has no such market either', async () => {
    type('PEPE/USTD')
    await settle()
    expect(await ticket.submitTicket()).toBe('refused')
    expect(ticket.useTicket.getState().submitError).toEqual({ market: 'PEPE/USTD is not a market of Binance' })
    expect(calls.map((c) => c.name)).not.toContain('orders.submit')
  })

  it('when the engine cannot load the venue’s markets, the send says that', async () => {
    searchFails = 'Markets of Binance could not be loaded: timeout'
    type('DOGE/USDT')
    await settle()
    expect(await ticket.submitTicket()).toBe('refused')
    expect(ticket.useTicket.getState().submitError).toEqual({ market: 'Markets of Binance could not be loaded: timeout' })
    searchFails = null
  })
})
