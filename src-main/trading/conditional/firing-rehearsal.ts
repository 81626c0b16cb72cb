import { objectArray } from './array-kinds'
import type { Leg } from './legs'
import { SourceIndex, type LevelHandle, type TrailHandle } from './trigger-index'

// Keeps the trigger index's firing path in the CPU's caches between real fires.
//
// A stop fires a few times a day and a tick arrives every few hundred µs: by the time a price crosses a
// stop, what the process ran since (other markets' quiet ticks, the exchanges' messages, the screen's
// updates) has evicted the firing path's machine code, and a firing tick spends much of its time fetching
// it. (The start-up warm-up, warm-up.ts, makes V8 compile that code; this keeps it cached.) So after the
// ticks of a turn — a microtask, never on the tick itself — the engine fires two scratch trailing stops
// (one by percent, one by price distance) and a scratch level on an index of its own and arms them again:
// the same index functions (SourceIndex.applyAll and TrailBook.update are not inlined into their callers,
// so the rehearsal runs the very machine code a real fire runs), the same branches, the same array kinds.
// Never the real orders: own index, own items, own batch arrays. Not on a turn that fired (its code is warm,
// and the rehearsal would run before that turn's orders are sent, which continue after an await). Low-latency trading systems do the same
// ("keep the hot path warm" by running it on dummy data). In the trigger bench a trailing stop's firing
// tick went from about 4.3 to 2.6 µs (p50) with it.
//
// Its cost is bounded: at most one rehearsal per MIN_GAP_MS, only while a market with armed orders ticks,
// about 2 µs each (the bench reports it). Each is also a self-check of the index: if the scratch stops do
// not all fire, or fire twice, it throws (the engine logs that once and stops rehearsing).

/** At most one rehearsal per this many ms (≤ 4,000 a second; at ~2 µs each, under 1 % of a core). */
export const MIN_GAP_MS = 0.25

/** Scratch prices (units, as the index's): the stops trail from REF; FIRE_AT is below all three triggers. */
const REF = 1_000_000
const LEVEL = REF - 500 // a sell stop's level: fires at ≤ 999,500
const DISTANCE = 1_000 // trigger 999,000
const PERCENT = '1' // trigger 990,000
const FIRE_AT = REF - 20_000

export class FiringRehearsal {
  private readonly index = new SourceIndex<Leg>()
  private readonly fired = objectArray<Leg>()
  private readonly started = objectArray<Leg>()
  private readonly pct: TrailHandle<Leg>
  private readonly dist: TrailHandle<Leg>
  private readonly level: LevelHandle<Leg>
  private last = -Infinity
  /** Rehearsals run, and the time they took (ms): what keeping the path warm costs (the bench reports it). */
  runs = 0
  busyMs = 0

  constructor(private readonly clock: () => number = () => performance.now()) {
    // Stored and handed back by the index, never read.
    const item = {} as Leg
    const idx = this.index
    this.pct = idx.addTrail(item, { side: 'sell', percent: PERCENT, distance: null, activation: null, reference: REF })
    this.dist = idx.addTrail(item, { side: 'sell', percent: null, distance: DISTANCE, activation: null, reference: REF })
    this.level = idx.addLevel(item, LEVEL, 'down')
  }

  /** Fires the scratch stops and arms them again, unless the last rehearsal was less than MIN_GAP_MS ago. */
  run(): void {
    const t0 = this.clock()
    if (t0 - this.last < MIN_GAP_MS) return
    const idx = this.index
    const fired = this.fired
    idx.apply(FIRE_AT, fired, this.started)
    const n = fired.length
    fired.length = 0
    if (n !== 3 || idx.size !== 0) throw new Error(`the firing rehearsal's price fired ${n} of its 3 scratch stops (${idx.size} left armed)`)
    idx.rearmTrail(this.pct, REF)
    idx.rearmTrail(this.dist, REF)
    idx.rearmLevel(this.level, LEVEL)
    const t1 = this.clock()
    this.last = t1
    this.runs++
    this.busyMs += t1 - t0
  }
}
