// Debounced saving: the latest value is saved `delayMs` after the last change, one save at a time, and a
// change made while a save is in flight is saved after it. Timers are injected so it is tested in Node.

export interface Timers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface Saver<T> {
  /** A new value: (re)starts the wait. */
  schedule(value: T): void
  /** Saves what is waiting now (e.g. when the page goes away); resolves once nothing is waiting. */
  flush(): Promise<void>
  /** Whether a value is waiting or being saved. */
  busy(): boolean
  /** Forgets what is waiting. */
  cancel(): void
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export function createSaver<T>(options: {
  delayMs: number
  save: (value: T) => Promise<void>
  onError?: (err: unknown) => void
  timers?: Timers
}): Saver<T> {
  const timers = options.timers ?? realTimers
  let waiting: { value: T } | null = null
  let timer: unknown = null
  let running: Promise<void> | null = null

  const drain = async (): Promise<void> => {
    while (running) await running
    if (!waiting) return
    const { value } = waiting
    waiting = null
    running = options
      .save(value)
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => {
        running = null
      })
    await running
    // A change that came in during the save and whose wait is over already is saved now.
    if (waiting && timer === null) await drain()
  }

  return {
    schedule(value) {
      waiting = { value }
      if (timer !== null) timers.clear(timer)
      timer = timers.set(() => {
        timer = null
        void drain()
      }, options.delayMs)
    },
    flush() {
      if (timer !== null) timers.clear(timer)
      timer = null
      return drain()
    },
    busy: () => waiting !== null || running !== null,
    cancel() {
      if (timer !== null) timers.clear(timer)
      timer = null
      waiting = null
    },
  }
}
