import type { Side } from '../../port'
import type { MatchingEngine } from '../engine-api'
import type { Rng } from '../random'
import type { AgentAccount } from './agent'
import type { FairPriceModel } from './fair-price'
import type { MarketGrid } from './quant'

// Synthetic takers: aggressive orders arriving as a self-exciting (Hawkes) process, so trades come in bursts,
// with a base rate that rises in volatile regimes. They lean toward the fair price (buy when the book is
// below it), which is what drags the traded price along the latent one, sometimes follow the previous
// taker (order-flow herding), and now and then send a large order that sweeps several levels and moves the
// fair price itself.

export interface TakerConfig {
  /** Background arrivals per second at intensity 1 in the normal regime. */
  baseRatePerSec: number
  /** Added to the arrival rate (per second) by each arrival... */
  excitation: number
  /** ...and decaying at this rate per second (branching ratio = excitation / decay < 1). */
  decayPerSec: number
  /** Median order notional, quote units; log-normal spread `sizeSigma`. */
  medianNotional: number
  sizeSigma: number
  /** Chance of a large order, its size multiplier (Pareto from `largeMinMult`, shape `largeAlpha`, capped). */
  largeProb: number
  largeMinMult: number
  largeAlpha: number
  largeMaxMult: number
  /** How strongly side choice follows (fair − mid). */
  informedness: number
  /** Chance to copy the previous taker's side. */
  herding: number
  /** Large orders go as IOC limits no further than this from the fair price. */
  maxSlippage: number
  /** Log price impact of a large order: this × 1-min vol × √(notional / median). */
  largeImpact: number
}

/** Longest a taker sleeps before re-evaluating its rate (ms). */
const MAX_WAIT_MS = 1000

export class HawkesTaker {
  private excitationLevel = 0
  private excitationAt: number
  private lastSide: Side = 'buy'
  private baseTarget = 0
  trades = 0
  largeTrades = 0

  constructor(
    readonly account: AgentAccount,
    readonly grid: MarketGrid,
    private readonly engine: MatchingEngine,
    private readonly fair: FairPriceModel,
    private readonly rng: Rng,
    readonly config: TakerConfig,
    private readonly intensity: number,
    startTime: number,
  ) {
    this.excitationAt = startTime
  }

  setInventoryTarget(base: number): void {
    this.baseTarget = base
  }

  private baseRate(): number {
    return this.config.baseRatePerSec * this.intensity * this.fair.regime().activityMult
  }

  private excitationAtTime(t: number): number {
    return this.excitationLevel * Math.exp((-this.config.decayPerSec * (t - this.excitationAt)) / 1000)
  }

  /** The next arrival (Ogata thinning), or a wake-up time when none comes within MAX_WAIT_MS. */
  next(now: number): { time: number; fire: boolean } {
    let t = now
    const limit = now + MAX_WAIT_MS
    const mu = this.baseRate()
    for (let i = 0; i < 64; i++) {
      const upper = mu + this.excitationAtTime(t)
      if (!(upper > 0)) return { time: limit, fire: false }
      t += this.rng.exponential(upper) * 1000
      if (t > limit) return { time: limit, fire: false }
      const actual = mu + this.excitationAtTime(t)
      if (this.rng.next() * upper <= actual) return { time: t, fire: true }
    }
    return { time: t, fire: false }
  }

  /** Sends one aggressive order. */
  act(now: number): void {
    const cfg = this.config
    const symbol = this.grid.symbol
    const top = this.engine.book(symbol, 1)
    const bidText = top.bids[0]?.[0]
    const askText = top.asks[0]?.[0]
    // Register the arrival even when the book is empty, so bursts keep their shape.
    this.excitationLevel = this.excitationAtTime(now)
    this.excitationAt = now
    if (bidText === undefined && askText === undefined) return
    const fair = this.fair.price(symbol)
    // A one-sided book: the missing side is taken to sit at the fair price, so a stale quote still gets hit.
    const bid = bidText === undefined ? Math.min(fair, Number(askText)) : Number(bidText)
    const ask = askText === undefined ? Math.max(fair, Number(bidText)) : Number(askText)
    const mid = (bid + ask) / 2
    const volAbs = Math.max(this.fair.volPerSqrtSec(symbol) * fair, this.grid.tick)

    let side: Side
    if (this.rng.next() < cfg.herding) side = this.lastSide
    else {
      const z = (fair - mid) / (2 * volAbs)
      let pBuy = 0.5 + 0.45 * Math.tanh(cfg.informedness * z)
      // Lean back toward the starting inventory so the account never drifts dry.
      if (this.baseTarget > 0) {
        const held = this.account.total(this.grid.base) / this.baseTarget
        pBuy += 0.15 * Math.tanh(1 - held)
      }
      side = this.rng.next() < pBuy ? 'buy' : 'sell'
    }

    let notional = cfg.medianNotional * this.rng.logNormal(0, cfg.sizeSigma)
    let large = false
    if (this.rng.next() < cfg.largeProb) {
      large = true
      notional = cfg.medianNotional * Math.min(cfg.largeMaxMult, this.rng.pareto(cfg.largeMinMult, cfg.largeAlpha))
    }
    const refPrice = side === 'buy' ? ask : bid
    let units = this.grid.amountUnits(notional / refPrice, refPrice)
    // Respect balances.
    if (side === 'buy') {
      const affordable = this.grid.amount.floor(this.account.free(this.grid.quote) / (refPrice * (1 + cfg.maxSlippage) * 1.01))
      units = Math.min(units, affordable)
    } else {
      units = Math.min(units, this.grid.amount.floor(this.account.free(this.grid.base)))
    }
    if (units < this.grid.minUnitsAt(refPrice)) return

    this.excitationLevel += cfg.excitation * (large ? 3 : 1)
    this.lastSide = side
    const sweeping = notional > cfg.medianNotional * 4
    let ok: boolean
    if (sweeping) {
      const limitPrice = side === 'buy' ? fair * (1 + cfg.maxSlippage) : fair * (1 - cfg.maxSlippage)
      const priceUnits = side === 'buy' ? this.grid.price.floor(limitPrice) : this.grid.price.ceil(limitPrice)
      ok = this.account.limit(this.grid, side, priceUnits, units, { timeInForce: 'IOC' }) !== null
    } else {
      ok = this.account.market(this.grid, side, units) !== null
    }
    if (!ok) return
    this.trades++
    if (large) {
      this.largeTrades++
      const vol = this.fair.vol1m(symbol)
      const shift = Math.min(1.5 * vol, cfg.largeImpact * vol * Math.sqrt(notional / cfg.medianNotional))
      this.fair.impact(symbol, side === 'buy' ? shift : -shift)
    }
  }
}
