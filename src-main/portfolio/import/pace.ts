// Reading an export a slice at a time. A parser is a generator that yields between rows; run to its end at
// once (runToEnd) it is the plain synchronous parser, run paced (runPaced) it gives the event loop a turn
// whenever it has held it for SLICE_MS — so a 15 MiB file, seconds of work, never stops market streams,
// stop triggers or replies to the screen for longer than a slice.

export type Parsing<T> = Generator<void, T, void>

/** The longest the event loop is held between turns while a file is read. */
export const SLICE_MS = 20

/** One turn of the event loop: timers, sockets and other callbacks waiting run, then this resolves. */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export function runToEnd<T>(parsing: Parsing<T>): T {
  for (;;) {
    const step = parsing.next()
    if (step.done) return step.value
  }
}

export async function runPaced<T>(parsing: Parsing<T>, sliceMs = SLICE_MS): Promise<T> {
  let since = performance.now()
  for (let n = 1; ; n++) {
    const step = parsing.next()
    if (step.done) return step.value
    // The clock is read every 16 rows: a row takes microseconds.
    if ((n & 15) === 0 && performance.now() - since >= sliceMs) {
      await breathe()
      since = performance.now()
    }
  }
}
