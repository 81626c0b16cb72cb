import Decimal from 'decimal.js'
import type { Logger } from '../log'
import type { EventBus } from '../bus'
import type { Db } from '../store/open'
import type { AccountsService } from '../accounts/service'
import type { MarketDataService } from '../market/service'
import type { OrderGateway } from '../trading/model'
import type { MarketRules } from '../trading/ticket/markets'
import { AppError } from '../api/errors'
import type { VenueRegistry } from '../venues/registry'
import type { SimHost } from '../venues/sim/host'
import { simTraderDefinitions } from '../venues/sim/traders'
import { unitValue } from '../venues/valuation'
import { Copier, type CopierDeps } from './copier'
import { SIM_TRADER_PREFIX, SimTraderSource, VenueLeaderSource, type LeaderSource } from './leaders'
import type { FollowerVenues, LeaderDirectory } from './ports'

// How core.ts builds the copier from the engine's modules. Tests and the bench may build a Copier with
// their own LeaderDirectory / FollowerVenues instead (see README.md).

export interface CopyModuleDeps {
  db: Db
  bus: EventBus
  log: Logger
  now: () => number
  gateway: OrderGateway
  venues: VenueRegistry
  sim: SimHost
  rules: MarketRules
  market: MarketDataService
  accounts: AccountsService
  /** REST poll period of exchange leaders (default 3 s). */
  pollEveryMs?: number
  /** See CopierDeps.ledgerTrades. */
  ledgerTrades?: CopierDeps['ledgerTrades']
}

export function createCopyModule(deps: CopyModuleDeps): { copier: Copier; followers: EngineFollowerVenues; leaders: EngineLeaders } {
  const followers = new EngineFollowerVenues(deps)
  const leaders = new EngineLeaders(deps)
  const formerLabel = (id: string) => deps.venues.formerLabel(id)
  const copier = new Copier({ db: deps.db, bus: deps.bus, log: deps.log, now: deps.now, gateway: deps.gateway, leaders, followers, formerLabel, ledgerTrades: deps.ledgerTrades })
  return { copier, followers, leaders }
}

/**
 * Leaders: every simulated trader whose markets the sim has, and every venue of the registry — as it is now:
 * a closed paper account or a removed exchange account is no leader (its cached source is dropped).
 */
export class EngineLeaders implements LeaderDirectory {
  private readonly sources = new Map<string, LeaderSource>()

  constructor(private readonly deps: CopyModuleDeps) {
    deps.bus.on('paperAccountClosed', (e) => this.sources.delete(e.venueId))
    deps.bus.on('accountsChanged', (e) => {
      if (e.change === 'removed') this.sources.delete(e.id)
    })
  }

  formerLabel(id: string): string | undefined {
    return this.deps.venues.formerLabel(id)
  }

  list(): LeaderSource[] {
    const symbols = new Set(this.deps.sim.engine.markets().map((m) => m.symbol))
    const sims = simTraderDefinitions.filter((d) => d.symbols.every((s) => symbols.has(s))).map((d) => this.get(`sim:${d.id}`)!)
    const venues = this.deps.venues.list().map((v) => this.get(v.id)!)
    return [...sims, ...venues]
  }

  get(id: string): LeaderSource | undefined {
    // A venue leader is checked against the registry's list every time: one that is gone (a paper account
    // closed, a paper account on a removed account, …) is not followed as if it were there.
    const view = id.startsWith(SIM_TRADER_PREFIX) ? undefined : this.deps.venues.list().find((v) => v.id === id)
    if (!id.startsWith(SIM_TRADER_PREFIX) && view === undefined) {
      this.sources.delete(id)
      return undefined
    }
    const cached = this.sources.get(id)
    if (cached) return cached
    let source: LeaderSource | undefined
    if (id.startsWith(SIM_TRADER_PREFIX)) {
      const def = simTraderDefinitions.find((d) => `sim:${d.id}` === id)
      if (def) source = new SimTraderSource({ engine: this.deps.sim.engine, accountId: def.id, name: def.name })
    } else {
      if (view) {
        source = new VenueLeaderSource({
          id,
          kind: view.kind === 'exchange' ? 'exchange' : 'paper',
          exchange: view.exchange,
          label: () => this.deps.venues.list().find((v) => v.id === id)?.label ?? this.deps.venues.formerLabel(id) ?? id,
          open: () => this.deps.venues.open(id),
          equity: async () => {
            const b = await this.deps.venues.venueBalances(id)
            return b.value === null ? null : new Decimal(b.value)
          },
          log: this.deps.log,
          now: this.deps.now,
          ...(this.deps.pollEveryMs === undefined ? {} : { pollEveryMs: this.deps.pollEveryMs }),
        })
      }
    }
    if (source) this.sources.set(id, source)
    return source
  }
}

/** Followers: the registry's venues; books from the market module (held open while copying), else a snapshot. */
export class EngineFollowerVenues implements FollowerVenues {
  private readonly held = new Map<string, () => void>()

  constructor(private readonly deps: CopyModuleDeps) {}

  list() {
    return this.deps.venues.list().map((v) => ({ id: v.id, label: v.label, kind: v.kind }))
  }

  canTrade(venueId: string): boolean | null {
    const account = this.deps.accounts.list().find((a) => a.id === venueId)
    return account === undefined ? null : account.canTrade
  }

  async market(venueId: string, symbol: string) {
    try {
      return (await this.deps.rules.resolve(venueId, symbol)).market
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') {
        if (!this.deps.venues.list().some((v) => v.id === venueId)) throw err
        return undefined
      }
      throw err
    }
  }

  async top(venueId: string, symbol: string): Promise<{ bid: Decimal | null; ask: Decimal | null }> {
    const key = `${venueId}|${symbol}`
    // The first copy in a market holds its book open, so later copies read the live book (no REST call).
    if (!this.held.has(key)) this.held.set(key, this.deps.market.holdBook(venueId, symbol).release)
    const feed = this.deps.market.bookFeed(venueId, symbol)
    if (feed !== undefined && feed.health.status === 'live' && feed.book.bids.length + feed.book.asks.length > 0) {
      const bid = feed.book.bids.length > 0 ? new Decimal(feed.book.bids.priceTextAt(0) ?? feed.book.bids.priceAt(0)) : null
      const ask = feed.book.asks.length > 0 ? new Decimal(feed.book.asks.priceTextAt(0) ?? feed.book.asks.priceAt(0)) : null
      return { bid, ask }
    }
    const venue = await this.deps.venues.open(venueId)
    const snap = await venue.fetchOrderBook(symbol, 5)
    const first = (levels: [string, string][]) => (levels.length > 0 ? new Decimal(levels[0]![0]) : null)
    return { bid: first(snap.bids), ask: first(snap.asks) }
  }

  async equity(venueId: string): Promise<Decimal | null> {
    const b = await this.deps.venues.venueBalances(venueId)
    return b.value === null ? null : new Decimal(b.value)
  }

  retainBooks(venueId: string, symbols: ReadonlySet<string>): void {
    for (const [key, release] of [...this.held]) {
      const bar = key.indexOf('|')
      if (key.slice(0, bar) !== venueId || symbols.has(key.slice(bar + 1))) continue
      release()
      this.held.delete(key)
    }
  }

  async free(venueId: string, asset: string): Promise<Decimal | null> {
    const venue = await this.deps.venues.open(venueId)
    const balance = (await venue.fetchBalances()).find((b) => b.asset === asset)
    return new Decimal(balance?.free ?? '0')
  }

  async quoteValue(venueId: string, asset: string): Promise<Decimal | null> {
    const venue = await this.deps.venues.open(venueId)
    return unitValue(asset, async (symbol: string) => {
      try {
        return (await venue.fetchTicker(symbol)).last || null
      } catch {
        return null
      }
    })
  }

  async mark(venueId: string, symbol: string): Promise<Decimal | null> {
    const venue = await this.deps.venues.open(venueId)
    const ticker = await venue.fetchTicker(symbol)
    if (ticker.last) return new Decimal(ticker.last)
    // No trade printed yet: the book's mid, when the ticker carries both sides.
    return ticker.bid && ticker.ask ? new Decimal(ticker.bid).plus(ticker.ask).div(2) : null
  }

  stop(): void {
    for (const release of this.held.values()) release()
    this.held.clear()
  }
}
