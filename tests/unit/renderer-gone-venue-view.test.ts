import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { Action } from '../../src-renderer/app/hotkeys/registry'
import type { MarketView, VenueView, WorkspaceLayout } from '../../src-main/api/contract'

// A saved view on a venue that no longer exists ("acct-gone", BTC/USDT): its market picker listed it as a
// second plain "BTC/USDT", like the simulator's live one; Alt+P pinned it to the watchlist; the ticket on it
// sent orders the engine then refused. Now the picker says "(not available)", Alt+P refuses with the
// reason, and the ticket refuses on its market field before sending.

type Store<S> = { getState(): S; setState(s: Partial<S>): void }
interface Availability {
  marketPickerOptions(rows: readonly MarketView[], view: { venueId: string; symbol: string }, unavailable: string | null, venueLabel: string): { key: string; label: string }[]
  marketVenueLabel(venueId: string): string
  marketUnavailable(m: { venueId: string; symbol: string }): string | null
}

const sim: VenueView = { id: 'sim', exchange: 'sim', label: 'Simulated exchange', kind: 'simulated', accountId: null, connection: 'live', reason: null, marketCount: 2 }
const paper: VenueView = { ...sim, id: 'paper:1', label: 'Rehearsal', kind: 'paper' }
const binance: VenueView = { ...sim, id: 'acct-1', exchange: 'binance', label: 'Binance main', kind: 'exchange', connection: 'connecting' }
const row = (venueId: string, venueLabel: string, symbol: string) => ({ venueId, venueLabel, symbol, base: symbol.split('/')[0], quote: 'USDT' }) as unknown as MarketView
const rows = [row('sim', 'Simulated exchange', 'BTC/USDT'), row('sim', 'Simulated exchange', 'ETH/USDT')]
const gone = { venueId: 'acct-gone', symbol: 'BTC/USDT' }

let calls: string[]
let availability: Availability
let actions: Action[]
let workspace: Store<{ status: string; layout: WorkspaceLayout | null }>
let toasts: Store<{ toasts: { kind: string; title: string; detail?: string }[] }>
let ticket: { useTicket: Store<{ submitError: Record<string, string> | null }>; submitTicket(): Promise<string> }
let ticketMarket: Store<{ setMarket(v: string, s: string): void }>
let facts: Store<{ missing: Record<string, { why: string; definite: boolean }> }>

const layoutOn = (market: { venueId: string; symbol: string }) =>
  ({
    watchlist: 18,
    watchlistMarkets: [{ venueId: 'sim', symbol: 'ETH/USDT' }],
    focused: 'v1',
    columns: [{ id: 'c1', size: 80, views: [{ id: 'v1', kind: 'book', ...market, size: 100, group: 1 }] }],
  }) as unknown as WorkspaceLayout

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = async (name: string) => {
    calls.push(name)
    return {}
  }
  api.subscribe = () => () => undefined
  availability = await loadRenderer<Availability>('features/trade/marketAvailability.ts')
  actions = (await loadRenderer<{ tradeActions(): Action[] }>('features/trade/tradeActions.ts')).tradeActions()
  workspace = (await loadRenderer<{ useWorkspace: never }>('features/workspace/workspaceStore.ts')).useWorkspace
  toasts = (await loadRenderer<{ useToasts: never }>('features/toasts/toastStore.ts')).useToasts
  ticket = await loadRenderer('features/trading/ticketStore.ts')
  ticketMarket = (await loadRenderer<{ useTicketMarket: never }>('features/trading/ticketMarket.ts')).useTicketMarket
  const feeds = await loadRenderer<{ useMarketList: Store<{ rows: MarketView[]; loaded: boolean }>; useMarketFacts: typeof facts }>('features/trade/feeds.ts')
  feeds.useMarketList.setState({ rows, loaded: true })
  facts = feeds.useMarketFacts
  const venues = await loadRenderer<{ useVenues: Store<{ status: string; venues: VenueView[]; former: Record<string, string> }> }>('features/markets/venuesStore.ts')
  venues.useVenues.setState({ status: 'ready', venues: [sim, paper, binance], former: { 'paper:9': 'Old rehearsal' } })
})
afterAll(() => void vi.unstubAllGlobals())
beforeEach(() => {
  calls = []
  toasts.setState({ toasts: [] })
})

describe('a saved view on a venue that no longer exists', () => {
  it('its market picker labels it with its venue and "(not available)", not as the live BTC/USDT', () => {
    const why = availability.marketUnavailable(gone)
    expect(why).toBe('there is no venue "acct-gone"')
    expect(availability.marketUnavailable({ venueId: 'paper:9', symbol: 'BTC/USDT' })).toBe('Old rehearsal was removed')
    expect(availability.marketUnavailable({ venueId: 'sim', symbol: 'BTC/USDT' })).toBeNull()
    const labels = availability.marketPickerOptions(rows, gone, why, availability.marketVenueLabel(gone.venueId)).map((o) => o.label)
    expect(labels).toEqual(['BTC/USDT · acct-gone (not available)', 'BTC/USDT', 'ETH/USDT'])
    // A removed venue the app still knows the name of is called by it, not by its id.
    const former = { venueId: 'paper:9', symbol: 'BTC/USDT' }
    const formerWhy = availability.marketUnavailable(former)
    expect(availability.marketPickerOptions(rows, former, formerWhy, availability.marketVenueLabel('paper:9'))[0]?.label).toBe('BTC/USDT · Old rehearsal (not available)')
  })

  it('Alt+P refuses to pin it, saying why; a live market still pins', async () => {
    const pin = actions.find((a) => a.id === 'trade.pinMarket')!
    workspace.setState({ status: 'ready', layout: layoutOn(gone) })
    await pin.run()
    expect(workspace.getState().layout?.watchlistMarkets).toEqual([{ venueId: 'sim', symbol: 'ETH/USDT' }])
    expect(toasts.getState().toasts.map((t) => [t.kind, t.title, t.detail])).toEqual([['error', 'Market not pinned', 'BTC/USDT on acct-gone is not available: there is no venue "acct-gone".']])

    workspace.setState({ status: 'ready', layout: layoutOn({ venueId: 'sim', symbol: 'BTC/USDT' }) })
    await pin.run()
    expect(workspace.getState().layout?.watchlistMarkets).toContainEqual({ venueId: 'sim', symbol: 'BTC/USDT' })
  })

  it('Alt+P still unpins it when it is pinned (only pinning is refused)', async () => {
    const pin = actions.find((a) => a.id === 'trade.pinMarket')!
    const layout = layoutOn(gone)
    workspace.setState({ status: 'ready', layout: { ...layout, watchlistMarkets: [...(layout.watchlistMarkets ?? []), gone] } })
    await pin.run()
    expect(workspace.getState().layout?.watchlistMarkets).toEqual([{ venueId: 'sim', symbol: 'ETH/USDT' }])
    expect(toasts.getState().toasts).toEqual([])
  })

  it('the ticket on it refuses to send, on its market field, and sends nothing', async () => {
    ticketMarket.getState().setMarket('acct-gone', 'BTC/USDT')
    expect(await ticket.submitTicket()).toBe('refused')
    expect(ticket.useTicket.getState().submitError).toEqual({ market: 'No venue "acct-gone": pick a market of another account' })
    expect(calls.filter((c) => c === 'orders.submit' || c === 'conditional.create')).toEqual([])
  })
})

describe('a view on a venue that exists but has not loaded its markets', () => {
  const onBinance = { venueId: 'acct-1', symbol: 'BTC/USDT' }
  const pinnedNow = () => workspace.getState().layout?.watchlistMarkets
  const pickerLabel = () =>
    availability.marketPickerOptions(rows, onBinance, availability.marketUnavailable(onBinance), availability.marketVenueLabel('acct-1'))[0]?.label

  it('while its markets are loading or failed for now: available, named by its venue, and Alt+P pins it', async () => {
    // What the facts lookup stores when markets.search throws while the venue loads its markets.
    facts.setState({ missing: { 'acct-1|BTC/USDT': { why: 'Markets of Binance main could not be loaded: request timed out', definite: false } } })
    expect(availability.marketUnavailable(onBinance)).toBeNull()
    expect(pickerLabel()).toBe('BTC/USDT · Binance main')
    workspace.setState({ status: 'ready', layout: layoutOn(onBinance) })
    await actions.find((a) => a.id === 'trade.pinMarket')!.run()
    expect(pinnedNow()).toContainEqual(onBinance)
    expect(toasts.getState().toasts).toEqual([])
  })

  it('when the venue said it has no such market: not available, named by its venue, Alt+P refuses', async () => {
    facts.setState({ missing: { 'acct-1|BTC/USDT': { why: 'No such market on Binance main', definite: true } } })
    expect(availability.marketUnavailable(onBinance)).toBe('No such market on Binance main')
    expect(pickerLabel()).toBe('BTC/USDT · Binance main (not available)')
    workspace.setState({ status: 'ready', layout: layoutOn(onBinance) })
    await actions.find((a) => a.id === 'trade.pinMarket')!.run()
    expect(pinnedNow()).toEqual([{ venueId: 'sim', symbol: 'ETH/USDT' }])
    expect(toasts.getState().toasts.map((t) => [t.title, t.detail])).toEqual([['Market not pinned', 'BTC/USDT on Binance main is not available: No such market on Binance main.']])
  })
})
