import type { Candle, Timeframe } from '../../port'
import type { SimMarketSpec } from '../engine-api'
import { Dec } from '../matching/decimal'
import { TIMEFRAMES, TIMEFRAME_MS } from '../matching/market-data'
import type { Rng } from '../random'
import { FairPriceModel, type FairPriceConfig, type VolatilityState } from './fair-price'

// The simulated exchange's past: candles for a span before the market opened in this process, so a chart,
// the 24 h figures and anything reading history have something a real exchange would have on the first
// start, and a restart after hours away shows the hours the market "traded" instead of a flat line.
//
// The path is the live market's own fair-price model (same volatility regimes, stochastic volatility,
// correlations, jumps and trends), run over the span on its own random stream, then pinned: it ends at the
// price the live market starts from, and for a gap after a saved session it also starts at the saved close
// (a bridge: the linear drift between the pins is removed in log space, so returns keep their shape).
// Volume per minute is the synthetic takers' mean flow at the regime's activity, with log-normal noise.

/** Samples of the path per candle of the finest timeframe kept at each age (its shape inside the candle). */
const SAMPLES_PER_CANDLE = 6
/** Spread of one minute's volume around its mean (log-normal sigma). */
const VOLUME_SIGMA = 0.5

export interface HistoryRequest {
  specs: readonly SimMarketSpec[]
  /** The live market's fair-price tuning. */
  fair: Partial<FairPriceConfig>
  rng: Rng
  /** The span, ms UTC: candles cover [from, to); the bucket holding `to` is partial (still open). */
  from: number
  to: number
  /** Per market: the price the path ends at (the live market's start). */
  endPrices: ReadonlyMap<string, number>
  /** Per market: the price the path starts at (a saved session's close); absent: it starts anywhere. */
  startPrices?: ReadonlyMap<string, number>
  /** Mean traded amount per minute (base units) at this price, in the normal regime. */
  volumePerMinute: (symbol: string, price: number) => number
  /** How many of the newest candles to keep per timeframe (the engine's capacity). */
  keep: (timeframe: Timeframe) => number
}

interface Path {
  /** The model's volatility state at the end (for the live market to go on with). */
  volatility: VolatilityState
  times: Float64Array
  /** Log price per market, at each time. */
  logs: Map<string, Float64Array>
  /** Minutes covered by each step, times the regime's activity multiplier. */
  activity: Float64Array
}

export interface History {
  /** Candles per market and timeframe, oldest first. */
  candles: Map<string, Record<Timeframe, Candle[]>>
  /** The model's volatility state at `to`: the regime, log-vols and trends the live market goes on with. */
  volatility: VolatilityState
}

export function syntheticHistory(req: HistoryRequest): History {
  if (!(req.to > req.from)) throw new RangeError(`history span must be positive (from ${req.from} to ${req.to})`)
  const path = runPath(req)
  const candles = new Map<string, Record<Timeframe, Candle[]>>()
  const volumeRng = req.rng.fork('volume')
  for (const spec of req.specs) {
    const logs = pin(path, spec.symbol, req)
    candles.set(spec.symbol, candlesOf(spec, path, logs, req, volumeRng))
  }
  return { candles, volatility: path.volatility }
}

function runPath(req: HistoryRequest): Path {
  const start = (symbol: string): number => req.startPrices?.get(symbol) ?? req.endPrices.get(symbol) ?? NaN
  const specs = req.specs.map((s) => {
    const p = start(s.symbol)
    if (!(p > 0)) throw new RangeError(`history: no positive price for ${s.symbol}`)
    return { ...s, initialPrice: String(p) }
  })
  const model = new FairPriceModel(specs, req.rng.fork('fair'), req.from, req.fair)
  // Coarser steps further back, where only coarser candles are kept: the finest timeframe whose kept
  // window reaches that far sets the step (its candle ÷ SAMPLES_PER_CANDLE).
  const windows = TIMEFRAMES.map((tf) => ({ reach: req.to - req.keep(tf) * TIMEFRAME_MS[tf], step: TIMEFRAME_MS[tf] / SAMPLES_PER_CANDLE }))
  const stepAt = (t: number): number => {
    for (const w of windows) if (t >= w.reach) return w.step
    return (windows[windows.length - 1] as { step: number }).step
  }
  const times: number[] = []
  const activity: number[] = []
  const logs = new Map(specs.map((s) => [s.symbol, [] as number[]]))
  let t = req.from
  while (t < req.to) {
    const step = Math.min(stepAt(t), req.to - t)
    times.push(t)
    activity.push((step / 60_000) * model.regime().activityMult)
    for (const s of specs) (logs.get(s.symbol) as number[]).push(Math.log(model.price(s.symbol)))
    t += step
    model.step(t, Infinity)
  }
  // The end point (at `to`), for the pins.
  times.push(req.to)
  activity.push(0)
  for (const s of specs) (logs.get(s.symbol) as number[]).push(Math.log(model.price(s.symbol)))
  return {
    volatility: model.volatility(),
    times: Float64Array.from(times),
    logs: new Map([...logs].map(([k, v]) => [k, Float64Array.from(v)])),
    activity: Float64Array.from(activity),
  }
}

/** The market's log path moved to end at its end price (and start at its start price, when given). */
function pin(path: Path, symbol: string, req: HistoryRequest): Float64Array {
  const x = path.logs.get(symbol) as Float64Array
  const n = x.length - 1
  const end = Math.log(req.endPrices.get(symbol) as number)
  const startPrice = req.startPrices?.get(symbol)
  const y = new Float64Array(x.length)
  if (startPrice === undefined) {
    for (let i = 0; i <= n; i++) y[i] = (x[i] as number) - (x[n] as number) + end
    return y
  }
  const start = Math.log(startPrice)
  const t0 = path.times[0] as number
  const span = (path.times[n] as number) - t0
  for (let i = 0; i <= n; i++) {
    const f = ((path.times[i] as number) - t0) / span
    y[i] = (x[i] as number) - (x[0] as number) - f * ((x[n] as number) - (x[0] as number)) + start + f * (end - start)
  }
  return y
}

function candlesOf(spec: SimMarketSpec, path: Path, logs: Float64Array, req: HistoryRequest, rng: Rng): Record<Timeframe, Candle[]> {
  const priceText = priceFormatter(spec.tickSize)
  const lot = lotGrid(spec.stepSize)
  const n = path.times.length - 1
  const prices = new Float64Array(n + 1)
  for (let i = 0; i <= n; i++) prices[i] = Math.exp(logs[i] as number)
  // One volume per step, in whole lot steps (an exact integer), shared by every timeframe: a candle's volume
  // is then exactly the sum of its shorter candles' volumes, as it is on an exchange.
  const volumes = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const noise = Math.exp(VOLUME_SIGMA * rng.normal() - (VOLUME_SIGMA * VOLUME_SIGMA) / 2)
    volumes[i] = lot.floorUnits(req.volumePerMinute(spec.symbol, prices[i] as number) * (path.activity[i] as number) * noise)
  }
  const out = {} as Record<Timeframe, Candle[]>
  for (const tf of TIMEFRAMES) {
    const ms = TIMEFRAME_MS[tf]
    const oldest = (Math.floor((req.to - 1) / ms) - req.keep(tf) + 1) * ms
    const candles: Candle[] = []
    let time = NaN
    let open = 0
    let high = 0
    let low = 0
    let volume = 0
    const flush = (close: number): void => {
      if (time === time) candles.push({ time, open: priceText(open), high: priceText(high), low: priceText(low), close: priceText(close), volume: lot.text(volume) })
    }
    for (let i = firstAtOrAfter(path.times, oldest); i < n; i++) {
      const bucket = Math.floor((path.times[i] as number) / ms) * ms
      const p = prices[i] as number
      const next = prices[i + 1] as number
      if (bucket !== time) {
        flush(p)
        time = bucket
        open = high = low = p
        volume = 0
      }
      // The step moves from p to next: both ends are prices the market traded at within the bucket.
      if (next > high) high = next
      if (next < low) low = next
      volume += volumes[i] as number
    }
    flush(prices[n] as number)
    out[tf] = candles
  }
  return out
}

/** Index of the first time at or after `t` (times ascending). */
function firstAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((times[mid] as number) < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * A grid (a tick or lot step) where a value is a whole number of steps, written from that integer, so the
 * text is exact without a decimal library per candle.
 */
function grid(step: string): { dp: number; mantissa: number; scale: number; text: (steps: number) => string } {
  const d = new Dec(step)
  const dp = d.decimalPlaces()
  const mantissa = d.times(new Dec(10).pow(dp)).toNumber() // step = mantissa × 10^-dp
  const text = (steps: number): string => {
    const units = String(Math.max(0, steps) * mantissa)
    if (dp === 0) return units
    const padded = units.padStart(dp + 1, '0')
    return `${padded.slice(0, -dp)}.${padded.slice(-dp)}`
  }
  return { dp, mantissa, scale: 10 ** dp, text }
}

/** A price as text, rounded to the tick. */
function priceFormatter(step: string): (x: number) => string {
  const g = grid(step)
  return (x) => g.text(Math.round((x * g.scale) / g.mantissa))
}

/** Volumes in whole lot steps: floored from a float, summed as integers (exact), written as text. */
function lotGrid(step: string): { floorUnits: (x: number) => number; text: (steps: number) => string } {
  const g = grid(step)
  return { floorUnits: (x) => Math.max(0, Math.floor((x * g.scale) / g.mantissa + 1e-9)), text: g.text }
}
