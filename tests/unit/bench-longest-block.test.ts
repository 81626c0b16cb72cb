import { describe, expect, it } from 'vitest'
import { longestBlock } from '../bench/stream/longest-block'

// stream.longest-task compares the renderer's longest stall with a 50 ms budget.
describe('stream.longest-task figure', () => {
  it('a timer stall over the budget with no long-task entry counts in full, so the row can score below 1×', () => {
    expect(longestBlock([], 80)).toBe(80)
  })

  it('short timer lateness and reported long tasks are taken as they are', () => {
    expect(longestBlock([], 12)).toBe(12)
    expect(longestBlock([60, 120], 30)).toBe(120)
  })
})

/**
 * The page scripts in a stand-in page whose clock moves only when told: `run(ms)` lets timers fire on time,
 * `block(ms)` holds the main thread (timers fire late after it), `longTask` delivers an observer entry.
 */
function fakePage() {
  let now = 0
  let timers: { at: number; fn: () => void }[] = []
  let deliver: (list: { getEntries(): { startTime: number; duration: number }[] }) => void = () => {}
  const globals = {
    window: {} as Record<string, unknown>,
    performance: { now: () => now, timeOrigin: 1_700_000_000_000 },
    setTimeout: (fn: () => void, ms: number) => void timers.push({ at: now + ms, fn }),
    PerformanceObserver: class {
      constructor(cb: typeof deliver) {
        deliver = cb
      }
      observe() {}
    },
  }
  const names = Object.keys(globals)
  const values = Object.values(globals)
  const fireDue = () => {
    for (;;) {
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0]
      if (!due) return
      timers = timers.filter((t) => t !== due)
      due.fn()
    }
  }
  return {
    exec: (code: string) => new Function(...names, code)(...values) as unknown,
    eval: (expression: string) => new Function(...names, `return (${expression})`)(...values) as unknown,
    run(ms: number) {
      const end = now + ms
      for (;;) {
        const next = Math.min(...timers.map((t) => t.at))
        if (!(next <= end)) break
        now = Math.max(now, next)
        fireDue()
      }
      now = end
    },
    block(ms: number) {
      now += ms
      fireDue()
    },
    longTask: (startTime: number, duration: number) => deliver({ getEntries: () => [{ startTime, duration }] }),
    origin: globals.performance.timeOrigin,
  }
}

describe('stream.longest-task counts the run only', () => {
  it("a stall after the run stopped (the bench reading its recorded frames out of the page) is not the run's", async () => {
    const { LONG_TASK_SCRIPT, recordScript, RUN_BLOCKS_SCRIPT } = await import('../bench/stream/page-scripts')
    const page = fakePage()
    page.exec(LONG_TASK_SCRIPT)
    page.exec(`window.__benchBook = {}`)
    page.run(1000)
    page.block(200) // before the run: not counted either
    page.longTask(1000, 200)
    page.eval(recordScript('__benchBook', true))
    page.run(500)
    page.block(30) // in the run: the timer due 5 ms into it fires 25 ms late
    page.run(500)
    page.eval(recordScript('__benchBook', false))
    page.run(50)
    page.block(95) // the readout after the run
    page.longTask(page.eval('performance.now()') as number - 95, 95)
    page.run(100)
    expect(page.eval(RUN_BLOCKS_SCRIPT)).toEqual({ longTasks: [], timerLag: 25 })
  })

  it('a stall under way when the run stopped counts in full, and a long task is placed on the wall clock', async () => {
    const { LONG_TASK_SCRIPT, recordScript, RUN_BLOCKS_SCRIPT } = await import('../bench/stream/page-scripts')
    const page = fakePage()
    page.exec(LONG_TASK_SCRIPT)
    page.exec(`window.__benchBook = {}`)
    page.run(1000)
    page.eval(recordScript('__benchBook', true))
    page.run(1000)
    // A 70 ms task from 2000 ms; the bench's stop waits behind it, the observer reports it after.
    page.block(70)
    page.eval(recordScript('__benchBook', false))
    page.longTask(2000, 70)
    page.run(100)
    const blocks = page.eval(RUN_BLOCKS_SCRIPT) as { longTasks: [number, number][]; timerLag: number }
    expect(blocks.longTasks).toEqual([[page.origin + 2000, 70]])
    expect(blocks.timerLag).toBeGreaterThanOrEqual(65)
  })
})
