import type { Logger } from '../../../log'
import type { MatchingEngine, SimMarketSpec } from '../engine-api'
import type { Rng } from '../random'
import type { FairPriceConfig, VolatilityState } from './fair-price'
import { syntheticHistory } from './history'
import type { TakerConfig } from './taker'

// When the synthetic market starts, the span it has no candles for gets synthetic history (history.ts):
// on a first start the last HISTORY_SPAN_MS before now, ending at the start price; after a saved session,
// the time the app was closed (at most HISTORY_SPAN_MS), from the saved close back to it.

/** How far back a first start's history goes: 1 h candles fill their 1,000. */
const HISTORY_SPAN_MS = 45 * 86_400_000
/** A shorter pause (a quick restart) is left to the usual flat fill. */
const MIN_GAP_MS = 2 * 60_000
const MINUTE = 60_000

export interface BackfillInput {
  engine: MatchingEngine
  specs: readonly SimMarketSpec[]
  fair: Partial<FairPriceConfig>
  taker: TakerConfig
  intensity: number
  rng: Rng
  now: number
  /** USD value of one unit of an asset now (0 when unknown). */
  usdPrice: (asset: string) => number
  logger?: Logger
}

export interface Backfilled {
  /** The span filled per market (ms). */
  filled: Map<string, number>
  /** The volatility state the newest history ended with (null when nothing was filled). */
  volatility: VolatilityState | null
}

/** Backfills every market that lacks history. */
export function backfillHistory(input: BackfillInput): Backfilled {
  const { engine, now } = input
  const to = now
  // Markets grouped by where their history must start: one path per group keeps them correlated.
  const groups = new Map<string, { from: number; pinned: boolean; specs: SimMarketSpec[] }>()
  for (const spec of input.specs) {
    const [last] = engine.candles(spec.symbol, '1m', { limit: 1 })
    const from = last === undefined ? Math.floor((to - HISTORY_SPAN_MS) / MINUTE) * MINUTE : Math.max(last.time + MINUTE, to - HISTORY_SPAN_MS)
    if (to - from < MIN_GAP_MS) continue
    const pinned = last !== undefined
    const key = `${pinned ? 'gap' : 'first'}:${from}`
    const group = groups.get(key) ?? { from, pinned, specs: [] }
    group.specs.push(spec)
    groups.set(key, group)
  }
  const filled = new Map<string, number>()
  let volatility: VolatilityState | null = null
  for (const { from, pinned, specs } of groups.values()) {
    const prices = new Map(specs.map((s) => [s.symbol, Number(engine.ticker(s.symbol).last)]))
    const history = syntheticHistory({
      specs,
      fair: input.fair,
      rng: input.rng.fork(`history:${from}`),
      from,
      to,
      endPrices: prices,
      ...(pinned ? { startPrices: prices } : {}),
      volumePerMinute: takerVolume(input, specs),
      keep: (tf) => engine.candleCapacity(tf),
    })
    for (const [symbol, candles] of history.candles) {
      engine.backfillCandles(symbol, candles)
      filled.set(symbol, to - from)
    }
    // Groups end together (at now): any group's regime will do; each names its own markets.
    const markets: VolatilityState['markets'] = { ...volatility?.markets, ...history.volatility.markets }
    volatility = { ...history.volatility, markets }
  }
  if (filled.size > 0) {
    const hours = Math.max(...filled.values()) / 3_600_000
    input.logger?.info(`simulated exchange: ${hours.toFixed(1)} h of synthetic history for ${[...filled.keys()].join(', ')}`)
  }
  return { filled, volatility }
}

/**
 * The synthetic takers' mean traded amount per minute in the normal regime: the Hawkes process's mean rate
 * (base ÷ (1 − branching ratio)) times the mean of the log-normal order notional (large orders left out).
 */
function takerVolume(input: BackfillInput, specs: readonly SimMarketSpec[]): (symbol: string, price: number) => number {
  const t = input.taker
  const perSecond = (t.baseRatePerSec * input.intensity) / (1 - t.excitation / t.decayPerSec)
  const meanUsd = t.medianNotional * Math.exp((t.sizeSigma * t.sizeSigma) / 2)
  const quoteUsd = new Map(specs.map((s) => [s.symbol, input.usdPrice(s.quote) || 1]))
  return (symbol, price) => (perSecond * 60 * meanUsd) / (quoteUsd.get(symbol) as number) / price
}
