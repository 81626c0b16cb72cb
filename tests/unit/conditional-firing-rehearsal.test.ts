// The firing rehearsal (firing-rehearsal.ts): after the ticks of a turn the engine fires scratch stops on an
// index of its own to keep the firing path's code cached. It must really fire them (or it warms nothing),
// re-arm them without growing, keep to its rate, and never touch a real order: no submit, no row, no event,
// and the real stops fire exactly where they would without it.
import { afterEach, describe, expect, it } from 'vitest'
import { FiringRehearsal, MIN_GAP_MS } from '../../src-main/trading/conditional/firing-rehearsal'
import { SourceIndex } from '../../src-main/trading/conditional/trigger-index'
import { sourceIndexFootprint, sourceIndexProblems } from '../support/trail-invariants'
import { closeStores, harness, single } from './conditional-harness'

afterEach(closeStores)

/** Lets the microtasks queued so far run (the engine's rehearsal is one). */
const microtasks = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('firing rehearsal', () => {
  it('fires its three scratch stops and arms them again, every time, without growing', () => {
    let now = 0
    const r = new FiringRehearsal(() => now)
    // Its scratch index (private): white-box, as the index's own model tests check it.
    const index = (r as unknown as { index: SourceIndex<unknown> }).index
    const armed = sourceIndexFootprint(index)
    for (let i = 0; i < 5_000; i++) {
      now += MIN_GAP_MS
      r.run() // throws if its price did not fire exactly its 3 stops, or left one armed
      if (i < 3 || i % 500 === 0) expect(sourceIndexProblems(index)).toEqual([])
    }
    expect(r.runs).toBe(5_000)
    expect(sourceIndexProblems(index)).toEqual([])
    // Heaps, stack and spare pools as they were when the stops were first armed.
    expect(sourceIndexFootprint(index)).toEqual(armed)
  })

  it('runs at most once per MIN_GAP_MS', () => {
    let now = 100
    const r = new FiringRehearsal(() => now)
    r.run()
    r.run()
    now += MIN_GAP_MS / 2
    r.run()
    expect(r.runs).toBe(1)
    now += MIN_GAP_MS / 2
    r.run()
    expect(r.runs).toBe(2)
  })
})

describe('re-arming fired stops (SourceIndex.rearmTrail / rearmLevel)', () => {
  it('a re-armed trail trails from its new reference; a re-armed level fires at its new price', () => {
    const idx = new SourceIndex<string>()
    const trail = idx.addTrail('t', { side: 'sell', percent: '1', distance: null, activation: null, reference: 100_000 })
    const level = idx.addLevel('l', 99_500, 'down')
    const fired: string[] = []
    idx.apply(99_000, fired, [])
    expect(fired.sort()).toEqual(['l', 't'])
    expect(idx.size).toBe(0)
    idx.rearmTrail(trail, 200_000) // trigger 198,000
    idx.rearmLevel(level, 150_000)
    expect(idx.size).toBe(2)
    idx.apply(198_001, fired.splice(0), [])
    expect(fired).toEqual([])
    idx.apply(198_000, fired, []) // 200,000 × 0.99, exactly
    expect(fired).toEqual(['t'])
    idx.apply(150_001, fired.splice(0), [])
    expect(fired).toEqual([])
    idx.apply(150_000, fired, [])
    expect(fired).toEqual(['l'])
    expect(idx.size).toBe(0)
  })

  it('refuses a level that was removed, not fired: it would fire at its old price', () => {
    const idx = new SourceIndex<string>()
    const level = idx.addLevel('l', 99_500, 'down')
    idx.remove(level)
    expect(() => idx.rearmLevel(level, 90_000)).toThrow('only a level this index fired can be armed again')
    const fired: string[] = []
    idx.apply(95_000, fired, [])
    expect(fired).toEqual([])
    expect(sourceIndexProblems(idx)).toEqual([])
  })

  it('refuses a handle that is still armed', () => {
    const idx = new SourceIndex<string>()
    const trail = idx.addTrail('t', { side: 'sell', percent: null, distance: 500, activation: null, reference: 100_000 })
    const level = idx.addLevel('l', 99_500, 'down')
    expect(() => idx.rearmTrail(trail, 100_000)).toThrow('only a trailing stop this index fired can be armed again')
    expect(() => idx.rearmLevel(level, 99_000)).toThrow('only a level this index fired can be armed again')
    expect(idx.size).toBe(2)
  })
})

describe('the engine rehearses after ticks and never touches real orders', () => {
  it('real stops fire where they must, with rehearsals running in between, and nothing else is sent or stored', async () => {
    const h = await harness()
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', trigger: 'last', triggerPrice: '95' })
    const trail = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '5' } })
    const rows = h.rows()
    const events = h.events.length
    const runs = h.engine.rehearsal.runs
    for (const p of ['101', '104', '110', '108']) {
      h.ticks.price(p)
      await microtasks()
      await new Promise((r) => setTimeout(r, 1)) // past MIN_GAP_MS: each tick's turn may rehearse
    }
    expect(h.engine.rehearsal.runs).toBeGreaterThan(runs)
    expect(h.gateway.submits).toHaveLength(0)
    expect(h.rows()).toBe(rows)
    expect(h.events).toHaveLength(events)
    // 110 × 0.95 = 104.5: the trail fires at 104.5, the level stop at 95.
    h.ticks.price('104.51')
    await microtasks()
    expect(h.gateway.submits).toHaveLength(0)
    h.ticks.price('104.5')
    await microtasks()
    expect(h.gateway.submits.map((s) => s.origin.ref)).toEqual([trail])
    h.ticks.price('95')
    await microtasks()
    expect(h.gateway.submits.map((s) => s.origin.ref)).toEqual([trail, stop])
    expect(h.rows()).toBe(rows)
    expect(h.logs.filter((l) => l.includes('rehearsal'))).toEqual([])
  })

  it("a turn that fires does not rehearse: nothing runs between the fire and its order's send", async () => {
    // The settle's submit continues after an await (the risk check): a rehearsal queued on that turn would run
    // first, on exactly the turn where the firing code is warm already.
    const h = await harness({ defer: 'microtask' })
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', trigger: 'last', triggerPrice: '95' })
    await new Promise((r) => setTimeout(r, 2)) // past MIN_GAP_MS
    const runs = h.engine.rehearsal.runs
    h.ticks.price('95')
    await microtasks()
    expect(h.gateway.submits.map((s) => s.origin.ref)).toEqual([stop])
    expect(h.engine.rehearsal.runs).toBe(runs)
    // The next quiet turn rehearses again.
    await new Promise((r) => setTimeout(r, 2))
    h.ticks.price('96')
    await microtasks()
    expect(h.engine.rehearsal.runs).toBe(runs + 1)
  })

  it('a rehearsal that fails is said once and stops; the real stops go on firing', async () => {
    const h = await harness()
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', trigger: 'last', triggerPrice: '95' })
    let calls = 0
    h.engine.rehearsal.run = () => {
      calls++
      throw new Error('scratch index broken')
    }
    for (const p of ['99', '98', '97']) {
      h.ticks.price(p)
      await microtasks()
    }
    expect(calls).toBe(1)
    expect(h.logs.filter((l) => l.includes('firing rehearsal failed'))).toHaveLength(1)
    h.ticks.price('95')
    await microtasks()
    expect(h.gateway.submits.map((s) => s.origin.ref)).toEqual([stop])
    expect(calls).toBe(1)
  })
})
