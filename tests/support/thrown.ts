// What a synchronous call threw, checked to be of the expected class; the test fails if it threw nothing
// (or something else).

export function thrown<E extends Error>(fn: () => unknown, kind: abstract new (...args: never[]) => E): E {
  try {
    fn()
  } catch (err) {
    if (err instanceof kind) return err
    throw err
  }
  throw new Error(`expected a ${kind.name}, but nothing was thrown`)
}

/** What a promise rejected with, checked to be of the expected class; the test fails if it resolved. */
export async function rejected<E extends Error>(p: Promise<unknown>, kind: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await p
  } catch (err) {
    if (err instanceof kind) return err
    throw err
  }
  throw new Error(`expected a ${kind.name}, but it resolved`)
}
