// Waiting for a condition in the tests (a server's log, an order's row, a stream's frames, a child process's
// output): the wait is as long as it takes, up to a generous limit that only says how long to wait before
// calling it a failure. How fast something happens belongs in tests/bench.

/** What a check gives back: a value once the condition holds; undefined, false or null while it does not. */
export type Pending<T> = T | undefined | false | null

/**
 * The first value `check` gives that is not undefined, false or null (a check may be async); throws
 * "timed out waiting for <what>" after `timeoutMs`. `what` may be a function, read only when the wait fails
 * (to say what there was instead). It looks every `everyMs` (25 ms): a shorter look only where the test must
 * catch work while it is still running (e.g. a job a few checkpoints in).
 */
export async function waitFor<T>(
  check: () => Pending<T> | Promise<Pending<T>>,
  what: string | (() => string),
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false && value !== null) return value
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
