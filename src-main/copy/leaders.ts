import Decimal from 'decimal.js'
import type { Logger } from '../log'
import type { LeaderFill, LeaderView } from '../api/schemas/copy'
import type { Balance, Fill, MarketInfo, Venue } from '../venues/port'
import type { MatchingEngine } from '../venues/sim/engine-api'
import { valueBalances, type PriceOf } from '../venues/valuation'
import { onPrivateStreamsBack } from '../venues/private-streams'
import type { Via } from './store'

// Where leader fills come from. Two kinds of leader:
//   - a simulated trader "sim:trader:<slug>": the sim engine's fill events for its account (synchronous,
//     in-process), and its fill history for catching up;
//   - any venue of the registry (an exchange account — own, or a manager's read-only key —, a paper
//     account): watchMyFills on the user-data socket, plus REST polling (fetchMyFills(symbol, since) on the
//     leader's markets) every few seconds and at once on every reconnect. Fills may arrive twice (stream
//     and poll); the copier deduplicates by trade id.

export const SIM_TRADER_PREFIX = 'sim:trader:'

export interface LeaderWatch {
  /** Fills as they are seen (possibly seen before). */
  onFills(fills: SourceFill[], via: Via): void
  /** Markets to poll (REST needs a symbol on most exchanges). */
  symbols(): string[]
  /** Poll from here (the copier's cursor minus a margin). */
  since(): number
}

export interface LeaderSource {
  readonly id: string
  readonly kind: LeaderView['kind']
  readonly exchange: string
  /** The venue whose markets it trades, for their prices now; default: its id (a venue leader is its venue). */
  readonly venueId?: string
  label(): string
  /** The clock fills' timestamps are on (the sim engine's virtual clock, or the wall clock). */
  now(): number
  watch(watch: LeaderWatch): () => void
  /** Fills from `since` on these markets (every market for a sim trader), oldest first. */
  fetchSince(since: number, symbols: string[]): Promise<SourceFill[]>
  /** Newest last; for leaders whose fills the copier has not stored (the leaders page). */
  recent(limit: number): Promise<SourceFill[]>
  /** Equity in the valuation currency; null when it cannot be valued. */
  equity(): Promise<Decimal | null>
  /** Total per asset. */
  balances(): Promise<Map<string, Decimal>>
  /** The leader venue's markets (for picking the markets to poll). */
  markets(): Promise<MarketInfo[]>
}

/**
 * A fill as a source hands it to the copier: the contract's fields, the leader's order it belongs to, and
 * the fee when the leader paid it in the base asset — it changes what the leader holds (a buy of 1 BTC paying 0.001 BTC leaves 0.999, and a
 * later sale of 0.999 is the whole position). Not part of the contract: see contractFill.
 */
export type SourceFill = LeaderFill & { baseFee?: string; orderId?: string }

export function toLeaderFill(leaderId: string, f: Fill, tradeId = f.tradeId): SourceFill {
  const fill: SourceFill = {
    leaderId,
    tradeId,
    symbol: f.symbol,
    side: f.side,
    price: new Decimal(f.price).toFixed(),
    amount: new Decimal(f.amount).toFixed(),
    timestamp: Math.trunc(f.timestamp),
  }
  const fee = new Decimal(f.fee.amount)
  if (f.fee.asset === f.symbol.split('/')[0] && fee.gt(0)) fill.baseFee = fee.toFixed()
  if (f.venueOrderId) fill.orderId = f.venueOrderId
  return fill
}

/** The contract's fields of a source's fill (what the screen and the stream are given). */
export function contractFill({ leaderId, tradeId, symbol, side, price, amount, timestamp }: SourceFill): LeaderFill {
  return { leaderId, tradeId, symbol, side, price, amount, timestamp }
}

/** How much the fill moved the leader's holding of the base: the traded amount net of a fee paid in base. */
export function heldChange(fill: SourceFill): Decimal {
  const amount = new Decimal(fill.amount)
  const fee = fill.baseFee === undefined ? new Decimal(0) : new Decimal(fill.baseFee)
  return fill.side === 'buy' ? amount.minus(fee) : amount.plus(fee).negated()
}

function totals(balances: Balance[]): Map<string, Decimal> {
  const out = new Map<string, Decimal>()
  for (const b of balances) out.set(b.asset, new Decimal(b.total))
  return out
}

// ---- simulated trader ---------------------------------------------------------------------------------

export interface SimTraderSourceDeps {
  engine: Pick<MatchingEngine, 'on' | 'fills' | 'balances' | 'markets' | 'ticker' | 'now' | 'hasAccount'>
  /** "trader:<slug>" (the engine's account id). */
  accountId: string
  name: string
}

export class SimTraderSource implements LeaderSource {
  readonly kind = 'sim-trader' as const
  readonly exchange = 'sim'
  /** The simulator's venue (SIM_VENUE_ID): a trader's markets are priced there. */
  readonly venueId = 'sim'
  readonly id: string

  constructor(private readonly deps: SimTraderSourceDeps) {
    this.id = `sim:${deps.accountId}`
  }

  label(): string {
    return this.deps.name
  }

  now(): number {
    return this.deps.engine.now()
  }

  watch(watch: LeaderWatch): () => void {
    // A trader can be maker and taker of one trade against itself: the two legs cancel, so the trade id
    // alone (the second leg deduplicated) would copy half of a wash. Legs are told apart by liquidity (fill()).
    return this.deps.engine.on((e) => {
      if (e.type === 'fill' && e.accountId === this.deps.accountId) watch.onFills([this.fill(e.fill)], 'sim')
    })
  }

  async fetchSince(since: number): Promise<SourceFill[]> {
    return this.deps.engine.fills(this.deps.accountId, { since }).map((f) => this.fill(f))
  }

  async recent(limit: number): Promise<SourceFill[]> {
    return this.deps.engine
      .fills(this.deps.accountId, { limit })
      .slice(-limit)
      .map((f) => this.fill(f))
  }

  async equity(): Promise<Decimal | null> {
    if (!this.deps.engine.hasAccount(this.deps.accountId)) return null
    const valued = await valueBalances(this.deps.engine.balances(this.deps.accountId), this.priceOf)
    return valued.value === null ? null : new Decimal(valued.value)
  }

  async balances(): Promise<Map<string, Decimal>> {
    return this.deps.engine.hasAccount(this.deps.accountId) ? totals(this.deps.engine.balances(this.deps.accountId)) : new Map()
  }

  async markets(): Promise<MarketInfo[]> {
    return this.deps.engine.markets().map((m) => ({ ...m, active: true }))
  }

  /**
   * The engine's trade id, the leg (maker/taker) and the time: the simulated exchange saves its state every
   * 30 s, so after a crash it may hand out a trade id again — never at the same time.
   */
  private fill(f: Fill): SourceFill {
    return toLeaderFill(this.id, f, `${f.tradeId}${f.liquidity === 'maker' ? 'm' : 't'}@${f.timestamp}`)
  }

  private readonly priceOf: PriceOf = async (symbol) => {
    if (!this.deps.engine.markets().some((m) => m.symbol === symbol)) return null
    const last = this.deps.engine.ticker(symbol).last
    return last && last !== '0' ? last : null
  }
}

// ---- a venue (exchange or paper account) ----------------------------------------------------------------

export interface VenueSourceDeps {
  id: string
  kind: 'exchange' | 'paper'
  exchange: string
  label: () => string
  open: () => Promise<Venue>
  /** The venue's equity in the valuation currency (the registry's balances). */
  equity: () => Promise<Decimal | null>
  log: Logger
  now?: () => number
  /** REST poll period (default 3 s). */
  pollEveryMs?: number
}

export class VenueLeaderSource implements LeaderSource {
  readonly id: string
  readonly kind: 'exchange' | 'paper'
  readonly exchange: string
  private readonly clock: () => number

  constructor(private readonly deps: VenueSourceDeps) {
    this.id = deps.id
    this.kind = deps.kind
    this.exchange = deps.exchange
    this.clock = deps.now ?? Date.now
  }

  label(): string {
    return this.deps.label()
  }

  now(): number {
    return this.clock()
  }

  watch(watch: LeaderWatch): () => void {
    let stopped = false
    let venue: Venue | undefined
    const stops: (() => void)[] = []
    let polling: Promise<void> | undefined
    let lastError = ''
    const poll = (): Promise<void> => {
      if (stopped || venue === undefined) return Promise.resolve()
      // One poll at a time; a reconnect during a poll polls again right after it.
      polling ??= (async () => {
        try {
          const fills = await this.fetchSince(watch.since(), watch.symbols())
          if (!stopped && fills.length > 0) watch.onFills(fills, 'poll')
          lastError = ''
        } catch (err) {
          if (stopped) return
          const message = err instanceof Error ? err.message : String(err)
          if (message !== lastError) this.deps.log.warn(`copy: polling ${this.label()}'s fills failed`, { error: message })
          lastError = message
        } finally {
          polling = undefined
        }
      })()
      return polling
    }
    // Follows one venue object at a time: the registry hands out a new one after the account was edited.
    const detach: (() => void)[] = []
    const attach = (v: Venue) => {
      for (const stop of detach.splice(0)) stop()
      venue = v
      let state = v.connection()
      detach.push(
        v.onConnection((next) => {
          // Back from down or degraded: whatever happened meanwhile is fetched at once.
          if (next === 'live' && state !== 'live') void poll()
          state = next
        }),
        // Its fill stream subscribed again after a failure while the venue stayed live (REST worked): what it
        // filled in the gap came on no stream, so it is fetched now rather than at the next periodic poll.
        onPrivateStreamsBack(v, () => void poll()),
      )
      if (v.capabilities.watchMyFills) {
        detach.push(
          v.watchMyFills(
            (fill) => watch.onFills([toLeaderFill(this.id, fill)], 'stream'),
            () => void poll(),
          ),
        )
      }
    }
    const reopen = async (): Promise<void> => {
      try {
        const v = await this.deps.open()
        if (!stopped && v !== venue) attach(v)
      } catch (err) {
        if (stopped) return
        const message = err instanceof Error ? err.message : String(err)
        if (message !== lastError) this.deps.log.warn(`copy: cannot open leader ${this.label()}`, { error: message })
        lastError = message
      }
    }
    stops.push(() => {
      for (const stop of detach.splice(0)) stop()
    })
    const timer = setInterval(() => void reopen().then(() => poll()), this.deps.pollEveryMs ?? 3000)
    timer.unref?.()
    stops.push(() => clearInterval(timer))
    void reopen().then(() => poll())
    return () => {
      stopped = true
      for (const stop of stops.splice(0)) stop()
    }
  }

  async fetchSince(since: number, symbols: string[]): Promise<SourceFill[]> {
    const venue = await this.deps.open()
    const out: SourceFill[] = []
    for (const symbol of symbols) {
      for (const f of await venue.fetchMyFills(symbol, since)) if (f.timestamp >= since) out.push(toLeaderFill(this.id, f))
    }
    return out.sort((a, b) => a.timestamp - b.timestamp)
  }

  async recent(): Promise<SourceFill[]> {
    return [] // exchange history needs a market per call; the leaders page shows what the copier stored
  }

  equity(): Promise<Decimal | null> {
    return this.deps.equity()
  }

  async balances(): Promise<Map<string, Decimal>> {
    return totals(await (await this.deps.open()).fetchBalances())
  }

  async markets(): Promise<MarketInfo[]> {
    return (await this.deps.open()).loadMarkets()
  }
}
