import type { MarketInfo } from '../../venues/port'
import { FireQueue, microtask } from './fire-queue'
import type { Leg } from './legs'
import { MarketState } from './market-state'
import type { Handle } from './trigger-index'

// The trigger index's firing path runs rarely (a stop fires a few times a day), so V8 would run it in its
// interpreter and baseline tiers, with feedback it has never collected: the first real stop of a session
// pays for that, on the market-data path. At engine start this drives scratch indexes (never the real
// orders: own market, own items, own fire queue) through the same paths — level and trailing triggers on
// every source and both sides, activations, removals, the settle's scheduling — until V8 has compiled
// them. Once per process (compiled code is per process). In the trigger bench this took the firing-tick
// p50 from about 36 to about 28 µs and the p99 of all ticks from about 31 to about 25 µs.

const INFO: MarketInfo = {
  symbol: 'WARM/UP',
  base: 'WARM',
  quote: 'UP',
  tickSize: '0.01',
  stepSize: '0.001',
  minAmount: '0.001',
  minNotional: '0',
  makerFee: '0',
  takerFee: '0',
  active: true,
}

/** Scratch items: only stored and handed back by the index, never read. */
type Item = Leg

export interface WarmUpCount {
  rounds: number
  /** Rounds run so far. */
  done: number
  fired: number
  started: number
  removed: number
}

const ROUNDS = 6000
/** Rounds per event-loop turn: the whole warm-up took 60–240 ms, by now a few ms at a time. */
const SLICE_ROUNDS = 300
/**
 * The warm-up runs three times, each pass this long after the one before ended. The first pass makes
 * dozens of functions hot at once, and V8 drops a request to optimize one when its queue of concurrent
 * compiles is full ("Compilation queue full, will retry optimizing … later", --trace-concurrent-recompilation):
 * "later" is the next time that function has run enough again, which for the firing path is hours of real
 * fires. In the trigger bench this left TrailBook.update unoptimized in about one run in three, and a
 * trailing stop's firing tick then took about 20 µs instead of 10 (p50). By the next pass the queue has
 * drained, and the same rounds ask again for whatever the pass before lost: with two passes TrailBook.join
 * still ended unoptimized in 1 of 6 bench runs, with three every firing-path function ended optimized in
 * 4 of 4.
 */
const PASS_PAUSE_MS = 1000
const PASSES = 3

let begun = false
let roundsDone = 0

/** Rounds the process's warm-up has run so far, every pass (0 before it began; for tests). */
export function warmUpRoundsDone(): number {
  return roundsDone
}

/** Rounds the whole warm-up runs (every pass). */
export const WARM_UP_ROUNDS = ROUNDS * PASSES

/**
 * Starts the warm-up the first time it is called in this process (later calls do nothing), SLICE_ROUNDS
 * at a time between event-loop turns, so it never holds a tick up for long; each later pass `pauseMs`
 * after the one before. It cannot fail the caller: an error ends it and is handed to `onError`.
 */
export function warmUpTriggerPathsOnce(onError: (err: unknown) => void, pauseMs = PASS_PAUSE_MS): void {
  if (begun) return
  begun = true
  let pass = 0
  const run = (): void => {
    let warm: WarmUp
    try {
      warm = new WarmUp(ROUNDS)
    } catch (err) {
      onError(err)
      return
    }
    const before = roundsDone
    const slice = (): void => {
      try {
        const finished = warm.step(SLICE_ROUNDS)
        roundsDone = before + warm.count.done
        if (!finished) setImmediate(slice).unref()
        else if (++pass < PASSES) setTimeout(run, pauseMs).unref()
      } catch (err) {
        onError(err)
      }
    }
    setImmediate(slice).unref()
  }
  run()
}

/** The whole warm-up at once (tests); returns what it exercised. */
export function warmUpTriggerPaths(rounds = ROUNDS): WarmUpCount {
  const warm = new WarmUp(rounds)
  while (!warm.step(rounds));
  return warm.count
}

/** The scratch market and its orders, driven a given number of rounds at a time (step). */
class WarmUp {
  readonly count: WarmUpCount
  /** Runs up to n more rounds; true when every round has run. */
  readonly step: (n: number) => boolean

  constructor(rounds: number) {
    const count: WarmUpCount = (this.count = { rounds, done: 0, fired: 0, started: 0, removed: 0 })
    const queue = new FireQueue(microtask, () => {
      queue.take()
    })
    let seed = 20261124
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    const m = new MarketState('warm-up', 'warm-up', INFO.symbol, INFO)
    const live: [Item, Handle<Item>, number][] = []
    let price = 10_000 // ticks of 0.01
    const units = (ticks: number): number => ticks * 10
    const add = (): void => {
      const source = Math.floor(rnd() * 4)
      const idx = m.index(source)
      const item = { id: live.length } as unknown as Item
      const r = rnd()
      const away = Math.max(1, Math.round(price * (0.001 + rnd() * 0.01)))
      let h: Handle<Item>
      if (r < 0.5) {
        const up = r < 0.25
        h = idx.addLevel(item, units(up ? price + away : Math.max(1, price - away)), up ? 'up' : 'down')
      } else {
        const side = rnd() < 0.5 ? 'sell' : 'buy'
        const pct = rnd() < 0.5
        const activation = rnd() < 0.3 ? units(side === 'sell' ? price + away : Math.max(1, price - away)) : null
        h = idx.addTrail(item, {
          side,
          percent: pct ? (0.1 + Math.floor(rnd() * 200) / 100).toFixed(2) : null,
          distance: pct ? null : units(away),
          activation,
          reference: activation === null && rnd() < 0.5 ? units(price) : null,
        })
      }
      live.push([item, h, source])
    }
    for (let i = 0; i < 400; i++) add()
    const firedSet = new Set<Item>()
    let done = 0
    this.step = (n: number): boolean => {
      const end = Math.min(rounds, done + n)
      for (; done < end; done++) {
        const move = Math.round((rnd() + rnd() + rnd() - 1.5) * price * 0.002)
        price = Math.max(100, price + move)
        const spread = 1 + Math.floor(rnd() * 3)
        const force = false
        // The engine's own batch arrays (onTick pushes into the fire queue's current batch), so the compiled
        // code meets the arrays it will meet for real.
        const { fired, started } = queue.current
        const firedBefore = fired.length
        const startedBefore = started.length
        if (rnd() < 0.6) m.setPrice(0, ((rnd() < 0.5 ? price : price + spread) / 100).toFixed(2), force, fired, started)
        m.setPrice(1, (price / 100).toFixed(2), force, fired, started)
        m.setPrice(2, ((price + spread) / 100).toFixed(2), force, fired, started)
        m.setMid(force, fired, started)
        count.started += started.length - startedBefore
        queue.queuedSince(firedBefore + startedBefore)
        if (fired.length > firedBefore) {
          count.fired += fired.length - firedBefore
          for (let k = firedBefore; k < fired.length; k++) firedSet.add(fired[k] as Item)
          for (let k = live.length - 1; k >= 0; k--) if (firedSet.has((live[k] as [Item, Handle<Item>, number])[0])) live.splice(k, 1)
          firedSet.clear()
          for (let k = firedBefore; k < fired.length; k++) add()
        }
        // Cancels: a removal now and then.
        if (rnd() < 0.05 && live.length > 0) {
          const k = Math.floor(rnd() * live.length)
          const [, h, source] = live[k] as [Item, Handle<Item>, number]
          m.indexes[source]?.remove(h)
          count.removed++
          live.splice(k, 1)
          add()
        }
      }
      count.done = done
      return done >= rounds
    }
  }
}
