import Decimal from 'decimal.js'
import { popKeyed, pushKeyed, retainKeyed } from './heaps'
import { trailDistance, TrailBook, type TrailGroup, type TrailMember } from './trail-book'
import { kept, numberArray, objectArray } from './array-kinds'

// The trigger index of one (market, trigger source): which conditional orders a new price crosses,
// without looking at the others. Prices are exact integer units (see units.ts).
//
//  - `up`: thresholds that fire when price ≥ threshold (sell take-profit, buy stop, and the activation
//    price of a sell trailing stop): a min-heap; a price pops exactly the crossed ones.
//  - `down`: thresholds that fire when price ≤ threshold (sell stop, buy take-profit, activation of a buy
//    trailing stop): a min-heap on −threshold.
//  - `sells` / `buys`: trailing stops that are trailing (trail-book.ts), in x-space (x = price for sells,
//    −price for buys).
//  - `pending`: trailing stops without an activation price that start at the next price seen.
// Removal is lazy (an entry is marked dead and dropped when it surfaces; heaps are rebuilt when more than
// half of them is dead).
//
// Within one price: references move first, then trailing stops fire, then thresholds fire or activate
// trailing stops (which start from this price, so they cannot fire on it), then pending ones start.
//
// A price that may fire something (applyAll) is rare, so its machine code is cold when it comes: on a busy
// machine it was evicted since the last fire. Running the firing code on a scratch index just before each
// tick (a diagnostic, not in the app) took the trigger bench's firing ticks from about 20 to 8 µs, so most of
// a firing tick is fetching cold code, and every separate function it calls costs a cold call of its own
// (its function object, its code object, a new code page). So applyAll is one function: the threshold
// heaps are bare arrays popped by heaps.ts popKeyed, which V8 inlines (one loop for up and down: one copy
// of the code), the activation of a trailing stop is inline, and the books' bounds are plain fields
// (TrailBook.lowestRef / fireBound) instead of getters. Level-only firing ticks went from about 9 to 6 µs (p50, loaded machine, A/B interleaved).

export type Direction = 'up' | 'down'

export interface LevelHandle<T> {
  readonly kind: 'level'
  readonly item: T
  readonly dir: Direction
  alive: boolean
  /** The trailing stop this is the activation price of (null: a plain level). */
  readonly trail: TrailHandle<T> | null
}

/** A trailing stop: it is its own member of its trail book (one object to reach when it fires). */
export interface TrailHandle<T> extends TrailMember<T> {
  readonly kind: 'trail'
  readonly side: 'sell' | 'buy'
  /**
   * 'activation': waiting for its activation price (entry in up/down); 'pending': starts at the next price;
   * 'trailing' while `alive` (a trail that fired stays 'trailing' with `alive` false, as the book left it).
   */
  state: 'activation' | 'pending' | 'trailing' | 'done'
  /** Its activation price's entry in up/down (set once, at creation). */
  activation: LevelHandle<T> | null
}

export type Handle<T> = LevelHandle<T> | TrailHandle<T>

export interface TrailSpec {
  side: 'sell' | 'buy'
  /** Percent distance ("1.5" = 1.5 %), or null with `distance`. */
  percent: string | null
  /** Price distance in units, or null with `percent`. */
  distance: number | null
  /** Activation price in units (sell: starts when price ≥ it; buy: when price ≤ it); null = at once. */
  activation: number | null
  /** Start trailing now from this reference (units): a restored trail, or "at once" with a known price. */
  reference: number | null
}

export class SourceIndex<T> {
  // up / down: binary min-heaps on bare arrays (heaps.ts), popped by applyAll (popKeyed, inlined there).
  private readonly upK = numberArray()
  private readonly upV = objectArray<LevelHandle<T>>()
  private readonly downK = numberArray()
  private readonly downV = objectArray<LevelHandle<T>>()
  private deadUp = 0
  private deadDown = 0
  private readonly sells = new TrailBook<T>('sell')
  private readonly buys = new TrailBook<T>('buy')
  private pending = objectArray<TrailHandle<T>>()
  private count = 0
  // The nearest thing that could happen, as plain fields of this object: a price that crosses none of
  // them is a quiet tick, decided without touching the heaps (a tick is mostly quiet, and on a busy
  // machine its memory is cold). Kept by bounds() after every change.
  private upMin = Infinity
  private downMin = Infinity
  private sellRef = Infinity
  private sellBound = -Infinity
  private buyRef = Infinity
  private buyBound = -Infinity

  /** Orders in the index (any state). */
  get size(): number {
    return this.count
  }

  /** Fires when price ≥ units ('up') or price ≤ units ('down'). */
  addLevel(item: T, units: number, dir: Direction): LevelHandle<T> {
    const handle: LevelHandle<T> = { kind: 'level', item, dir, alive: true, trail: null }
    this.pushLevel(handle, units)
    this.count++
    this.bounds()
    return handle
  }

  addTrail(item: T, spec: TrailSpec): TrailHandle<T> {
    const pct = spec.percent === null ? undefined : Number(spec.percent)
    const factor =
      spec.percent === null ? undefined : spec.side === 'sell' ? new Decimal(1).minus(new Decimal(spec.percent).div(100)) : new Decimal(1).plus(new Decimal(spec.percent).div(100))
    const d = trailDistance(pct !== undefined ? { pct, factor: factor as Decimal } : { dist: spec.distance as number })
    const handle: TrailHandle<T> = {
      kind: 'trail',
      item,
      side: spec.side,
      state: 'pending',
      activation: null,
      pct: d.pct,
      factor: d.factor,
      factorF: d.factorF,
      dist: d.dist,
      group: null as TrailGroup<T> | null,
      alive: true,
      firedRef: NaN,
    }
    if (spec.reference === null && spec.activation !== null) handle.activation = { kind: 'level', item, dir: spec.side === 'sell' ? 'up' : 'down', alive: true, trail: handle }
    const activation = handle.activation
    this.count++
    if (spec.reference !== null) {
      handle.state = 'trailing'
      this.book(spec.side).join(handle, spec.side === 'sell' ? spec.reference : -spec.reference)
    } else if (activation !== null) {
      handle.state = 'activation'
      this.pushLevel(activation, spec.activation as number)
    } else this.pending.push(handle)
    this.bounds()
    return handle
  }

  remove(handle: Handle<T>): void {
    if (handle.kind === 'level') {
      if (!handle.alive) return
      this.killLevel(handle)
    } else {
      if (handle.state === 'done' || (handle.state === 'trailing' && !handle.alive)) return
      if (handle.state === 'activation' && handle.activation !== null) this.killLevel(handle.activation)
      else if (handle.state === 'trailing') this.book(handle.side).remove(handle)
      else if (handle.state === 'pending') this.pending = kept(this.pending, (h) => h !== handle)
      handle.state = 'done'
    }
    this.count--
    this.bounds()
  }

  /**
   * Arms again, trailing from `reference` (units), a trailing stop this index fired; rearmLevel: a level it
   * fired, at `units`. For the firing rehearsal's scratch stops (firing-rehearsal.ts), which would otherwise
   * allocate new handles and build a Decimal factor on every rehearsal. Only for handles this index fired.
   */
  rearmTrail(handle: TrailHandle<T>, reference: number): void {
    if (handle.state !== 'trailing' || handle.alive) throw new Error('only a trailing stop this index fired can be armed again')
    handle.alive = true
    handle.firedRef = NaN
    handle.group = null
    this.count++
    this.book(handle.side).join(handle, handle.side === 'sell' ? reference : -reference)
    this.bounds()
  }

  rearmLevel(handle: LevelHandle<T>, units: number): void {
    // A removed level is dead too, but may still sit in its heap (removal is lazy): armed again, that old
    // entry would fire it at its old price. A fired one was popped. (A scan of the heap: the rehearsal's holds one.)
    const inHeap = (handle.dir === 'up' ? this.upV : this.downV).includes(handle)
    if (handle.alive || handle.trail !== null || inHeap) throw new Error('only a level this index fired can be armed again')
    handle.alive = true
    this.count++
    this.pushLevel(handle, units)
    this.bounds()
  }

  /** The trail's reference in units (NaN before it started; after it fired, the reference it fired from). */
  reference(handle: TrailHandle<T>): number {
    const book = this.book(handle.side)
    const x = book.reference(handle)
    // Reading may have carried out a deferred raise (same references, other groups): refresh the bounds.
    this.bounds()
    return handle.side === 'sell' ? x : -x
  }

  /**
   * Apply a new price (units). Orders it fires are pushed to `fired` (and leave the index); trailing stops
   * it activates or starts are pushed to `started` (they stay, now trailing).
   */
  apply(v: number, fired: T[], started: T[]): void {
    const slack = Math.abs(v) * 1e-12 + 1e-9
    if (v < this.upMin && -v < this.downMin && v - slack > this.sellBound && -v - slack > this.buyBound && this.pending.length === 0) {
      // Nothing fires. A new high (sells) or low (buys) only lifts trailing references: deferred (TrailBook.raise).
      if (v > this.sellRef) {
        this.sells.raise(v)
        this.sellRef = v
        this.sellBound = this.sells.fireBound
      }
      if (-v > this.buyRef) {
        this.buys.raise(-v)
        this.buyRef = -v
        this.buyBound = this.buys.fireBound
      }
      return
    }
    this.applyAll(v, fired, started)
  }

  private bounds(): void {
    const upK = this.upK
    const downK = this.downK
    this.upMin = upK.length > 0 ? (upK[0] as number) : Infinity
    this.downMin = downK.length > 0 ? (downK[0] as number) : Infinity
    this.sellRef = this.sells.lowestRef
    this.sellBound = this.sells.fireBound
    this.buyRef = this.buys.lowestRef
    this.buyBound = this.buys.fireBound
  }

  /**
   * A price that may fire something. Written as one function with the threshold heaps' pops inline and the
   * books' bounds read from fields: a firing tick is rare, so its code is cold (evicted between fires on a
   * busy machine), and each further function it calls costs a cold call of its own (the trigger bench: see
   * the header of tests/bench/trigger.ts and the README's figures).
   */
  private applyAll(v: number, fired: T[], started: T[]): void {
    // Trails fired here leave the index (their items pushed to `fired` by the book).
    const firedBefore = fired.length
    // A book this price cannot fire only notes a new high (deferred raise), as on a quiet tick.
    const slack = Math.abs(v) * 1e-12 + 1e-9
    // Only the books this price touched have their bounds read again afterwards (the other's memory stays cold).
    let sells = true
    let buys = true
    if (v - slack <= this.sellBound) this.sells.update(v, fired)
    else if (v > this.sellRef) this.sells.raise(v)
    else sells = false
    if (-v - slack <= this.buyBound) this.buys.update(-v, fired)
    else if (-v > this.buyRef) this.buys.raise(-v)
    else buys = false
    this.count -= fired.length - firedBefore
    const startedBefore = started.length
    // Thresholds: `up` fires at price ≥ key, `down` at −price ≥ key; one loop for both (one copy of the code).
    for (let side = 0; side < 2; side++) {
      const limit = side === 0 ? v : -v
      // The cached minimum (bounds()) first: a side this price does not cross reads none of its heap.
      if (limit < (side === 0 ? this.upMin : this.downMin)) continue
      const keys = side === 0 ? this.upK : this.downK
      const vals = side === 0 ? this.upV : this.downV
      while (keys.length > 0 && (keys[0] as number) <= limit) {
        const h = popKeyed(keys, vals) as LevelHandle<T>
        if (!h.alive) {
          if (side === 0) this.deadUp--
          else this.deadDown--
          continue
        }
        h.alive = false
        const trail = h.trail
        if (trail === null) {
          this.count--
          fired.push(h.item)
        } else {
          // A trailing stop's activation price: it starts trailing from this price.
          trail.state = 'trailing'
          this.book(trail.side).join(trail, trail.side === 'sell' ? v : -v)
          started.push(trail.item)
        }
      }
      const min = keys.length > 0 ? (keys[0] as number) : Infinity
      if (side === 0) this.upMin = min
      else this.downMin = min
    }
    if (this.pending.length > 0) {
      const pending = this.pending
      this.pending = objectArray()
      for (const h of pending) {
        h.state = 'trailing'
        this.book(h.side).join(h, h.side === 'sell' ? v : -v)
        started.push(h.item)
      }
    }
    // Trails activated or started here joined a book.
    if (started.length !== startedBefore) sells = buys = true
    if (sells) {
      this.sellRef = this.sells.lowestRef
      this.sellBound = this.sells.fireBound
    }
    if (buys) {
      this.buyRef = this.buys.lowestRef
      this.buyBound = this.buys.fireBound
    }
  }

  private pushLevel(h: LevelHandle<T>, units: number): void {
    if (h.dir === 'up') pushKeyed(this.upK, this.upV, units, h)
    else pushKeyed(this.downK, this.downV, -units, h)
  }

  private killLevel(h: LevelHandle<T>): void {
    h.alive = false
    if (h.dir === 'up') {
      if (++this.deadUp > 64 && this.deadUp * 2 > this.upK.length) {
        retainKeyed(this.upK, this.upV, (h) => h.alive)
        this.deadUp = 0
      }
    } else if (++this.deadDown > 64 && this.deadDown * 2 > this.downK.length) {
      retainKeyed(this.downK, this.downV, (h) => h.alive)
      this.deadDown = 0
    }
  }

  private book(side: 'sell' | 'buy'): TrailBook<T> {
    return side === 'sell' ? this.sells : this.buys
  }
}
