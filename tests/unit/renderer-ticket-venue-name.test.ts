import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import React, { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { VenueView } from '../../src-main/api/contract'

// The order ticket names its venue as it is called now (renamed in another tab: the new name), and a venue
// that is gone (its account removed in another tab) by the name it had, "(removed)" — never its id.

interface Store<S> {
  setState(s: S): void
}
interface Modules {
  ticket: { TicketPanel: (props: { pickMarket?: boolean }) => unknown }
  book: { BookHealth: (props: { frame: null; venueId: string }) => unknown }
  market: { useTicketMarket: Store<{ venueId: string; symbol: string }> }
  venues: { useVenues: Store<{ status: 'ready'; venues: VenueView[]; former: Record<string, string> }> }
}

const ID = '2b7e1c9a-5a43-4c1e-9d0b-6a1f1f0c2d11'
const account = (label: string): VenueView => ({ id: ID, exchange: 'binance', label, kind: 'exchange', accountId: ID, connection: 'live', reason: null, marketCount: 3 })
const sim: VenueView = { id: 'sim', exchange: 'sim', label: 'Simulated exchange', kind: 'simulated', accountId: null, connection: 'live', reason: null, marketCount: 5 }
let m: Modules

// A server render reads the stores' initial state; here it reads the state the test set.
const useSyncExternalStore = React.useSyncExternalStore
beforeAll(async () => {
  React.useSyncExternalStore = (subscribe, get) => useSyncExternalStore(subscribe, get, get)
  stubDom('other')
  // The connection hook has no server snapshot: connected, as far as these views ask.
  vi.doMock('../../src-renderer/features/connection/connection', async (importOriginal) => ({
    ...(await importOriginal<object>()),
    useConnection: () => 'connected',
  }))
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = () => new Promise(() => undefined)
  api.subscribe = () => () => undefined
  m = {
    ticket: await loadRenderer('features/trading/TicketPanel.tsx'),
    market: await loadRenderer('features/trading/ticketMarket.ts'),
    book: await loadRenderer('features/trade/BookPanel.tsx'),
    venues: await loadRenderer('features/markets/venuesStore.ts'),
  }
})
afterAll(() => {
  React.useSyncExternalStore = useSyncExternalStore
  vi.unstubAllGlobals()
})

const header = (html: string) => /data-testid="ticket-market">([^<]*)</.exec(html)?.[1]
const render = () => renderToStaticMarkup(createElement(m.ticket.TicketPanel as never, { pickMarket: true } as never))

describe('the ticket’s venue name', () => {
  it('is the venue’s current name', () => {
    m.market.useTicketMarket.setState({ venueId: ID, symbol: 'BTC/USDT' })
    m.venues.useVenues.setState({ status: 'ready', venues: [sim, account('Binance renamed')], former: {} })
    expect(header(render())).toBe('BTC/USDT · Binance renamed')
  })

  it('is the name it had, "(removed)", once its account is gone; the venue picker offers the others', () => {
    m.market.useTicketMarket.setState({ venueId: ID, symbol: 'BTC/USDT' })
    m.venues.useVenues.setState({ status: 'ready', venues: [sim], former: { [ID]: 'Binance main' } })
    const html = render()
    expect(header(html)).toBe('BTC/USDT · Binance main (removed)')
    expect(html).toMatch(new RegExp(`<option value="${ID}"[^>]*>Binance main \\(removed\\)</option>`))
    expect(html).toContain('<option value="sim">Simulated exchange</option>')
    expect(html).not.toContain(`${ID} (no longer available)`)
  })
})

describe('a saved view on a venue that is gone', () => {
  it('names the venue it was on and asks for another market, not "connecting…"', () => {
    m.venues.useVenues.setState({ status: 'ready', venues: [sim], former: { [ID]: 'Binance main' } })
    const gone = renderToStaticMarkup(createElement(m.book.BookHealth as never, { frame: null, venueId: ID } as never))
    expect(gone).toContain('Binance main (removed): choose another market for this view')
    expect(gone).not.toContain('connecting…')
    // A venue still there whose book has not arrived yet is connecting.
    expect(renderToStaticMarkup(createElement(m.book.BookHealth as never, { frame: null, venueId: 'sim' } as never))).toContain('connecting…')
  })
})
