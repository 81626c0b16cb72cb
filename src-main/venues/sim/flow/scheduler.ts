// Virtual time for the synthetic market: a clock the matching engine reads, a deterministic event scheduler
// on that clock, and a real-time driver that keeps virtual time in step with the wall clock for the app.
//
// Determinism: tasks run in (time, insertion order); nothing here reads the wall clock except the real-time
// driver, which only decides *how far* to run, never *what* runs.

export interface SimClock {
  now(): number
}

/** The clock the engine is built with (`createMatchingEngine(specs, { now: () => clock.now() })`). */
export class VirtualClock implements SimClock {
  private current: number

  constructor(start: number) {
    if (!Number.isInteger(start)) throw new RangeError(`clock start must be integer ms, got ${start}`)
    this.current = start
  }

  now(): number {
    return this.current
  }

  /** Moves time forward (never back). */
  advanceTo(time: number): void {
    if (time > this.current) this.current = Math.floor(time)
  }
}

export type TaskFn = () => void

interface Task {
  time: number
  seq: number
  fn: TaskFn
  cancelled: boolean
}

export interface TaskHandle {
  cancel(): void
}

/**
 * A binary-heap event queue on a VirtualClock. Times are integer ms; ties run in scheduling order.
 * A task that throws is reported to onError and the run continues.
 */
export class Scheduler {
  private heap: Task[] = []
  private seq = 0
  private executed = 0

  constructor(
    readonly clock: VirtualClock,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  get pending(): number {
    return this.heap.length
  }

  /** Tasks run so far. */
  get tasksRun(): number {
    return this.executed
  }

  now(): number {
    return this.clock.now()
  }

  /** Runs fn at absolute time `at` (clamped to now, rounded to integer ms). */
  at(at: number, fn: TaskFn): TaskHandle {
    const time = Math.max(this.clock.now(), Math.round(at))
    const task: Task = { time, seq: this.seq++, fn, cancelled: false }
    this.push(task)
    return {
      cancel: () => {
        task.cancelled = true
      },
    }
  }

  /** Runs fn `delayMs` from now. */
  after(delayMs: number, fn: TaskFn): TaskHandle {
    return this.at(this.clock.now() + Math.max(0, delayMs), fn)
  }

  /** Time of the next pending task, or undefined. */
  peekTime(): number | undefined {
    this.dropCancelledHead()
    return this.heap[0]?.time
  }

  /** Runs the next task (advancing the clock to it); false when the queue is empty. */
  runNext(): boolean {
    this.dropCancelledHead()
    const task = this.pop()
    if (!task) return false
    this.clock.advanceTo(task.time)
    this.executed++
    try {
      task.fn()
    } catch (error) {
      this.onError(error)
    }
    return true
  }

  /**
   * Runs every task due at or before `time`, then sets the clock to `time`. With `maxTasks`, stops early
   * (clock at the last task run) and returns false; true when it reached `time`.
   */
  runUntil(time: number, maxTasks = Number.POSITIVE_INFINITY): boolean {
    let budget = maxTasks
    for (;;) {
      const next = this.peekTime()
      if (next === undefined || next > time) break
      if (budget <= 0) return false
      this.runNext()
      budget--
    }
    this.clock.advanceTo(time)
    return true
  }

  /**
   * Skips `deltaMs` of virtual time: the clock jumps forward and every pending task moves by the same amount,
   * so their order and spacing are kept (the market behaves as if it had been paused).
   */
  shift(deltaMs: number): void {
    const delta = Math.floor(deltaMs)
    if (delta <= 0) return
    for (const task of this.heap) task.time += delta
    this.clock.advanceTo(this.clock.now() + delta)
  }

  clear(): void {
    for (const task of this.heap) task.cancelled = true
    this.heap = []
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.heap[0]?.cancelled) this.pop()
  }

  private less(x: Task, y: Task): boolean {
    return x.time < y.time || (x.time === y.time && x.seq < y.seq)
  }

  private push(task: Task): void {
    const heap = this.heap
    heap.push(task)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = heap[parent] as Task
      if (!this.less(task, p)) break
      heap[i] = p
      i = parent
    }
    heap[i] = task
  }

  private pop(): Task | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined) return undefined
    if (heap.length === 0) return top
    let i = 0
    const n = heap.length
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      let child = left
      if (right < n && this.less(heap[right] as Task, heap[left] as Task)) child = right
      const c = heap[child] as Task
      if (!this.less(c, last)) break
      heap[i] = c
      i = child
    }
    heap[i] = last
    return top
  }
}

export interface RealtimeDriverOptions {
  /** Wall clock; default Date.now. */
  wallNow?: () => number
  /** Timer functions; default setTimeout/clearTimeout (injectable for tests). */
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** Wall ms between slices when caught up. Default 20. */
  tickMs?: number
  /** Most tasks run in one slice before yielding to the event loop. Default 2000. */
  maxTasksPerSlice?: number
  /** Most wall ms spent in one slice. Default 12. */
  maxSliceMs?: number
  /**
   * When virtual time falls further behind than this (a sleeping laptop, a blocked loop), the gap beyond it
   * is skipped with Scheduler.shift instead of being replayed. Default 10 s.
   */
  maxLagMs?: number
  /** Called after every slice (stats, tests). */
  onSlice?: (info: { caughtUp: boolean; lagMs: number; tasks: number }) => void
}

/**
 * Runs a Scheduler in real time: virtual time follows the wall clock from the moment start() is called,
 * catching up on missed time in bounded slices so a burst never blocks the event loop for long.
 */
export class RealtimeDriver {
  private timer: unknown = null
  private running = false
  /** virtual = wall + offset */
  private offset = 0
  private readonly wallNow: () => number
  private readonly setTimer: (fn: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void
  private readonly tickMs: number
  private readonly maxTasksPerSlice: number
  private readonly maxSliceMs: number
  private readonly maxLagMs: number
  private skippedMs = 0

  constructor(
    private readonly scheduler: Scheduler,
    private readonly options: RealtimeDriverOptions = {},
  ) {
    this.wallNow = options.wallNow ?? Date.now
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
    this.tickMs = options.tickMs ?? 20
    this.maxTasksPerSlice = options.maxTasksPerSlice ?? 2000
    this.maxSliceMs = options.maxSliceMs ?? 12
    this.maxLagMs = options.maxLagMs ?? 10_000
  }

  get isRunning(): boolean {
    return this.running
  }

  /** Virtual ms skipped so far because the driver fell too far behind. */
  get skipped(): number {
    return this.skippedMs
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.offset = this.scheduler.now() - this.wallNow()
    this.arm(0)
  }

  stop(): void {
    this.running = false
    if (this.timer !== null) this.clearTimer(this.timer)
    this.timer = null
  }

  private arm(ms: number): void {
    if (!this.running) return
    this.timer = this.setTimer(() => this.slice(), ms)
  }

  private slice(): void {
    this.timer = null
    if (!this.running) return
    let caughtUp = false
    let tasks = 0
    let lag = 0
    try {
      const wallStart = this.wallNow()
      const target = wallStart + this.offset
      lag = target - this.scheduler.now()
      if (lag > this.maxLagMs) {
        const skip = lag - this.maxLagMs
        this.scheduler.shift(skip)
        this.skippedMs += skip
      }
      // Run in chunks, checking the wall budget between them.
      const chunk = Math.max(1, Math.min(256, this.maxTasksPerSlice))
      for (;;) {
        const before = this.scheduler.tasksRun
        caughtUp = this.scheduler.runUntil(target, Math.min(chunk, this.maxTasksPerSlice - tasks))
        tasks += this.scheduler.tasksRun - before
        if (caughtUp || tasks >= this.maxTasksPerSlice) break
        if (this.wallNow() - wallStart >= this.maxSliceMs) break
      }
      lag = target - this.scheduler.now()
    } catch {
      // Scheduler isolates task errors; anything reaching here is a bug in the driver itself. Keep running.
      caughtUp = true
    }
    this.options.onSlice?.({ caughtUp, lagMs: lag, tasks })
    this.arm(caughtUp ? this.tickMs : 0)
  }
}
