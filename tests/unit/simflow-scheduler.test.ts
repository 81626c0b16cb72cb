import { describe, expect, it } from 'vitest'
import { createSimMarket } from '../../src-main/venues/sim/flow'
import { RealtimeDriver, Scheduler, VirtualClock } from '../../src-main/venues/sim/flow/scheduler'

describe('virtual-time scheduler', () => {
  it('runs tasks in time order, ties in scheduling order, and moves the clock', () => {
    const clock = new VirtualClock(1_000)
    const s = new Scheduler(clock)
    const seen: string[] = []
    s.at(1_050, () => seen.push(`b@${clock.now()}`))
    s.at(1_010, () => seen.push(`a@${clock.now()}`))
    s.at(1_050, () => seen.push(`c@${clock.now()}`))
    const cancelled = s.after(20, () => seen.push('never'))
    cancelled.cancel()
    s.at(500, () => seen.push(`late@${clock.now()}`)) // the past is clamped to now
    expect(s.runUntil(1_040)).toBe(true)
    expect(seen).toEqual(['late@1000', 'a@1010'])
    expect(clock.now()).toBe(1_040)
    s.runUntil(2_000)
    expect(seen).toEqual(['late@1000', 'a@1010', 'b@1050', 'c@1050'])
    expect(clock.now()).toBe(2_000)
    expect(s.runNext()).toBe(false)
  })

  it('isolates a failing task and keeps going', () => {
    const errors: unknown[] = []
    const s = new Scheduler(new VirtualClock(0), (e) => errors.push(e))
    let ran = false
    s.at(1, () => {
      throw new Error('boom')
    })
    s.at(2, () => {
      ran = true
    })
    s.runUntil(10)
    expect(ran).toBe(true)
    expect(errors).toHaveLength(1)
  })

  it('stops early with a task budget and can shift the whole queue', () => {
    const clock = new VirtualClock(0)
    const s = new Scheduler(clock)
    const times: number[] = []
    for (let t = 10; t <= 100; t += 10) s.at(t, () => times.push(clock.now()))
    expect(s.runUntil(100, 3)).toBe(false)
    expect(times).toEqual([10, 20, 30])
    s.shift(1_000)
    expect(clock.now()).toBe(1_030)
    s.runUntil(2_000)
    expect(times).toEqual([10, 20, 30, 1_040, 1_050, 1_060, 1_070, 1_080, 1_090, 1_100])
  })
})

describe('real-time driver', () => {
  function harness(options: { maxTasksPerSlice?: number; maxLagMs?: number } = {}) {
    let wall = 50_000
    const timers: { fn: () => void; at: number }[] = []
    const clock = new VirtualClock(1_000_000)
    const scheduler = new Scheduler(clock)
    const slices: { caughtUp: boolean; tasks: number }[] = []
    const driver = new RealtimeDriver(scheduler, {
      wallNow: () => wall,
      setTimer: (fn, ms) => {
        const t = { fn, at: wall + ms }
        timers.push(t)
        return t
      },
      clearTimer: (h) => {
        const i = timers.indexOf(h as (typeof timers)[number])
        if (i >= 0) timers.splice(i, 1)
      },
      tickMs: 20,
      maxSliceMs: 1_000_000,
      onSlice: (info) => slices.push(info),
      ...options,
    })
    const fire = () => {
      const t = timers.shift()
      if (!t) throw new Error('no timer armed')
      wall = Math.max(wall, t.at)
      t.fn()
    }
    return { clock, scheduler, driver, slices, fire, advanceWall: (ms: number) => (wall += ms), wall: () => wall, timers }
  }

  it('follows the wall clock and catches up in bounded slices', () => {
    const h = harness({ maxTasksPerSlice: 100 })
    let count = 0
    const tick = () => {
      count++
      h.scheduler.after(10, tick)
    }
    h.scheduler.after(10, tick)
    h.driver.start()
    h.fire()
    expect(h.clock.now()).toBe(1_000_000)
    h.advanceWall(5_000) // 500 tasks due
    h.fire()
    expect(h.slices.at(-1)).toEqual(expect.objectContaining({ caughtUp: false, tasks: 100 }))
    // Behind: the next slice comes at once (yielding to the event loop), not after a full tick.
    expect(h.timers[0]?.at).toBe(h.wall())
    for (let i = 0; i < 10 && !h.slices.at(-1)?.caughtUp; i++) h.fire()
    expect(h.slices.at(-1)?.caughtUp).toBe(true)
    expect(count).toBe(500)
    expect(h.clock.now()).toBe(1_005_000)
    h.driver.stop()
    expect(h.timers).toHaveLength(0)
    expect(h.driver.isRunning).toBe(false)
  })

  it('skips time it has fallen too far behind on instead of replaying it', () => {
    const h = harness({ maxLagMs: 2_000 })
    let count = 0
    const tick = () => {
      count++
      h.scheduler.after(100, tick)
    }
    h.scheduler.after(100, tick)
    h.driver.start()
    h.fire()
    h.advanceWall(60_000) // a sleeping laptop
    h.fire()
    expect(h.driver.skipped).toBe(58_000)
    expect(count).toBe(20)
    expect(h.clock.now()).toBe(1_060_000)
  })
})

describe('the synthetic market in real time', () => {
  it('aligns to the wall clock on start, follows it, and stops cleanly', () => {
    let wall = Date.UTC(2026, 0, 5, 12, 0, 0)
    const timers: { fn: () => void; at: number }[] = []
    const runtime = createSimMarket({
      seed: 3,
      startTime: wall - 5_000,
      symbols: ['BTC/USDT'],
      traders: false,
      realtime: {
        wallNow: () => wall,
        setTimer: (fn, ms) => {
          const t = { fn, at: wall + ms }
          timers.push(t)
          return t
        },
        clearTimer: (h) => {
          const i = timers.indexOf(h as (typeof timers)[number])
          if (i >= 0) timers.splice(i, 1)
        },
      },
    })
    runtime.start()
    expect(runtime.running).toBe(true)
    expect(runtime.engine.now()).toBe(wall) // moved up to the wall clock before anything was placed
    const lastTrade = () => runtime.engine.trades('BTC/USDT', 1)[0]?.timestamp
    for (let i = 0; i < 200; i++) {
      const t = timers.shift()
      if (!t) break
      wall = Math.max(wall, t.at)
      t.fn()
    }
    expect(runtime.engine.now()).toBe(wall)
    expect(runtime.stats().events).toBeGreaterThan(100)
    expect(lastTrade() ?? 0).toBeGreaterThan(Date.UTC(2026, 0, 5, 12, 0, 0))
    runtime.stop()
    expect(runtime.running).toBe(false)
    expect(timers).toHaveLength(0)
  })
})
