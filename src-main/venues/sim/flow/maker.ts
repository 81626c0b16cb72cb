import type { Side } from '../../port'
import type { MatchingEngine } from '../engine-api'
import type { Rng } from '../random'
import type { AgentAccount, TrackedOrder } from './agent'
import type { FairPriceModel } from './fair-price'
import type { MarketGrid } from './quant'

// A synthetic market maker: a ladder of post-only limit orders on both sides of the fair price.
//
// Half-spread and level spacing scale with the market's current volatility (wide in volatile regimes, tight
// in calm ones), sizes grow away from the top, and quotes lean against the maker's inventory. Ladders sit on
// a grid of `spacing` ticks so a small move of the fair price only adds a level on one end and drops one on
// the other: requotes touch a handful of orders, like a real maker's, not the whole ladder.
//
// A quote left behind by someone else (a bid above where the maker wants to sell, after a fast move) would
// block the maker's post-only orders and could empty one side of the book; the maker picks it off with an
// IOC order first, as real market makers do.

export interface LadderConfig {
  /** Levels per side. */
  levels: number
  /** Half-spread as a multiple of (volatility per √s × price); at least `minHalfSpreadTicks`. */
  halfSpreadVol: number
  minHalfSpreadTicks: number
  /** Level spacing as a multiple of (volatility per √s × price); at least one tick. */
  spacingVol: number
  /** Notional (quote units) of the top level; deeper levels grow by `sizeGrowth` per level. */
  topNotional: number
  sizeGrowth: number
  /** Log-normal sd of the size of each order. */
  sizeJitter: number
  /** Mean virtual ms between requotes (scaled by 1/intensity). */
  requoteMs: number
  /** Quote shift, as a fraction of the half-spread, per unit of relative inventory imbalance. */
  inventorySkew: number
  /** A level eaten below this fraction of its target size is replaced. */
  refillBelow: number
}

interface TargetLevel {
  priceUnits: number
  index: number
}

export class LadderMaker {
  private spacingTicks = 0
  private baseTarget = 0
  private quoteTarget = 0
  postOnlyRejects = 0
  requotes = 0
  pickOffs = 0

  constructor(
    readonly account: AgentAccount,
    private readonly engine: MatchingEngine,
    readonly grid: MarketGrid,
    private readonly fair: FairPriceModel,
    private readonly rng: Rng,
    readonly config: LadderConfig,
  ) {}

  /** Inventory the maker leans back toward (set once after funding). */
  setInventoryTarget(base: number, quote: number): void {
    this.baseTarget = base
    this.quoteTarget = quote
  }

  /** Current quoting geometry (exposed for stats and tests). */
  geometry(): { fair: number; halfSpread: number; spacingTicks: number; skew: number } {
    const symbol = this.grid.symbol
    const fair = this.fair.price(symbol)
    const volAbs = this.fair.volPerSqrtSec(symbol) * fair
    const tick = this.grid.tick
    const halfSpread = Math.max(this.config.minHalfSpreadTicks * tick, this.config.halfSpreadVol * volAbs)
    const rawSpacing = Math.max(1, Math.round((this.config.spacingVol * volAbs) / tick))
    // Hysteresis: keep the grid unless the wanted spacing moved by more than a third.
    if (this.spacingTicks === 0 || rawSpacing > this.spacingTicks * 1.34 || rawSpacing < this.spacingTicks * 0.74) {
      this.spacingTicks = rawSpacing
    }
    return { fair, halfSpread, spacingTicks: this.spacingTicks, skew: this.inventoryImbalance() }
  }

  /** -1 (short of base) .. +1 (long base) relative to the target mix, by value. */
  inventoryImbalance(): number {
    if (this.baseTarget <= 0 || this.quoteTarget <= 0) return 0
    const base = this.account.total(this.grid.base) / this.baseTarget
    const quote = this.account.total(this.grid.quote) / this.quoteTarget
    const x = (base - quote) / Math.max(base + quote, 1e-9)
    return Math.max(-1, Math.min(1, x * 2))
  }

  /** Brings the ladder in line with the current fair price. */
  requote(): void {
    this.requotes++
    const { fair, halfSpread, spacingTicks } = this.geometry()
    const skew = this.inventoryImbalance() * this.config.inventorySkew * halfSpread
    const ref = fair - skew
    const tick = this.grid.tick
    const S = spacingTicks
    const L = this.config.levels
    const topBid = Math.floor(Math.floor((ref - halfSpread) / tick + 1e-9) / S) * S
    let topAsk = Math.ceil(Math.ceil((ref + halfSpread) / tick - 1e-9) / S) * S
    if (topAsk <= topBid) topAsk = topBid + S
    if (topBid <= 0) return

    const bidTargets: TargetLevel[] = []
    const askTargets: TargetLevel[] = []
    for (let k = 0; k < L; k++) {
      const b = topBid - k * S
      if (b > 0) bidTargets.push({ priceUnits: b, index: k })
      askTargets.push({ priceUnits: topAsk + k * S, index: k })
    }

    // Cancel first (stale, off-grid, too far, eaten), so nothing we place can meet our own quotes.
    const keepBid = this.sweep('buy', topBid, S, L, fair)
    const keepAsk = this.sweep('sell', topAsk, S, L, fair)
    this.pickOff(topBid, topAsk, fair)
    this.fillSide('buy', bidTargets, keepBid, fair)
    this.fillSide('sell', askTargets, keepAsk, fair)
  }

  /** Cancels one resting order at random and puts a fresh size at the same price (book churn). */
  flicker(): void {
    const orders = this.account.openOrders(this.grid.symbol)
    const order = this.rng.pick(orders)
    if (!order) return
    if (!this.account.cancel(order.symbol, order.venueOrderId)) return
    const fair = this.fair.price(this.grid.symbol)
    const S = Math.max(1, this.spacingTicks)
    const index = Math.max(0, Math.round(Math.abs(order.priceUnits - fair / this.grid.tick) / S))
    this.placeLevel(order.side, order.priceUnits, index, fair)
  }

  /** Cancels everything this maker has on the book. */
  withdraw(): void {
    this.account.cancelAll(this.grid.symbol)
  }

  /** Takes other participants' quotes that cross where this maker wants to quote (IOC, bounded size). */
  private pickOff(topBid: number, topAsk: number, fair: number): void {
    const top = this.engine.book(this.grid.symbol, 1)
    const bid = top.bids[0]
    const ask = top.asks[0]
    const clip = (this.config.topNotional * 3) / fair
    if (bid && this.grid.price.unitsOf(bid[0]) >= topAsk) {
      const units = Math.min(this.grid.amount.floor(Math.min(clip, Number(bid[1]))), this.grid.amount.floor(this.account.free(this.grid.base)))
      if (units >= this.grid.minUnitsAt(fair) && this.account.limit(this.grid, 'sell', topAsk, units, { timeInForce: 'IOC' })) this.pickOffs++
    }
    if (ask && this.grid.price.unitsOf(ask[0]) <= topBid) {
      const price = this.grid.price.value(topBid)
      const affordable = this.grid.amount.floor(this.account.free(this.grid.quote) / (price * 1.000001))
      const units = Math.min(this.grid.amount.floor(Math.min(clip, Number(ask[1]))), affordable)
      if (units >= this.grid.minUnitsAt(fair) && this.account.limit(this.grid, 'buy', topBid, units, { timeInForce: 'IOC' })) this.pickOffs++
    }
  }

  private sweep(side: Side, top: number, S: number, L: number, fair: number): Map<number, TrackedOrder[]> {
    const keep = new Map<number, TrackedOrder[]>()
    const tolerance = L + 2
    for (const order of this.account.openOrders(this.grid.symbol, side)) {
      const p = order.priceUnits
      const distance = side === 'buy' ? (top - p) / S : (p - top) / S
      const onGrid = p % S === 0
      const index = Math.round(distance)
      let cancel = !onGrid || distance < 0 || distance > tolerance
      if (!cancel) {
        const want = this.targetSize(index, fair)
        if (order.remaining < want * this.config.refillBelow) cancel = true
      }
      if (cancel) {
        this.account.cancel(order.symbol, order.venueOrderId)
        continue
      }
      const list = keep.get(p)
      if (list) list.push(order)
      else keep.set(p, [order])
    }
    return keep
  }

  private fillSide(side: Side, targets: TargetLevel[], existing: Map<number, TrackedOrder[]>, fair: number): void {
    // A post-only refusal (another maker's stale quote is in the way) only skips that level.
    for (const target of targets) {
      if (!existing.has(target.priceUnits)) this.placeLevel(side, target.priceUnits, target.index, fair)
    }
  }

  private targetSize(index: number, fair: number): number {
    return (this.config.topNotional * (1 + this.config.sizeGrowth * index)) / fair
  }

  private placeLevel(side: Side, priceUnits: number, index: number, refPrice: number): 'ok' | 'would-take' | 'skipped' {
    const price = this.grid.price.value(priceUnits)
    const size = this.targetSize(index, refPrice) * this.rng.logNormal(0, this.config.sizeJitter)
    const units = this.grid.amountUnits(size, price)
    if (units <= 0) return 'skipped'
    const amount = this.grid.amount.value(units)
    // Respect balances up front (the engine would refuse anyway).
    if (side === 'buy') {
      if (this.account.free(this.grid.quote) < amount * price * 1.000001) return 'skipped'
    } else if (this.account.free(this.grid.base) < amount) return 'skipped'
    const before = this.account.counters.rejectReasons['post-only-would-take'] ?? 0
    const result = this.account.limit(this.grid, side, priceUnits, units, { postOnly: true })
    if (result) return 'ok'
    if ((this.account.counters.rejectReasons['post-only-would-take'] ?? 0) > before) {
      this.postOnlyRejects++
      return 'would-take'
    }
    return 'skipped'
  }
}
