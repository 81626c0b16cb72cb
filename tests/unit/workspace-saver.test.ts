import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSaver } from '../../src-renderer/features/workspace/saver'

// Layout saves are debounced: one save 500 ms after the last change, with the latest layout, never two at once.

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

function recorder(latencyMs = 0) {
  const saved: number[] = []
  let inFlight = 0
  let maxInFlight = 0
  const save = async (v: number) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs))
    saved.push(v)
    inFlight--
  }
  return { saved, save, maxInFlight: () => maxInFlight }
}

describe('workspace saver', () => {
  it('saves once, 500 ms after the last of a burst of changes, with the latest value', async () => {
    const r = recorder()
    const saver = createSaver({ delayMs: 500, save: r.save })
    for (let i = 1; i <= 5; i++) {
      saver.schedule(i)
      await vi.advanceTimersByTimeAsync(200)
    }
    expect(r.saved).toEqual([])
    await vi.advanceTimersByTimeAsync(299)
    expect(r.saved).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(r.saved).toEqual([5])
    expect(saver.busy()).toBe(false)
  })

  it('saves a change made during a slow save after it, never two saves at once', async () => {
    const r = recorder(2000)
    const saver = createSaver({ delayMs: 500, save: r.save })
    saver.schedule(1)
    await vi.advanceTimersByTimeAsync(600)
    saver.schedule(2)
    await vi.advanceTimersByTimeAsync(600)
    saver.schedule(3)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(r.saved).toEqual([1, 3])
    expect(r.maxInFlight()).toBe(1)
  })

  it('flush saves what waits at once; cancel forgets it', async () => {
    const r = recorder()
    const saver = createSaver({ delayMs: 500, save: r.save })
    saver.schedule(7)
    await saver.flush()
    expect(r.saved).toEqual([7])
    saver.schedule(8)
    saver.cancel()
    await vi.advanceTimersByTimeAsync(1000)
    expect(r.saved).toEqual([7])
  })

  it('reports a failed save and saves the next change', async () => {
    const errors: unknown[] = []
    let fail = true
    const saved: number[] = []
    const saver = createSaver({
      delayMs: 500,
      save: async (v: number) => {
        if (fail) throw new Error('Invalid input for workspace.save')
        saved.push(v)
      },
      onError: (e) => errors.push(e),
    })
    saver.schedule(1)
    await vi.advanceTimersByTimeAsync(500)
    expect(errors).toHaveLength(1)
    fail = false
    saver.schedule(2)
    await vi.advanceTimersByTimeAsync(500)
    expect(saved).toEqual([2])
  })
})
