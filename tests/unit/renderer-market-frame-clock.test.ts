import { describe, expect, it } from 'vitest'
import { createFrameClock, type FrameScheduler } from '../../src-renderer/features/trade/frameClock'

/** A manual scheduler: animation frames and timers run when the test says so, on a fake clock. */
function manual() {
  let now = 0
  let nextId = 1
  const frames = new Map<number, () => void>()
  const timers = new Map<number, { at: number; fn: () => void }>()
  const afterFrame: (() => void)[] = []
  const scheduler: FrameScheduler = {
    frame: (fn) => {
      const id = nextId++
      frames.set(id, fn)
      return id
    },
    cancelFrame: (id) => frames.delete(id as number),
    delay: (fn, ms) => {
      const id = nextId++
      timers.set(id, { at: now + ms, fn })
      return id
    },
    cancelDelay: (id) => timers.delete(id as number),
    now: () => now,
    afterFrame: (fn) => afterFrame.push(fn),
  }
  return {
    scheduler,
    get frames() {
      return frames.size
    },
    get timers() {
      return timers.size
    },
    /** Advances the clock to `ms`, firing due timers, then runs one animation frame. */
    at(ms: number) {
      now = ms
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id)
          t.fn()
        }
      }
      const due = [...frames]
      frames.clear()
      for (const [, fn] of due) fn()
    },
    /** The frame's rendering ends at `ms` (what a drawn frame held the main thread). */
    rendered(ms: number) {
      now = ms
      for (const fn of afterFrame.splice(0)) fn()
    },
  }
}

/** Draws a view `count` times, each frame costing `costMs`, as fast as the clock lets it; returns when each drew. */
function drawLoop(m: ReturnType<typeof manual>, clock: ReturnType<typeof createFrameClock>, start: number, count: number, costMs: number): number[] {
  const view = {}
  const drawnAt: number[] = []
  let t = start
  for (let i = 0; i < count; i++) {
    clock.schedule(view, () => drawnAt.push(t))
    // Animation frames every 16.7 ms; a due timer asks for the next one.
    for (let guard = 0; drawnAt.length === i && guard < 20; guard++) {
      t = Math.round((Math.floor(t / 16.7) + 1) * 16.7 * 10) / 10
      m.at(t)
    }
    m.rendered(t + costMs)
  }
  return drawnAt
}

const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - (xs[i] as number))

describe('the Trade page drawing clock', () => {
  it('applies every view pending at a frame together, each view only with its latest update', () => {
    const m = manual()
    const clock = createFrameClock(m.scheduler)
    const book = {}
    const tape = {}
    const applied: string[] = []
    clock.schedule(book, () => applied.push('book 1'))
    clock.schedule(book, () => applied.push('book 2'))
    clock.schedule(tape, () => applied.push('tape 1'))
    expect(m.frames).toBe(1) // one frame asked for all of them
    expect(applied).toEqual([])
    m.at(16)
    expect(applied).toEqual(['book 2', 'tape 1'])
    m.at(33)
    expect(applied).toEqual(['book 2', 'tape 1']) // nothing pending, nothing applied
  })

  it('spaces applied frames by the gap, waiting on a timer (no empty animation frames meanwhile)', () => {
    const m = manual()
    const clock = createFrameClock(m.scheduler, 33)
    const view = {}
    const applied: number[] = []
    clock.schedule(view, () => applied.push(1))
    m.at(0)
    expect(applied).toEqual([1])
    clock.schedule(view, () => applied.push(2))
    expect(m.frames).toBe(0)
    expect(m.timers).toBe(1)
    m.at(16)
    expect(applied).toEqual([1]) // too soon: still waiting
    m.at(33)
    expect(applied).toEqual([1, 2])
  })

  it('applies at the next frame when the gap has already passed', () => {
    const m = manual()
    const clock = createFrameClock(m.scheduler, 33)
    const view = {}
    const applied: number[] = []
    clock.schedule(view, () => applied.push(1))
    m.at(0)
    m.at(100)
    clock.schedule(view, () => applied.push(2))
    expect(m.timers).toBe(0)
    m.at(116)
    expect(applied).toEqual([1, 2])
  })

  it('drops a cancelled update, and stops asking for frames when nothing is left', () => {
    const m = manual()
    const clock = createFrameClock(m.scheduler)
    const a = {}
    const b = {}
    const applied: string[] = []
    const cancelA = clock.schedule(a, () => applied.push('a'))
    const cancelB = clock.schedule(b, () => applied.push('b'))
    cancelA()
    expect(m.frames).toBe(1)
    cancelB()
    expect(m.frames).toBe(0)
    m.at(16)
    expect(applied).toEqual([])
  })

  it('adaptive pacing: cheap frames draw at screen rate, expensive ones are spaced to their share, and back', () => {
    const m = manual()
    const clock = createFrameClock(m.scheduler, { share: 0.25, maxGapMs: 33 })
    // 2 ms a frame (a GPU-drawn page): every animation frame.
    const cheap = drawLoop(m, clock, 0, 20, 2)
    expect(Math.max(...gaps(cheap.slice(5)))).toBeLessThanOrEqual(16.8)
    expect(clock.gapMs).toBeCloseTo(8, 0)
    // 12 ms a frame (software rendering): 12 ÷ 0.25 = 48 ms wanted, capped at 33 → about 30 draws a second.
    const costly = drawLoop(m, clock, 1000, 30, 12)
    expect(clock.gapMs).toBe(33)
    expect(Math.min(...gaps(costly.slice(10)))).toBeGreaterThanOrEqual(33)
    // 6 ms a frame: spaced about 24 ms, so every second animation frame.
    const middling = drawLoop(m, clock, 3000, 30, 6)
    expect(clock.gapMs).toBeCloseTo(24, 0)
    for (const g of gaps(middling.slice(15))) expect(g).toBeCloseTo(33.4, 0)
    // Cheap again: back to screen rate.
    const again = drawLoop(m, clock, 5000, 30, 1)
    expect(Math.max(...gaps(again.slice(20)))).toBeLessThanOrEqual(16.8)
  })

  it('a fixed gap ignores the frame cost', () => {
    const m = manual()
    const clock = createFrameClock(m.scheduler, 0)
    const drawn = drawLoop(m, clock, 0, 20, 30)
    expect(clock.gapMs).toBe(0)
    expect(Math.max(...gaps(drawn))).toBeLessThanOrEqual(16.8)
  })

  it('does not let a stale cancel drop the newer update of the same view', () => {
    const m = manual()
    const clock = createFrameClock(m.scheduler)
    const view = {}
    const applied: number[] = []
    const cancelOld = clock.schedule(view, () => applied.push(1))
    clock.schedule(view, () => applied.push(2))
    cancelOld()
    m.at(16)
    expect(applied).toEqual([2])
  })
})
