import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { VenueView } from '../../src-main/api/contract'

// The ticket on BTC/USDT, then a mistyped market in its symbol field ("eth/ustd", red): the header still said
// BTC/USDT and Mod+Enter sent a BTC order sized and priced for ETH. Now the send is refused, on the field.

type Store<S> = { getState(): S; setState(s: Partial<S>): void }
interface TicketModule {
  useTicket: Store<{ set(p: object): void; submitError: Record<string, string> | null; setSymbolDraft(text: string | null): void }>
  submitTicket(): Promise<string>
}

const sim: VenueView = { id: 'sim', exchange: 'sim', label: 'Simulated exchange', kind: 'simulated', accountId: null, connection: 'live', reason: null, marketCount: 5 }
let calls: string[]
let ticket: TicketModule
let lookup: { checkSymbolDraft(): void }
let market: Store<{ setMarket(v: string, s: string): void; price: string }>

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string) => {
    calls.push(name)
    // The simulator's markets: the picker's list and the engine's answer for the typed text alike.
    if (name === 'markets.search') return ['BTC/USDT', 'ETH/USDT'].map((symbol) => ({ venueId: 'sim', symbol, base: symbol.split('/')[0], quote: 'USDT' }))
    return { clientOrderId: 'c1', venueId: 'sim', symbol: 'BTC/USDT', status: 'open' }
  }
  ticket = await loadRenderer<TicketModule>('features/trading/ticketStore.ts')
  lookup = await loadRenderer('features/trading/symbolLookup.ts')
  market = (await loadRenderer<{ useTicketMarket: never }>('features/trading/ticketMarket.ts')).useTicketMarket
  const venues = await loadRenderer<{ useVenues: Store<{ status: string; venues: VenueView[]; former: Record<string, string> }> }>(
    'features/markets/venuesStore.ts',
  )
  venues.useVenues.setState({ status: 'ready', venues: [sim], former: {} })
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  calls = []
  market.getState().setMarket('sim', 'BTC/USDT')
  market.setState({ price: '3000' })
  ticket.useTicket.getState().set({ size: '0.5' })
})

describe('the ticket’s symbol field holding a market the venue does not have', () => {
  it('refuses the send, saying which text is not a market of which venue; nothing is sent', async () => {
    ticket.useTicket.getState().setSymbolDraft('eth/ustd')
    // Looked up in the venue's markets, then of the engine: neither has it.
    lookup.checkSymbolDraft()
    await new Promise((r) => setTimeout(r, 5))
    expect(await ticket.submitTicket()).toBe('refused')
    expect(calls).not.toContain('orders.submit')
    expect(ticket.useTicket.getState().submitError).toEqual({ market: 'eth/ustd is not a market of Simulated exchange' })
  })

  it('sends once the field names the market again (typed out, or another market chosen)', async () => {
    ticket.useTicket.getState().setSymbolDraft('eth/ustd')
    market.getState().setMarket('sim', 'ETH/USDT')
    market.setState({ price: '3000' })
    expect(await ticket.submitTicket()).toBe('sent')
    expect(calls).toContain('orders.submit')
  })

  it('a blank field is not a mistyped market: the ticket stays on its market', async () => {
    ticket.useTicket.getState().setSymbolDraft('  ')
    expect(await ticket.submitTicket()).toBe('sent')
  })
})
