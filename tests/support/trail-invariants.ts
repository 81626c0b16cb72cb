// White-box checks of what the trigger index and its trail books cache (trail-book.ts, trigger-index.ts).
// A fire starts from cached fields (the fire heap's top, the stack's end, each group's top members, the
// level heaps' minimums): a cache that has gone stale shows on a tick only when a later price happens to
// land where it lies, so the model tests call these after every operation and name the first stale field.
import type { TrailBook, TrailGroup, TrailMember } from '../../src-main/trading/conditional/trail-book'
import type { LevelHandle, SourceIndex, TrailHandle } from '../../src-main/trading/conditional/trigger-index'

/** The book's private fields, as the checks read them (TypeScript's `private` is compile-time only). */
interface BookInternals<T> {
  stack: TrailGroup<T>[]
  fire: { keys: number[]; vals: TrailGroup<T>[] }
  fireK: number[]
  fireV: TrailGroup<T>[]
  fSign: number
  spareGroups: TrailGroup<T>[]
  spareKeys: number[][]
  spareVals: TrailMember<T>[][]
  live: number
  pendX: number
  pendK: number
  lowestRef: number
  fireBound: number
  fireKey: number
  lowK: number
  lowF: number
  lowD: number
  secondRef: number
  nextRef: number
  fireTop: TrailGroup<T> | null
  lowRef: number
  low: TrailGroup<T> | null
  stackLen: number
}

interface IndexInternals<T> {
  upK: number[]
  upV: LevelHandle<T>[]
  downK: number[]
  downV: LevelHandle<T>[]
  pending: TrailHandle<T>[]
  sells: TrailBook<T>
  buys: TrailBook<T>
  upMin: number
  downMin: number
  sellRef: number
  sellBound: number
  buyRef: number
  buyBound: number
}

/** Object.is, but readable in a message. */
function same(problems: string[], what: string, got: unknown, want: unknown): void {
  if (!Object.is(got, want)) problems.push(`${what} is ${String(got)}, should be ${String(want)}`)
}

function heapOrdered(keys: number[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[(i - 1) >> 1] as number) > (keys[i] as number)) return false
  return true
}

/** The group's highest trigger from its heaps' tops, as refresh() computes it (−∞: no member). */
function groupTrigger<T>(g: TrailGroup<T>, fSign: number): number {
  let t = g.pk.length > 0 ? g.ref * ((g.pk[0] as number) * fSign) : -Infinity
  if (g.dk.length > 0) t = Math.max(t, g.ref - (g.dk[0] as number))
  return t
}

/** Every cached field of a trail book against what it caches; empty when they all agree. */
export function trailBookProblems<T>(book: TrailBook<T>, label = 'book'): string[] {
  const b = book as unknown as BookInternals<T>
  const p: string[] = []
  const at = (what: string) => `${label}: ${what}`
  const { stack, fSign } = b
  const n = stack.length
  const fk = b.fire.keys
  const fv = b.fire.vals
  if (b.fireK !== fk || b.fireV !== fv) p.push(at("fireK / fireV are not the fire heap's arrays"))
  if (!heapOrdered(fk)) p.push(at('fire heap out of order'))
  // The stack's end, cached by noteStack().
  same(p, at('stackLen'), b.stackLen, n)
  same(p, at('lowK'), b.lowK, n - 1)
  same(p, at('low'), b.low, n > 0 ? stack[n - 1] : null)
  same(p, at('secondRef'), b.secondRef, n > 1 ? (stack[n - 2] as TrailGroup<T>).ref : Infinity)
  same(p, at('lowRef'), b.lowRef, n > 0 ? (stack[n - 1] as TrailGroup<T>).ref : Infinity)
  // note()'s fields: the fire heap's top and the lowest group's tops.
  same(p, at('fireTop'), b.fireTop, fv.length > 0 ? fv[0] : null)
  same(p, at('fireKey'), b.fireKey, fk.length > 0 ? fk[0] : Infinity)
  same(p, at('lowF'), b.lowF, n > 0 ? (stack[n - 1] as TrailGroup<T>).topF : NaN)
  same(p, at('lowD'), b.lowD, n > 0 ? (stack[n - 1] as TrailGroup<T>).topD : Infinity)
  if (b.pendX === -Infinity) {
    same(p, at('lowestRef'), b.lowestRef, b.lowRef)
    same(p, at('fireBound'), b.fireBound, -b.fireKey)
  } else {
    same(p, at('lowestRef (raise pending)'), b.lowestRef, b.pendX)
    if (!(b.pendX > b.lowRef)) p.push(at(`raise pending at ${b.pendX}, not above the lowest reference ${b.lowRef}`))
    same(p, at('nextRef (raise pending)'), b.nextRef, b.pendK > 0 ? (stack[b.pendK - 1] as TrailGroup<T>).ref : Infinity)
    if (b.fireBound < -b.fireKey) p.push(at(`fireBound ${b.fireBound} below the fire heap's top ${-b.fireKey}`))
  }
  let live = 0
  const inStack = new Set<TrailGroup<T>>()
  for (let i = 0; i < n; i++) {
    const g = stack[i] as TrailGroup<T>
    const gl = `${label}: group ${i} (ref ${g.ref})`
    inStack.add(g)
    if (i > 0 && !((stack[i - 1] as TrailGroup<T>).ref > g.ref)) p.push(`${gl}: refs do not descend along the stack`)
    if (g.parent !== null) p.push(`${gl}: merged into another, still in the stack`)
    if (!heapOrdered(g.pk) || !heapOrdered(g.dk)) p.push(`${gl}: a member heap out of order`)
    if (g.pk.length !== g.pv.length || g.dk.length !== g.dv.length) p.push(`${gl}: keys and members differ in length`)
    const members = [...g.pv, ...g.dv]
    const alive = members.filter((m) => m.alive).length
    live += alive
    same(p, `${gl}: dead`, g.dead, members.length - alive)
    // Cached tops: the heaps' tops, alive (every change cleans them).
    same(p, `${gl}: topP`, g.topP, g.pv.length > 0 ? g.pv[0] : null)
    same(p, `${gl}: topDm`, g.topDm, g.dv.length > 0 ? g.dv[0] : null)
    same(p, `${gl}: topF`, g.topF, g.pk.length > 0 ? (g.pk[0] as number) * fSign : NaN)
    same(p, `${gl}: topD`, g.topD, g.dk.length > 0 ? g.dk[0] : Infinity)
    if (g.topP !== null && !g.topP.alive) p.push(`${gl}: its percent top no longer trails`)
    if (g.topDm !== null && !g.topDm.alive) p.push(`${gl}: its distance top no longer trails`)
    // In the fire heap exactly while it has a member, at the key of its highest trigger.
    if (alive > 0) {
      if (g.heapPos < 0 || fv[g.heapPos] !== g) p.push(`${gl}: has members but is not at its slot in the fire heap`)
      else same(p, `${gl}: fire key`, fk[g.heapPos], -groupTrigger(g, fSign))
    } else if (g.heapPos >= 0) p.push(`${gl}: no member, still in the fire heap`)
  }
  same(p, at('live'), b.live, live)
  for (const g of fv) if (!inStack.has(g)) p.push(at(`fire heap holds a group (ref ${g.ref}) not in the stack`))
  // What newGroup() reuses without resetting: pruned groups are empty roots out of the fire heap with no tops.
  for (const g of b.spareGroups) {
    if (inStack.has(g)) p.push(at(`spare group (ref ${g.ref}) still in the stack`))
    if (g.pk.length + g.dk.length > 0 || g.parent !== null || g.heapPos !== -1) p.push(at('spare group not an empty root out of the fire heap'))
    if (g.topP !== null || g.topDm !== null || g.topF === g.topF || g.topD !== Infinity) p.push(at('spare group keeps cached tops'))
  }
  for (const a of [...b.spareKeys, ...b.spareVals]) if (a.length > 0) p.push(at('a spare heap array is not empty'))
  return p
}

/** The index's cached bounds against its heaps and books, and both books' caches; empty when they agree. */
export function sourceIndexProblems<T>(index: SourceIndex<T>): string[] {
  const x = index as unknown as IndexInternals<T>
  const p: string[] = []
  same(p, 'index: upMin', x.upMin, x.upK.length > 0 ? x.upK[0] : Infinity)
  same(p, 'index: downMin', x.downMin, x.downK.length > 0 ? x.downK[0] : Infinity)
  if (!heapOrdered(x.upK) || !heapOrdered(x.downK)) p.push('index: a level heap out of order')
  same(p, 'index: sellRef', x.sellRef, x.sells.lowestRef)
  same(p, 'index: sellBound', x.sellBound, x.sells.fireBound)
  same(p, 'index: buyRef', x.buyRef, x.buys.lowestRef)
  same(p, 'index: buyBound', x.buyBound, x.buys.fireBound)
  p.push(...trailBookProblems(x.sells, 'sells'), ...trailBookProblems(x.buys, 'buys'))
  return p
}

/** The lengths of the arrays a trail book holds (stack, fire heap, spare pools, the stacked groups' heaps). */
function trailBookFootprint<T>(book: TrailBook<T>, label: string): Record<string, number> {
  const b = book as unknown as BookInternals<T>
  const out: Record<string, number> = {
    [`${label}.stack`]: b.stack.length,
    [`${label}.fire`]: b.fireK.length,
    [`${label}.spareGroups`]: b.spareGroups.length,
    [`${label}.spareKeys`]: b.spareKeys.length,
    [`${label}.spareVals`]: b.spareVals.length,
  }
  b.stack.forEach((g, i) => {
    out[`${label}.group${i}.members`] = g.pk.length + g.dk.length
  })
  return out
}

/** The lengths of every array the index and its books hold: what must not grow while nothing new is armed. */
export function sourceIndexFootprint<T>(index: SourceIndex<T>): Record<string, number> {
  const x = index as unknown as IndexInternals<T>
  return {
    up: x.upK.length,
    down: x.downK.length,
    pending: x.pending.length,
    ...trailBookFootprint(x.sells, 'sells'),
    ...trailBookFootprint(x.buys, 'buys'),
  }
}
