import Decimal from 'decimal.js'
import { KeyedHeap, PositionedHeap } from './heaps'
import { kept, objectArray } from './array-kinds'

// The active trailing stops of one side of one (market, trigger source), without touching every stop on
// every tick.
//
// Everything here is in "x-space": x = price for sell stops, x = −price for buy stops. A sell stop trails
// the highest price since it started (its reference) and fires when price ≤ ref × (1 − pct) or
// price ≤ ref − distance; a buy stop trails the lowest price and fires when price ≥ ref × (1 + pct) or
// price ≥ ref + distance. In x-space both read: ref = max x since the start, fire when x ≤ ref × f or
// x ≤ ref − d, with f = 1 − pct (sell) or 1 + pct (buy).
//
// Stops that share a reference form a group. Whenever x makes a new high, every group whose ref is at or
// below x now has ref = x: they merge into one group (union-find for the members' group; the smaller
// group's heaps are poured into the larger's). Groups are kept in a stack sorted by ref, lowest at the end,
// so a new high pops only the groups it overtakes, and a stop that starts now (ref = x, the lowest of all)
// joins at the end. Inside a group the stop that fires first is the one with the smallest pct (or
// distance): two binary heaps keyed by pct and by distance. (They were pairing heaps, whose meld is O(1)
// but whose pop walks every child of the root: more cold memory on a firing tick. Binary heaps took the
// trigger bench's firing-tick p50 from about 55 to 50 µs.) Across groups, a heap of each group's highest trigger (`fire`,
// keyed by −trigger) says which groups the new x has crossed. Each group holds its slot in that heap, so a
// changed trigger moves in place and a merged or emptied group leaves it at once: a tick never pops stale
// entries (they were most of the pops on a firing tick, each a cold read), and the bound is exact.
// So a tick costs O(groups merged + stops fired + log groups), never O(stops).
//
// A new high fires nothing (every trigger is below the references, and the old triggers were all below the
// previous x), so raising the references it lifts can wait: raise() only notes the high and a bound on the
// triggers the lifted groups would get (from each group's cached top factor and distance); the groups merge
// when an x could fire something (update) or anything reads or changes the book. A rising market then costs
// a few field writes per tick instead of merges and fire-heap pushes on memory that is cold by then.

export interface TrailMember<T> {
  readonly item: T
  /** Percent distance as a number (NaN for a price distance). */
  readonly pct: number
  /** Exact factor (1 ∓ pct/100) for the boundary check; null for a price distance. */
  readonly factor: Decimal | null
  readonly factorF: number
  /** Price distance in units (NaN for a percent distance). */
  readonly dist: number
  group: TrailGroup<T> | null
  alive: boolean
  /** The reference it fired from (NaN until it fires): later ticks may lift its old group's. */
  firedRef: number
}

export interface TrailGroup<T> {
  ref: number
  /** Percent members by pct, price-distance members by distance (null until the first one joins). */
  pct: KeyedHeap<TrailMember<T>> | null
  dist: KeyedHeap<TrailMember<T>> | null
  /** Its slot in the book's fire heap (−1: not in it — empty, or merged into another group). */
  heapPos: number
  /** Set when merged into another group (union-find). */
  parent: TrailGroup<T> | null
  /** Its top members' factorF (NaN: no percent member) and distance (+∞: none), as of its last refresh. */
  topF: number
  topD: number
}

export function newTrailMember<T>(item: T, spec: { pct?: number; factor?: Decimal; dist?: number }): TrailMember<T> {
  const pct = spec.pct ?? NaN
  const dist = spec.dist ?? NaN
  return {
    item,
    pct,
    factor: spec.factor ?? null,
    factorF: spec.factor ? spec.factor.toNumber() : NaN,
    dist,
    group: null,
    alive: true,
    firedRef: NaN,
  }
}

export class TrailBook<T> {
  /** Groups by ref, highest first (the lowest at the end). */
  private stack = objectArray<TrailGroup<T>>()
  /** Every group with a live member, keyed by −(its highest trigger). */
  private readonly fire = new PositionedHeap<TrailGroup<T>>()
  private live = 0
  // A deferred raise (raise()): the new high, the stack position from which groups are lifted to it, and
  // the extremes of those groups' top factors and distances (for fireBound).
  private pendX = -Infinity
  private pendK = 0
  private pendFmax = -Infinity
  private pendFmin = Infinity
  private pendD = Infinity

  /** Active members (started, not fired or removed). */
  get size(): number {
    return this.live
  }

  /** The lowest reference (x-space): an x above it moves references. +Infinity when empty. */
  get lowestRef(): number {
    if (this.pendX > -Infinity) return this.pendX
    const n = this.stack.length
    return n === 0 ? Infinity : (this.stack[n - 1] as TrailGroup<T>).ref
  }

  /**
   * At least the highest trigger (x-space) any member has, a deferred raise included; −∞ when empty. An x
   * above it (by more than the float slack) fires nothing.
   */
  get fireBound(): number {
    let b = -this.fire.peekKey()
    const p = this.pendX
    if (p > -Infinity) {
      // ref × f over f in [fmin, fmax] is largest at an end (ref may be negative: buys).
      if (this.pendFmax > -Infinity) b = Math.max(b, p * this.pendFmax, p * this.pendFmin)
      if (this.pendD < Infinity) b = Math.max(b, p - this.pendD)
    }
    return b
  }

  /**
   * A new high x above the lowest reference that the caller checked fires nothing (x above fireBound): the
   * references it lifts are raised later (see the header).
   */
  raise(x: number): void {
    const stack = this.stack
    if (this.pendX === -Infinity) {
      this.pendK = stack.length
      this.pendFmax = -Infinity
      this.pendFmin = Infinity
      this.pendD = Infinity
    }
    this.pendX = x
    let k = this.pendK
    while (k > 0) {
      const g = stack[k - 1] as TrailGroup<T>
      if (g.ref > x) break
      k--
      const f = g.topF
      if (f === f) {
        if (f > this.pendFmax) this.pendFmax = f
        if (f < this.pendFmin) this.pendFmin = f
      }
      if (g.topD < this.pendD) this.pendD = g.topD
    }
    this.pendK = k
  }

  /** Start trailing from `ref` (x-space). */
  join(member: TrailMember<T>, ref: number): void {
    this.materialize()
    const stack = this.stack
    // Binary search for the first group with ref <= the new ref (refs descend along the stack).
    let lo = 0
    let hi = stack.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((stack[mid] as TrailGroup<T>).ref > ref) lo = mid + 1
      else hi = mid
    }
    let group = stack[lo]
    if (group === undefined || group.ref !== ref) {
      group = { ref, pct: null, dist: null, heapPos: -1, parent: null, topF: NaN, topD: Infinity }
      if (lo === stack.length) stack.push(group)
      else stack.splice(lo, 0, group)
    }
    member.group = group
    if (Number.isNaN(member.pct)) (group.dist ??= new KeyedHeap()).push(member.dist, member)
    else (group.pct ??= new KeyedHeap()).push(member.pct, member)
    this.live++
    this.refresh(group)
  }

  /** The member's current reference (x-space), the one it fired from once fired, or NaN when it never trailed. */
  reference(member: TrailMember<T>): number {
    if (member.firedRef === member.firedRef) return member.firedRef
    this.materialize()
    const g = this.find(member)
    return g === null ? NaN : g.ref
  }

  /** Stop trailing this member (lazy: it leaves its heap when it reaches the top). */
  remove(member: TrailMember<T>): void {
    if (!member.alive) return
    member.alive = false
    if (member.group === null) return
    this.materialize()
    this.live--
    const g = this.find(member)
    if (g !== null && (g.pct?.peek() === member || g.dist?.peek() === member)) {
      this.clean(g)
      this.refresh(g)
      this.prune()
    }
  }

  /** A new x: references follow it up, then every member it crossed fires (pushed to `fired`). */
  update(x: number, fired: T[]): void {
    this.materialize()
    this.lift(x)
    this.fireAt(x, fired)
  }

  /** Carry out a deferred raise (it fires nothing: raise() was only called for an x above every trigger). */
  private materialize(): void {
    const x = this.pendX
    if (x === -Infinity) return
    this.pendX = -Infinity
    this.lift(x)
  }

  /** References follow x up: the groups it overtakes merge into one at ref x. */
  private lift(x: number): void {
    const stack = this.stack
    let n = stack.length
    if (n > 0 && (stack[n - 1] as TrailGroup<T>).ref < x) {
      const acc = stack.pop() as TrailGroup<T>
      n--
      while (n > 0 && (stack[n - 1] as TrailGroup<T>).ref <= x) {
        const g = stack.pop() as TrailGroup<T>
        n--
        this.fire.delete(g)
        g.parent = acc
        acc.pct = merged(acc.pct, g.pct)
        acc.dist = merged(acc.dist, g.dist)
        g.pct = g.dist = null
      }
      acc.ref = x
      stack.push(acc)
      this.refresh(acc)
    }
  }

  /** Every member x crossed fires (pushed to `fired`). */
  private fireAt(x: number, fired: T[]): void {
    const fire = this.fire
    // Candidates: groups whose highest trigger is ≥ x (keys are −trigger), with a hair of float slack;
    // the exact check decides.
    const limit = -x + (Math.abs(x) * 1e-12 + 1e-9)
    // Groups within the slack that the exact check did not fire: out of the heap until the loop ends.
    let spared: TrailGroup<T>[] | null = null
    while (fire.size > 0 && fire.peekKey() <= limit) {
      const g = fire.peek() as TrailGroup<T>
      let changed = false
      for (;;) {
        this.clean(g)
        const top = pickTop(g, x)
        if (top === null) break
        fired.push(top.item)
        top.alive = false
        top.firedRef = g.ref
        this.live--
        if (g.pct?.peek() === top) g.pct.pop()
        else g.dist?.pop()
        changed = true
      }
      if (changed) this.refresh(g)
      if (g.heapPos === 0 && fire.peekKey() <= limit) {
        fire.delete(g)
        ;(spared ??= objectArray()).push(g)
      }
    }
    if (spared !== null) for (const g of spared) this.refresh(g)
    this.prune()
  }

  private find(member: TrailMember<T>): TrailGroup<T> | null {
    let g = member.group
    if (g === null) return null
    while (g.parent !== null) g = g.parent
    // Path compression for this member (the groups it passed through are dead).
    member.group = g
    return g
  }

  /** Pop dead members off the tops of both heaps. */
  private clean(g: TrailGroup<T>): void {
    const p = g.pct
    if (p !== null) while (p.size > 0 && !(p.peek() as TrailMember<T>).alive) p.pop()
    const d = g.dist
    if (d !== null) while (d.size > 0 && !(d.peek() as TrailMember<T>).alive) d.pop()
  }

  /** The group changed (ref or tops): its key in the fire heap follows (out of it when it has no member left). */
  private refresh(g: TrailGroup<T>): void {
    this.clean(g)
    const p = g.pct?.peek()
    const d = g.dist?.peek()
    g.topF = p !== undefined ? p.factorF : NaN
    g.topD = d !== undefined ? d.dist : Infinity
    if (p === undefined && d === undefined) {
      this.fire.delete(g)
      return
    }
    let trigger = p !== undefined ? g.ref * p.factorF : -Infinity
    if (d !== undefined) trigger = Math.max(trigger, g.ref - d.dist)
    this.fire.set(g, -trigger)
  }

  /**
   * Drops the groups left empty (every stop fired or removed) from the stack once they are most of it; a
   * rise would merge them anyway. (Groups with a member are exactly the fire heap's.) No deferred raise
   * may be pending: its stack position would move.
   */
  private prune(): void {
    if (this.stack.length <= 2 * this.fire.size + 8) return
    this.stack = kept(this.stack, (g) => g.heapPos >= 0)
  }
}

/** The top member (by pct or by distance) that x has crossed, or null. Exact at the boundary. */
function pickTop<T>(g: TrailGroup<T>, x: number): TrailMember<T> | null {
  const p = g.pct?.peek()
  if (p !== undefined && firesPct(p, g.ref, x)) return p
  const d = g.dist?.peek()
  if (d !== undefined && x <= g.ref - d.dist) return d
  return null
}

/** Two groups' heaps as one: the smaller poured into the larger (dead members left out), the other emptied. */
function merged<T>(a: KeyedHeap<TrailMember<T>> | null, b: KeyedHeap<TrailMember<T>> | null): KeyedHeap<TrailMember<T>> | null {
  if (a === null || a.size === 0) return b
  if (b === null || b.size === 0) return a
  const [big, small] = a.size >= b.size ? [a, b] : [b, a]
  big.absorb(small, isAlive)
  return big
}

function isAlive<T>(m: TrailMember<T>): boolean {
  return m.alive
}

function firesPct<T>(m: TrailMember<T>, ref: number, x: number): boolean {
  const trigger = ref * m.factorF
  const slack = Math.abs(trigger) * 1e-12
  if (x < trigger - slack) return true
  if (x > trigger + slack) return false
  return new Decimal(ref).times(m.factor as Decimal).gte(x)
}

/** Exact trailing trigger (x-space) for a reference, for views and tests. */
export function trailTrigger(ref: Decimal, spec: { factor: Decimal | null; dist: Decimal | null }): Decimal {
  return spec.factor !== null ? ref.times(spec.factor) : ref.minus(spec.dist as Decimal)
}
