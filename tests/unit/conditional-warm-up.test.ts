// The start-up warm-up of the trigger index's firing path (warm-up.ts): it must really run the paths a
// firing stop takes (or it warms nothing), and must leave the engine's own orders and watches alone.
import { describe, expect, it } from 'vitest'
import { warmUpTriggerPaths, warmUpTriggerPathsOnce } from '../../src-main/trading/conditional/warm-up'

describe('trigger-path warm-up', () => {
  it('fires level and trailing triggers, starts trails and removes orders on its scratch index', () => {
    const count = warmUpTriggerPaths(2000)
    expect(count.rounds).toBe(2000)
    // A random walk over 2,000 ticks around 400 scratch orders 0.1–1.1 % away: many fire.
    expect(count.fired).toBeGreaterThan(100)
    // Trails with an activation price or none start trailing (only trails are ever "started").
    expect(count.started).toBeGreaterThan(10)
    expect(count.removed).toBeGreaterThan(10)
  })

  it('runs once per process', () => {
    const first = warmUpTriggerPathsOnce()
    expect(warmUpTriggerPathsOnce()).toBe(first)
  })
})
