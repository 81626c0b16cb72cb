import Decimal from 'decimal.js'

// Small assertions shared by the exchange servers' REST tests.

/** Exact decimal equality of two values that must both be present. */
export const eq = (a: Decimal.Value | undefined | null, b: Decimal.Value | undefined | null): boolean =>
  a !== undefined && a !== null && b !== undefined && b !== null && new Decimal(a).eq(b)

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}
