// The start-up warm-up of the trigger index's firing path (warm-up.ts): it must really run the paths a
// firing stop takes (or it warms nothing), run once per process in short slices, and never fail a start.
import { describe, expect, it } from 'vitest'
import { WARM_UP_ROUNDS, warmUpRoundsDone, warmUpTriggerPaths, warmUpTriggerPathsOnce } from '../../src-main/trading/conditional/warm-up'

describe('trigger-path warm-up', () => {
  it('fires level and trailing triggers, starts trails and removes orders on its scratch index', () => {
    const count = warmUpTriggerPaths(2000)
    expect(count).toMatchObject({ rounds: 2000, done: 2000 })
    // A random walk over 2,000 ticks around 400 scratch orders 0.1–1.1 % away: many fire.
    expect(count.fired).toBeGreaterThan(100)
    // Trails with an activation price or none start trailing (only trails are ever "started").
    expect(count.started).toBeGreaterThan(10)
    expect(count.removed).toBeGreaterThan(10)
  })

  it('runs after the call returns, a slice per event-loop turn, once per process, three passes with a pause between', async () => {
    const errors: unknown[] = []
    const turn = (): Promise<void> => new Promise((r) => setImmediate(r))
    warmUpTriggerPathsOnce((err) => errors.push(err), 1000)
    expect(warmUpRoundsDone()).toBe(0) // nothing on the caller's turn
    await turn()
    const first = warmUpRoundsDone()
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThan(6000) // one slice, not the whole warm-up
    warmUpTriggerPathsOnce((err) => errors.push(err)) // a second engine in the same process: nothing more
    for (let i = 0; i < 40 && warmUpRoundsDone() < 6000; i++) await turn()
    expect(warmUpRoundsDone()).toBe(6000)
    // The next pass (V8 may have dropped optimization requests of the first: see warm-up.ts) waits for the
    // pause: nothing runs on the next turns.
    for (let i = 0; i < 5; i++) await turn()
    expect(warmUpRoundsDone()).toBe(6000)
    const start = Date.now()
    while (warmUpRoundsDone() < WARM_UP_ROUNDS && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 20))
    expect(warmUpRoundsDone()).toBe(18_000)
    expect(WARM_UP_ROUNDS).toBe(18_000)
    expect(errors).toEqual([])
  }, 40_000)
})
