import Decimal from 'decimal.js'
import { popKeyed, PositionedHeap, pushKeyed, siftTop } from './heaps'
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
// call (trigger-index.ts). What a fire reads is cold memory too, so it starts from this object's own fields
// and reads as few other objects as it can: the fire heap's top group (fireTop), each group's top members
// and their numbers (topP / topDm, topF / topD: the member that fires is reached without the heap's
// arrays), the heap's arrays held here (fireK / fireV, not through the heap object), and the stack's end and
// length cached whenever the stack changes (noteStack: a fire leaves the stack alone and reads none of it).
// Every helper it calls is one V8 inlines, two levels deep (popKeyed → siftDown, siftTop → siftPositioned;
// checked with --trace-turbo-inlining): V8's inlining budget for update is what limits that, and note()
// carrying a pending raise's logic used to spend it, leaving siftDown a cold call of its own); lift and materialize are
// called only when there is something to lift, both checks on this object's fields.
// In a cold-cache A/B (caches flushed before each firing call, both versions in one process) a trailing
// stop's fire went from about 2.6 to 1.7 µs (p50); a level's, for comparison, 1.45 µs.
// Keep its rarely taken branches few: a branch the warm-up (warm-up.ts) has not taken by the time V8 compiles
// update has no type feedback, and taking it later deoptimizes update for the rest of the session. (Before
// the warm-up ran three passes, calling lift only when x was above the lowest reference did that: trail
// ticks went from about 14 to 24 µs in the trigger bench. With three passes update ends optimized.)

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
  /** Those top members themselves (null: none): a fire reaches the member without the heap's arrays. */
  topP: TrailMember<T> | null
  topDm: TrailMember<T> | null
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
  /** The fire heap's arrays, held here too: update() and note() read them without reaching the heap object. */
  private readonly fireK = this.fire.keys
  private readonly fireV = this.fire.vals
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
  /** The fire heap's top group (null: empty) and the lowest group's ref (+∞: none), kept by note() — and
   *  lowRef by lift() too — so that update() starts from this object's fields. */
  private fireTop: TrailGroup<T> | null = null
  private lowRef = Infinity
  // The stack's end and length, kept by noteStack() whenever the stack changes: a fire leaves the stack as it
  // is, and note() then reads none of it (the stack array and its elements are two more cold reads).
  private low: TrailGroup<T> | null = null
  private stackLen = 0

  /**
   * Brings lowestRef, fireBound and what raise() and update() read up to date: the end of every change. No
   * raise is pending then (every change carries it out first), so the bound is the fire heap's top.
   */
  private note(): void {
    const fk = this.fireK
    const fv = this.fireV
    const fireKey = fk.length > 0 ? (fk[0] as number) : Infinity
    this.fireKey = fireKey
    this.fireTop = fv.length > 0 ? (fv[0] as TrailGroup<T>) : null
    this.nextRef = Infinity
    const low = this.low
    if (low !== null) {
      this.lowRef = this.lowestRef = low.ref
      this.lowF = low.topF
      this.lowD = low.topD
    } else {
      this.lowRef = this.lowestRef = Infinity
      this.lowF = NaN
      this.lowD = Infinity
    }
    this.fireBound = -fireKey
  }

  /** The stack changed (lift, join, prune): its end and length, cached for note(), raise() and prune(). */
  private noteStack(): void {
    const stack = this.stack
    const n = stack.length
    this.stackLen = n
    this.lowK = n - 1
    this.low = n > 0 ? (stack[n - 1] as TrailGroup<T>) : null
    this.secondRef = n > 1 ? (stack[n - 2] as TrailGroup<T>).ref : Infinity
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
      this.noteStack()
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
    if (g.topP === member || g.topDm === member) {
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
    // A deferred raise or a new high merges groups: the fire heap's top then comes from the heap; else from
    // note()'s fields, so the first cold reads are the group's and its member's, not the heap's.
    // materialize() and lift(x) — called only when there is something to do: both checks read this object's
    // fields, and each call is one more cold function on a firing tick. (The warm-up takes both branches
    // before V8 compiles update: a branch without feedback would deoptimize it when first taken.)
    let moved = false
    const pend = this.pendX
    if (pend !== -Infinity) {
      this.pendX = -Infinity
      this.lift(pend)
      moved = true
    }
    if (this.lowRef < x) {
      this.lift(x)
      moved = true
    }
    const fire = this.fire
    const fSign = this.fSign
    // Candidates: groups whose highest trigger is ≥ x (keys are −trigger), with a hair of float slack;
    // the exact check decides.
    const limit = -x + (Math.abs(x) * 1e-12 + 1e-9)
    // Groups within the slack that the exact check did not fire: out of the heap until the loop ends.
    let spared: TrailGroup<T>[] | null = null
    // The heap's arrays are read directly below (peek / peekKey): V8's inlining budget for this function is
    // spent on the pops, the sift and note(), and a call it cannot inline is a cold one.
    const fk = this.fireK
    const fv = this.fireV
    let g = moved ? (fv.length > 0 ? (fv[0] as TrailGroup<T>) : null) : this.fireTop
    let key = moved ? (fk.length > 0 ? (fk[0] as number) : Infinity) : this.fireKey
    while (g !== null && key <= limit) {
      let changed = false
      for (;;) {
        // The percent top, else the distance top, if x crossed it — decided on the group's cached tops (alive:
        // every change cleans them); one pop site for both heaps (one copy of its code).
        const f = g.topF
        let keys: number[]
        let vals: TrailMember<T>[]
        let m: TrailMember<T>
        if (f === f && firesPct(g, f, x)) {
          keys = g.pk
          vals = g.pv
          m = g.topP as TrailMember<T>
        } else if (x <= g.ref - g.topD) {
          keys = g.dk
          vals = g.dv
          m = g.topDm as TrailMember<T>
        } else break
        popKeyed(keys, vals)
        fired.push(m.item)
        m.alive = false
        m.firedRef = g.ref
        this.live--
        changed = true
        // Its new tops: the popped heap's (removed members on top leave first, from either heap).
        if (g.dead > 0) setTops(g, fSign)
        else if (keys === g.pk) {
          g.topF = keys.length > 0 ? (keys[0] as number) * fSign : NaN
          g.topP = vals.length > 0 ? (vals[0] as TrailMember<T>) : null
        } else {
          g.topD = keys.length > 0 ? (keys[0] as number) : Infinity
          g.topDm = vals.length > 0 ? (vals[0] as TrailMember<T>) : null
        }
      }
      if (changed) {
        // Its new trigger (refresh, inline). g is the fire heap's top, and its members that fired had its
        // highest triggers: it leaves the heap (no member left) or its key (−trigger) grows — the top sifts down.
        const f = g.topF
        const d = g.topD
        let trigger = f === f ? g.ref * f : -Infinity
        if (d !== Infinity) trigger = Math.max(trigger, g.ref - d)
        siftTop(fk, fv, -trigger, trigger !== -Infinity)
      }
      if (g.heapPos === 0 && (fk[0] as number) <= limit) {
        fire.delete(g)
        ;(spared ??= objectArray()).push(g)
      }
      g = fv.length > 0 ? (fv[0] as TrailGroup<T>) : null
      key = fk.length > 0 ? (fk[0] as number) : Infinity
    }
    if (spared !== null) for (const s of spared) this.refresh(s)
    this.prune()
    this.note()
  }

  /** Carry out a deferred raise (it fires nothing: raise() was only called for an x above every trigger); whether there was one. */
  private materialize(): boolean {
    const x = this.pendX
    if (x === -Infinity) return false
    this.pendX = -Infinity
    this.lift(x)
    return true
  }

  /** References follow x up: the groups it overtakes merge into one at ref x. Whether any did. */
  private lift(x: number): boolean {
    // lowRef is the last group's ref (a field of this object: no read of the stack unless x overtakes it).
    if (!(this.lowRef < x)) return false
    const stack = this.stack
    let n = stack.length
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
      g.topP = g.topDm = null
      this.spareKeys.push(g.pk, g.dk)
      this.spareVals.push(g.pv, g.dv)
      g.pk = g.dk = NO_KEYS
      g.pv = g.dv = NO_VALS
    }
    acc.ref = x
    stack.push(acc)
    this.lowRef = x
    this.noteStack()
    this.refresh(acc)
    return true
  }

  /** The group changed (ref or tops): its key in the fire heap follows (out of it when it has no member left). */
  private refresh(g: TrailGroup<T>): void {
    setTops(g, this.fSign)
    const f = g.topF
    const d = g.topD
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
    if (this.stackLen <= 2 * this.fireK.length + 8) return
    const spare = this.spareGroups
    this.stack = kept(this.stack, (g) => {
      if (g.heapPos >= 0) return true
      // Empty (its heaps too) and a root: only members that no longer trail still point at it.
      g.topP = g.topDm = null
      spare.push(g)
      return false
    })
    this.noteStack()
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
      topP: null,
      topDm: null,
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

/** Pops removed members off both heaps' tops, then caches the tops (factor, distance, members) in the group. */
function setTops<T>(g: TrailGroup<T>, fSign: number): void {
  if (g.dead > 0) clean(g)
  const pk = g.pk
  const dk = g.dk
  g.topF = pk.length > 0 ? (pk[0] as number) * fSign : NaN
  g.topP = pk.length > 0 ? (g.pv[0] as TrailMember<T>) : null
  g.topD = dk.length > 0 ? (dk[0] as number) : Infinity
  g.topDm = dk.length > 0 ? (g.dv[0] as TrailMember<T>) : null
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
  return new Decimal(ref).times((g.topP as TrailMember<T>).factor as Decimal).gte(x)
}

/** Exact trailing trigger (x-space) for a reference, for views and tests. */
export function trailTrigger(ref: Decimal, spec: { factor: Decimal | null; dist: Decimal | null }): Decimal {
  return spec.factor !== null ? ref.times(spec.factor) : ref.minus(spec.dist as Decimal)
}
