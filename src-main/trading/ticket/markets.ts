import { AppError } from '../../api/errors'
import type { MarketInfo, Venue } from '../../venues/port'
import { nativeSupportOf, noNativeSupport, type NativeSupport } from '../../venues/native-support'

// Where the ticket and the risk gate find a venue and a market's rules. Markets are kept for a minute
// per venue object (loading them is a REST call on real exchanges), so typing into a ticket costs nothing;
// an edited account's fresh venue object (new URL or sandbox) loads its own.

/** The venues the user can trade on (the VenueRegistry). */
export interface TradingVenues {
  list(): readonly { id: string; label: string }[]
  open(id: string): Promise<Venue>
  /** The name a venue had before its account was removed (its history keeps it); undefined for any other. */
  formerLabel?(id: string): string | undefined
}

export interface ResolvedMarket {
  venue: Venue
  label: string
  market: MarketInfo
}

const MARKETS_TTL_MS = 60_000

export class MarketRules {
  private readonly cache = new Map<string, { at: number; venue: Venue; markets: Promise<MarketInfo[]> }>()
  private readonly nativeStopVenues = new Map<string, NativeSupport>()

  constructor(
    private readonly venues: TradingVenues,
    private readonly now: () => number = Date.now,
  ) {}

  /** Which stop orders the venue (as last opened here) can hold itself; none until it was opened. */
  nativeStops(venueId: string): NativeSupport {
    return this.nativeStopVenues.get(venueId) ?? noNativeSupport
  }

  label(venueId: string): string {
    return this.venues.list().find((v) => v.id === venueId)?.label ?? this.venues.formerLabel?.(venueId) ?? venueId
  }

  /** Unknown venue / market → NOT_FOUND; a venue that cannot be reached → UNAVAILABLE. */
  async resolve(venueId: string, symbol: string): Promise<ResolvedMarket> {
    const entry = this.venues.list().find((v) => v.id === venueId)
    if (entry === undefined) throw new AppError('NOT_FOUND', `No venue "${venueId}"`)
    let venue: Venue
    let markets: MarketInfo[]
    try {
      venue = await this.venues.open(venueId)
      this.nativeStopVenues.set(venueId, nativeSupportOf(venue.capabilities))
      markets = await this.marketsOf(venueId, venue)
    } catch (err) {
      if (err instanceof AppError) throw err
      throw new AppError('UNAVAILABLE', `Could not load the markets of ${entry.label}: ${err instanceof Error ? err.message : String(err)}`)
    }
    const market = markets.find((m) => m.symbol === symbol)
    if (market === undefined) throw new AppError('NOT_FOUND', `No market ${symbol} on ${entry.label}`)
    return { venue, label: entry.label, market }
  }

  /** The market's info if the venue's markets are at hand (or load); undefined when there is no such market. */
  async find(venue: Venue, symbol: string): Promise<MarketInfo | undefined> {
    return (await this.marketsOf(venue.id, venue)).find((m) => m.symbol === symbol)
  }

  /** Whether any of the venue's markets trades `asset` (as base or quote). */
  async trades(venue: Venue, asset: string): Promise<boolean> {
    return (await this.marketsOf(venue.id, venue)).some((m) => m.base === asset || m.quote === asset)
  }

  private marketsOf(venueId: string, venue: Venue): Promise<MarketInfo[]> {
    const hit = this.cache.get(venueId)
    if (hit !== undefined && hit.venue === venue && this.now() - hit.at < MARKETS_TTL_MS) return hit.markets
    const markets = venue.loadMarkets()
    const entry = { at: this.now(), venue, markets }
    this.cache.set(venueId, entry)
    markets.catch(() => {
      if (this.cache.get(venueId) === entry) this.cache.delete(venueId)
    })
    return markets
  }
}
