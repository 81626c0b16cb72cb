import { performance } from 'node:perf_hooks'
import { everyUtcMidnight } from '../utc-midnight'
import Decimal from 'decimal.js'
import type { EventBus } from '../bus'
import type { Logger } from '../log'
import { AppError } from '../api/errors'
import type { CloseResult, CopyRecordView, CopyStats, DriftRow, FollowSettings, FollowView, LeaderFill, LeaderView, SkipRule, UnfollowResult } from '../api/schemas/copy'
import type { OrderGateway, OrderRecord } from '../trading/model'
import { isTerminal } from '../trading/orders/status-table'
import type { Db } from '../store/open'
import { AvgCost, bookPnl, committedValue, CopyBook, openPositionCount, type MarketBook, type QuoteValue } from './book'
import { decide, formatAge, mapSymbol, tradable, type Decision } from './decide'
import { copyClientOrderId, copyCloseClientOrderId, copyRecordId, newFollowId } from './ids'
import { planClose, type ClosePlan } from './close'
import { contractFill, heldChange, type LeaderSource, type SourceFill } from './leaders'
import type { FollowerVenues, LeaderDirectory } from './ports'
import { CopyStore, type CopyRecord, type FollowRow, type RecordPatch, type Via } from './store'
import { validateFollow } from './validate'
import { CATCH_UP_PREFIX, capToTarget, dustCatchUp, isCatchUp, owedSales, presentTarget } from './catch-up'
import { pollMarkets } from './poll-markets'
import { SaleReservations, type SaleRead } from './sale-reservations'
import { VALUATION_ASSET } from '../venues/valuation'
import { DOLLARS } from '../stablecoins'

// The copier: watches every leader with a live relationship, turns each new leader fill into one copy
// record per relationship (decide.ts), and sends the copies through the order manager (risk limits apply).
//
//   seen → decided → stored → sent:  the leader fill, the leader's position, the cursor and the records
//   (pending with their derived client ids, or skipped with the rule) are written in one transaction
//   BEFORE any order is sent. The order manager writes its own intent before sending, and returns the
//   existing order for a client id it has. So after a crash anywhere:
//     - a fill not yet stored is fetched again from the cursor at start (copied, or skipped "too-old");
//     - a pending record is sent again with the same client id: nothing new reaches the venue if it was
//       sent, and the record follows that order.
//
// Fills of one leader are handled one at a time, in the order seen (a reduction sizes against the copies
// before it); orders are sent without waiting for earlier acks (the pending amount counts as held).
// Latency per record: detectedMs = seen − fill time (the leader's clock), then decidedMs / submittedMs add
// the monotonic time from "seen" to "decided" / "acknowledged by the order manager".

export interface CopierDeps {
  db: Db
  bus: EventBus
  log: Logger
  gateway: OrderGateway
  leaders: LeaderDirectory
  followers: FollowerVenues
  /** Wall clock (ms UTC) for rows and days. */
  now?: () => number
  /**
   * Calls `fn` at every 00:00 UTC until the returned stop is called (default: a timer, unref'd): the daily
   * loss stop's start of day. Tests call it by hand.
   */
  everyUtcMidnight?: (fn: () => void) => () => void
  /** Monotonic ms (performance.now) for the latency split. */
  monotonic?: () => number
  /** Equity read at most this often per account (default 5 s). */
  equityTtlMs?: number
  /** Catching up re-reads this much before the cursor (default 60 s). */
  cursorMarginMs?: number
  /** The name of a venue whose account was removed: its ended relationships keep showing it. */
  formerLabel?: (venueId: string) => string | undefined
  /**
   * The ledger's closed trades per account (the Leaderboard's, all time): a leader with a ledger account
   * shows these, so the Copy page and the Leaderboard agree. Without one, the leader's fills are counted.
   */
  /** How long a sale waits on an ambiguous balance read before deciding on it as is (default 3 s). */
  saleWaitMs?: number
  ledgerTrades?: () => Promise<ReadonlyMap<string, { trades: number; winRatePct: string | null; realized: string }>>
}

interface LeaderHold {
  source: LeaderSource
  count: number
  stop: () => void
  queue: Promise<void>
  /** Fills seen lately, by fillKey (the DB is the real check; this spares it the stream+poll doubles). */
  seen: Set<string>
  symbols: Set<string>
  symbolsAt: number
  caughtUp: boolean
  /**
   * Per market, what the fills seen but not handled yet moved the leader's holding by. A balance read now
   * already holds them all: the position before a fill is that balance less these (a market order's
   * second fill must not count in the position its first fill started from).
   */
  unhandled: Map<string, Decimal>
  /** Held coins already named in the warning that they are not polled. */
  unpolledWarned: Set<string>
  /** Fills told while the start's catch-up runs (null once it is done): handled right after it. */
  early: { fills: SourceFill[]; via: Via }[] | null
}

/** A decision, or the follower venue could not be asked what it needs (recorded as failed, in its words). */
/** Reads of the free balance one sale makes at most while other sales' orders make them ambiguous. */
const MAX_SALE_READS = 5
/**
 * How long a sale waits for the answer to another sale's order that makes its read ambiguous. An order can
 * stay 'submitting' until reconciliation settles it: the leader's fill queue must not wait that long.
 */
const SALE_WAIT_MS = 3000

type Outcome = Decision | { kind: 'fail'; error: string; followerSymbol: string }

/**
 * The leader's position in a market before a fill, or why it is not known (its balance could not be read).
 * `read`: from its balance just now, not tracked (the fills stored in the market before, if any, had none).
 */
type LeaderPosition = { before: Decimal; read?: boolean } | { unknown: string }

interface Seen {
  fill: SourceFill
  via: Via
  /** Leader clock − fill time when seen (ms, ≥ 0). */
  detectedMs: number
  seenPerf: number
}

const MARGIN_MS = 60_000
/** What becomes of a catch-up sale that was not placed. */
const CATCH_UP_RETRY = "the catch-up is tried again at the leader's next fill"
/** What becomes of a catch-up owing less than one step of the market (catch-up.ts dustCatchUp). */
const CATCH_UP_DUST = 'less than one step of the market: left as it is, not tried again'
/** Fills a leader's stats are computed from. */
const LEADER_HISTORY = 5000
const SEEN_KEEP = 5000
const SYMBOLS_REFRESH_MS = 60_000
const MAX_POLLED_SYMBOLS = 30

export class Copier {
  readonly store: CopyStore
  private readonly now: () => number
  private readonly perf: () => number
  private readonly equityTtlMs: number
  private readonly marginMs: number
  private readonly holds = new Map<string, LeaderHold>()
  private readonly books = new Map<string, CopyBook>()
  private readonly equities = new Map<string, { at: number; value: Promise<Decimal | null> }>()
  private readonly marks = new Map<string, Decimal>()
  /** venue|asset → value of one unit in the valuation currency, as last read (kept for the views' P&L). */
  private readonly quoteUnits = new Map<string, { at: number; value: Decimal | null }>()
  private readonly inflight = new Set<Promise<unknown>>()
  /** Coins held by copy sales the exchange may not have counted yet: sales deciding at once share what is free. */
  private readonly reservations = new SaleReservations()
  private offOrders: (() => void) | undefined
  /** Settled by stop(): sales waiting on an ambiguous read decide at once. */
  private stopping: { promise: Promise<void>; resolve: () => void } = stopSignal()
  private stopDayClock: (() => void) | undefined
  private running = false

  constructor(private readonly deps: CopierDeps) {
    this.store = new CopyStore(deps.db)
    this.now = deps.now ?? Date.now
    this.perf = deps.monotonic ?? (() => performance.now())
    this.equityTtlMs = deps.equityTtlMs ?? 5000
    this.marginMs = deps.cursorMarginMs ?? MARGIN_MS
  }

  // ---- lifecycle --------------------------------------------------------------------------------------

  /** Re-arms every live relationship (catching up from each leader's cursor) and settles pending records. Call after the order manager started. */
  start(): void {
    if (this.running) return
    this.running = true
    this.stopping = stopSignal()
    this.offOrders = this.deps.bus.on('orderChanged', ({ order }) => {
      if (order.origin.kind === 'copy') this.onOrder(order)
    })
    for (const f of this.store.follows()) if (f.endedAt === null) this.hold(f.leaderId)
    this.track(this.resumePending())
    this.stopDayClock = (this.deps.everyUtcMidnight ?? ((fn) => everyUtcMidnight(fn, this.now)))(() => this.track(this.takeDayStarts()))
  }

  async stop(): Promise<void> {
    this.running = false
    this.stopping.resolve()
    this.offOrders?.()
    this.stopDayClock?.()
    this.stopDayClock = undefined
    const queues = [...this.holds.values()].map((h) => h.queue)
    for (const hold of this.holds.values()) hold.stop()
    this.holds.clear()
    await Promise.allSettled([...queues, ...this.inflight])
  }

  /** Resolves once every leader fill seen so far is handled and every copy sent has its answer (tests, bench). */
  async idle(): Promise<void> {
    for (;;) {
      const queues = [...this.holds.values()].map((h) => h.queue)
      const inflight = [...this.inflight]
      await Promise.allSettled([...queues, ...inflight])
      if (this.inflight.size === 0 && [...this.holds.values()].every((h, i) => h.queue === queues[i])) return
    }
  }

  // ---- commands ---------------------------------------------------------------------------------------

  async follow(settings: FollowSettings): Promise<FollowView> {
    await validateFollow(settings, { leaders: this.deps.leaders, followers: this.deps.followers, live: this.liveFollows() })
    const source = this.deps.leaders.get(settings.leaderId)!
    const at = this.now()
    const id = newFollowId(at)
    const leaderStartAt = source.now()
    this.store.transaction(() => {
      this.store.insertFollow({
        id,
        leaderId: settings.leaderId,
        followerVenueId: settings.followerVenueId,
        settings,
        status: 'active',
        statusReason: null,
        leaderStartAt,
        endedAt: null,
        dayKey: null,
        dayStartPnl: null,
        createdAt: at,
        updatedAt: at,
      })
      // A new leader is read from now on: its earlier fills happened before any relationship.
      if (this.store.cursor(settings.leaderId) === undefined) this.store.advanceCursor(settings.leaderId, leaderStartAt, at)
    })
    if (this.running) this.hold(settings.leaderId)
    if (settings.copyExisting) this.track(this.copyExisting(id))
    return this.changed(id)
  }

  async update(id: string, settings: FollowSettings): Promise<FollowView> {
    const follow = this.liveFollowOrThrow(id)
    if (settings.leaderId !== follow.leaderId || settings.followerVenueId !== follow.followerVenueId) {
      throw new AppError('BAD_INPUT', 'The leader and the follower account of a relationship cannot change: unfollow and follow again')
    }
    await validateFollow(settings, { leaders: this.deps.leaders, followers: this.deps.followers, live: this.liveFollows(), editing: id })
    // A copied position stays where it was bought: moving its leader market to another follower market
    // would leave it there, never sold when the leader sells.
    for (const m of this.bookOf(id).values()) {
      const to = mapSymbol(settings, m.leaderSymbol)
      if (m.committed.gt(0) && to !== m.followerSymbol && (await this.holdsSellable(follow.followerVenueId, m))) {
        throw new AppError(
          'BAD_INPUT',
          `symbolMap: the copies hold ${m.committed.toFixed()} on ${m.followerSymbol} for the leader's ${m.leaderSymbol}; map it there until that position is closed (now: ${to})`,
        )
      }
      // Likewise "buys only" would leave it unsold (deny / allow lists let the exits through).
      if (settings.sides === 'buy' && follow.settings.sides !== 'buy' && (await this.holdsSellable(follow.followerVenueId, m))) {
        throw new AppError(
          'BAD_INPUT',
          `sides: the copies hold ${m.committed.toFixed()} on ${m.followerSymbol}; with buys only the leader's sales are not copied and it would stay there. Copy sells until that position is closed`,
        )
      }
    }
    this.store.patchFollow(id, { settings }, this.now())
    return this.changed(id)
  }

  pause(id: string): FollowView {
    const follow = this.liveFollowOrThrow(id)
    if (follow.status === 'paused') return this.view(follow)
    this.store.patchFollow(id, { status: 'paused', statusReason: 'paused by you' }, this.now())
    this.retainBooks(follow.followerVenueId)
    return this.changed(id)
  }

  resume(id: string): FollowView {
    const follow = this.liveFollowOrThrow(id)
    if (follow.settingsError !== null) throw new AppError('CONFLICT', `cannot resume: ${follow.statusReason}`)
    if (follow.status === 'active') return this.view(follow)
    // Stopped by the total stop-loss: resumed with the loss still at the stop, the next copy decided would
    // stop it again (and skip that copy, an exit too). The stop-loss must be raised or cleared first.
    const stop = follow.settings.totalStopLoss
    if (follow.status === 'stopped' && stop !== null) {
      const lost = this.pnlOf(follow).negated()
      if (lost.gte(stop)) {
        throw new AppError(
          'CONFLICT',
          `cannot resume: the copies lost ${lost.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)} ${VALUATION_ASSET} in total, at or past the stop-loss of ${stop}; resumed now, the next copy would stop it again — raise or clear the total stop-loss first (edit the settings)`,
        )
      }
    }
    // Resuming after a stop starts the day's loss count afresh (the stop was seen and overridden).
    this.store.patchFollow(id, { status: 'active', statusReason: null, dayKey: null, dayStartPnl: null }, this.now())
    return this.changed(id)
  }

  unfollow(id: string): FollowView {
    const follow = this.liveFollowOrThrow(id)
    const at = this.now()
    this.store.patchFollow(id, { status: 'stopped', statusReason: 'unfollowed: no new copies; positions left as they are', endedAt: at }, at)
    if (this.store.liveFollowsOf(follow.leaderId).length === 0) this.release(follow.leaderId)
    this.retainBooks(follow.followerVenueId)
    return this.changed(id)
  }

  /**
   * Unfollows, then sells what the copies hold in each market of the relationship's book: a market sell for
   * the amount their fills put in the account — at most what the account has free of the coin — rounded
   * down to the step (dust below the minimum is left, with a note), through the order manager — risk checks
   * apply. Says per market what was sent or refused.
   */
  async unfollowAndClose(id: string): Promise<UnfollowResult> {
    const view = this.unfollow(id)
    const follow = this.followOrThrow(id)
    const closes: CloseResult[] = []
    for (const m of [...this.bookOf(id).values()]) {
      const symbol = m.followerSymbol
      // Derived from the relationship and the market: asked twice, the order manager returns the same order.
      const clientOrderId = copyCloseClientOrderId(id, symbol)
      let plan: ClosePlan | null
      let base: string
      try {
        const market = await this.deps.followers.market(follow.followerVenueId, symbol)
        const price = await this.closePrice(follow.followerVenueId, m)
        base = market?.base ?? baseAsset(symbol)
        // The free balance is read last and the sell reserved before anything else is awaited, as a copy
        // sale does: a copy sale of the same coin on this account deciding meanwhile shares what is free.
        const reading = market === undefined ? null : await this.saleRead(follow.followerVenueId, base, m, 'close')
        try {
          plan = planClose(symbol, m.held, market, price, reading === null ? null : reading.read.free())
          if (plan?.kind === 'sell') this.reservations.reserve(follow.followerVenueId, base, clientOrderId, plan.amount)
        } finally {
          reading?.read.done()
        }
      } catch (err) {
        closes.push({ followerSymbol: symbol, held: m.held.toFixed(), amount: null, outcome: 'refused', clientOrderId: null, orderStatus: null, message: `the market could not be read: ${messageOf(err)}` })
        continue
      }
      if (plan === null) continue
      if (plan.kind === 'dust') {
        closes.push({ followerSymbol: symbol, held: m.held.toFixed(), amount: null, outcome: 'dust', clientOrderId: null, orderStatus: null, message: plan.reason })
        continue
      }
      const amount = plan.amount.toFixed()
      const row = { followerSymbol: symbol, held: m.held.toFixed(), amount, clientOrderId }
      const noted = plan.note === null ? '' : `${plan.note}; `
      this.reservations.sent(follow.followerVenueId, base, clientOrderId, plan.amount)
      try {
        const order = await this.deps.gateway.submit({
          venueId: follow.followerVenueId,
          symbol,
          side: 'sell',
          type: 'market',
          timeInForce: 'GTC',
          postOnly: false,
          amount,
          origin: { kind: 'copy', ref: id },
          clientOrderId,
        })
        const refused = order.status === 'rejected'
        closes.push({
          ...row,
          outcome: refused ? 'refused' : 'sent',
          orderStatus: order.status,
          message: noted + (refused ? `sell ${amount} refused: ${order.error ?? 'rejected'}` : `market sell of ${amount} sent (${order.status}, ${order.filled} filled)`),
        })
      } catch (err) {
        closes.push({ ...row, outcome: 'refused', orderStatus: null, message: `${noted}sell ${amount} refused: ${messageOf(err)}` })
      } finally {
        // Answered (or never stored): let the coins go. Still unanswered: held until its orderChanged.
        const order = this.deps.gateway.get(clientOrderId)
        if (order === undefined || (order.status !== 'pending' && order.status !== 'submitting')) this.reservations.answered(clientOrderId)
      }
    }
    this.deps.log.info(`copy: ${id} unfollowed, closing its positions`, { closes })
    return { ...view, closes }
  }

  /** The price a close is checked against the minimum order at: the market's last now, else the last known. */
  private async closePrice(venueId: string, m: MarketBook): Promise<Decimal> {
    const now = await this.deps.followers.mark(venueId, m.followerSymbol).catch(() => null)
    return now ?? this.marks.get(markKey(venueId, m.followerSymbol)) ?? m.lastPrice
  }

  /**
   * The account `venueId` was removed: every live relationship it leads or follows in is stopped and ended
   * with `reason` (no new copies; what the copies hold stays on the exchange). Returns how many.
   */
  venueRemoved(venueId: string, reason: string): number {
    const at = this.now()
    const ended = this.liveFollows().filter((f) => f.leaderId === venueId || f.followerVenueId === venueId)
    if (ended.length === 0) return 0
    this.store.transaction(() => {
      for (const f of ended) this.store.patchFollow(f.id, { status: 'stopped', statusReason: reason, endedAt: at }, at)
    })
    for (const leaderId of new Set(ended.map((f) => f.leaderId))) {
      if (leaderId !== venueId && this.store.liveFollowsOf(leaderId).length === 0) this.release(leaderId)
    }
    // The removed account as a leader: nothing can be read from it any more, whoever else watched it.
    const hold = this.holds.get(venueId)
    if (hold !== undefined) {
      hold.stop()
      this.holds.delete(venueId)
    }
    for (const venue of new Set(ended.map((f) => f.followerVenueId))) this.retainBooks(venue)
    for (const f of ended) this.changed(f.id)
    return ended.length
  }

  /** Live relationships the venue leads or follows in (what removing its account would stop). */
  followsOn(venueId: string): FollowView[] {
    return this.liveFollows()
      .filter((f) => f.leaderId === venueId || f.followerVenueId === venueId)
      .map((f) => this.view(f))
  }

  /**
   * The follower books held open for copying stay open only for markets an active relationship on that venue
   * has copied into (a paused or ended one needs no live book; the next copy holds it again).
   */
  private retainBooks(venueId: string): void {
    const retain = this.deps.followers.retainBooks?.bind(this.deps.followers)
    if (!retain) return
    const symbols = new Set<string>()
    for (const f of this.liveFollows()) {
      if (f.followerVenueId !== venueId || f.status !== 'active') continue
      for (const m of this.bookOf(f.id).values()) symbols.add(m.followerSymbol)
    }
    retain(venueId, symbols)
  }

  // ---- queries ----------------------------------------------------------------------------------------

  async follows(): Promise<FollowView[]> {
    const rows = this.store.follows()
    await this.refreshMarks(rows)
    return rows.map((f) => this.view(f))
  }

  records(query: { followId?: string; limit: number; before?: number }): CopyRecordView[] {
    return this.store.records(query).map(recordView)
  }

  async leaders(): Promise<LeaderView[]> {
    const live = this.liveFollows()
    const ledger = await this.ledgerTrades()
    return Promise.all(
      this.deps.leaders.list().map(async (source) => {
        const closed = ledger.get(source.id)
        const stats = closed ? { trades: closed.trades, winRatePct: closed.winRatePct, pnl: closed.realized } : leaderStats(await this.history(source, LEADER_HISTORY))
        return {
          id: source.id,
          label: source.label(),
          kind: source.kind,
          exchange: source.exchange,
          trades: stats.trades,
          winRatePct: stats.winRatePct,
          pnl: stats.pnl,
          followers: live.filter((f) => f.leaderId === source.id).length,
        }
      }),
    )
  }

  /** The ledger's closed trades per account; none (each leader's fills counted) when they cannot be had. */
  private async ledgerTrades(): Promise<ReadonlyMap<string, { trades: number; winRatePct: string | null; realized: string }>> {
    if (!this.deps.ledgerTrades) return new Map()
    try {
      return await this.deps.ledgerTrades()
    } catch (err) {
      this.deps.log.warn('copy: the ledger\'s trade statistics failed; leaders show their fills', { error: messageOf(err) })
      return new Map()
    }
  }

  /** Oldest first: a simulated trader's own history (complete), else the fills the copier stored. */
  private async history(source: LeaderSource, limit: number): Promise<(LeaderFill & { positionBefore?: string | null })[]> {
    if (source.kind === 'sim-trader') return source.recent(limit)
    return this.store.leaderFills(source.id, limit).reverse()
  }

  /** Newest first: a simulated trader's own recent fills, else what the copier stored of the leader's. */
  async leaderFills(leaderId: string, limit: number): Promise<LeaderFill[]> {
    const source = this.deps.leaders.get(leaderId)
    if (source === undefined) throw new AppError('NOT_FOUND', `No leader "${leaderId}"`)
    return (await this.history(source, limit)).reverse().map(({ leaderId: id, tradeId, symbol, side, price, amount, timestamp }) => ({ leaderId: id, tradeId, symbol, side, price, amount, timestamp }))
  }

  /** Holds the leader's watch while the stream is open (copy.leaderFill). */
  watchLeader(leaderId: string, emit: (fill: LeaderFill) => void): () => void {
    if (this.deps.leaders.get(leaderId) === undefined) throw new AppError('NOT_FOUND', `No leader "${leaderId}"`)
    const off = this.deps.bus.on('copyLeaderFill', ({ fill }) => {
      if (fill.leaderId === leaderId) emit(fill)
    })
    this.hold(leaderId)
    return () => {
      off()
      this.release(leaderId)
    }
  }

  async drift(followId?: string): Promise<DriftRow[]> {
    const follows = followId === undefined ? this.liveFollows() : [this.followOrThrow(followId)]
    await this.refreshMarks(follows)
    const rows: DriftRow[] = []
    for (const f of follows) {
      const book = this.bookOf(f.id)
      // Both P&Ls in the valuation currency, as the relationship's: an ETH/BTC market's BTC converted.
      await this.readQuoteUnits(f.followerVenueId, new Set([...book.values()].flatMap((m) => [quoteAsset(m.leaderSymbol), quoteAsset(m.followerSymbol)])))
      const unitOf = this.unitOf(f.followerVenueId)
      for (const m of book.values()) {
        const mark = this.marks.get(markKey(f.followerVenueId, m.followerSymbol)) ?? m.lastPrice
        const leaderUnit = unitOf(quoteAsset(m.leaderSymbol))
        const leaderMark = await this.leaderMark(f, m.leaderSymbol, m.followerSymbol)
        // None tracked: its balance could not be read (its sales are skipped until it is), or the copies
        // came from copyExisting alone. Not known, not 0: the copies are still expected to hold what they bought.
        const tracked = this.store.leaderPosition(f.leaderId, m.leaderSymbol)
        const leaderPosition = tracked === undefined ? null : new Decimal(tracked)
        // The leader out of the market: the copies should hold nothing, whatever the unrounded sizes left.
        const expected = leaderPosition !== null && leaderPosition.lte(0) ? new Decimal(0) : Decimal.max(m.expected, 0)
        rows.push({
          followId: f.id,
          leaderSymbol: m.leaderSymbol,
          followerSymbol: m.followerSymbol,
          leaderPosition: leaderPosition === null ? null : leaderPosition.toFixed(),
          followerPosition: m.held.toFixed(),
          expectedPosition: expected.toFixed(),
          driftPct: expected.isZero() ? null : m.held.minus(expected).div(expected).times(100).toDecimalPlaces(4).toFixed(),
          leaderPnl: leaderUnit === null ? null : this.leaderPnl(f, m.leaderSymbol, leaderMark).times(leaderUnit).toDecimalPlaces(8).toFixed(),
          leaderPriced: leaderMark === null ? 'last-fill' : 'live',
          followerPnl: bookPnl(new Map([[m.followerSymbol, m]]), unitOf, new Map([[m.followerSymbol, mark]])).toDecimalPlaces(8).toFixed(),
          pnlAsset: VALUATION_ASSET,
        })
      }
    }
    return rows
  }

  async stats(): Promise<CopyStats> {
    const live = this.liveFollows()
    const all = this.store.follows()
    await this.refreshMarks(all)
    let profit = new Decimal(0)
    for (const f of all) profit = profit.plus(this.pnlOf(f))
    return {
      copiedTrades: this.store.copiedTotal(),
      copyProfit: profit.toDecimalPlaces(8).toFixed(),
      activeRelationships: live.filter((f) => f.status === 'active').length,
      leadersFollowed: new Set(live.map((f) => f.leaderId)).size,
    }
  }

  // ---- watching leaders ---------------------------------------------------------------------------------

  private hold(leaderId: string): void {
    const existing = this.holds.get(leaderId)
    if (existing) {
      existing.count++
      return
    }
    const source = this.deps.leaders.get(leaderId)
    if (source === undefined) {
      this.deps.log.warn(`copy: leader ${leaderId} is gone; its relationships copy nothing`)
      return
    }
    const hold: LeaderHold = { source, count: 1, stop: () => {}, queue: Promise.resolve(), seen: new Set(), symbols: new Set(), symbolsAt: 0, caughtUp: false, unhandled: new Map(), unpolledWarned: new Set(), early: [] }
    this.holds.set(leaderId, hold)
    hold.stop = source.watch({
      // Until the catch-up has read what happened while nothing watched, newer fills wait behind it: a
      // live exit must not be copied before the buy made while the app was down.
      onFills: (fills, via) => (hold.early !== null ? hold.early.push({ fills, via }) : this.seen(hold, fills, via)),
      symbols: () => this.pollSymbols(hold),
      since: () => (this.store.cursor(leaderId) ?? source.now()) - this.marginMs,
    })
    // Catch up on whatever happened while nothing watched (the app was down): copied or skipped "too-old".
    hold.queue = hold.queue.then(async () => {
      try {
        await this.refreshSymbols(hold)
        await this.backfillOrderIds(source)
        const since = (this.store.cursor(leaderId) ?? source.now()) - this.marginMs
        const fills = await source.fetchSince(since, [...hold.symbols])
        // A fill the stream told meanwhile keeps the way it was first seen.
        const told = new Map<string, Via>()
        for (const { fills: f, via } of hold.early ?? []) for (const x of f) if (!told.has(fillKey(x))) told.set(fillKey(x), via)
        for (const fill of [...fills].sort((a, b) => a.timestamp - b.timestamp)) this.seen(hold, [fill], told.get(fillKey(fill)) ?? 'start')
      } catch (err) {
        if (this.running) this.deps.log.warn(`copy: could not catch up on ${source.label()}'s fills; polling continues`, { error: messageOf(err) })
      } finally {
        hold.caughtUp = true
        const early = hold.early ?? []
        hold.early = null
        for (const { fills, via } of early) this.seen(hold, fills, via)
      }
    })
  }

  /**
   * Fills stored before migration 0038 have no order id, so a fixed amount per leader order would be spent
   * again on a later fill of an order partly copied before the upgrade. At start, before new fills are
   * copied, the leader's fills back to the cursor less the longest max age of its fixed-amount relationships
   * are read again and the missing ids filled in by trade id. A failed read is logged (those orders may be
   * copied again); the catch-up goes on.
   */
  private async backfillOrderIds(source: LeaderSource): Promise<void> {
    const cursor = this.store.cursor(source.id)
    const ages = this.store
      .liveFollowsOf(source.id)
      .filter((f) => f.settings.sizing.mode === 'fixed-quote')
      .map((f) => f.settings.maxAgeSec * 1000)
    if (cursor === undefined || ages.length === 0) return
    const since = cursor - Math.max(...ages) - this.marginMs
    const missing = this.store.leaderFillsWithoutOrder(source.id, since)
    if (missing.length === 0) return
    try {
      const wanted = new Set(missing.map(fillKey))
      const fills = await source.fetchSince(since, [...new Set(missing.map((m) => m.symbol))])
      const ids = fills.flatMap((f) => (f.orderId !== undefined && wanted.has(fillKey(f)) ? [{ symbol: f.symbol, tradeId: f.tradeId, orderId: f.orderId }] : []))
      this.store.setLeaderOrderIds(source.id, ids)
    } catch (err) {
      this.deps.log.warn(`copy: could not read ${source.label()}'s recent fills to fill in their order ids; a fixed amount per order may be spent again on an order partly copied before the upgrade`, { error: messageOf(err) })
    }
  }

  private release(leaderId: string): void {
    const hold = this.holds.get(leaderId)
    if (!hold) return
    if (--hold.count > 0) return
    // Live relationships keep their own hold; this only ends holds nobody needs.
    if (this.store.liveFollowsOf(leaderId).length > 0 && this.running) {
      hold.count = 1
      return
    }
    hold.stop()
    this.holds.delete(leaderId)
  }

  private pollSymbols(hold: LeaderHold): string[] {
    if (this.now() - hold.symbolsAt > SYMBOLS_REFRESH_MS) void this.refreshSymbols(hold).catch(() => undefined)
    for (const f of this.store.liveFollowsOf(hold.source.id)) {
      for (const s of f.settings.allow) hold.symbols.add(s)
      for (const e of f.settings.symbolMap) hold.symbols.add(e.from)
    }
    return [...hold.symbols]
  }

  /** The markets worth polling: ones the leader traded, named in settings, or holds the base of. */
  private async refreshSymbols(hold: LeaderHold): Promise<void> {
    hold.symbolsAt = this.now()
    for (const s of this.store.leaderSymbols(hold.source.id)) hold.symbols.add(s)
    for (const f of this.store.liveFollowsOf(hold.source.id)) {
      for (const s of f.settings.allow) hold.symbols.add(s)
      for (const e of f.settings.symbolMap) hold.symbols.add(e.from)
    }
    if (hold.source.kind === 'sim-trader') return
    const [balances, markets] = await Promise.all([hold.source.balances(), hold.source.markets()])
    const held = (asset: string) => (balances.get(asset) ?? new Decimal(0)).gt(0)
    const { add, unpolled } = pollMarkets(hold.symbols, markets, held, MAX_POLLED_SYMBOLS)
    for (const s of add) hold.symbols.add(s)
    // Said once per coin: a fill there is seen only on the stream, never caught up by a poll.
    const untold = unpolled.filter((c) => !hold.unpolledWarned.has(c))
    if (untold.length > 0) {
      for (const c of untold) hold.unpolledWarned.add(c)
      this.deps.log.warn(`copy: ${hold.source.label()} holds more coins than ${MAX_POLLED_SYMBOLS} polled markets; not polled (fills seen on the stream only): ${untold.join(', ')}`)
    }
  }

  private seen(hold: LeaderHold, fills: SourceFill[], via: Via): void {
    if (!this.running || fills.length === 0) return
    const seenPerf = this.perf()
    const clock = hold.source.now()
    const fresh: Seen[] = []
    for (const fill of fills) {
      if (hold.seen.has(fillKey(fill))) continue
      hold.seen.add(fillKey(fill))
      // Polled before the start's catch-up finished: part of catching up on the time the app was down.
      fresh.push({ fill, via: via === 'poll' && !hold.caughtUp ? 'start' : via, detectedMs: Math.max(0, clock - fill.timestamp), seenPerf })
      hold.unhandled.set(fill.symbol, (hold.unhandled.get(fill.symbol) ?? new Decimal(0)).plus(heldChange(fill)))
    }
    if (hold.seen.size > SEEN_KEEP) {
      const keep = [...hold.seen].slice(-SEEN_KEEP / 2)
      hold.seen = new Set(keep)
    }
    if (fresh.length === 0) return
    fresh.sort((a, b) => a.fill.timestamp - b.fill.timestamp)
    // Handled after the current call stack: a sim fill arrives inside the engine's own placeOrder.
    hold.queue = hold.queue.then(async () => {
      for (const s of fresh) {
        try {
          await this.handle(hold, s)
        } catch (err) {
          hold.seen.delete(fillKey(s.fill)) // not stored: the next poll brings it again
          this.deps.log.error(`copy: could not handle ${hold.source.label()}'s fill ${s.fill.tradeId}`, err)
        } finally {
          hold.unhandled.set(s.fill.symbol, (hold.unhandled.get(s.fill.symbol) ?? new Decimal(0)).minus(heldChange(s.fill)))
        }
      }
    })
  }

  // ---- one leader fill ------------------------------------------------------------------------------

  private async handle(hold: LeaderHold, s: Seen): Promise<void> {
    const { fill } = s
    const leaderId = hold.source.id
    if (!this.running || this.store.hasLeaderFill(leaderId, fill.symbol, fill.tradeId)) return
    // What the leader holds moves by the fill net of a fee paid in the base, so that selling what a
    // fee-charged buy left is seen as the exit it is (not 99.9 % of the position).
    const delta = heldChange(fill)
    const leaderPosition = await this.leaderPositionBefore(hold.source, fill.symbol, hold.unhandled.get(fill.symbol) ?? delta)
    const positionBefore = 'unknown' in leaderPosition ? null : leaderPosition.before
    const positionAfter = positionBefore === null ? null : Decimal.max(positionBefore.plus(delta), 0)
    const follows = this.store.liveFollowsOf(leaderId).filter((f) => fill.timestamp >= f.leaderStartAt)
    // Read just now after fills handled while it was not known: what the leader held before each of them.
    const unread = 'read' in leaderPosition && leaderPosition.read === true ? this.unreadPositions(leaderId, fill, leaderPosition.before) : null

    const decisions: { follow: FollowRow; decision: Outcome; decidedPerf: number }[] = []
    const at = this.now()
    const written: CopyRecord[] = []
    let stored = false
    let sendNow = false
    try {
      for (const follow of follows) {
        // The position known: sales skipped while it was not are made up first, so this fill's copy is
        // sized against the copies' corrected position.
        if (!('unknown' in leaderPosition)) await this.catchUp(hold.source, follow, fill, s, unread, leaderPosition.before)
        const decision = this.onePerOrder(follow, fill, this.decidedInTime(follow, s, await this.decideFor(hold.source, follow, fill, s.detectedMs, leaderPosition)))
        decisions.push({ follow, decision, decidedPerf: this.perf() })
      }
      stored = this.store.transaction(() => {
        // Not known: the fill's row says null (set by the read that succeeds: unreadPositions) and no position
        // is kept, so the next fill in this market reads the balance again.
        if (!this.store.insertLeaderFill({ ...contractFill(fill), orderId: fill.orderId ?? null, positionBefore: positionBefore === null ? null : positionBefore.toFixed(), via: s.via, seenAt: at })) return false
        if (unread !== null) this.store.setLeaderFillPositions(leaderId, fill.symbol, [...unread].map(([tradeId, p]) => ({ tradeId, positionBefore: p.toFixed() })))
        if (positionAfter !== null) this.store.setLeaderPosition(leaderId, fill.symbol, positionAfter.toFixed(), at)
        this.store.advanceCursor(leaderId, fill.timestamp, at)
        for (const { follow, decision: decided, decidedPerf } of decisions) {
          // Deciding waited on the venues: the user may have paused or stopped the relationship meanwhile.
          const decision = this.stillLive(follow.id, decided)
          const record = this.newRecord(follow, fill, s, decision, decidedPerf, at)
          if (this.store.insertRecord(record)) written.push(record)
        }
        return true
      })
    } finally {
      // Stopped while deciding (stop() ends a sale's wait): nothing is sent by a stopped copier; its pending
      // records are settled at the next start, as after a crash (sent, or skipped too-old).
      sendNow = stored && this.running
      // A sale decided reserved its coins; one that will not be sent (skipped since, not stored) lets them go.
      const sending = new Set(sendNow ? written.filter((r) => r.status === 'pending').map((r) => r.clientOrderId) : [])
      for (const follow of follows) {
        const clientOrderId = copyClientOrderId(follow.id, fill.symbol, fill.tradeId)
        if (!sending.has(clientOrderId)) this.reservations.answered(clientOrderId)
      }
    }
    if (!stored) return
    this.deps.bus.emit('copyLeaderFill', { fill: contractFill(fill) })
    for (const record of written) {
      this.books.get(record.followId)?.update(null, record)
      this.deps.bus.emit('copyRecorded', { record: recordView(record) })
      if (record.status === 'pending') {
        if (sendNow) this.track(this.send(record, s.seenPerf))
      } else this.afterRecord(record)
    }
  }

  /**
   * The leader's position in `symbol` has just been read, before `fill`: the fills stored there before it were
   * handled while it was not known (no position before them), so the leader's P&L (drift, stats) would start
   * from 0 and lose what it held, and the sales among them could not be made up (catchUp). Each now says what it held before it, counted back from `before`
   * (by the fills' amounts: a fee in the base is not stored; never below 0).
   */
  private unreadPositions(leaderId: string, fill: SourceFill, before: Decimal): Map<string, Decimal> {
    const unread = this.store.leaderFillsSince(leaderId, 0, fill.symbol).filter((f) => f.tradeId !== fill.tradeId)
    let position = before
    const positions = new Map<string, Decimal>()
    for (const f of unread.reverse()) {
      position = Decimal.max(f.side === 'buy' ? position.minus(f.amount) : position.plus(f.amount), 0)
      positions.set(f.tradeId, position)
    }
    return positions
  }

  /**
   * The leader's position in `fill.symbol` is known: the sales of it this relationship skipped while it was not
   * ("leader-position") are made up with one sale of what they would have sold (catch-up.ts), decided like any
   * copy sale (market rules, the account's free coins, stops, price guard) and sent through the order manager
   * (risk limits). Not placed (too small, refused): its record says why, and the next fill in the market tries
   * again. `unread`: the positions the read just now gives the fills before it (not stored yet). `leaderNow`: the
   * leader's position before `fill`, known now: the catch-up never sells the copies below their share of it.
   */
  private async catchUp(source: LeaderSource, follow: FollowRow, fill: SourceFill, s: Seen, unread: Map<string, Decimal> | null, leaderNow: Decimal): Promise<void> {
    if (follow.settings.sides === 'buy' || this.statusToday(follow) !== 'active') return
    if (!this.store.skippedSinceCatchUp(follow.id, fill.symbol)) return
    const followerSymbol = mapSymbol(follow.settings, fill.symbol)
    const owed = owedSales(this.store.recordsIn(follow.id, followerSymbol), fill.symbol, (tradeId) => {
      const known = unread?.get(tradeId) ?? this.store.leaderFillPosition(follow.leaderId, fill.symbol, tradeId)
      return known === undefined || known === null ? null : new Decimal(known)
    })
    if (owed === null) return
    const base = baseAsset(followerSymbol)
    // The counted-back positions move with coins that left or came without a fill (deposits, withdrawals, the
    // coin traded in another market): bounded by the present, known state — never below the copies' share of
    // the leader's position now.
    const sizing = follow.settings.sizing
    const equity =
      sizing.mode === 'proportional'
        ? { follower: await this.equity(`f:${follow.followerVenueId}`, () => this.deps.followers.equity(follow.followerVenueId)), leader: await this.equity(`l:${source.id}`, () => source.equity()) }
        : { follower: null, leader: null }
    const target = presentTarget(sizing, leaderNow, equity)
    const cut = capToTarget(owed.amount, owed.held, target)
    const capText = cut.capped
      ? `owed ${owed.amount.toSignificantDigits(8).toFixed()} ${base}, capped to ${cut.amount.toSignificantDigits(8).toFixed()} ${base} because the leader now holds ${leaderNow.toFixed()} ${baseAsset(fill.symbol)} (the copies' share of it: ${target!.toSignificantDigits(8).toFixed()} ${base})`
      : null
    /** Sold (or nothing to sell), the cut settles what was owed beyond it; not placed, the next fill cuts again. */
    const settles = '; the cap settles the rest: the present target is met'
    // Sized as a sale of `owed` out of what the copies hold (decide takes the same share of what is really free).
    const synthetic: SourceFill = { leaderId: follow.leaderId, tradeId: `${CATCH_UP_PREFIX}${fill.tradeId}`, symbol: fill.symbol, side: 'sell', price: fill.price, amount: cut.amount.toFixed(), timestamp: fill.timestamp }
    const clientOrderId = copyClientOrderId(follow.id, synthetic.symbol, synthetic.tradeId)
    let record: CopyRecord | null = null
    try {
      const made = `${owed.sales} sale${owed.sales === 1 ? '' : 's'} skipped while the leader's ${fill.symbol} position was unknown (it sold ${owed.leaderSold.toFixed()} ${baseAsset(fill.symbol)} in them)`
      // Cut to nothing: the copies already hold no more than their share — nothing to decide or send; recorded
      // skipped with amount 0, which settles what was owed (catch-up.ts settledUnplaced).
      const decision: Outcome = cut.amount.isZero()
        ? { kind: 'skip', rule: 'no-position', reason: '', followerSymbol, intended: new Decimal(0), amount: new Decimal(0) }
        : this.stillLive(follow.id, this.decidedInTime(follow, s, await this.decideFor(source, follow, synthetic, s.detectedMs, { before: owed.held })))
      const decided = this.newRecord(follow, synthetic, s, decision, this.perf(), this.now())
      record = {
        ...decided,
        leaderAmount: owed.leaderSold.toFixed(),
        // The record reads "sell <leaderAmount> @ <leaderPrice>": the skipped sales' average price (exact cost /
        // amount, to 8 places), not the triggering fill's (that one only guards the catch-up's price).
        leaderPrice: owed.leaderSold.gt(0) ? owed.leaderCost.div(owed.leaderSold).toDecimalPlaces(8).toFixed() : fill.price,
        reason:
          cut.amount.isZero() && capText !== null
            ? `catch-up for ${made}: nothing sold; ${capText}${settles}`
            : decision.kind === 'copy'
            ? `made up ${made}: sells ${decision.amount.toFixed()} ${base} to bring the copies back to their share${capText === null ? '' : `; ${capText}${settles}`}${decision.capped === null ? '' : `; ${decision.capped}`}`
            : decision.kind === 'skip'
              ? `catch-up for ${made}, ${cut.amount.toSignificantDigits(8).toFixed()} ${base}${capText === null ? '' : ` (${capText})`}, not placed: ${decision.reason}; ${dustCatchUp({ status: 'skipped', rule: decision.rule, followerAmount: decision.amount?.toFixed() ?? null }) ? CATCH_UP_DUST : CATCH_UP_RETRY}`
              : `catch-up for ${made} not placed; ${CATCH_UP_RETRY}`,
      }
      if (!this.store.insertRecord(record)) record = null
    } finally {
      if (record === null || record.status !== 'pending' || !this.running) this.reservations.answered(clientOrderId)
    }
    if (record === null) return
    this.deps.log.info(`copy: ${follow.id} ${record.status === 'pending' ? 'makes up' : 'could not make up'} sales skipped while ${source.label()}'s ${fill.symbol} position was unknown`, { reason: record.reason })
    this.books.get(record.followId)?.update(null, record)
    this.deps.bus.emit('copyRecorded', { record: recordView(record) })
    if (record.status !== 'pending') this.afterRecord(record)
    else if (this.running) this.track(this.send(record, s.seenPerf))
  }

  /**
   * The leader's position in `symbol` before a fill: tracked, else (no fill there handled with a known
   * position yet) its balance of the base, read now — after this fill and the others seen but not handled
   * yet (`since`: what they all moved). A failed read leaves it unknown, and nothing is kept: the next fill
   * in the market reads again. Retried there rather than here, by timer or in a loop, because a rate hold
   * fails every read until its end (minutes away, while this leader's fill queue would wait behind it), and
   * because a read at the next fill needs no bookkeeping of the fills in between: the balance then holds
   * them all, and `since` takes off exactly the ones not handled yet.
   */
  private async leaderPositionBefore(source: LeaderSource, symbol: string, since: Decimal): Promise<LeaderPosition> {
    const tracked = this.store.leaderPosition(source.id, symbol)
    if (tracked !== undefined) return { before: new Decimal(tracked) }
    const base = baseAsset(symbol)
    try {
      const held = (await source.balances()).get(base) ?? new Decimal(0)
      return { before: Decimal.max(held.minus(since), 0), read: true }
    } catch (err) {
      this.deps.log.warn(`copy: no balance of ${source.label()} to start its ${symbol} position from; its sales there are skipped until a read at a later fill succeeds`, { error: messageOf(err) })
      return { unknown: `the leader's ${base} balance could not be read: ${messageOf(err)}` }
    }
  }

  /**
   * A copy decided after the relationship's age limit had passed since the leader's fill (deciding waited for the
   * follower's venue: a rate-limit hold holds its reads until the exchange's Retry-After ends) is skipped
   * "too-old" as one seen that late would be, not sent at a price minutes away from the leader's.
   */
  private decidedInTime(follow: FollowRow, s: Seen, outcome: Outcome): Outcome {
    if (outcome.kind !== 'copy') return outcome
    const ageMs = s.detectedMs + Math.max(0, this.perf() - s.seenPerf)
    const { maxAgeSec } = follow.settings
    if (ageMs <= maxAgeSec * 1000) return outcome
    const reason = `decided ${formatAge(ageMs)} after the leader's fill (the follower's exchange was slow to answer), more than the ${maxAgeSec} s allowed`
    return { kind: 'skip', rule: 'too-old', reason, followerSymbol: outcome.followerSymbol, intended: outcome.intended, amount: outcome.amount }
  }

  private async decideFor(source: LeaderSource, follow: FollowRow, fill: SourceFill, ageMs: number, leaderPosition: LeaderPosition): Promise<Outcome> {
    const settings = follow.settings
    const status = this.statusToday(follow)
    const followerSymbol = mapSymbol(settings, fill.symbol)
    const book = this.bookOf(follow.id)
    const mine = book.get(followerSymbol)
    const quick = status !== 'active' || ageMs > settings.maxAgeSec * 1000
    let reading: { read: SaleRead; uncertain: boolean } | null = null
    try {
      const market = quick ? undefined : await this.deps.followers.market(follow.followerVenueId, followerSymbol)
      const top = quick || market === undefined ? { bid: null, ask: null } : await this.deps.followers.top(follow.followerVenueId, followerSymbol)
      const buy = fill.side === 'buy' && !quick && market !== undefined
      // A sale the leader's unknown position keeps from being sized reads no free balance (nor waits on one).
      const sizable = !('unknown' in leaderPosition)
      const sale = fill.side === 'sell' && !quick && sizable && market !== undefined && mine !== undefined && mine.committed.gt(0) ? { base: market.base, mine } : null
      const [followerEquity, leaderEquity] = await Promise.all([
        buy ? this.equity(`f:${follow.followerVenueId}`, () => this.deps.followers.equity(follow.followerVenueId)) : Promise.resolve(null),
        buy && settings.sizing.mode === 'proportional' ? this.equity(`l:${source.id}`, () => source.equity()) : Promise.resolve(null),
      ])
      const mid = top.bid !== null && top.ask !== null ? top.bid.plus(top.ask).div(2) : (top.bid ?? top.ask)
      if (mid !== null) this.marks.set(markKey(follow.followerVenueId, followerSymbol), mid)
      const marks = new Map<string, Decimal | null>()
      for (const m of book.values()) marks.set(m.followerSymbol, this.marks.get(markKey(follow.followerVenueId, m.followerSymbol)) ?? null)
      const quotes = new Set([...book.values()].map((m) => quoteAsset(m.followerSymbol)))
      if (market !== undefined) quotes.add(market.quote)
      const leaderQuote = quoteAsset(fill.symbol)
      quotes.add(leaderQuote)
      await this.readQuoteUnits(follow.followerVenueId, quotes)
      const unitOf = this.unitOf(follow.followerVenueId)
      const pnlTotal = bookPnl(book, unitOf, marks)
      const pnlToday = pnlTotal.minus(this.dayStart(follow, pnlTotal))
      // The leader's price in the follower market's quote (BTC/USDT mapped to BTC/EUR: USDT → EUR), so
      // the price guard compares like with like; as it is when the quotes match or cannot be valued.
      const leaderUnit = unitOf(leaderQuote)
      const followerUnit = market === undefined ? null : unitOf(market.quote)
      const unconverted = market === undefined || market.quote === leaderQuote || leaderUnit === null || followerUnit === null || followerUnit.isZero()
      const leaderPrice = unconverted ? new Decimal(fill.price) : new Decimal(fill.price).times(leaderUnit).div(followerUnit)
      const foreignPrice = unconverted && market !== undefined && market.quote !== leaderQuote
      const openPositions = buy && settings.maxOpenPositions !== null ? await this.openPositions(follow.followerVenueId, book) : openPositionCount(book)
      // A sale's free balance is read last: from the read to the decision nothing else is awaited, so the
      // sales reserved meanwhile are all taken off it.
      reading = sale === null ? null : await this.saleRead(follow.followerVenueId, sale.base, sale.mine)
      const decision = decide({
        // A sale's share of the position is what left the leader's holding (a fee paid in base included).
        fill: { side: fill.side, symbol: fill.symbol, amount: fill.side === 'sell' ? heldChange(fill).negated() : new Decimal(fill.amount), price: leaderPrice, ...(foreignPrice ? { foreignPrice } : {}) },
        ageMs,
        settings,
        status,
        market: quick ? placeholderMarket(followerSymbol) : market,
        book: top,
        followerEquity,
        leaderEquity,
        ...('unknown' in leaderPosition ? { leaderPositionBefore: null, leaderPositionUnknown: leaderPosition.unknown } : { leaderPositionBefore: leaderPosition.before }),
        followerPosition: mine?.committed ?? new Decimal(0),
        ...(reading === null || sale === null ? {} : { followerAccount: { free: reading.read.free(), filled: sale.mine.held, uncertain: reading.uncertain } }),
        openPositions,
        committedQuote: committedValue(book, unitOf, marks),
        quoteValue: market === undefined ? null : unitOf(market.quote),
        pnlTotal,
        pnlToday,
      })
      if (decision.kind === 'copy' && sale !== null) this.reservations.reserve(follow.followerVenueId, sale.base, copyClientOrderId(follow.id, fill.symbol, fill.tradeId), decision.amount)
      if (decision.kind === 'skip' && (decision.rule === 'total-loss' || decision.rule === 'daily-loss') && status === 'active') {
        const stopped = decision.rule === 'total-loss' ? 'stopped' : 'stopped-daily'
        this.store.patchFollow(follow.id, { status: stopped, statusReason: decision.reason }, this.now())
        queueMicrotask(() => this.changed(follow.id))
      }
      return decision
    } catch (err) {
      // The follower venue could not be asked (markets, book, equity): recorded as failed, in its words.
      return { kind: 'fail', error: messageOf(err), followerSymbol }
    } finally {
      reading?.read.done()
    }
  }

  /**
   * For a sale: the account's free balance of the coin (someone may have sold what the copies bought), less
   * the coins other copy sales hold that the read may not include. When that says coins are missing while a
   * sale sent around the read may or may not be in it, waits for that sale's answer and reads again: only an
   * unambiguous read takes coins off the copies' book. That wait is bounded (saleWaitMs, or stop()): then
   * the read is used as is, `uncertain`: it already takes the unanswered sales off as reserved, so it can
   * only understate what is free; it caps the sale and takes nothing off the book. Null (no reader, or it
   * failed): the sale asks for what the copies hold.
   */
  private async saleRead(venueId: string, base: string, mine: MarketBook, what: 'sale' | 'close' = 'sale'): Promise<{ read: SaleRead; uncertain: boolean } | null> {
    const read = this.deps.followers.free?.bind(this.deps.followers)
    if (!read) return null
    const once = () =>
      this.reservations.read(venueId, base, () => read(venueId, base)).catch((err: unknown) => {
        this.deps.log.warn(`copy: could not read the free ${base} of ${venueId}; the ${what} asks for what the copies hold`, { error: messageOf(err) })
        return null
      })
    let reading = await once()
    for (let tries = 1; reading !== null; tries++) {
      const wait = reading.free().lt(Decimal.min(mine.held, mine.committed)) ? reading.ambiguous() : null
      if (wait === null) break
      if (tries >= MAX_SALE_READS || !(await this.answeredInTime(wait))) return { read: reading, uncertain: true }
      reading.done()
      reading = await once()
    }
    return reading === null ? null : { read: reading, uncertain: false }
  }

  /** Whether `answered` settled before the sale's wait ran out (and the copier was not stopped). */
  private async answeredInTime(answered: Promise<void>): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.deps.saleWaitMs ?? SALE_WAIT_MS)))
    try {
      return await Promise.race([answered.then(() => true), expired, this.stopping.promise.then(() => false)])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Markets where the copies hold more than dust the venue would refuse to sell. */
  private async openPositions(venueId: string, book: Map<string, MarketBook>): Promise<number> {
    const open = await Promise.all([...book.values()].map((m) => this.holdsSellable(venueId, m)))
    return open.filter(Boolean).length
  }

  /** The copies hold a sellable amount in this market (its rules unknown: whatever they hold counts). */
  private async holdsSellable(venueId: string, m: MarketBook): Promise<boolean> {
    if (!m.committed.gt(0)) return false
    const market = await this.deps.followers.market(venueId, m.followerSymbol).catch(() => undefined)
    if (market === undefined) return true
    return tradable(m.committed, market, this.marks.get(markKey(venueId, m.followerSymbol)) ?? m.lastPrice)
  }

  private newRecord(follow: FollowRow, fill: LeaderFill, s: Seen, decision: Outcome, decidedPerf: number, at: number): CopyRecord {
    const base: CopyRecord = {
      id: copyRecordId(follow.id, fill.symbol, fill.tradeId),
      followId: follow.id,
      leaderId: follow.leaderId,
      leaderTradeId: fill.tradeId,
      leaderSymbol: fill.symbol,
      side: fill.side,
      leaderAmount: fill.amount,
      leaderPrice: fill.price,
      leaderAt: fill.timestamp,
      followerVenueId: follow.followerVenueId,
      followerSymbol: decision.followerSymbol,
      intendedAmount: decision.kind === 'fail' || decision.intended === null ? null : decision.intended.toFixed(),
      followerAmount: decision.kind === 'fail' || decision.amount === null ? null : decision.amount.toFixed(),
      orderType: null,
      orderPrice: null,
      followerFilled: '0',
      followerCost: '0',
      followerBaseFee: null,
      followerQuoteFee: null,
      followerRemoved: decision.kind === 'fail' || decision.removed === undefined ? null : decision.removed.toFixed(),
      followerQuoteRate: null,
      referencePrice: null,
      followerAvgPrice: null,
      clientOrderId: null,
      status: 'skipped',
      rule: null,
      reason: null,
      error: null,
      detectedMs: round(s.detectedMs),
      decidedMs: round(s.detectedMs + (decidedPerf - s.seenPerf)),
      submittedMs: null,
      via: s.via,
      createdAt: at,
      updatedAt: at,
    }
    if (decision.kind === 'fail') return { ...base, status: 'failed', error: decision.error }
    if (decision.kind === 'skip') {
      return { ...base, rule: decision.rule, reason: decision.reason }
    }
    return {
      ...base,
      status: 'pending',
      followerAmount: decision.amount.toFixed(),
      orderType: decision.type,
      orderPrice: decision.price === null ? null : decision.price.toFixed(),
      referencePrice: decision.reference.toFixed(),
      clientOrderId: copyClientOrderId(follow.id, fill.symbol, fill.tradeId),
      reason: decision.capped,
    }
  }

  // ---- sending and following the copies -----------------------------------------------------------

  private async send(record: CopyRecord, seenPerf: number | null): Promise<void> {
    const clientOrderId = record.clientOrderId!
    // A sale's coins stay reserved until the exchange has answered its order (a resumed one reserves them now).
    if (record.side === 'sell' && record.followerSymbol !== null && record.followerAmount !== null) {
      this.reservations.sent(record.followerVenueId, baseAsset(record.followerSymbol), clientOrderId, new Decimal(record.followerAmount))
    }
    let order: OrderRecord
    try {
      order = await this.deps.gateway.submit({
        venueId: record.followerVenueId,
        symbol: record.followerSymbol!,
        side: record.side,
        type: record.orderType ?? 'market',
        // A guard's limit takes what is there now and no more: the rest is not left resting.
        timeInForce: record.orderType === 'limit' ? 'IOC' : 'GTC',
        postOnly: false,
        amount: record.followerAmount!,
        ...(record.orderPrice !== null ? { price: record.orderPrice } : {}),
        origin: { kind: 'copy', ref: record.followId },
        clientOrderId,
      })
    } catch (err) {
      const submittedMs = this.submittedMs(record, seenPerf)
      const existing = this.deps.gateway.get(clientOrderId)
      if (existing !== undefined) {
        // Stored by the manager: refused by the venue (rejected) or unanswered (settled by reconciliation).
        this.applyOrder(existing, { submittedMs, error: messageOf(err) })
        return
      }
      this.reservations.answered(clientOrderId) // never reached the exchange
      const patch: RecordPatch =
        err instanceof AppError && err.code === 'CONFLICT'
          ? { status: 'skipped', rule: 'risk' as SkipRule, reason: isCatchUp(record) ? `catch-up refused by the risk limits: ${err.message}; ${CATCH_UP_RETRY}` : err.message, submittedMs }
          : { status: 'failed', error: isCatchUp(record) ? `${messageOf(err)}; ${CATCH_UP_RETRY}` : messageOf(err), submittedMs }
      this.patch(record, patch)
      return
    }
    this.applyOrder(order, { submittedMs: this.submittedMs(record, seenPerf) })
  }

  private submittedMs(record: CopyRecord, seenPerf: number | null): number | null {
    if (seenPerf === null || record.detectedMs === null) return null
    return round(record.detectedMs + (this.perf() - seenPerf))
  }

  private onOrder(order: OrderRecord): void {
    if (!this.running) return
    this.applyOrder(order, {})
  }

  /** The record follows its order: filled → copied, ended with less → partial, nothing → failed. */
  private applyOrder(order: OrderRecord, extra: { submittedMs?: number | null; error?: string }): void {
    // Known to the exchange (or refused, or ended): a balance read from now on counts the sale's coins.
    if (order.status !== 'pending' && order.status !== 'submitting') this.reservations.answered(order.clientOrderId)
    const record = this.store.recordByClientOrderId(order.clientOrderId)
    if (record === undefined) return
    const filled = new Decimal(order.filled)
    const patch: RecordPatch = { followerFilled: filled.toFixed(), followerCost: new Decimal(order.cost).toFixed() }
    // A buy charged in the coin bought (the simulated exchange, Binance) put that much less in the account:
    // the copies' book holds what arrived, so the exit asks for what is there.
    if (record.side === 'buy' && filled.gt(0) && this.deps.gateway.baseFeePaid) {
      const fee = new Decimal(this.deps.gateway.baseFeePaid(order.clientOrderId))
      patch.followerBaseFee = fee.isZero() ? null : fee.toFixed()
    }
    // Fees paid in the quote (a sale's, or any fill on venues charging the quote): the copies' P&L counts them.
    if (filled.gt(0) && this.deps.gateway.quoteFeePaid) {
      const fee = new Decimal(this.deps.gateway.quoteFeePaid(order.clientOrderId))
      patch.followerQuoteFee = fee.isZero() ? null : fee.toFixed()
    }
    // The quote's USDT value as the fill is booked (read for the decision moments ago): the copies' realized
    // P&L is counted at it from now on. Kept from the first fill, so a rebuild counts exactly what was counted.
    if (filled.gt(0) && record.followerQuoteRate === null && record.followerSymbol !== null) {
      const quote = quoteAsset(record.followerSymbol)
      const unit = PAR_QUOTES.has(quote) ? null : this.unitOf(record.followerVenueId)(quote)
      if (unit !== null) patch.followerQuoteRate = unit.toFixed()
    }
    if (extra.submittedMs !== undefined && record.submittedMs === null) patch.submittedMs = extra.submittedMs
    if (isTerminal(order.status)) {
      if (order.status === 'filled') {
        patch.status = 'copied'
        patch.error = null
      } else if (filled.gt(0)) {
        patch.status = 'partial'
        patch.error = `filled ${filled.toFixed()} of ${order.amount}; the order ended ${order.status}${order.error ? `: ${order.error}` : ''}`
      } else {
        patch.status = 'failed'
        patch.error = order.error ?? extra.error ?? `the order ended ${order.status} with nothing filled${order.type === 'limit' ? ` (no price within the guard, limit ${order.price})` : ''}`
        if (isCatchUp(record)) patch.error += `; ${CATCH_UP_RETRY}`
      }
    } else if (extra.error !== undefined) {
      patch.error = extra.error
    }
    const changed = (Object.keys(patch) as (keyof RecordPatch)[]).some((k) => patch[k] !== record[k])
    if (changed) this.patch(record, patch)
  }

  private patch(record: CopyRecord, patch: RecordPatch): void {
    const next = this.store.patchRecord(record.id, patch, this.now())
    if (next === undefined) return
    this.books.get(record.followId)?.update(record, next)
    this.deps.bus.emit('copyRecorded', { record: recordView(next) })
    if (next.status !== record.status) this.afterRecord(next)
  }

  private afterRecord(record: CopyRecord): void {
    this.changed(record.followId)
  }

  /** At start: pending records follow their order, or are sent now (the crash came before the send). */
  private async resumePending(): Promise<void> {
    for (const record of this.store.pendingRecords()) {
      if (!this.running) return
      const follow = this.store.follow(record.followId)
      const order = record.clientOrderId === null ? undefined : this.deps.gateway.get(record.clientOrderId)
      if (order !== undefined) {
        this.applyOrder(order, {})
        continue
      }
      const maxAgeMs = (follow?.settings.maxAgeSec ?? 60) * 1000
      if (follow === undefined || follow.endedAt !== null || this.now() - record.createdAt > maxAgeMs) {
        this.patch(record, {
          status: 'skipped',
          rule: 'too-old',
          reason: `the app stopped before this copy was sent; ${follow?.endedAt != null ? 'the relationship has ended' : `more than ${follow?.settings.maxAgeSec ?? 60} s have passed`}, so it is not sent late`,
        })
        continue
      }
      await this.send(record, null)
    }
  }

  // ---- copy existing positions --------------------------------------------------------------------------

  /** copyExisting: one synthetic buy per leader position (priced at the follower's touch), sized like a copy. */
  private async copyExisting(followId: string): Promise<void> {
    const follow = this.store.follow(followId)
    const source = follow && this.deps.leaders.get(follow.leaderId)
    if (!follow || !source) return
    const [balances, markets] = await Promise.all([source.balances(), source.markets()])
    const seenPerf = this.perf()
    // One copy per coin held: BTC is one position, however many of its markets (BTC/USDT, BTC/USDC, …)
    // the leader's venue lists. Its USDT market first, then the other par quotes, then the rest.
    const rank = (quote: string) => (quote === 'USDT' ? 0 : DOLLARS.has(quote) ? 1 : 2)
    const copied = new Set<string>()
    for (const m of [...markets].sort((a, b) => rank(a.quote) - rank(b.quote))) {
      if (!m.active || !(DOLLARS.has(m.quote) || (balances.get(m.quote) ?? new Decimal(0)).gt(0))) continue
      const held = balances.get(m.base) ?? new Decimal(0)
      if (held.lte(0) || copied.has(m.base)) continue
      if (follow.settings.allow.length > 0 && !follow.settings.allow.includes(m.symbol)) continue
      if (follow.settings.allow.length === 0 && !DOLLARS.has(m.quote)) continue // ETH held: ETH/USDT, not every ETH market
      const followerSymbol = mapSymbol(follow.settings, m.symbol)
      let price: Decimal | null = null
      try {
        const top = await this.deps.followers.top(follow.followerVenueId, followerSymbol)
        price = top.ask ?? top.bid
      } catch {
        price = null
      }
      if (price === null) continue
      const fill: LeaderFill = { leaderId: source.id, tradeId: `existing-${m.symbol}`, symbol: m.symbol, side: 'buy', price: price.toFixed(), amount: held.toFixed(), timestamp: source.now() }
      const decision = await this.decideFor(source, follow, fill, 0, { before: new Decimal(0) })
      const record = this.newRecord(follow, fill, { fill, via: 'start', detectedMs: 0, seenPerf }, decision, this.perf(), this.now())
      copied.add(m.base)
      if (!this.store.insertRecord(record)) continue
      this.books.get(followId)?.update(null, record)
      this.deps.bus.emit('copyRecorded', { record: recordView(record) })
      if (record.status === 'pending') await this.send(record, seenPerf)
    }
  }

  // ---- views and state ------------------------------------------------------------------------------

  private changed(id: string): FollowView {
    const view = this.view(this.followOrThrow(id))
    this.deps.bus.emit('copyFollowChanged', { view })
    return view
  }

  private view(f: FollowRow): FollowView {
    const counters = this.store.counters(f.id)
    return {
      id: f.id,
      settings: f.settings,
      leaderLabel: this.deps.leaders.get(f.leaderId)?.label() ?? this.deps.formerLabel?.(f.leaderId) ?? f.leaderId,
      followerLabel: this.deps.followers.list().find((v) => v.id === f.followerVenueId)?.label ?? this.deps.formerLabel?.(f.followerVenueId) ?? f.followerVenueId,
      status: f.status,
      statusReason: f.statusReason,
      endedAt: f.endedAt,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
      ...counters,
      pnl: this.pnlOf(f).toDecimalPlaces(8).toFixed(),
    }
  }

  private pnlOf(f: FollowRow): Decimal {
    const marks = new Map<string, Decimal | null>()
    const book = this.bookOf(f.id)
    for (const m of book.values()) marks.set(m.followerSymbol, this.marks.get(markKey(f.followerVenueId, m.followerSymbol)) ?? null)
    return bookPnl(book, this.unitOf(f.followerVenueId), marks)
  }

  /** Values of quote assets in the valuation currency as last read on this venue (par assets: 1). */
  private unitOf(venueId: string): QuoteValue {
    return (asset) => (PAR_QUOTES.has(asset) ? new Decimal(1) : (this.quoteUnits.get(`${venueId}|${asset}`)?.value ?? null))
  }

  /** Reads the non-par quote values this decision needs, at most once per equity TTL each. */
  private async readQuoteUnits(venueId: string, assets: Iterable<string>): Promise<void> {
    const read = this.deps.followers.quoteValue?.bind(this.deps.followers)
    if (!read) return
    const due = [...assets].filter((a) => {
      if (PAR_QUOTES.has(a)) return false
      const hit = this.quoteUnits.get(`${venueId}|${a}`)
      return hit === undefined || this.now() - hit.at >= this.equityTtlMs
    })
    await Promise.all(
      due.map(async (asset) => {
        const value = await read(venueId, asset).catch(() => null)
        this.quoteUnits.set(`${venueId}|${asset}`, { at: this.now(), value })
      }),
    )
  }

  /**
   * The leader's market's price now on the leader's own venue: the follower's mark when both are the same
   * venue and market, else that venue's last price (or book mid); null when it has none (or cannot be read).
   */
  private async leaderMark(f: FollowRow, leaderSymbol: string, followerSymbol: string): Promise<Decimal | null> {
    const venueId = this.deps.leaders.get(f.leaderId)?.venueId ?? f.leaderId
    if (venueId === f.followerVenueId && leaderSymbol === followerSymbol) return this.marks.get(markKey(venueId, leaderSymbol)) ?? null
    try {
      return await this.deps.followers.mark(venueId, leaderSymbol)
    } catch {
      return null
    }
  }

  /**
   * The leader's P&L in its market since the relationship began, in that market's quote (the caller
   * converts it): its fills valued at `mark`, its market's price now on its own venue — the leader's venue
   * and market, not the follower's (ETH/BTC mapped to ETH/USDT, or a venue pricing BTC differently, would
   * mix prices that are not the leader's). Without a price now: its latest fill price there.
   */
  private leaderPnl(f: FollowRow, symbol: string, now: Decimal | null): Decimal {
    const fills = this.store.leaderFillsSince(f.leaderId, f.leaderStartAt, symbol)
    const first = fills[0]
    if (first === undefined) return new Decimal(0)
    const mark = now ?? new Decimal(this.store.leaderLastPrice(f.leaderId, symbol) ?? fills[fills.length - 1]!.price)
    const pnl = new AvgCost()
    // What the leader held when the relationship's first fill in this market came, valued at that price
    // (not known yet: nothing, until a read tells it).
    if (first.positionBefore !== null) pnl.trade('buy', new Decimal(first.positionBefore), new Decimal(first.price))
    for (const fill of fills) pnl.trade(fill.side, new Decimal(fill.amount), new Decimal(fill.price))
    return pnl.pnl(mark)
  }

  private async refreshMarks(follows: FollowRow[]): Promise<void> {
    const wanted = new Map<string, { venueId: string; symbol: string }>()
    for (const f of follows) for (const m of this.bookOf(f.id).values()) wanted.set(markKey(f.followerVenueId, m.followerSymbol), { venueId: f.followerVenueId, symbol: m.followerSymbol })
    await Promise.all(
      [...wanted].map(async ([key, { venueId, symbol }]) => {
        try {
          const mark = await this.deps.followers.mark(venueId, symbol)
          if (mark !== null) this.marks.set(key, mark)
        } catch {
          // keep the last one
        }
      }),
    )
  }

  /** Built from the records once, then kept up to date with every record written or changed. */
  private bookOf(followId: string): Map<string, MarketBook> {
    let book = this.books.get(followId)
    if (!book) {
      book = new CopyBook()
      for (const r of this.store.recordsOf(followId)) book.update(null, r)
      this.books.set(followId, book)
    }
    return book.markets
  }

  /** A daily stop ends with the UTC day. */
  private statusToday(follow: FollowRow): FollowRow['status'] {
    if (follow.status === 'stopped-daily' && follow.dayKey !== utcDay(this.now())) {
      this.store.patchFollow(follow.id, { status: 'active', statusReason: null }, this.now())
      queueMicrotask(() => this.changed(follow.id))
      return 'active'
    }
    return follow.status
  }

  /**
   * At 00:00 UTC: each live relationship with a daily loss stop gets its P&L now as the day's start, its
   * markets' marks read afresh (a loss made after midnight but before the day's first copy counts). A
   * relationship whose marks cannot be read keeps the old way: the day's first decision takes it.
   */
  async takeDayStarts(): Promise<void> {
    const day = utcDay(this.now())
    for (const f of this.liveFollows()) {
      if (!this.running) return
      if (f.settings.dailyLossStop === null || f.dayKey === day) continue
      const book = this.bookOf(f.id)
      try {
        await Promise.all(
          [...book.values()].map(async (m) => {
            const top = await this.deps.followers.top(f.followerVenueId, m.followerSymbol)
            const mid = top.bid !== null && top.ask !== null ? top.bid.plus(top.ask).div(2) : (top.bid ?? top.ask)
            if (mid === null) throw new Error(`no price for ${m.followerSymbol}`)
            this.marks.set(markKey(f.followerVenueId, m.followerSymbol), mid)
          }),
        )
        await this.readQuoteUnits(f.followerVenueId, new Set([...book.values()].map((m) => quoteAsset(m.followerSymbol))))
      } catch (err) {
        this.deps.log.warn(`copy: no 00:00 UTC start for ${f.id}'s daily loss stop; its first decision today takes it`, { error: messageOf(err) })
        continue
      }
      const fresh = this.store.follow(f.id)
      if (fresh === undefined || fresh.dayKey === day) continue // a decision took it meanwhile
      this.store.patchFollow(f.id, { dayKey: day, dayStartPnl: this.pnlOf(f).toFixed() }, this.now())
    }
  }

  /** The relationship's P&L at the start of the UTC day (taken at 00:00, or else at the day's first decision). */
  private dayStart(follow: FollowRow, pnlNow: Decimal): Decimal {
    const day = utcDay(this.now())
    if (follow.dayKey === day && follow.dayStartPnl !== null) return new Decimal(follow.dayStartPnl)
    this.store.patchFollow(follow.id, { dayKey: day, dayStartPnl: pnlNow.toFixed() }, this.now())
    follow.dayKey = day
    follow.dayStartPnl = pnlNow.toFixed()
    return pnlNow
  }

  /**
   * A fixed amount is spent per leader order, not per fill: a market order filled against three levels is
   * one trade of the leader's, and so is a limit order filling over hours. Its later fills are skipped once
   * one of its fills has a copy sent (pending, copied or partial) — looked up in the stored leader fills, so
   * a restart between the fills changes nothing. The order's fills are handled one at a time, each stored
   * before the next is decided.
   */
  private onePerOrder(follow: FollowRow, fill: SourceFill, decision: Outcome): Outcome {
    if (follow.settings.sizing.mode !== 'fixed-quote' || fill.side !== 'buy' || fill.orderId === undefined) return decision
    if (this.store.copiedLeaderOrder(follow.id, follow.leaderId, fill.symbol, fill.orderId)) {
      return { kind: 'skip', rule: 'same-order', reason: `the ${follow.settings.sizing.value} ${VALUATION_ASSET} per trade went to this order's first fill (leader order ${fill.orderId})`, followerSymbol: mapSymbol(follow.settings, fill.symbol), intended: null, amount: null }
    }
    return decision
  }

  /** A copy decided while the relationship was live, as it stands now: skipped if it was paused or stopped since. */
  private stillLive(followId: string, decision: Outcome): Outcome {
    if (decision.kind !== 'copy') return decision
    const now = this.store.follow(followId)
    if (now === undefined || now.endedAt !== null || now.status === 'stopped') {
      return { kind: 'skip', rule: 'stopped', reason: 'the relationship was stopped while the copy was being decided', followerSymbol: decision.followerSymbol, intended: decision.intended, amount: decision.amount }
    }
    if (now.status === 'paused') {
      return { kind: 'skip', rule: 'paused', reason: 'the relationship was paused while the copy was being decided', followerSymbol: decision.followerSymbol, intended: decision.intended, amount: decision.amount }
    }
    return decision
  }

  private equity(key: string, read: () => Promise<Decimal | null>): Promise<Decimal | null> {
    const hit = this.equities.get(key)
    if (hit && this.now() - hit.at < this.equityTtlMs) return hit.value
    const value = read().catch(() => null)
    this.equities.set(key, { at: this.now(), value })
    return value
  }

  private liveFollows(): FollowRow[] {
    return this.store.follows().filter((f) => f.endedAt === null)
  }

  private followOrThrow(id: string): FollowRow {
    const f = this.store.follow(id)
    if (f === undefined) throw new AppError('NOT_FOUND', `No copy relationship "${id}"`)
    return f
  }

  private liveFollowOrThrow(id: string): FollowRow {
    const f = this.followOrThrow(id)
    if (f.endedAt !== null) throw new AppError('CONFLICT', `The relationship ${id} has ended (unfollowed)`)
    return f
  }

  private track(promise: Promise<unknown>): void {
    const p = promise.catch((err: unknown) => this.deps.log.error('copy: a background task failed', err))
    this.inflight.add(p)
    void p.finally(() => this.inflight.delete(p))
  }
}

/** The seam for tests, benches and other doors: a copier over injected leaders, follower venues, gateway and clocks. */
export function createCopier(deps: CopierDeps): Copier {
  return new Copier(deps)
}

export function recordView(r: CopyRecord): CopyRecordView {
  return {
    id: r.id,
    followId: r.followId,
    leaderId: r.leaderId,
    leaderTradeId: r.leaderTradeId,
    leaderSymbol: r.leaderSymbol,
    side: r.side,
    leaderAmount: r.leaderAmount,
    leaderPrice: r.leaderPrice,
    leaderAt: r.leaderAt,
    followerVenueId: r.followerVenueId,
    followerSymbol: r.followerSymbol,
    followerAmount: r.followerAmount,
    followerFilled: r.followerFilled,
    followerAvgPrice: r.followerAvgPrice,
    clientOrderId: r.clientOrderId,
    status: r.status,
    rule: r.rule,
    reason: r.reason,
    error: r.error,
    detectedMs: r.detectedMs,
    decidedMs: r.decidedMs,
    submittedMs: r.submittedMs,
    via: r.via,
    createdAt: r.createdAt,
  }
}

/** Trades seen, win rate of sells that closed at a gain over the average cost, realized P&L (USD-quoted markets). */
export function leaderStats(fills: readonly { symbol: string; side: 'buy' | 'sell'; price: string; amount: string; positionBefore?: string | null }[]): {
  trades: number
  winRatePct: string | null
  pnl: string
} {
  const books = new Map<string, AvgCost>()
  let wins = 0
  let closes = 0
  let pnl = new Decimal(0)
  for (const f of fills) {
    let book = books.get(f.symbol)
    if (!book) {
      books.set(f.symbol, (book = new AvgCost()))
      if (f.positionBefore !== undefined && f.positionBefore !== null && new Decimal(f.positionBefore).gt(0)) book.trade('buy', new Decimal(f.positionBefore), new Decimal(f.price))
    }
    const before = book.realized
    if (f.side === 'sell' && book.qty.gt(0)) {
      book.trade('sell', new Decimal(f.amount), new Decimal(f.price))
      closes++
      if (book.realized.gt(before)) wins++
      const quote = f.symbol.split('/')[1] ?? ''
      if (DOLLARS.has(quote)) pnl = pnl.plus(book.realized.minus(before))
    } else {
      book.trade(f.side, new Decimal(f.amount), new Decimal(f.price))
    }
  }
  return {
    trades: fills.length,
    winRatePct: closes === 0 ? null : new Decimal(wins).div(closes).times(100).toDecimalPlaces(2).toFixed(),
    pnl: pnl.toDecimalPlaces(8).toFixed(),
  }
}

function placeholderMarket(symbol: string) {
  const [base = symbol, quote = ''] = symbol.split('/')
  return { symbol, base, quote, tickSize: '0', stepSize: '0', minAmount: '0', minNotional: '0', makerFee: '0', takerFee: '0', active: true }
}

/** A leader fill's identity: its market and trade id (Binance and OKX number trades per market). */
function fillKey(f: { symbol: string; tradeId: string }): string {
  return `${f.symbol}\0${f.tradeId}`
}

function markKey(venueId: string, symbol: string): string {
  return `${venueId}|${symbol}`
}

function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}

/** Latency figures to the hundredth of a millisecond. */
function round(ms: number): number {
  return Math.max(0, Math.round(ms * 100) / 100)
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Quotes counted at par with the valuation currency (USDT). */
const PAR_QUOTES = new Set(['USDT', 'USDC', 'USD', 'FDUSD'])
const quoteAsset = (symbol: string): string => symbol.split('/')[1]?.split(':')[0] ?? symbol
const baseAsset = (symbol: string): string => symbol.split('/')[0] ?? symbol

function stopSignal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}
