// Waiting for a condition in the integration tests (a server's log, an order's row, a child process's
// output): the wait is as long as it takes, up to a generous limit that only says how long to wait before
// calling it a failure. How fast something happens belongs in tests/bench.

/** What a check gives back: a value once the condition holds; undefined, false or null while it does not. */
export type Pending<T> = T | undefined | false | null

/**
 * The first value `check` gives that is not undefined, false or null (looked at every 25 ms; a check may be
 * async); throws "timed out waiting for <what>" after `timeoutMs`.
 */
export async function waitFor<T>(check: () => Pending<T> | Promise<Pending<T>>, what: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false && value !== null) return value
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
