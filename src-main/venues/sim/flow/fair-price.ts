import type { Rng } from '../random'
import type { SimMarketSpec } from '../engine-api'

// The latent "fair price" every synthetic market maker quotes around.
//
// - A market-wide volatility regime (calm / normal / volatile / storm), a continuous-time Markov chain with
//   sticky states and mostly-adjacent transitions: volatility comes in clusters lasting minutes to an hour.
// - Per-market stochastic volatility on top of it (log-vol Ornstein–Uhlenbeck, ~15 min half-life).
// - Correlated log returns: one common factor plus an idiosyncratic part per directly quoted market,
//   rare jumps whose rate rises with the regime.
// - Cross markets (ETH/BTC when ETH/USDT and BTC/USDT exist) are the ratio of their legs times exp(basis),
//   the basis mean-reverting to zero: the cross drifts but arbitrage pulls it back.
// - A very weak pull toward the initial price keeps a long-running demo within a sane range.
//
// Calibrated to the size of real crypto moves: across regimes a day's log return has a standard deviation
// of about 2.7 % for BTC, 3.6 % for ETH, 5 % for SOL and XRP and 2.5 % for ETH/BTC, and altcoins move with
// BTC (daily correlation about 0.7). tests/unit/simflow-realism.test.ts holds it there. (Before, base
// volatilities half as large again and idiosyncratic trends gave BTC 4.6 % and SOL 8.5 % a day, with a
// daily correlation of 0.25.)

export interface VolRegime {
  name: string
  /** Multiplies every market's base volatility. */
  volMult: number
  /** Multiplies order-arrival rates (activity bursts in volatile regimes). */
  activityMult: number
  /** Mean time spent in the regime, ms. */
  meanDurationMs: number
}

export const defaultRegimes: readonly VolRegime[] = [
  { name: 'calm', volMult: 0.45, activityMult: 0.6, meanDurationMs: 15 * 60_000 },
  { name: 'normal', volMult: 1, activityMult: 1, meanDurationMs: 18 * 60_000 },
  { name: 'volatile', volMult: 2.2, activityMult: 1.8, meanDurationMs: 10 * 60_000 },
  { name: 'storm', volMult: 4, activityMult: 2.8, meanDurationMs: 4 * 60_000 },
]

export interface FairPriceConfig {
  /** Virtual ms between fair-price steps. */
  stepMs: number
  regimes: readonly VolRegime[]
  /** Index of the starting regime. */
  initialRegime: number
  /** Base 1-minute relative volatility per base asset (fallback: `defaultVol`). */
  baseVol: Record<string, number>
  defaultVol: number
  /** Correlation of the directly quoted markets' returns with the common factor. */
  correlation: number
  /** Stochastic-volatility half-life (ms) and stationary standard deviation of log-vol. */
  svHalfLifeMs: number
  svStd: number
  /** Jumps: rate per hour in the normal regime (scaled by the regime's volMult) and size in 1-min sigmas. */
  jumpsPerHour: number
  jumpSizeSigmas: number
  /** Cross-market basis: half-life (ms) and stationary standard deviation (relative). */
  basisHalfLifeMs: number
  basisStd: number
  /** Pull of log price toward its start, half-life ms. */
  anchorHalfLifeMs: number
  /**
   * Trends: a per-market drift (Ornstein–Uhlenbeck) with this half-life, its stationary standard deviation
   * given per minute in units of the market's current 1-minute volatility. 0 disables.
   */
  trendHalfLifeMs: number
  trendStd: number
}

export const defaultFairPriceConfig: FairPriceConfig = {
  stepMs: 200,
  regimes: defaultRegimes,
  initialRegime: 1,
  baseVol: { BTC: 0.00038, ETH: 0.0005, SOL: 0.0007, XRP: 0.00065 },
  defaultVol: 0.0006,
  correlation: 0.9,
  svHalfLifeMs: 15 * 60_000,
  svStd: 0.4,
  jumpsPerHour: 0.4,
  jumpSizeSigmas: 3,
  basisHalfLifeMs: 12 * 60_000,
  basisStd: 0.0008,
  anchorHalfLifeMs: 10 * 24 * 3_600_000,
  trendHalfLifeMs: 20 * 60_000,
  trendStd: 0.07,
}

interface DirectState {
  kind: 'direct'
  symbol: string
  logPrice: number
  anchor: number
  baseVol: number
  logVol: number
  /** Drift per minute, in units of the 1-minute volatility. */
  trend: number
}

interface CrossState {
  kind: 'cross'
  symbol: string
  num: DirectState
  den: DirectState
  basis: number
}

type MarketState = DirectState | CrossState

/** See FairPriceModel.volatility(). */
export interface VolatilityState {
  regime: number
  regimeSince: number
  markets: Record<string, { logVol: number; trend: number }>
}

export class FairPriceModel {
  private readonly markets = new Map<string, MarketState>()
  private readonly direct: DirectState[] = []
  private readonly cross: CrossState[] = []
  private regimeIndex: number
  private regimeSince: number
  private lastStep: number
  private readonly config: FairPriceConfig
  private regimeChanges = 0

  constructor(
    specs: readonly SimMarketSpec[],
    private readonly rng: Rng,
    startTime: number,
    config: Partial<FairPriceConfig> = {},
  ) {
    this.config = { ...defaultFairPriceConfig, ...config }
    if (this.config.regimes.length === 0) throw new RangeError('at least one volatility regime is needed')
    this.regimeIndex = Math.min(Math.max(0, this.config.initialRegime), this.config.regimes.length - 1)
    this.regimeSince = startTime
    this.lastStep = startTime

    // Directly quoted markets first: a market is a cross when both its assets are quoted, elsewhere, in a
    // common third asset.
    const bySymbol = new Map(specs.map((s) => [s.symbol, s]))
    const crossLegs = new Map<string, { num: SimMarketSpec; den: SimMarketSpec }>()
    for (const spec of specs) {
      for (const other of specs) {
        if (other.base !== spec.base || other.quote === spec.quote) continue
        const den = bySymbol.get(`${spec.quote}/${other.quote}`)
        if (den && den.symbol !== spec.symbol) {
          crossLegs.set(spec.symbol, { num: other, den })
          break
        }
      }
    }
    for (const spec of specs) {
      if (crossLegs.has(spec.symbol)) continue
      const logPrice = Math.log(Number(spec.initialPrice))
      if (!Number.isFinite(logPrice)) throw new RangeError(`${spec.symbol}: bad initialPrice ${spec.initialPrice}`)
      const state: DirectState = {
        kind: 'direct',
        symbol: spec.symbol,
        logPrice,
        anchor: logPrice,
        baseVol: this.config.baseVol[spec.base] ?? this.config.defaultVol,
        logVol: 0,
        trend: 0,
      }
      this.direct.push(state)
      this.markets.set(spec.symbol, state)
    }
    for (const spec of specs) {
      const legs = crossLegs.get(spec.symbol)
      if (!legs) continue
      const num = this.markets.get(legs.num.symbol)
      const den = this.markets.get(legs.den.symbol)
      if (num?.kind !== 'direct' || den?.kind !== 'direct') {
        // A cross of crosses: treat it as directly quoted instead.
        const logPrice = Math.log(Number(spec.initialPrice))
        const state: DirectState = {
          kind: 'direct',
          symbol: spec.symbol,
          logPrice,
          anchor: logPrice,
          baseVol: this.config.defaultVol,
          logVol: 0,
          trend: 0,
        }
        this.direct.push(state)
        this.markets.set(spec.symbol, state)
        continue
      }
      const implied = num.logPrice - den.logPrice
      const state: CrossState = {
        kind: 'cross',
        symbol: spec.symbol,
        num,
        den,
        // Starts wherever the spec says and is pulled back to the implied rate.
        basis: Math.log(Number(spec.initialPrice)) - implied,
      }
      this.cross.push(state)
      this.markets.set(spec.symbol, state)
    }
  }

  get stepMs(): number {
    return this.config.stepMs
  }

  symbols(): string[] {
    return [...this.markets.keys()]
  }

  /** Current fair price. */
  price(symbol: string): number {
    const state = this.markets.get(symbol)
    if (!state) throw new RangeError(`no fair price for ${symbol}`)
    return Math.exp(this.logPrice(state))
  }

  /** Fair price implied by the cross's legs alone (no basis); undefined for direct markets. */
  impliedCrossPrice(symbol: string): number | undefined {
    const state = this.markets.get(symbol)
    if (state?.kind !== 'cross') return undefined
    return Math.exp(state.num.logPrice - state.den.logPrice)
  }

  /** Current 1-minute relative volatility of a market. */
  vol1m(symbol: string): number {
    const state = this.markets.get(symbol)
    if (!state) throw new RangeError(`no fair price for ${symbol}`)
    const mult = this.regime().volMult
    if (state.kind === 'direct') return state.baseVol * mult * Math.exp(state.logVol)
    // Ratio of two correlated legs: roughly the idiosyncratic parts plus a little.
    const a = state.num.baseVol * Math.exp(state.num.logVol)
    const b = state.den.baseVol * Math.exp(state.den.logVol)
    const rho = this.config.correlation * this.config.correlation
    return mult * Math.sqrt(Math.max(a * a + b * b - 2 * rho * a * b, 0.09 * a * a))
  }

  /** Relative volatility per √second (what makers scale spreads with). */
  volPerSqrtSec(symbol: string): number {
    return this.vol1m(symbol) / Math.sqrt(60)
  }

  regime(): VolRegime {
    return this.config.regimes[this.regimeIndex] as VolRegime
  }

  regimeName(): string {
    return this.regime().name
  }

  get regimeSwitches(): number {
    return this.regimeChanges
  }

  /** A permanent price impact (log units) on a market, e.g. from a large aggressive order. */
  impact(symbol: string, logShift: number): void {
    const state = this.markets.get(symbol)
    if (!state || !Number.isFinite(logShift)) return
    if (state.kind === 'direct') state.logPrice += logShift
    else state.basis += logShift
  }

  /**
   * Evolves every market from the last step to `time`. A gap longer than `maxStepMs` (a skipped sleep) is
   * taken as one step of that length: a jump, not a replay. (Synthetic history steps minutes at a time on
   * purpose, and passes Infinity.)
   */
  step(time: number, maxStepMs = 60_000): void {
    const dtMs = time - this.lastStep
    if (dtMs <= 0) return
    this.lastStep = time
    const dtMin = Math.min(dtMs, maxStepMs) / 60_000
    const cfg = this.config
    const rng = this.rng

    this.stepRegime(time, dtMs)
    const regime = this.regime()

    const svDecay = Math.exp((-Math.LN2 * dtMs) / cfg.svHalfLifeMs)
    const svNoise = cfg.svStd * Math.sqrt(1 - svDecay * svDecay)
    const anchorDecay = Math.exp((-Math.LN2 * dtMs) / cfg.anchorHalfLifeMs)
    const common = rng.normal()
    const rho = cfg.correlation
    const idioWeight = Math.sqrt(1 - rho * rho)
    const jumpP = (cfg.jumpsPerHour / 60) * dtMin * regime.volMult

    const trendDecay = Math.exp((-Math.LN2 * dtMs) / cfg.trendHalfLifeMs)
    const trendNoise = cfg.trendStd * Math.sqrt(1 - trendDecay * trendDecay)
    // Volatility and trends move market-wide as much as returns do (one common draw each per step).
    const commonVol = rng.normal()
    const commonTrend = rng.normal()
    for (const m of this.direct) {
      m.logVol = m.logVol * svDecay + svNoise * (rho * commonVol + idioWeight * rng.normal())
      m.trend = m.trend * trendDecay + trendNoise * (rho * commonTrend + idioWeight * rng.normal())
      const sigma = m.baseVol * regime.volMult * Math.exp(m.logVol - (cfg.svStd * cfg.svStd) / 2)
      let r = sigma * (Math.sqrt(dtMin) * (rho * common + idioWeight * rng.normal()) + m.trend * dtMin)
      if (rng.next() < jumpP) r += (rng.next() < 0.5 ? -1 : 1) * cfg.jumpSizeSigmas * sigma * rng.uniform(0.5, 1.5)
      m.logPrice = m.anchor + (m.logPrice - m.anchor) * anchorDecay + r
    }
    const basisDecay = Math.exp((-Math.LN2 * dtMs) / cfg.basisHalfLifeMs)
    const basisNoise = cfg.basisStd * Math.sqrt(1 - basisDecay * basisDecay) * Math.sqrt(regime.volMult)
    for (const c of this.cross) c.basis = c.basis * basisDecay + basisNoise * rng.normal()
  }

  private stepRegime(time: number, dtMs: number): void {
    const regimes = this.config.regimes
    if (regimes.length < 2) return
    const current = this.regime()
    if (this.rng.next() >= dtMs / current.meanDurationMs) return
    // Mostly to a neighbour; calmer states are likelier from the extremes (volatility decays).
    const i = this.regimeIndex
    const weights = regimes.map((_, j) => {
      if (j === i) return 0
      const distance = Math.abs(j - i)
      const w = distance === 1 ? 1 : 0.15 / distance
      return j < i ? w * 1.3 : w
    })
    const total = weights.reduce((a, b) => a + b, 0)
    let u = this.rng.next() * total
    let next = i
    for (let j = 0; j < weights.length; j++) {
      u -= weights[j] as number
      if (u < 0) {
        next = j
        break
      }
    }
    if (next !== i) {
      this.regimeIndex = next
      this.regimeSince = time
      this.regimeChanges++
    }
  }

  /** Time the current regime started. */
  get regimeStartedAt(): number {
    return this.regimeSince
  }

  /** The volatility state without the prices: the regime, and per directly quoted market its log-vol and trend. */
  volatility(): VolatilityState {
    const markets: VolatilityState['markets'] = {}
    for (const m of this.direct) markets[m.symbol] = { logVol: m.logVol, trend: m.trend }
    return { regime: this.regimeIndex, regimeSince: this.regimeSince, markets }
  }

  /**
   * Takes over another model's volatility state (a synthetic history's end), prices untouched: the live
   * market goes on in the regime and with the volatility and trends the history ended with. Markets the
   * state does not name keep theirs.
   */
  adoptVolatility(state: VolatilityState): void {
    if (Number.isInteger(state.regime) && state.regime >= 0 && state.regime < this.config.regimes.length) {
      this.regimeIndex = state.regime
      this.regimeSince = state.regimeSince
    }
    for (const m of this.direct) {
      const v = state.markets[m.symbol]
      if (v === undefined || !Number.isFinite(v.logVol) || !Number.isFinite(v.trend)) continue
      m.logVol = v.logVol
      m.trend = v.trend
    }
  }

  private logPrice(state: MarketState): number {
    return state.kind === 'direct' ? state.logPrice : state.num.logPrice - state.den.logPrice + state.basis
  }
}
