// The conditional-order trigger engine (issue 5, point 4): 10,000 armed conditional orders over 50 markets
// (stop-market, stop-limit, take-profit market/limit, trailing stops by percent and by price with and
// without activation prices, OCO pairs; trigger sources last / bid / ask / mid), and a replayed tick stream
// (per market a random walk of the book and its trades, with rare jumps of 0.5–2 %) applied at replay speed:
// 50 markets × 40 ticks/s = 2,000 ticks/s for 15 s, each market's ticks spread evenly, after a lead-in of
// 5 s of the same stream that is not measured: the engine's start-up (its warm-up passes, warm-up.ts, and
// the compiles V8 runs then) happens in those seconds, so the figures are those of a running app (both
// sides alike; the lead-in's fires are checked as any).
//
// Ours is the real ConditionalEngine as the app starts it (its start-up warm-up of the firing path
// included, warm-up.ts; trigger index per market and source, SQLite store on a temp file in WAL mode, bus listeners as for a screen following the orders, live-figure and trailing-reference timers
// running between ticks) fed by a scripted TickSource; its gateway records when submit is called. The engine's tick handler only decides
// (index lookup: the fired legs leave the index and are queued; a rising price only notes the trailing
// references it lifts) and queues one settle on a microtask that marks the legs triggered, cancels OCO
// partners, writes the batch in one transaction and then submits (fire-queue.ts), then its firing rehearsal. The baseline, measured on the same ticks in the same run (alternating which goes
// first), is a naive scan of all 10,000 orders per tick (tests/bench/trigger-naive.ts) given the same
// deferral: its tick scans and takes the fired orders and their OCO partners out of the scan; a microtask
// then writes the same row updates to the same SQLite table in one transaction and calls its own recording
// gateway's submit with the same order. Each side's microtask runs before the other side's tick starts.
// Both must fire the same orders on the same ticks (checked; a mismatch fails the bench). Orders that
// fire are replaced (outside the timed part) so 10,000 stay armed.
//
//   trigger.tick.p50 / .p99     wall time of the synchronous tick handling (µs), every tick — what blocks
//                               the market-data path: ours = the engine's onTick (parse, index, and for
//                               ticks that fire: queueing them); naive = parse + scan + take out
//   trigger.tick.mean           the same, averaged over every tick: the market-data thread's time spent on
//                               triggers per tick (what it costs over a run, firing ticks included)
//   trigger.tick.mean+rehearsal the same with the engine's firing rehearsals (firing-rehearsal.ts: after the
//                               ticks of a turn, at most one per 0.25 ms, it fires scratch stops on an index
//                               of its own to keep the firing path's code cached; run in the microtasks after
//                               our tick, so in no tick's figure) spread over the ticks: the time of the
//                               rehearsals that ran, between the clock reads in run() (not the microtask's
//                               dispatch, nor the calls the 0.25 ms gap turned away: a clock read each)
//   trigger.tick.quiet.p99      the same on the ticks that fire nothing (the cost of finding nothing)
//   trigger.tick.firing.p50/p99 the same on the ticks that fire something (~400 ticks: their p99 is the
//                               few worst, mostly preemption on a shared machine)
//   trigger.submit.p50 / .p99   tick applied → gateway.submit called (µs), per order submitted: the tick
//                               handling, the microtask, the SQLite transaction (the k-th order of a batch
//                               of k waits for the one write of all k), both sides
// Wall times include whatever the machine does meanwhile (other processes, GC): on a loaded machine the
// p99 figures are mostly preemption; the ratio compares both sides under the same conditions.
//
//   npm run bench -- --only trigger
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type { BenchResult } from './run'
import { NaiveScan, naiveEvaluate, naiveLevel, naiveTrail, type NaiveOrder } from './trigger-naive'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore } from '../../src-main/store/open'
import { sourceMigrationsDir } from '../../src-main/config/paths'
import { conditionalCreateSchema, type ConditionalCreate } from '../../src-main/api/schemas/trading'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import type { MarketTick, OrderGateway, OrderIntent, OrderRecord, TickSource } from '../../src-main/trading/model'
import type { MarketInfo } from '../../src-main/venues/port'
import { toUnits } from '../../src-main/trading/conditional/units'
import { directionOf } from '../../src-main/trading/conditional/semantics'
import { lcg } from './orderbook-workload'

export const area = 'trigger'

const MARKETS = 50
const ORDERS = 10_000
const OCO_PAIRS = 1_000
const TICKS_PER_MARKET_PER_S = 40
const SECONDS = 15
/** Replayed first and not measured (see the header). */
const LEAD_IN_SECONDS = 5
const DIGITS = 3 // tick 0.01 → units of 0.001
const SOURCES = ['last', 'bid', 'ask', 'mid'] as const

interface Market {
  info: MarketInfo
  /** Book state in ticks (0.01). */
  bid: number
  ask: number
}

interface Tick {
  market: number
  tick: MarketTick
}

/** Per-source current units, as both sides see them (from the last live tick of each market). */
type Prices = Float64Array[]

class BenchTicks implements TickSource {
  readonly listeners = new Map<string, (t: MarketTick) => void>()
  readonly latest = new Map<string, MarketTick>()
  watch(venueId: string, symbol: string, onTick: (tick: MarketTick) => void): () => void {
    const key = `${venueId}|${symbol}`
    this.listeners.set(key, onTick)
    const now = this.latest.get(key)
    if (now !== undefined) onTick(now)
    return () => this.listeners.delete(key)
  }
}

class BenchGateway implements OrderGateway {
  /** [performance.now() at submit, leg id] of the submits since the last drain. */
  calls: [number, string][] = []
  submit(intent: OrderIntent): Promise<OrderRecord> {
    this.calls.push([performance.now(), intent.origin.ref as string])
    return Promise.resolve({
      clientOrderId: intent.clientOrderId as string,
      venueOrderId: null,
      venueId: intent.venueId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      timeInForce: intent.timeInForce,
      postOnly: intent.postOnly,
      amount: intent.amount,
      price: intent.price ?? null,
      filled: '0',
      cost: '0',
      status: 'open',
      origin: intent.origin,
      error: null,
      attempts: 1,
      createdAt: 0,
      updatedAt: 0,
    })
  }
  cancel(): Promise<OrderRecord> {
    return Promise.reject(new Error('not in this bench'))
  }
  get(): OrderRecord | undefined {
    return undefined
  }
  open(): OrderRecord[] {
    return []
  }
}

function fmt(ticks: number): string {
  return (ticks / 100).toFixed(2)
}

function mean(xs: number[]): number {
  let sum = 0
  for (const x of xs) sum += x
  return sum / xs.length
}

function quantile(xs: number[], q: number): number {
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number
}

/** One conditional order (or OCO pair) around the market's current price, never already crossed. */
function randomOrder(rnd: () => number, m: Market, mi: number, pair: boolean): { create: ConditionalCreate; legs: LegSpec[] } {
  const mid = (m.bid + m.ask) / 2
  const pct = () => 0.003 + rnd() * 0.04 // 0.3 % .. 4.3 %
  // From the low and high of what the sources read (bid/ask, or last beyond them), so no source has crossed it.
  const below = () => Math.max(1, Math.floor(m.bid * (1 - pct())))
  const above = () => Math.ceil(m.ask * (1 + pct()))
  const venueId = 'bench'
  const symbol = m.info.symbol
  const sourceOf = (): (typeof SOURCES)[number] => {
    const r = rnd()
    return r < 0.6 ? 'last' : r < 0.75 ? 'bid' : r < 0.9 ? 'ask' : 'mid'
  }
  if (pair) {
    const side = rnd() < 0.5 ? 'sell' : 'buy'
    const trigger = sourceOf()
    const tp = side === 'sell' ? above() : below()
    const sl = side === 'sell' ? below() : above()
    const legs = [
      { kind: 'take-profit-market', side, amount: '0.01', trigger, triggerPrice: fmt(tp) },
      { kind: 'stop-market', side, amount: '0.01', trigger, triggerPrice: fmt(sl) },
    ]
    return {
      create: conditionalCreateSchema.parse({ type: 'oco', venueId, symbol, legs }),
      legs: legs.map((l) => ({ market: mi, source: SOURCES.indexOf(trigger), leg: l })),
    }
  }
  const r = rnd()
  const side = rnd() < 0.5 ? 'sell' : 'buy'
  const trigger = sourceOf()
  let leg: Record<string, unknown>
  if (r < 0.55) {
    // Stops and take-profits on the side that has not fired yet.
    const kind = (['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit'] as const)[Math.floor(rnd() * 4)] as string
    const stop = kind.startsWith('stop')
    const rises = stop ? side === 'buy' : side === 'sell'
    const t = rises ? above() : below()
    leg = { kind, side, amount: '0.01', trigger, triggerPrice: fmt(t) }
    if (kind.endsWith('limit')) leg.limitPrice = fmt(rises ? t + 5 : Math.max(1, t - 5))
  } else {
    const distance =
      rnd() < 0.5 ? { unit: 'percent', value: (0.3 + Math.floor(rnd() * 300) / 100).toFixed(2) } : { unit: 'price', value: fmt(Math.max(1, Math.round(mid * pct()))) }
    leg = { kind: 'trailing-stop', side, amount: '0.01', trigger, distance }
    if (rnd() < 0.3) leg.activationPrice = fmt(side === 'sell' ? above() : below())
  }
  return {
    create: conditionalCreateSchema.parse({ type: 'single', venueId, symbol, placement: 'app', leg }),
    legs: [{ market: mi, source: SOURCES.indexOf(trigger), leg }],
  }
}

interface LegSpec {
  market: number
  source: number
  leg: Record<string, unknown>
}

function naiveOf(id: number, s: LegSpec): NaiveOrder {
  const l = s.leg as { kind: string; side: 'buy' | 'sell'; triggerPrice?: string; distance?: { unit: string; value: string }; activationPrice?: string }
  if (l.kind !== 'trailing-stop') {
    return naiveLevel(id, s.market, s.source, toUnits(l.triggerPrice as string, DIGITS), directionOf(l.kind as never, l.side))
  }
  const d = l.distance as { unit: string; value: string }
  return naiveTrail(id, s.market, s.source, l.side, {
    ...(d.unit === 'percent' ? { percent: d.value } : { distance: toUnits(d.value, DIGITS) }),
    ...(l.activationPrice !== undefined ? { activation: toUnits(l.activationPrice, DIGITS) } : {}),
  })
}

/** The next tick of a market: a trade at the touch (60 %) or a book move (40 %), sometimes a jump. */
function nextTick(rnd: () => number, m: Market): { bid: number; ask: number; last: number | null } {
  let last: number | null = null
  if (rnd() < 0.6) {
    last = rnd() < 0.5 ? m.bid : m.ask
  } else {
    const mid = (m.bid + m.ask) / 2
    let move = Math.round((rnd() + rnd() + rnd() - 1.5) * mid * 0.0006)
    if (rnd() < 0.0005) move = Math.round((rnd() < 0.5 ? -1 : 1) * mid * (0.005 + rnd() * 0.015))
    const spread = 1 + Math.floor(rnd() * 3)
    m.bid = Math.max(1, m.bid + move)
    m.ask = m.bid + spread
  }
  return { bid: m.bid, ask: m.ask, last }
}

export async function run(): Promise<BenchResult[]> {
  const rnd = lcg(20251122)
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'co-bench-trigger-'))
  const store = openStore(dir, sourceMigrationsDir(path.resolve(__dirname, '..', '..')))
  const bus = new EventBus()
  // A screen follows the conditional orders: state changes and the live-figure batches are built as for it.
  let changedEvents = 0
  let liveBatches = 0
  let liveFigures = 0
  bus.on('conditionalChanged', () => changedEvents++)
  bus.on('conditionalLive', (e) => {
    liveBatches++
    liveFigures += e.figures.length
  })
  const ticks = new BenchTicks()
  const gateway = new BenchGateway()
  const markets: Market[] = []
  for (let i = 0; i < MARKETS; i++) {
    const price = 2_000 + Math.floor(rnd() * 500_000) // 20.00 .. 5,020.00
    markets.push({
      info: {
        symbol: `M${i}/USDT`,
        base: `M${i}`,
        quote: 'USDT',
        tickSize: '0.01',
        stepSize: '0.001',
        minAmount: '0.001',
        minNotional: '0',
        makerFee: '0.001',
        takerFee: '0.001',
        active: true,
      },
      bid: price,
      ask: price + 1,
    })
  }
  const bySymbol = new Map(markets.map((m, i) => [m.info.symbol, i]))
  const engine = new ConditionalEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now: Date.now,
    gateway,
    ticks,
    markets: async (_v, symbol) => (markets[bySymbol.get(symbol) as number] as Market).info,
    labelOf: () => 'Bench',
  })
  await engine.start()

  // Both sides' view of the current prices (units), updated from the same ticks.
  const prices: Prices = markets.map(() => new Float64Array([NaN, NaN, NaN, NaN]))
  const texts: (string | null)[][] = markets.map(() => [null, null, null])
  const naive = new NaiveScan()
  const legOfNaive = new Map<NaiveOrder, string>()
  const naiveOfLeg = new Map<string, NaiveOrder>()
  const siblingOf = new Map<NaiveOrder, NaiveOrder>()
  let nextId = 1
  let creationMismatches = 0

  const tickOf = (mi: number, bid: number, ask: number, last: number | null, prev: MarketTick | undefined): MarketTick => ({
    venueId: 'bench',
    symbol: (markets[mi] as Market).info.symbol,
    bid: fmt(bid),
    ask: fmt(ask),
    last: last === null ? (prev?.last ?? null) : fmt(last),
    at: 0,
    health: 'live',
    reason: null,
  })

  /** Naive side of a tick, the synchronous part: parse, note which sources moved, scan every order, take
   *  the fired ones and their OCO partners out of the scan; the write and the submits are queued for a
   *  microtask (naiveSettle), as ours queues them. */
  const changed = [false, false, false, false]
  const naiveFired: NaiveOrder[] = []
  const naiveStarted: NaiveOrder[] = []
  const markRow = store.sqlite.prepare('update conditional_orders set status = ?, updated_at = ? where id = ?')
  const markRows = store.sqlite.transaction((rows: [string, string][]) => {
    const at = Date.now()
    for (const [id, status] of rows) markRow.run(status, at, id)
  })
  const naiveGateway = new BenchGateway()
  const intentOf = new Map<NaiveOrder, OrderIntent>()
  let naiveIds = 0
  const naiveTick = (mi: number, t: MarketTick): void => {
    const p = prices[mi] as Float64Array
    const tx = texts[mi] as (string | null)[]
    const srcTexts = [t.last, t.bid, t.ask]
    for (let s = 0; s < 3; s++) {
      const text = srcTexts[s] as string | null
      changed[s] = false
      if (text === null || text === tx[s]) continue
      tx[s] = text
      const v = toUnits(text, DIGITS)
      changed[s] = v !== p[s]
      p[s] = v
    }
    const mid = ((p[1] as number) + (p[2] as number)) / 2
    changed[3] = mid !== p[3]
    p[3] = mid
    const before = naiveFired.length
    naive.apply(mi, p, changed, naiveFired, naiveStarted)
    naiveStarted.length = 0
    if (naiveFired.length === before) return
    for (let i = before; i < naiveFired.length; i++) {
      const o = naiveFired[i] as NaiveOrder
      naiveBatch.push(o)
      const sib = siblingOf.get(o)
      if (sib !== undefined && sib.alive) {
        naive.remove(sib)
        naiveCanceled.push(sib)
      }
    }
    if (!naiveScheduled) {
      naiveScheduled = true
      // The same deferral ours uses (fire-queue.ts `microtask`): queueMicrotask costs several µs more on a
      // cold tick, which would be charged to the naive side alone.
      void settled.then(naiveSettle)
    }
  }
  /** Naive side, deferred: the same writes ours makes before submitting (the fired legs, their OCO partners
   *  canceled; one transaction), then the submits. */
  const settled = Promise.resolve()
  const naiveBatch: NaiveOrder[] = []
  const naiveCanceled: NaiveOrder[] = []
  let naiveScheduled = false
  const naiveSettle = (): void => {
    naiveScheduled = false
    const rows: [string, string][] = []
    for (const o of naiveBatch) rows.push([legOfNaive.get(o) as string, 'triggered'])
    for (const o of naiveCanceled) rows.push([legOfNaive.get(o) as string, 'canceled'])
    markRows(rows)
    for (const o of naiveBatch) naiveGateway.submit({ ...(intentOf.get(o) as OrderIntent), clientOrderId: `nv${naiveIds++}` })
    naiveBatch.length = 0
    naiveCanceled.length = 0
  }
  /** Lets the microtasks queued so far run (each side's settle), before the next measurement. */
  const drained = (): Promise<void> => new Promise<void>((r) => queueMicrotask(r))

  /**
   * A market as the engines see it now: the stream is generated up front, so `markets` holds its end state;
   * orders made during the replay go around the last tick's prices (the engine refuses a crossed trigger),
   * bid and ask widened to the last trade where it lies beyond them (after a jump, until the next trade).
   */
  const bookNow = (mi: number): Market => {
    const m = markets[mi] as Market
    const p = prices[mi] as Float64Array
    const seen = [p[0], p[1], p[2]].filter((v): v is number => v !== undefined && !Number.isNaN(v))
    if (seen.length === 0) return m
    // Units of 0.001 → ticks of 0.01.
    return { ...m, bid: Math.floor(Math.min(...seen) / 10), ask: Math.ceil(Math.max(...seen) / 10) }
  }
  /** Creates orders on both sides (outside the timed part); returns how many legs. */
  const create = async (count: number, pairs: number): Promise<number> => {
    let legs = 0
    const jobs: { create: ConditionalCreate; legs: LegSpec[] }[] = []
    for (let i = 0; i < pairs; i++) {
      const mi = Math.floor(rnd() * MARKETS)
      jobs.push(randomOrder(rnd, bookNow(mi), mi, true))
    }
    for (let i = 0; i < count; i++) {
      const mi = Math.floor(rnd() * MARKETS)
      jobs.push(randomOrder(rnd, bookNow(mi), mi, false))
    }
    for (const job of jobs) {
      gateway.calls = []
      const views = await engine.create(job.create)
      const ours = new Set(gateway.calls.map((c) => c[1]))
      const made: NaiveOrder[] = []
      views.forEach((v, i) => {
        const o = naiveOf(nextId++, job.legs[i] as LegSpec)
        const leg = (job.legs[i] as LegSpec).leg as { kind: string; side: 'buy' | 'sell'; limitPrice?: string }
        const limit = leg.kind.endsWith('-limit')
        intentOf.set(o, {
          venueId: 'bench',
          symbol: v.symbol,
          side: leg.side,
          type: limit ? 'limit' : 'market',
          timeInForce: 'GTC',
          postOnly: false,
          amount: v.amount,
          ...(limit ? { price: leg.limitPrice as string } : {}),
          origin: { kind: 'conditional', ref: v.id },
        })
        legOfNaive.set(o, v.id)
        naiveOfLeg.set(v.id, o)
        made.push(o)
      })
      if (made.length === 2) {
        siblingOf.set(made[0] as NaiveOrder, made[1] as NaiveOrder)
        siblingOf.set(made[1] as NaiveOrder, made[0] as NaiveOrder)
      }
      // Ours evaluates a new order against the current price at once; so does the naive side.
      for (const o of made) {
        const v = (prices[o.market] as Float64Array)[o.source] as number
        const fires = !Number.isNaN(v) && naiveEvaluate(o, v)
        if (fires !== ours.has(legOfNaive.get(o) as string)) creationMismatches++
        if (!fires) naive.add(o)
      }
      legs += views.length
    }
    gateway.calls = []
    return legs
  }

  // Every market gets a first live tick, then the orders.
  for (let mi = 0; mi < MARKETS; mi++) {
    const m = markets[mi] as Market
    const t = tickOf(mi, m.bid, m.ask, m.bid, undefined)
    ticks.latest.set(`bench|${m.info.symbol}`, t)
    naiveTick(mi, t)
  }
  let armed = await create(ORDERS - 2 * OCO_PAIRS, OCO_PAIRS)

  // The replayed stream, generated up front (strings included) so that generation is not measured.
  const leadIn = MARKETS * TICKS_PER_MARKET_PER_S * LEAD_IN_SECONDS
  const total = leadIn + MARKETS * TICKS_PER_MARKET_PER_S * SECONDS
  const stream: Tick[] = []
  const prev: (MarketTick | undefined)[] = markets.map((m) => ticks.latest.get(`bench|${m.info.symbol}`))
  for (let i = 0; i < total; i++) {
    const mi = i % MARKETS // round robin: each market's ticks evenly spread
    const next = nextTick(rnd, markets[mi] as Market)
    const t = tickOf(mi, next.bid, next.ask, next.last, prev[mi])
    prev[mi] = t
    stream.push({ market: mi, tick: t })
  }
  const keys = markets.map((m) => `bench|${m.info.symbol}`)

  const oursUs: number[] = []
  const naiveUs: number[] = []
  const oursQuietUs: number[] = []
  const naiveQuietUs: number[] = []
  const oursFiringUs: number[] = []
  const naiveFiringUs: number[] = []
  const oursSubmitUs: number[] = []
  const naiveSubmitUs: number[] = []
  let mismatches = 0
  let fired = 0
  // The firing rehearsals (firing-rehearsal.ts) the engine ran after ticks in the measured part, and their time.
  let rehearsalRuns0 = 0
  let rehearsalMs0 = 0
  const intervalMs = 1000 / (MARKETS * TICKS_PER_MARKET_PER_S)
  let start = performance.now()
  let pending = 0 // legs that fired, to be replaced
  for (let i = 0; i < total; i++) {
    const due = start + i * intervalMs
    let now = performance.now()
    if (due - now > 1) {
      // Replay speed: wait for the tick's time (timers and promise callbacks run meanwhile).
      if (pending > 0) {
        const t0 = performance.now()
        armed += await create(pending, 0)
        armed -= pending
        pending = 0
        start += performance.now() - t0 // creating replacements does not eat into the schedule
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.floor(due - performance.now()) - 1)))
      now = performance.now()
      while (performance.now() < due);
    }
    const { market: mi, tick } = stream[i] as Tick
    const key = keys[mi] as string
    ticks.latest.set(key, tick)
    const onTick = ticks.listeners.get(key)
    const naiveFirst = (i & 1) === 1
    gateway.calls = []
    naiveGateway.calls = []
    // Each side: its synchronous tick handling (timed), then its deferred settle runs (write → submit)
    // before the other side starts, so neither side's settle lands in the other's figures.
    let nt0 = 0
    let nt1 = 0
    if (naiveFirst) {
      nt0 = performance.now()
      naiveTick(mi, tick)
      nt1 = performance.now()
      await drained()
    }
    const t0 = performance.now()
    onTick?.(tick)
    const t1 = performance.now()
    await drained()
    if (!naiveFirst) {
      nt0 = performance.now()
      naiveTick(mi, tick)
      nt1 = performance.now()
      await drained()
    }
    if (i === leadIn) {
      rehearsalRuns0 = engine.rehearsal.runs
      rehearsalMs0 = engine.rehearsal.busyMs
    }
    if (i >= leadIn) {
      oursUs.push((t1 - t0) * 1000)
      naiveUs.push((nt1 - nt0) * 1000)
      if (gateway.calls.length === 0) {
        oursQuietUs.push((t1 - t0) * 1000)
        naiveQuietUs.push((nt1 - nt0) * 1000)
      } else {
        oursFiringUs.push((t1 - t0) * 1000)
        naiveFiringUs.push((nt1 - nt0) * 1000)
      }
      for (const [at] of gateway.calls) oursSubmitUs.push((at - t0) * 1000)
      for (const [at] of naiveGateway.calls) naiveSubmitUs.push((at - nt0) * 1000)
    }
    // Same orders, same tick.
    const a = gateway.calls.map((c) => c[1]).sort()
    const b = naiveFired.map((o) => legOfNaive.get(o) as string).sort()
    if (a.join() !== b.join()) mismatches++
    if (i >= leadIn) fired += a.length
    // A fired OCO leg's partner is gone too: replace whole orders (a pair counts as two legs).
    for (const o of naiveFired) pending += siblingOf.has(o) ? 2 : 1
    naiveFired.length = 0
  }
  const seconds = (performance.now() - start) / 1000
  const rehearsals = engine.rehearsal.runs - rehearsalRuns0
  const rehearsalUs = (engine.rehearsal.busyMs - rehearsalMs0) * 1000
  engine.stop()
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })

  const r1 = (x: number) => Math.round(x * 100) / 100
  const out = {
    ticks: total - leadIn,
    leadInTicks: leadIn,
    replaySecondsWithLeadIn: r1(seconds),
    ticksPerSecond: Math.round(total / seconds),
    fired,
    firingTicks: oursFiringUs.length,
    submitsMeasured: oursSubmitUs.length,
    naiveSubmitsMeasured: naiveSubmitUs.length,
    armedAtEnd: armed,
    mismatches,
    creationMismatches,
    conditionalChangedEvents: changedEvents,
    liveBatches,
    liveFigures,
    rehearsals,
    rehearsalMeanUs: r1(rehearsalUs / Math.max(1, rehearsals)),
  }
  process.stderr.write(`trigger bench: ${JSON.stringify(out)}\n`)
  if (mismatches > 0 || creationMismatches > 0) throw new Error(`the trigger index and the naive scan disagreed on ${mismatches} ticks and ${creationMismatches} creations`)
  const base = `naive scan of all ${ORDERS.toLocaleString('en-US')} orders, same ticks`
  return [
    { bench: `trigger.tick.p50 (${ORDERS.toLocaleString('en-US')} orders, ${MARKETS} markets)`, value: r1(quantile(oursUs, 0.5)), unit: 'µs', baseline: `${base}, p50`, baselineValue: r1(quantile(naiveUs, 0.5)) },
    { bench: 'trigger.tick.p99', value: r1(quantile(oursUs, 0.99)), unit: 'µs', baseline: `${base}, p99`, baselineValue: r1(quantile(naiveUs, 0.99)) },
    { bench: 'trigger.tick.mean', value: r1(mean(oursUs)), unit: 'µs', baseline: `${base}, mean`, baselineValue: r1(mean(naiveUs)) },
    {
      bench: `trigger.tick.mean+rehearsal (${rehearsals.toLocaleString('en-US')} rehearsals, ${r1(rehearsalUs / Math.max(1, rehearsals))} µs each)`,
      value: r1(mean(oursUs) + rehearsalUs / oursUs.length),
      unit: 'µs',
      baseline: `${base}, mean`,
      baselineValue: r1(mean(naiveUs)),
    },
    { bench: 'trigger.tick.quiet.p99 (ticks that fire nothing)', value: r1(quantile(oursQuietUs, 0.99)), unit: 'µs', baseline: `${base}, p99 of the same ticks`, baselineValue: r1(quantile(naiveQuietUs, 0.99)) },
    {
      bench: `trigger.tick.firing.p50 (the ${oursFiringUs.length} ticks that fire)`,
      value: r1(quantile(oursFiringUs, 0.5)),
      unit: 'µs',
      baseline: `${base}, p50 of the same ticks`,
      baselineValue: r1(quantile(naiveFiringUs, 0.5)),
    },
    {
      bench: 'trigger.tick.firing.p99',
      value: r1(quantile(oursFiringUs, 0.99)),
      unit: 'µs',
      baseline: `${base}, p99 of the same ticks`,
      baselineValue: r1(quantile(naiveFiringUs, 0.99)),
    },
    {
      bench: `trigger.submit.p50 (tick → gateway.submit, write included; ${fired} orders fired)`,
      value: r1(quantile(oursSubmitUs, 0.5)),
      unit: 'µs',
      baseline: 'naive: tick → scan → (microtask) same write → submit, p50',
      baselineValue: r1(quantile(naiveSubmitUs, 0.5)),
    },
    { bench: 'trigger.submit.p99', value: r1(quantile(oursSubmitUs, 0.99)), unit: 'µs', baseline: 'naive: same, p99', baselineValue: r1(quantile(naiveSubmitUs, 0.99)) },
  ]
}
