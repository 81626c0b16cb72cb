import type { Logger } from '../../../log'
import type { SimMarketSpec } from '../engine-api'
import { defaultSimMarkets } from '../markets'
import { createMatchingEngine, type MatchingEngineOptions } from '../matching/engine'
import type { Seed } from '../random'
import { SimMarketRuntime, type FlowTuningOverrides } from './runtime'
import { VirtualClock, type RealtimeDriverOptions } from './scheduler'

export { SimMarketRuntime, createSimMarketRuntime, defaultFlowTuning, type SimTraderCounts } from './runtime'
export type {
  FlowAccountInfo,
  FlowAccountRole,
  FlowTuning,
  FlowTuningOverrides,
  SimFlowMarketStats,
  SimMarketRuntimeOptions,
  SimRuntimeStats,
} from './runtime'
export { RealtimeDriver, Scheduler, VirtualClock } from './scheduler'
export type { RealtimeDriverOptions, SimClock, TaskHandle } from './scheduler'
export { FairPriceModel, defaultFairPriceConfig, defaultRegimes } from './fair-price'
export type { FairPriceConfig, VolRegime } from './fair-price'

export interface CreateSimMarketOptions {
  seed?: Seed
  intensity?: number
  /** Default: defaultSimMarkets. */
  specs?: SimMarketSpec[]
  /** Virtual start time (integer ms UTC). Default: the wall clock now. */
  startTime?: number
  symbols?: readonly string[]
  traders?: boolean | readonly string[]
  tuning?: FlowTuningOverrides
  realtime?: RealtimeDriverOptions
  alignToWall?: boolean
  /** Synthetic history before the start (runtime.ts). */
  history?: boolean
  logger?: Logger
  /** Passed to createMatchingEngine (its clock is always the runtime's). */
  engine?: Omit<MatchingEngineOptions, 'now'>
}

/** A matching engine on a virtual clock with the synthetic market and simulated traders on it. */
export function createSimMarket(options: CreateSimMarketOptions = {}): SimMarketRuntime {
  const clock = new VirtualClock(options.startTime ?? Date.now())
  const engine = createMatchingEngine(options.specs ?? defaultSimMarkets, { ...options.engine, now: () => clock.now() })
  return new SimMarketRuntime({
    engine,
    clock,
    seed: options.seed,
    intensity: options.intensity,
    symbols: options.symbols,
    traders: options.traders,
    tuning: options.tuning,
    realtime: options.realtime,
    alignToWall: options.alignToWall,
    history: options.history,
    logger: options.logger,
  })
}
