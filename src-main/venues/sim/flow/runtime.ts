import Decimal from 'decimal.js'
import type { Logger } from '../../../log'
import type { DecimalString } from '../../port'
import type { MatchingEngine, SimEvent, SimMarketSpec } from '../engine-api'
import { Rng, type Seed } from '../random'
import { createTraderContext } from '../traders/context'
import { simTraderDefinitions } from '../traders/registry'
import type { SimTraderDefinition, SimTraderStatus, TraderBot } from '../traders/types'
import { AgentAccount } from './agent'
import { FairPriceModel, type FairPriceConfig, type VolatilityState } from './fair-price'
import { LadderMaker, type LadderConfig } from './maker'
import { MarketGrid } from './quant'
import { RealtimeDriver, Scheduler, type RealtimeDriverOptions, type VirtualClock } from './scheduler'
import { HawkesTaker, type TakerConfig } from './taker'
import { backfillHistory } from './backfill'
import { DOLLARS } from '../../../stablecoins'

// The synthetic market, wired onto a matching engine: per market a latent fair price, a tight market maker
// (`mm:<symbol>`), a deep liquidity ladder (`lp:<symbol>`) and bursty takers (`taker:<symbol>`), plus the
// simulated traders (`trader:<slug>`). Everything runs on a virtual clock from one seed: `advance(ms)` /
// `stepUntil(t)` / `runEvents(n)` for tests and benchmarks, `start()` / `stop()` for the app in real time.
//
// The engine must read the same clock: createMatchingEngine(specs, { now: () => clock.now() }) — or use
// createSimMarket(), which builds both.

export interface FlowTuning {
  fair: Partial<FairPriceConfig>
  /** The tight maker; notionals in USD. */
  maker: LadderConfig
  /** The deep liquidity ladder; notionals in USD. */
  depth: LadderConfig
  /** Takers; notionals in USD. */
  taker: TakerConfig
  /** Order-book churn (cancel and re-post of one resting maker order) per second at intensity 1. */
  flickerPerSec: number
  /**
   * Floor on book updates per second per market at intensity 1: when the last second fell short, churn
   * speeds up to make the difference (coarse-tick markets like ETH/BTC change levels less often).
   */
  minBookUpdatesPerSec: number
  /** Funding of each maker / taker account, USD per side. */
  makerFundingUsd: number
  takerFundingUsd: number
  /** Permanent impact of the simulated traders' aggressive fills: × 1-min vol × √(notional / taker median). */
  traderImpact: number
}

export const defaultFlowTuning: FlowTuning = {
  fair: {},
  maker: {
    levels: 6,
    halfSpreadVol: 0.5,
    minHalfSpreadTicks: 1,
    spacingVol: 0.3,
    topNotional: 6_000,
    sizeGrowth: 0.35,
    sizeJitter: 0.35,
    requoteMs: 250,
    inventorySkew: 0.6,
    refillBelow: 0.3,
  },
  depth: {
    levels: 22,
    halfSpreadVol: 1.6,
    minHalfSpreadTicks: 2,
    spacingVol: 0.9,
    topNotional: 15_000,
    sizeGrowth: 0.25,
    sizeJitter: 0.45,
    requoteMs: 900,
    inventorySkew: 0.4,
    refillBelow: 0.25,
  },
  taker: {
    baseRatePerSec: 1,
    excitation: 0.6,
    decayPerSec: 1.2,
    medianNotional: 1_500,
    sizeSigma: 0.9,
    largeProb: 0.006,
    largeMinMult: 8,
    largeAlpha: 1.4,
    largeMaxMult: 120,
    informedness: 1.5,
    herding: 0.25,
    maxSlippage: 0.003,
    largeImpact: 0.12,
  },
  flickerPerSec: 10,
  minBookUpdatesPerSec: 30,
  makerFundingUsd: 40_000_000,
  takerFundingUsd: 20_000_000,
  traderImpact: 0.15,
}

export type FlowTuningOverrides = {
  [K in keyof FlowTuning]?: FlowTuning[K] extends number ? number : Partial<FlowTuning[K]>
}

export interface SimMarketRuntimeOptions {
  engine: MatchingEngine
  /** The clock the engine reads. */
  clock: VirtualClock
  seed?: Seed
  /** Scales every arrival and requote rate (1 = at least 20 book updates/s per market). */
  intensity?: number
  /** Markets to animate (default: all of the engine's). */
  symbols?: readonly string[]
  /** Simulated traders: all that fit the markets (default), none, or these ids/slugs. */
  traders?: boolean | readonly string[]
  /** The traders' counts as saved with the engine state (see traderCounts()), so they run on after a restart. */
  traderCounts?: Record<string, SimTraderCounts>
  tuning?: FlowTuningOverrides
  realtime?: RealtimeDriverOptions
  /**
   * On start(), move a virtual clock that is behind the wall clock up to it (pending tasks move with it, as if
   * the market had been paused), so engine timestamps are real UTC times (default true). A clock ahead of
   * the wall clock is left alone.
   */
  alignToWall?: boolean
  /**
   * Synthetic history (backfill.ts) for the span each market has no candles for, when the market starts:
   * a first start's last weeks, or the time a saved session was closed (default false).
   */
  history?: boolean
  logger?: Logger
}

/** What a simulated trader has done since its first start: kept across restarts. */
export interface SimTraderCounts {
  ordersPlaced: number
  fills: number
}

export type FlowAccountRole = 'maker' | 'depth' | 'taker' | 'trader'

export interface FlowAccountInfo {
  id: string
  role: FlowAccountRole
  symbols: string[]
}

export interface SimFlowMarketStats {
  symbol: string
  fairPrice: number
  /** Current 1-minute relative volatility of the fair price. */
  vol1m: number
  bookUpdates: number
  trades: number
  events: number
  bookUpdatesPerSec: number
  tradesPerSec: number
  eventsPerSec: number
  /** Over the last 10 virtual seconds. */
  recentBookUpdatesPerSec: number
  largeTrades: number
  postOnlyRejects: number
}

export interface SimRuntimeStats {
  seed: Seed
  intensity: number
  running: boolean
  startTime: number
  now: number
  elapsedMs: number
  regime: string
  regimeSwitches: number
  events: number
  eventsPerSec: number
  tasks: number
  /** Exceptions caught from agents (not refusals); should stay 0. */
  errors: number
  /** Virtual ms skipped by the real-time driver after falling far behind. */
  skippedMs: number
  markets: SimFlowMarketStats[]
  traders: SimTraderStatus[]
}

const REPLENISH_EVERY_MS = 3_600_000
const RECENT_SECONDS = 10

class MarketCounters {
  book = 0
  trades = 0
  events = 0
  private readonly buckets = new Array<number>(RECENT_SECONDS + 1).fill(0)
  private bucketSecond = 0

  addBook(now: number): void {
    this.book++
    const second = Math.floor(now / 1000)
    this.roll(second)
    const i = second % this.buckets.length
    this.buckets[i] = (this.buckets[i] ?? 0) + 1
  }

  /** Book updates in the last full second. */
  lastSecond(now: number): number {
    const second = Math.floor(now / 1000)
    this.roll(second)
    return this.buckets[(second - 1) % this.buckets.length] ?? 0
  }

  /** Book updates per second over the last full seconds (up to RECENT_SECONDS) since `since`. */
  recentRate(now: number, since: number): number {
    const second = Math.floor(now / 1000)
    this.roll(second)
    const from = Math.max(second - RECENT_SECONDS, Math.ceil(since / 1000))
    if (from >= second) return 0
    let sum = 0
    for (let s = from; s < second; s++) sum += this.buckets[s % this.buckets.length] ?? 0
    return sum / (second - from)
  }

  private roll(second: number): void {
    if (second <= this.bucketSecond) return
    const gap = Math.min(second - this.bucketSecond, this.buckets.length)
    for (let k = 1; k <= gap; k++) this.buckets[(this.bucketSecond + k) % this.buckets.length] = 0
    this.bucketSecond = second
  }
}

interface MarketFlow {
  grid: MarketGrid
  maker: LadderMaker
  depth: LadderMaker
  taker: HawkesTaker
  counters: MarketCounters
}

interface TraderRun {
  def: SimTraderDefinition
  account: AgentAccount
  bot: TraderBot
  startEquityUsd: number
  lastAction: string | null
  lastActionAt: number | null
}

function mergeTuning(overrides: FlowTuningOverrides | undefined): FlowTuning {
  const o = overrides ?? {}
  return {
    fair: { ...defaultFlowTuning.fair, ...o.fair },
    maker: { ...defaultFlowTuning.maker, ...o.maker },
    depth: { ...defaultFlowTuning.depth, ...o.depth },
    taker: { ...defaultFlowTuning.taker, ...o.taker },
    flickerPerSec: o.flickerPerSec ?? defaultFlowTuning.flickerPerSec,
    minBookUpdatesPerSec: o.minBookUpdatesPerSec ?? defaultFlowTuning.minBookUpdatesPerSec,
    makerFundingUsd: o.makerFundingUsd ?? defaultFlowTuning.makerFundingUsd,
    takerFundingUsd: o.takerFundingUsd ?? defaultFlowTuning.takerFundingUsd,
    traderImpact: o.traderImpact ?? defaultFlowTuning.traderImpact,
  }
}

function depositString(x: number): DecimalString {
  if (!(x > 0) || !Number.isFinite(x)) return '0'
  return new Decimal(x.toFixed(8)).toFixed()
}

export class SimMarketRuntime {
  readonly engine: MatchingEngine
  readonly clock: VirtualClock
  readonly scheduler: Scheduler
  readonly seed: Seed
  readonly intensity: number
  private readonly rng: Rng
  private readonly tuning: FlowTuning
  private readonly symbols: string[]
  private readonly specs: SimMarketSpec[]
  private readonly grids = new Map<string, MarketGrid>()
  private readonly flows = new Map<string, MarketFlow>()
  private readonly agents = new Map<string, AgentAccount>()
  private readonly roles = new Map<string, FlowAccountInfo>()
  private readonly traderRuns = new Map<string, TraderRun>()
  private readonly traderChoice: boolean | readonly string[]
  private readonly savedTraderCounts: Record<string, SimTraderCounts>
  private readonly driver: RealtimeDriver
  private readonly alignToWall: boolean
  private readonly wallNow: () => number
  private readonly logger: Logger | undefined
  private readonly history: boolean
  private fair: FairPriceModel | null = null
  private readonly funded = new Map<string, Decimal>()
  /** What each flow account (maker, depth, taker) is meant to hold; topped up when it falls below half. */
  private readonly flowFunding = new Map<string, Record<string, DecimalString>>()
  private unsubscribe: (() => void) | null = null
  private initialized = false
  private startTime: number
  private eventCount = 0
  private errorCount = 0
  private readonly usdRoutes = new Map<string, { symbol: string; invert: boolean } | null>()
  private engineSymbols: Set<string> | null = null

  constructor(options: SimMarketRuntimeOptions) {
    this.engine = options.engine
    this.clock = options.clock
    if (this.engine.now() !== this.clock.now()) {
      throw new Error('SimMarketRuntime: the engine must read the runtime clock (createMatchingEngine(specs, { now: () => clock.now() }))')
    }
    this.seed = options.seed ?? 1
    this.intensity = options.intensity ?? 1
    if (!(this.intensity > 0) || !Number.isFinite(this.intensity)) throw new RangeError(`intensity must be > 0, got ${this.intensity}`)
    this.rng = new Rng(this.seed)
    this.tuning = mergeTuning(options.tuning)
    this.logger = options.logger
    const all = this.engine.markets()
    const wanted = options.symbols ? new Set(options.symbols) : null
    this.specs = all.filter((s) => !wanted || wanted.has(s.symbol))
    if (wanted) for (const s of wanted) if (!this.specs.some((m) => m.symbol === s)) throw new RangeError(`unknown market ${s}`)
    this.symbols = this.specs.map((s) => s.symbol)
    for (const spec of this.specs) this.grids.set(spec.symbol, new MarketGrid(spec))
    this.traderChoice = options.traders ?? true
    this.savedTraderCounts = options.traderCounts ?? {}
    this.startTime = this.clock.now()
    this.scheduler = new Scheduler(this.clock, (error) => this.reportError(error))
    this.driver = new RealtimeDriver(this.scheduler, options.realtime)
    this.alignToWall = options.alignToWall ?? true
    this.wallNow = options.realtime?.wallNow ?? Date.now
    this.history = options.history ?? false
  }

  // ── driving ─────────────────────────────────────────────────────────────────────────────────────────

  /** Runs in real time (virtual time follows the wall clock from now on). */
  start(): void {
    if (this.running) return
    if (this.alignToWall) {
      const behind = this.wallNow() - this.clock.now()
      if (behind > 0) this.scheduler.shift(behind)
    }
    this.init()
    this.driver.start()
  }

  stop(): void {
    this.driver.stop()
  }

  get running(): boolean {
    return this.driver.isRunning
  }

  /** Runs `ms` of virtual time. */
  advance(ms: number): void {
    this.stepUntil(this.clock.now() + ms)
  }

  /** Runs until virtual time `time`. */
  stepUntil(time: number): void {
    this.init()
    this.scheduler.runUntil(time)
  }

  /** Runs until at least `n` more engine events have been emitted; returns how many were. */
  runEvents(n: number): number {
    this.init()
    const target = this.eventCount + n
    const before = this.eventCount
    while (this.eventCount < target && this.scheduler.runNext()) {
      // run
    }
    return this.eventCount - before
  }

  /** Stops, withdraws every flow and trader order from the book and detaches from the engine. */
  dispose(): void {
    this.stop()
    this.scheduler.clear()
    for (const agent of this.agents.values()) agent.cancelAll()
    this.unsubscribe?.()
    this.unsubscribe = null
  }

  // ── views ───────────────────────────────────────────────────────────────────────────────────────────

  /** Every account this runtime funds and drives. */
  accounts(): FlowAccountInfo[] {
    return [...this.roles.values()].map((r) => ({ ...r, symbols: [...r.symbols] }))
  }

  /** What this runtime deposited, per asset (money conservation: balances + fees = deposits). */
  deposits(): Record<string, DecimalString> {
    const out: Record<string, DecimalString> = {}
    for (const asset of [...this.funded.keys()].sort()) out[asset] = (this.funded.get(asset) as Decimal).toFixed()
    return out
  }

  /** The latent fair price the makers quote around. */
  fairPrice(symbol: string): number {
    this.init()
    return (this.fair as FairPriceModel).price(symbol)
  }

  regime(): string {
    this.init()
    return (this.fair as FairPriceModel).regimeName()
  }

  traders(): SimTraderStatus[] {
    return [...this.traderRuns.values()].map((run) => {
      const equity = this.equityUsd(run.account.id)
      const c = run.account.counters
      return {
        id: run.def.id,
        name: run.def.name,
        style: run.def.style,
        active: this.running,
        equityUsd: equity,
        startEquityUsd: run.startEquityUsd,
        pnlPct: run.startEquityUsd > 0 ? (equity / run.startEquityUsd - 1) * 100 : 0,
        ordersPlaced: c.placed,
        fills: c.fills,
        rejections: c.rejected,
        lastAction: run.lastAction,
        lastActionAt: run.lastActionAt,
      }
    })
  }

  /** The traders' counts to save with the engine state; the ones not set up (yet) as they were saved. */
  traderCounts(): Record<string, SimTraderCounts> {
    const out: Record<string, SimTraderCounts> = { ...this.savedTraderCounts }
    for (const run of this.traderRuns.values()) out[run.def.id] = { ordersPlaced: run.account.counters.placed, fills: run.account.counters.fills }
    return out
  }

  /** Counters of one account driven here (tests, diagnostics). */
  agentCounters(accountId: string): AgentAccount['counters'] | undefined {
    return this.agents.get(accountId)?.counters
  }

  stats(): SimRuntimeStats {
    this.init()
    const fair = this.fair as FairPriceModel
    const now = this.clock.now()
    const elapsed = Math.max(1, now - this.startTime)
    const perSec = (n: number) => (n * 1000) / elapsed
    let errors = this.errorCount
    for (const a of this.agents.values()) errors += a.counters.errors
    return {
      seed: this.seed,
      intensity: this.intensity,
      running: this.running,
      startTime: this.startTime,
      now,
      elapsedMs: now - this.startTime,
      regime: fair.regimeName(),
      regimeSwitches: fair.regimeSwitches,
      events: this.eventCount,
      eventsPerSec: perSec(this.eventCount),
      tasks: this.scheduler.tasksRun,
      errors,
      skippedMs: this.driver.skipped,
      markets: this.symbols.map((symbol) => {
        const flow = this.flows.get(symbol) as MarketFlow
        const c = flow.counters
        return {
          symbol,
          fairPrice: fair.price(symbol),
          vol1m: fair.vol1m(symbol),
          bookUpdates: c.book,
          trades: c.trades,
          events: c.events,
          bookUpdatesPerSec: perSec(c.book),
          tradesPerSec: perSec(c.trades),
          eventsPerSec: perSec(c.events),
          recentBookUpdatesPerSec: c.recentRate(now, this.startTime),
          largeTrades: flow.taker.largeTrades,
          postOnlyRejects: flow.maker.postOnlyRejects + flow.depth.postOnlyRejects,
        }
      }),
      traders: this.traders(),
    }
  }

  /** USD value of one unit of an asset (stables 1, others via their USD-stable market's mid). */
  usdPrice(asset: string): number {
    if (DOLLARS.has(asset)) return 1
    let route = this.usdRoutes.get(asset)
    if (route === undefined) {
      route = null
      for (const s of this.engine.markets()) {
        if (s.base === asset && DOLLARS.has(s.quote)) route = { symbol: s.symbol, invert: false }
        else if (s.quote === asset && DOLLARS.has(s.base)) route = { symbol: s.symbol, invert: true }
        if (route) break
      }
      this.usdRoutes.set(asset, route)
    }
    if (!route) return 0
    const price = this.marketPrice(route.symbol)
    if (!(price > 0)) return 0
    return route.invert ? 1 / price : price
  }

  // ── set-up ──────────────────────────────────────────────────────────────────────────────────────────

  private init(): void {
    if (this.initialized) return
    this.initialized = true
    this.startTime = this.clock.now()
    this.unsubscribe = this.engine.on(this.onEvent)
    let past: VolatilityState | null = null
    if (this.history) {
      past = backfillHistory({
        engine: this.engine,
        specs: this.specs,
        fair: this.tuning.fair,
        taker: this.tuning.taker,
        intensity: this.intensity,
        rng: this.rng.fork('history'),
        now: this.startTime,
        usdPrice: (asset) => this.usdPrice(asset),
        ...(this.logger ? { logger: this.logger } : {}),
      }).volatility
    }

    // Start from the engine's last price where it has traded already (a restored engine).
    const startSpecs = this.specs.map((spec) => {
      const last = Number(this.engine.ticker(spec.symbol).last)
      return last > 0 ? { ...spec, initialPrice: String(last) } : spec
    })
    this.fair = new FairPriceModel(startSpecs, this.rng.fork('fair'), this.startTime, this.tuning.fair)
    const fair = this.fair
    // The live market goes on in the regime, volatility and trends its history ended with.
    if (past !== null) fair.adoptVolatility(past)

    for (const spec of this.specs) this.setUpMarket(spec, fair)
    for (const def of this.chosenTraders()) this.setUpTrader(def)

    // The fair price steps on a fixed grid; every agent loop reads it.
    const stepMs = fair.stepMs
    const step = () => {
      this.scheduler.after(stepMs, step)
      fair.step(this.clock.now())
    }
    this.scheduler.after(stepMs, step)

    // Flow accounts are the market's plumbing, not players: a long session (or a restored engine) that has
    // drained one of them gets it topped up, counted in deposits().
    const replenishAll = () => {
      this.scheduler.after(REPLENISH_EVERY_MS, replenishAll)
      for (const id of this.flowFunding.keys()) this.replenish(id)
    }
    this.scheduler.after(REPLENISH_EVERY_MS, replenishAll)
  }

  private replenish(accountId: string): void {
    const wanted = this.flowFunding.get(accountId)
    const account = this.agents.get(accountId)
    if (!wanted || !account) return
    const held = new Map(this.engine.balances(accountId).map((b) => [b.asset, new Decimal(b.total)]))
    for (const [asset, amount] of Object.entries(wanted)) {
      const target = new Decimal(amount)
      const have = held.get(asset) ?? new Decimal(0)
      if (have.gte(target.div(2))) continue
      const top = target.minus(have).toFixed()
      this.engine.deposit(accountId, asset, top)
      this.funded.set(asset, (this.funded.get(asset) ?? new Decimal(0)).plus(top))
    }
    account.syncBalances()
  }

  private setUpMarket(spec: SimMarketSpec, fair: FairPriceModel): void {
    const symbol = spec.symbol
    const grid = this.grids.get(symbol) as MarketGrid
    const rng = this.rng.fork(`market:${symbol}`)
    const usdQuote = this.usdPrice(spec.quote) || this.fairUsd(spec.quote)
    const usdBase = this.usdPrice(spec.base) || this.fairUsd(spec.base)
    const toQuote = (usd: number) => usd / (usdQuote > 0 ? usdQuote : 1)
    const tag = `${spec.base}${spec.quote}`

    const makerCfg: LadderConfig = { ...this.tuning.maker, topNotional: toQuote(this.tuning.maker.topNotional) }
    const depthCfg: LadderConfig = { ...this.tuning.depth, topNotional: toQuote(this.tuning.depth.topNotional) }
    const takerCfg: TakerConfig = { ...this.tuning.taker, medianNotional: toQuote(this.tuning.taker.medianNotional) }

    const fund = (id: string, role: FlowAccountRole, usd: number): AgentAccount => {
      const balances: Record<string, DecimalString> = {
        [spec.base]: depositString(usd / (usdBase > 0 ? usdBase : 1)),
        [spec.quote]: depositString(toQuote(usd)),
      }
      const account = this.addAccount(id, role, [symbol], `${role}-${tag}`, balances)
      this.flowFunding.set(id, balances)
      this.replenish(id)
      return account
    }
    const makerAccount = fund(`mm:${symbol}`, 'maker', this.tuning.makerFundingUsd)
    const depthAccount = fund(`lp:${symbol}`, 'depth', this.tuning.makerFundingUsd)
    const takerAccount = fund(`taker:${symbol}`, 'taker', this.tuning.takerFundingUsd)

    const maker = new LadderMaker(makerAccount, this.engine, grid, fair, rng.fork('mm'), makerCfg)
    const depth = new LadderMaker(depthAccount, this.engine, grid, fair, rng.fork('lp'), depthCfg)
    const taker = new HawkesTaker(takerAccount, grid, this.engine, fair, rng.fork('taker'), takerCfg, this.intensity, this.clock.now())
    const target = (id: string, asset: string) => Number(this.flowFunding.get(id)?.[asset] ?? 0)
    maker.setInventoryTarget(target(makerAccount.id, spec.base), target(makerAccount.id, spec.quote))
    depth.setInventoryTarget(target(depthAccount.id, spec.base), target(depthAccount.id, spec.quote))
    taker.setInventoryTarget(target(takerAccount.id, spec.base))
    const flow: MarketFlow = { grid, maker, depth, taker, counters: new MarketCounters() }
    this.flows.set(symbol, flow)

    // Liquidity first, so the book is two-sided from the first instant.
    depth.requote()
    maker.requote()

    const jitterRng = rng.fork('timing')
    const every = (meanMs: number, fn: () => void) => {
      const loop = () => {
        this.scheduler.after(meanMs * jitterRng.uniform(0.6, 1.4), loop)
        fn()
      }
      this.scheduler.after(meanMs * jitterRng.next(), loop)
    }
    every(makerCfg.requoteMs / this.intensity, () => maker.requote())
    every(depthCfg.requoteMs / this.intensity, () => depth.requote())

    // Book churn: a Poisson stream of cancel-and-repost, busier in volatile regimes, and busier still when
    // the last second's book updates fell short of the floor (each churn is two updates).
    const floor = this.tuning.minBookUpdatesPerSec * this.intensity
    const flicker = () => {
      const now = this.clock.now()
      const deficit = now - this.startTime >= 1000 ? Math.max(0, floor - flow.counters.lastSecond(now)) : 0
      const rate = this.tuning.flickerPerSec * this.intensity * fair.regime().activityMult + deficit / 2
      const wait = Math.min(jitterRng.exponential(rate) * 1000, 1000)
      const fire = wait < 1000
      this.scheduler.after(Math.max(1, wait), () => {
        if (fire) (jitterRng.next() < 0.55 ? maker : depth).flicker()
        flicker()
      })
    }
    flicker()

    // Takers: Hawkes arrivals.
    const takeLoop = () => {
      const next = taker.next(this.clock.now())
      this.scheduler.at(Math.max(next.time, this.clock.now() + 1), () => {
        if (next.fire) taker.act(this.clock.now())
        takeLoop()
      })
    }
    takeLoop()
  }

  private chosenTraders(): SimTraderDefinition[] {
    const choice = this.traderChoice
    if (choice === false) return []
    const have = new Set(this.symbols)
    const fits = (d: SimTraderDefinition) => d.symbols.every((s) => have.has(s))
    if (choice === true) return simTraderDefinitions.filter(fits)
    const wanted = new Set(choice)
    return simTraderDefinitions.filter((d) => (wanted.has(d.id) || wanted.has(d.slug)) && fits(d))
  }

  private setUpTrader(def: SimTraderDefinition): void {
    const account = this.addAccount(def.id, 'trader', def.symbols, def.slug, def.startingBalances)
    // Counted from the trader's first start, not from this one (its fills are kept across restarts too).
    const saved = this.savedTraderCounts[def.id]
    if (saved) {
      account.counters.placed += saved.ordersPlaced
      account.counters.fills += saved.fills
    }
    const bot = def.create()
    const run: TraderRun = { def, account, bot, startEquityUsd: this.equityUsd(def.id), lastAction: null, lastActionAt: null }
    this.traderRuns.set(def.id, run)
    if (bot.onFill) account.onFill = (fill) => bot.onFill?.(fill)
    if (bot.onOrderDone) account.onOrderDone = (order) => bot.onOrderDone?.(order)
    const ctx = createTraderContext({
      id: def.id,
      rng: this.rng.fork(def.id),
      params: def.params,
      engine: this.engine,
      scheduler: this.scheduler,
      account,
      grids: this.grids,
      usdPrice: (asset) => this.usdPrice(asset),
      isActive: () => true,
      onNote: (action, at) => {
        run.lastAction = action
        run.lastActionAt = at
      },
    })
    try {
      bot.start(ctx)
    } catch (error) {
      this.reportError(error)
    }
  }

  private addAccount(
    id: string,
    role: FlowAccountRole,
    symbols: string[],
    clientPrefix: string,
    balances: Record<string, DecimalString>,
  ): AgentAccount {
    const account = new AgentAccount(id, this.engine, clientPrefix, this.grids)
    this.agents.set(id, account)
    this.roles.set(id, { id, role, symbols })
    if (this.engine.hasAccount(id)) {
      // A restored engine: keep the account's money, clear its old orders (they are re-made from scratch).
      for (const order of this.engine.openOrders(id)) {
        try {
          this.engine.cancelOrder(id, order.symbol, { venueOrderId: order.venueOrderId })
        } catch (error) {
          this.reportError(error)
        }
      }
    } else {
      for (const [asset, amount] of Object.entries(balances)) {
        this.engine.deposit(id, asset, amount)
        this.funded.set(asset, (this.funded.get(asset) ?? new Decimal(0)).plus(amount))
      }
    }
    account.syncBalances()
    return account
  }

  // ── events ──────────────────────────────────────────────────────────────────────────────────────────

  private readonly onEvent = (event: SimEvent): void => {
    this.eventCount++
    switch (event.type) {
      case 'book': {
        const flow = this.flows.get(event.symbol)
        if (flow) {
          flow.counters.events++
          flow.counters.addBook(event.timestamp)
        }
        return
      }
      case 'trade': {
        const flow = this.flows.get(event.trade.symbol)
        if (flow) {
          flow.counters.events++
          flow.counters.trades++
        }
        return
      }
      case 'order': {
        const flow = this.flows.get(event.order.symbol)
        if (flow) flow.counters.events++
        this.agents.get(event.accountId)?.handle(event)
        return
      }
      case 'fill': {
        const flow = this.flows.get(event.fill.symbol)
        if (flow) flow.counters.events++
        const agent = this.agents.get(event.accountId)
        if (!agent) return
        if (flow && event.fill.liquidity === 'taker' && this.traderRuns.has(event.accountId)) this.traderImpact(flow, event.fill)
        agent.handle(event)
        return
      }
      case 'balance':
        this.agents.get(event.accountId)?.handle(event)
        return
    }
  }

  private traderImpact(flow: MarketFlow, fill: { price: string; amount: string; side: 'buy' | 'sell'; symbol: string }): void {
    const fair = this.fair
    if (!fair) return
    const notional = Number(fill.price) * Number(fill.amount)
    const ratio = notional / flow.taker.config.medianNotional
    if (!(ratio > 0)) return
    const vol = fair.vol1m(fill.symbol)
    const shift = Math.min(1.5 * vol, this.tuning.traderImpact * vol * Math.sqrt(ratio))
    fair.impact(fill.symbol, fill.side === 'buy' ? shift : -shift)
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────

  private marketPrice(symbol: string): number {
    this.engineSymbols ??= new Set(this.engine.markets().map((m) => m.symbol))
    if (!this.engineSymbols.has(symbol)) return 0
    const top = this.engine.book(symbol, 1)
    const bid = top.bids[0]
    const ask = top.asks[0]
    if (bid && ask) return (Number(bid[0]) + Number(ask[0])) / 2
    if (this.fair && this.flows.has(symbol)) return this.fair.price(symbol)
    return Number(this.engine.ticker(symbol).last)
  }

  /** USD value of an asset from the markets' reference prices alone (set-up time, before any book). */
  private fairUsd(asset: string): number {
    for (const s of this.engine.markets()) {
      if (s.base === asset && DOLLARS.has(s.quote)) return Number(s.initialPrice)
      if (s.quote === asset && DOLLARS.has(s.base)) return 1 / Number(s.initialPrice)
    }
    return 1
  }

  private equityUsd(accountId: string): number {
    let sum = 0
    for (const b of this.engine.balances(accountId)) sum += Number(b.total) * this.usdPrice(b.asset)
    return sum
  }

  private reportError(error: unknown): void {
    this.errorCount++
    if (this.errorCount <= 10) this.logger?.warn('sim flow: an agent task failed', error)
  }
}

export function createSimMarketRuntime(options: SimMarketRuntimeOptions): SimMarketRuntime {
  return new SimMarketRuntime(options)
}
