import Decimal from 'decimal.js'
import { popKeyed, PositionedHeap, pushKeyed } from './heaps'
import { kept, numberArray, objectArray } from './array-kinds'

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
// group's heap entries are copied into the larger's: keys and member pointers only, the members themselves
// are not read — on a tick they are cold memory; members removed since stay in until they surface, counted
// in `dead`). Groups are kept in a stack sorted by ref, lowest at the end, so a new high pops only the
// groups it overtakes, and a stop that starts now (ref = x, the lowest of all) joins at the end.
//
// Inside a group the stop that fires first is the one with the smallest pct (or distance): two binary
// heaps held as bare arrays in the group (heaps.ts pushKeyed/popKeyed), keyed so that the top's numbers
// come from the keys: the percent heap by ∓factor (the order of pct; the top's factor is ± its key), the
// distance heap by distance. Deciding whether a group's top fires, and its new trigger after a pop, then
// reads no member: a fire reads only the member that fires (and the trigger index's handle is that member).
// (They were pairing heaps, whose meld is O(1) but whose pop walks every child of the root: more cold memory
// on a firing tick. Binary heaps took the trigger bench's firing-tick p50 from about 55 to 50 µs.)
//
// Across groups, a heap of each group's highest trigger (`fire`, keyed by −trigger) says which groups the
// new x has crossed. Each group holds its slot in that heap, so a changed trigger moves in place and a
// merged or emptied group leaves it at once: a tick never pops stale entries (they were most of the pops on
// a firing tick, each a cold read), and the bound is exact.
// So a tick costs O(groups merged + stops fired + log groups), never O(stops).
//
// A tick that may fire a trail runs update(): one function with the fire loop and the fired groups'
// refresh inline, one pop site for both heaps of a group, and the bounds the trigger index reads kept as
// plain fields (note()), not getters — its code is cold by the time it runs, and each further call is a cold
// call (trigger-index.ts). Keep its rarely taken branches few: a branch the warm-up (warm-up.ts) has not
// taken by the time V8 compiles update has no type feedback, and taking it later deoptimizes update for the
// rest of the session (calling lift only when x is above the lowest reference did that: trail ticks went
// from about 14 to 24 µs in the trigger bench). So lift is called on every update and checks itself.
//
// A new high fires nothing (every trigger is below the references, and the old triggers were all below the
// previous x), so raising the references it lifts can wait: raise() only notes the high and a bound on the
// triggers the lifted groups would get (from each group's cached top factor and distance); the groups merge
// when an x could fire something (update) or anything reads or changes the book. A rising market then costs
// a few field writes per tick instead of merges and fire-heap pushes on memory that is cold by then.
// raise() itself reads only this book's own fields (note() keeps the fire heap's top, the lowest group's ref,
// tops and stack position, and the ref of the group above it) unless the high overtakes more than that one
// group: in the trigger bench a tick that raised references went from about 3.0 to 2.2 µs (p50) and the
// quiet ticks' p99 from about 6.4 to 4.5 µs (interleaved A/B on an idle machine).

/** What a trailing stop needs to trail: the trigger index's handle carries these fields itself. */
export interface TrailMember<T> {
  readonly item: T
  /** Percent distance as a number (NaN for a price distance). */
  readonly pct: number
  /** Exact factor (1 ∓ pct/100) for the boundary check; null for a price distance. */
  readonly factor: Decimal | null
  readonly factorF: number
  /** Price distance in units (NaN for a percent distance). */
  readonly dist: number
  /** Its group when it started or since (union-find: follow `parent`); null before it starts. */
  group: TrailGroup<T> | null
  alive: boolean
  /** The reference it fired from or was removed at (NaN until then): later ticks may lift its old group's. */
  firedRef: number
}

export interface TrailGroup<T> {
  ref: number
  /** Percent members keyed by ∓factor, price-distance members keyed by distance: binary heaps (heaps.ts). */
  pk: number[]
  pv: TrailMember<T>[]
  dk: number[]
  dv: TrailMember<T>[]
  /** Members in pv/dv that no longer trail (removed): the tops are only checked while there are some. */
  dead: number
  /** Its slot in the book's fire heap (−1: not in it — empty, or merged into another group). */
  heapPos: number
  /** Set when merged into another group (union-find). */
  parent: TrailGroup<T> | null
  /** Its top members' factorF (NaN: no percent member) and distance (+∞: none), as of its last refresh. */
  topF: number
  topD: number
}

/** A member's distance fields from its spec (percent with its exact factor, or a price distance). */
export function trailDistance(spec: { pct?: number; factor?: Decimal; dist?: number }): { pct: number; factor: Decimal | null; factorF: number; dist: number } {
  return {
    pct: spec.pct ?? NaN,
    factor: spec.factor ?? null,
    factorF: spec.factor ? spec.factor.toNumber() : NaN,
    dist: spec.dist ?? NaN,
  }
}

/** What a group merged into another holds instead of its arrays (they went back to the book's pool); never written. */
const NO_KEYS = numberArray()
const NO_VALS = objectArray<never>()

export class TrailBook<T> {
  /** Groups by ref, highest first (the lowest at the end). */
  private stack = objectArray<TrailGroup<T>>()
  /** Every group with a live member, keyed by −(its highest trigger). */
  private readonly fire = new PositionedHeap<TrailGroup<T>>()
  /** The percent heap's key is factor × fSign: −1 for sells (largest factor first), +1 for buys (x = −price). */
  private readonly fSign: number
  // Starting a stop reuses what merges and prunes left over, so it allocates nothing once the book has run
  // a while: groups pruned from the stack (no member trails in them any more) and the emptied heap arrays
  // of groups merged into others (those groups stay, for union-find, without them).
  private readonly spareGroups = objectArray<TrailGroup<T>>()
  private readonly spareKeys = objectArray<number[]>()
  private readonly spareVals = objectArray<TrailMember<T>[]>()
  private live = 0
  // A deferred raise (raise()): the new high, the stack position from which groups are lifted to it, and
  // the extremes of those groups' top factors and distances (for fireBound).
  private pendX = -Infinity
  private pendK = 0
  private pendFmax = -Infinity
  private pendFmin = Infinity
  private pendD = Infinity

  constructor(side: 'sell' | 'buy') {
    this.fSign = side === 'sell' ? -1 : 1
  }

  /** Active members (started, not fired or removed). */
  get size(): number {
    return this.live
  }

  /**
   * The lowest reference (x-space): an x above it moves references. +Infinity when empty. A plain field,
   * kept by note() at the end of every change: the trigger index reads it after a firing tick, and a
   * getter there was one more cold function to call.
   */
  lowestRef = Infinity

  /**
   * At least the highest trigger (x-space) any member has, a deferred raise included; −∞ when empty. An x
   * above it (by more than the float slack) fires nothing. Kept by note(), as lowestRef.
   */
  fireBound = -Infinity

  // What raise() reads, kept by note() so that a new high touches only this object: the fire heap's top
  // key, and the lowest group's ref, top factor and distance with the ref of the group above it; while a
  // raise is pending, nextRef is the ref of the next group it would overtake.
  private fireKey = Infinity
  private lowK = -1
  private lowF = NaN
  private lowD = Infinity
  private secondRef = Infinity
  private nextRef = Infinity

  /** Brings lowestRef and fireBound up to date (the end of every change). */
  private note(): void {
    const p = this.pendX
    const stack = this.stack
    const n = stack.length
    const fireKey = this.fire.peekKey()
    this.fireKey = fireKey
    this.lowK = n - 1
    if (n > 0) {
      const low = stack[n - 1] as TrailGroup<T>
      this.lowF = low.topF
      this.lowD = low.topD
      this.secondRef = n > 1 ? (stack[n - 2] as TrailGroup<T>).ref : Infinity
      this.lowestRef = p > -Infinity ? p : low.ref
    } else {
      this.lowF = NaN
      this.lowD = Infinity
      this.secondRef = Infinity
      this.lowestRef = p > -Infinity ? p : Infinity
    }
    this.nextRef = p > -Infinity && this.pendK > 0 ? (stack[this.pendK - 1] as TrailGroup<T>).ref : Infinity
    let b = -fireKey
    if (p > -Infinity) {
      // ref × f over f in [fmin, fmax] is largest at an end (ref may be negative: buys).
      if (this.pendFmax > -Infinity) b = Math.max(b, p * this.pendFmax, p * this.pendFmin)
      if (this.pendD < Infinity) b = Math.max(b, p - this.pendD)
    }
    this.fireBound = b
  }

  /**
   * A new high x above the lowest reference that the caller checked fires nothing (x above fireBound): the
   * references it lifts are raised later (see the header). Reads only this object's fields unless x
   * overtakes a group beyond the lowest one (what note() cached).
   */
  raise(x: number): void {
    let fmax: number
    let fmin: number
    let d: number
    let k: number
    let next: number
    if (this.pendX === -Infinity) {
      // The lowest group is overtaken (x > lowestRef): its tops are cached.
      k = this.lowK
      const f = this.lowF
      fmax = f === f ? f : -Infinity
      fmin = f === f ? f : Infinity
      d = this.lowD
      next = this.secondRef
    } else {
      k = this.pendK
      fmax = this.pendFmax
      fmin = this.pendFmin
      d = this.pendD
      next = this.nextRef
    }
    if (next <= x) {
      const stack = this.stack
      while (k > 0) {
        const g = stack[k - 1] as TrailGroup<T>
        if (g.ref > x) break
        k--
        const f = g.topF
        if (f === f) {
          if (f > fmax) fmax = f
          if (f < fmin) fmin = f
        }
        if (g.topD < d) d = g.topD
      }
      next = k > 0 ? (stack[k - 1] as TrailGroup<T>).ref : Infinity
    }
    this.pendX = x
    this.pendK = k
    this.pendFmax = fmax
    this.pendFmin = fmin
    this.pendD = d
    this.nextRef = next
    this.lowestRef = x
    let b = -this.fireKey
    if (fmax > -Infinity) b = Math.max(b, x * fmax, x * fmin)
    if (d < Infinity) b = Math.max(b, x - d)
    this.fireBound = b
  }

  /** Start trailing from `ref` (x-space). */
  join(member: TrailMember<T>, ref: number): void {
    this.materialize()
    const stack = this.stack
    // Binary search for the first group with ref <= the new ref (refs descend along the stack). (Checking the
    // end first — where a stop starting at the current x goes — left the search's compares without warm-up
    // feedback: join was deoptimized by the first search in a session and ran unoptimized from then on.)
    let lo = 0
    let hi = stack.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((stack[mid] as TrailGroup<T>).ref > ref) lo = mid + 1
      else hi = mid
    }
    let group = stack[lo]
    if (group === undefined || group.ref !== ref) {
      group = this.newGroup(ref)
      if (lo === stack.length) stack.push(group)
      else stack.splice(lo, 0, group)
    }
    member.group = group
    if (member.pct !== member.pct) pushKeyed(group.dk, group.dv, member.dist, member)
    else pushKeyed(group.pk, group.pv, member.factorF * this.fSign, member)
    this.live++
    this.refresh(group)
    this.note()
  }

  /** The member's current reference (x-space), the one it fired from (or was removed at) once it no longer trails, or NaN when it never trailed. */
  reference(member: TrailMember<T>): number {
    if (member.firedRef === member.firedRef) return member.firedRef
    this.materialize()
    this.note()
    const g = find(member)
    return g === null ? NaN : g.ref
  }

  /** Stop trailing this member (lazy: it leaves its heap when it reaches the top). */
  remove(member: TrailMember<T>): void {
    if (!member.alive) return
    member.alive = false
    if (member.group === null) return
    this.materialize()
    this.live--
    const g = find(member) as TrailGroup<T>
    member.firedRef = g.ref
    g.dead++
    if (g.pv[0] === member || g.dv[0] === member) {
      this.refresh(g)
      this.prune()
    }
    this.note()
  }

  /**
   * A new x: references follow it up, then every member it crossed fires (its item pushed to `fired`).
   * One function, with the crossed groups' refresh written inline: it runs only on a tick that may fire a
   * trail, so its code is cold by then (evicted between fires on a busy machine), and every function it
   * calls costs a cold call of its own.
   */
  update(x: number, fired: T[]): void {
    this.materialize()
    this.lift(x)
    const fire = this.fire
    const fSign = this.fSign
    // Candidates: groups whose highest trigger is ≥ x (keys are −trigger), with a hair of float slack;
    // the exact check decides.
    const limit = -x + (Math.abs(x) * 1e-12 + 1e-9)
    // Groups within the slack that the exact check did not fire: out of the heap until the loop ends.
    let spared: TrailGroup<T>[] | null = null
    while (fire.size > 0 && fire.peekKey() <= limit) {
      const g = fire.peek() as TrailGroup<T>
      let changed = false
      for (;;) {
        if (g.dead > 0) clean(g)
        // The percent top, else the distance top, if x crossed it (decided on the keys); one pop site for
        // both heaps (one copy of its code).
        let keys = g.pk
        let vals = g.pv
        if (!(keys.length > 0 && firesPct(g, (keys[0] as number) * fSign, x))) {
          keys = g.dk
          vals = g.dv
          if (!(keys.length > 0 && x <= g.ref - (keys[0] as number))) break
        }
        const m = popKeyed(keys, vals) as TrailMember<T>
        fired.push(m.item)
        m.alive = false
        m.firedRef = g.ref
        this.live--
        changed = true
      }
      if (changed) {
        // refresh(g), inline: its new trigger (its tops are alive: the loop above cleaned them).
        const pk = g.pk
        const dk = g.dk
        const f = pk.length > 0 ? (pk[0] as number) * fSign : NaN
        const d = dk.length > 0 ? (dk[0] as number) : Infinity
        g.topF = f
        g.topD = d
        if (f !== f && d === Infinity) fire.delete(g)
        else {
          let trigger = f === f ? g.ref * f : -Infinity
          if (d !== Infinity) trigger = Math.max(trigger, g.ref - d)
          fire.set(g, -trigger)
        }
      }
      if (g.heapPos === 0 && fire.peekKey() <= limit) {
        fire.delete(g)
        ;(spared ??= objectArray()).push(g)
      }
    }
    if (spared !== null) for (const g of spared) this.refresh(g)
    this.prune()
    this.note()
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
      let acc = stack.pop() as TrailGroup<T>
      n--
      while (n > 0 && (stack[n - 1] as TrailGroup<T>).ref <= x) {
        let g = stack.pop() as TrailGroup<T>
        n--
        // The larger group stays; the smaller one's entries move (each entry moves O(log n) times in all).
        if (g.pk.length + g.dk.length > acc.pk.length + acc.dk.length) {
          const t = acc
          acc = g
          g = t
        }
        this.fire.delete(g)
        g.parent = acc
        pour(g.pk, g.pv, acc.pk, acc.pv)
        pour(g.dk, g.dv, acc.dk, acc.dv)
        acc.dead += g.dead
        g.dead = 0
        this.spareKeys.push(g.pk, g.dk)
        this.spareVals.push(g.pv, g.dv)
        g.pk = g.dk = NO_KEYS
        g.pv = g.dv = NO_VALS
      }
      acc.ref = x
      stack.push(acc)
      this.refresh(acc)
    }
  }

  /** The group changed (ref or tops): its key in the fire heap follows (out of it when it has no member left). */
  private refresh(g: TrailGroup<T>): void {
    if (g.dead > 0) clean(g)
    const pk = g.pk
    const dk = g.dk
    const f = pk.length > 0 ? (pk[0] as number) * this.fSign : NaN
    const d = dk.length > 0 ? (dk[0] as number) : Infinity
    g.topF = f
    g.topD = d
    if (f !== f && d === Infinity) {
      this.fire.delete(g)
      return
    }
    let trigger = f === f ? g.ref * f : -Infinity
    if (d !== Infinity) trigger = Math.max(trigger, g.ref - d)
    this.fire.set(g, -trigger)
  }

  /**
   * Drops the groups left empty (every stop fired or removed) from the stack once they are most of it; a
   * rise would merge them anyway. (Groups with a member are exactly the fire heap's.) No deferred raise
   * may be pending: its stack position would move.
   */
  private prune(): void {
    if (this.stack.length <= 2 * this.fire.size + 8) return
    const spare = this.spareGroups
    this.stack = kept(this.stack, (g) => {
      if (g.heapPos >= 0) return true
      // Empty (its heaps too) and a root: only members that no longer trail still point at it.
      spare.push(g)
      return false
    })
  }

  private newGroup(ref: number): TrailGroup<T> {
    const g = this.spareGroups.pop()
    if (g !== undefined) {
      g.ref = ref
      g.dead = 0
      return g
    }
    return {
      ref,
      pk: this.spareKeys.pop() ?? numberArray(),
      pv: this.spareVals.pop() ?? objectArray(),
      dk: this.spareKeys.pop() ?? numberArray(),
      dv: this.spareVals.pop() ?? objectArray(),
      dead: 0,
      heapPos: -1,
      parent: null,
      topF: NaN,
      topD: Infinity,
    }
  }
}

/** Copies one heap's entries (keys, vals) into another's, without reading the members; empties the source. */
function pour<T>(keys: number[], vals: TrailMember<T>[], toKeys: number[], toVals: TrailMember<T>[]): void {
  const n = keys.length
  for (let i = 0; i < n; i++) pushKeyed(toKeys, toVals, keys[i] as number, vals[i] as TrailMember<T>)
  keys.length = vals.length = 0
}

function find<T>(member: TrailMember<T>): TrailGroup<T> | null {
  let g = member.group
  if (g === null) return null
  while (g.parent !== null) g = g.parent
  // Path compression for this member (the groups it passed through are dead).
  member.group = g
  return g
}

/** Pop removed members off the tops of both heaps. */
function clean<T>(g: TrailGroup<T>): void {
  const pv = g.pv
  while (pv.length > 0 && !(pv[0] as TrailMember<T>).alive) {
    popKeyed(g.pk, pv)
    g.dead--
  }
  const dv = g.dv
  while (dv.length > 0 && !(dv[0] as TrailMember<T>).alive) {
    popKeyed(g.dk, dv)
    g.dead--
  }
}

/** Whether x crossed the group's percent top (factor f as a number); exact at the boundary. */
function firesPct<T>(g: TrailGroup<T>, f: number, x: number): boolean {
  const ref = g.ref
  const trigger = ref * f
  const slack = Math.abs(trigger) * 1e-12
  if (x < trigger - slack) return true
  if (x > trigger + slack) return false
  return new Decimal(ref).times((g.pv[0] as TrailMember<T>).factor as Decimal).gte(x)
}

/** Exact trailing trigger (x-space) for a reference, for views and tests. */
export function trailTrigger(ref: Decimal, spec: { factor: Decimal | null; dist: Decimal | null }): Decimal {
  return spec.factor !== null ? ref.times(spec.factor) : ref.minus(spec.dist as Decimal)
}
