import { describe, expect, it } from 'vitest'
import { SourceIndex, type Handle, type TrailHandle } from '../../src-main/trading/conditional/trigger-index'
import { NaiveScan, naiveLevel, naiveTrail, type NaiveOrder } from '../bench/trigger-naive'
import { toUnits, unitScale } from '../../src-main/trading/conditional/units'
import { sourceIndexProblems } from '../support/trail-invariants'

// The trigger index must fire exactly what a naive scan of every order fires, on the same tick, and keep
// the same trailing references — on random paths with jumps, with orders added and removed on the way.
// After every call the index's cached bounds and its books' caches are checked against what they cache
// (tests/support/trail-invariants.ts) and against the naive scan's orders: a stale cache fails here at the
// call that left it stale, not only when a later price happens to land where it lies.

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
}

interface Pair {
  id: number
  handle: Handle<number>
  naive: NaiveOrder
}

function randomOrder(id: number, price: number, r: () => number, index: SourceIndex<number>): Pair {
  const pick = r()
  const off = Math.round((r() - 0.5) * 4000)
  if (pick < 0.45) {
    const dir = r() < 0.5 ? 'up' : 'down'
    const units = Math.max(1, price + off)
    return { id, handle: index.addLevel(id, units, dir), naive: naiveLevel(id, 0, 0, units, dir) }
  }
  const side = r() < 0.5 ? 'sell' : 'buy'
  const usePct = r() < 0.5
  // Percent with up to 2 decimals (0.01 .. 4.99 %), distance in units.
  const percent = usePct ? (1 + Math.floor(r() * 499)) / 100 : null
  const distance = usePct ? null : 1 + Math.floor(r() * 3000)
  const activation = r() < 0.3 ? Math.max(1, price + Math.round((r() - 0.5) * 3000)) : null
  const reference = activation === null && r() < 0.2 ? Math.max(1, price + Math.round((r() - 0.3) * 2000)) : null
  const handle = index.addTrail(id, { side, percent: percent === null ? null : String(percent), distance, activation, reference })
  const naive = naiveTrail(id, 0, 0, side, {
    ...(percent !== null ? { percent: String(percent) } : { distance: distance as number }),
    ...(activation !== null ? { activation } : {}),
    ...(reference !== null ? { reference } : {}),
  })
  return { id, handle, naive }
}

const byNumber = (a: number, b: number) => a - b

/** How a path moves and how busy it is: the next price, and the chances per step of a new order and of a cancel. */
interface PathShape {
  move: (t: number, price: number, r: () => number) => number
  addChance: number
  removeChance: number
}

/** A random walk with rare jumps of up to ±3000 units, trending by `drift` units a step. */
function walk(drift: number): PathShape {
  return {
    move: (_t, price, r) => price + drift + (r() < 0.03 ? Math.round((r() - 0.5) * 6000) : Math.round((r() - 0.5) * 120)),
    addChance: 0.15,
    removeChance: 0.08,
  }
}

/**
 * Sawtooth: 40 steps of a slow slide, then one jump the other way of 3000..9000 units (3..9 %); the direction
 * turns every three periods (sells, then buys). Trails that start or activate during a slide each get a
 * reference of their own (one group per step), the jump overtakes many of those groups at once while it
 * only raises them (deferred), and the next slide walks down through their new triggers: busy, with cancels
 * often, so orders start, activate and are canceled while a raise is pending.
 */
const sawtooth: PathShape = {
  move: (t, price, r) => {
    const period = Math.floor(t / 41)
    const dir = Math.floor(period / 3) % 2 === 0 ? 1 : -1
    if (t % 41 === 40) return price + dir * (3000 + Math.floor(r() * 6000))
    return price - dir * (10 + Math.floor(r() * 60))
  },
  addChance: 0.5,
  removeChance: 0.3,
}

/** The index's bounds against every live order of the naive scan (empty = each bound covers them all). */
function boundProblems(index: SourceIndex<number>, live: Map<number, Pair>): string[] {
  const x = index as unknown as { upMin: number; downMin: number; sellRef: number; sellBound: number; buyRef: number; buyBound: number }
  const out: string[] = []
  for (const p of live.values()) {
    const o = p.naive
    if (o.kind === 'level') {
      if (o.dir === 'up' && x.upMin > o.units) out.push(`level ${p.id} at ${o.units} below upMin ${x.upMin}`)
      if (o.dir === 'down' && x.downMin > -o.units) out.push(`level ${p.id} at ${o.units} above −downMin ${-x.downMin}`)
      continue
    }
    if (o.ref !== o.ref) continue // not trailing yet
    const sell = o.side === 'sell'
    const ref = sell ? o.ref : -o.ref
    const trigger = o.factor !== null ? ref * o.factorF : ref - o.dist
    const slack = Math.abs(trigger) * 1e-12 + 1e-9
    if ((sell ? x.sellRef : x.buyRef) > ref) out.push(`trail ${p.id}: reference ${ref} (x-space) below the ${o.side} book's lowest ${sell ? x.sellRef : x.buyRef}`)
    if ((sell ? x.sellBound : x.buyBound) + slack < trigger) out.push(`trail ${p.id}: trigger ${trigger} (x-space) above the ${o.side} book's bound ${sell ? x.sellBound : x.buyBound}`)
  }
  return out
}

/**
 * Differences between the index and the naive scan, as readable lines (empty = they agree). Trailing
 * references are compared every `checkEvery` steps: reading them carries out a deferred raise
 * (trail-book.ts), so sparse reads let raises pile up over many ticks, as between the engine's live passes.
 */
function runPath(seed: number, steps: number, checkEvery = 1, shape: PathShape = walk(0)): { fired: number; started: number; problems: string[] } {
  const problems: string[] = []
  const r = rng(seed)
  const index = new SourceIndex<number>()
  const naive = new NaiveScan()
  const live = new Map<number, Pair>()
  let price = 100_000
  let nextId = 1
  const checkCaches = (what: string) => {
    for (const line of [...sourceIndexProblems(index), ...boundProblems(index, live)]) problems.push(`seed ${seed} after ${what}: ${line}`)
  }
  const add = () => {
    const p = randomOrder(nextId++, price, r, index)
    live.set(p.id, p)
    naive.add(p.naive)
    checkCaches(`adding ${p.id}`)
  }
  for (let i = 0; i < 60; i++) add()
  const values = new Float64Array(1)
  let firedTotal = 0
  let startedTotal = 0
  const step = (v: number) => {
    const fired: number[] = []
    const started: number[] = []
    index.apply(v, fired, started)
    values[0] = v
    const nf: NaiveOrder[] = []
    const ns: NaiveOrder[] = []
    naive.apply(0, values, [true], nf, ns)
    const a = fired.slice().sort(byNumber).join(',')
    const b = nf.map((o) => o.id).sort(byNumber).join(',')
    if (a !== b) problems.push(`seed ${seed} price ${v}: index fired [${a}], naive fired [${b}]`)
    const c = started.slice().sort(byNumber).join(',')
    const d = ns.map((o) => o.id).sort(byNumber).join(',')
    if (c !== d) problems.push(`seed ${seed} price ${v}: index started [${c}], naive started [${d}]`)
    for (const id of fired) live.delete(id)
    firedTotal += fired.length
    startedTotal += started.length
    checkCaches(`price ${v}`)
  }
  for (let t = 0; t < steps; t++) {
    price = Math.max(1000, shape.move(t, price, r))
    step(price)
    if (r() < shape.addChance) {
      add()
      step(price) // the engine evaluates a newly armed order against the current price at once
    }
    if (r() < shape.removeChance && live.size > 0) {
      const ids = [...live.keys()]
      const p = live.get(ids[Math.floor(r() * ids.length)] as number) as Pair
      index.remove(p.handle)
      naive.remove(p.naive)
      live.delete(p.id)
      checkCaches(`removing ${p.id}`)
    }
    if (t % checkEvery !== 0) continue
    for (const p of live.values()) {
      if (p.handle.kind !== 'trail') continue
      const ref = index.reference(p.handle as TrailHandle<number>)
      if (!Object.is(ref, p.naive.ref)) problems.push(`seed ${seed} step ${t}: trail ${p.id} reference ${ref}, naive ${p.naive.ref}`)
      checkCaches(`reading ${p.id}'s reference`)
    }
  }
  if (index.size !== live.size) problems.push(`seed ${seed}: index holds ${index.size}, expected ${live.size}`)
  return { fired: firedTotal, started: startedTotal, problems }
}

describe('trigger index versus a naive scan', () => {
  it('fires the same orders on the same tick and keeps the same trailing references on 150 random paths', () => {
    let fired = 0
    let started = 0
    const problems: string[] = []
    for (let seed = 1; seed <= 150; seed++) {
      const out = runPath(seed, 400)
      fired += out.fired
      started += out.started
      problems.push(...out.problems)
    }
    expect(problems.slice(0, 10)).toEqual([])
    // The paths really exercise the index (not a vacuous agreement).
    expect(fired).toBeGreaterThan(3000)
    expect(started).toBeGreaterThan(1000)
  })

  it('agrees too when references are read rarely (raises deferred over many ticks), on 150 trending paths', () => {
    let fired = 0
    const problems: string[] = []
    for (let seed = 1001; seed <= 1150; seed++) {
      const out = runPath(seed, 600, 37, walk(seed % 2 === 0 ? 12 : -12))
      fired += out.fired
      problems.push(...out.problems)
    }
    expect(problems.slice(0, 10)).toEqual([])
    expect(fired).toBeGreaterThan(3000)
  })

  it('agrees when one jump overtakes many trailing groups at once, with starts, activations and cancels while raises are pending, on 150 sawtooth paths', () => {
    let fired = 0
    let started = 0
    const problems: string[] = []
    for (let seed = 2001; seed <= 2150; seed++) {
      // References read every 97 steps: most jumps and the slides after them stay deferred raises.
      const out = runPath(seed, 500, 97, sawtooth)
      fired += out.fired
      started += out.started
      problems.push(...out.problems)
    }
    expect(problems.slice(0, 10)).toEqual([])
    expect(fired).toBeGreaterThan(3000)
    expect(started).toBeGreaterThan(3000)
  })

  it('fires a percent trail exactly at the boundary (ref × (1 − pct), no float slack)', () => {
    // Tick 0.01 → units of 0.001. Sell trail 10 % from 110: trigger exactly 99.
    const scale = unitScale('0.01')
    const u = (p: string) => toUnits(p, scale.digits)
    const index = new SourceIndex<string>()
    index.addTrail('t', { side: 'sell', percent: '10', distance: null, activation: null, reference: u('110') })
    const fired: string[] = []
    index.apply(u('99.001'), fired, [])
    expect(fired).toEqual([])
    index.apply(u('99'), fired, [])
    expect(fired).toEqual(['t'])
    // A buy trail 0.3 % from 100.00: trigger exactly 100.3 (0.3 is not a double: the exact check decides).
    const buy = new SourceIndex<string>()
    buy.addTrail('b', { side: 'buy', percent: '0.3', distance: null, activation: null, reference: u('100') })
    const out: string[] = []
    buy.apply(u('100.299'), out, [])
    expect(out).toEqual([])
    buy.apply(u('100.3'), out, [])
    expect(out).toEqual(['b'])
  })
})

describe('one price that fires one book while activations start trails in both', () => {
  it('fires the sell trail and the level, starts a buy and a sell trail from that price, and both then trail and fire from it', () => {
    const index = new SourceIndex<string>()
    const apply = (v: number) => {
      const fired: string[] = []
      const started: string[] = []
      index.apply(v, fired, started)
      expect(sourceIndexProblems(index)).toEqual([])
      return { fired: fired.sort(), started: started.sort() }
    }
    // A sell trail 5 % from 110 000 (trigger 104 500), a level, and two activations the same price crosses.
    const sell = index.addTrail('sell 5 %', { side: 'sell', percent: '5', distance: null, activation: null, reference: 110_000 })
    index.addLevel('level up 104 000', 104_000, 'up')
    index.addLevel('level down 90 000', 90_000, 'down')
    const buy = index.addTrail('buy 1000', { side: 'buy', percent: null, distance: 1000, activation: 105_000, reference: null })
    const sell2 = index.addTrail('sell 500', { side: 'sell', percent: null, distance: 500, activation: 100_000, reference: null })
    expect(sourceIndexProblems(index)).toEqual([])
    expect(apply(104_500)).toEqual({ fired: ['level up 104 000', 'sell 5 %'], started: ['buy 1000', 'sell 500'] })
    expect(index.reference(sell)).toBe(110_000)
    expect(index.reference(buy)).toBe(104_500)
    expect(index.reference(sell2)).toBe(104_500)
    expect(sourceIndexProblems(index)).toEqual([])
    // The sell trail follows the rise (deferred), the buy one keeps its low; the buy fires at 104 500 + 1000.
    expect(apply(104_600)).toEqual({ fired: [], started: [] })
    expect(apply(105_499)).toEqual({ fired: [], started: [] })
    expect(apply(105_500)).toEqual({ fired: ['buy 1000'], started: [] })
    expect(index.reference(sell2)).toBe(105_500)
    // The sell trail fires at 105 500 − 500, not a unit before.
    expect(apply(105_001)).toEqual({ fired: [], started: [] })
    expect(apply(105_000)).toEqual({ fired: ['sell 500'], started: [] })
    expect(index.size).toBe(1)
  })
})
