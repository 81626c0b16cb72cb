// Best-of-N timing for two contenders, alternating which goes first each round, so neither is always the
// cold one (JIT, caches) or always the one after the other's garbage. Not a bench itself (no `run` export).
import { performance } from 'node:perf_hooks'

export interface Timed<T> {
  seconds: number
  result: T
}

export function bestOfAlternating<A, B>(rounds: number, a: () => A, b: () => B): [Timed<A>, Timed<B>] {
  const ta = { seconds: Infinity, result: undefined as A | undefined }
  const tb = { seconds: Infinity, result: undefined as B | undefined }
  const time = <T>(fn: () => T, into: { seconds: number; result: T | undefined }) => {
    const t0 = performance.now()
    into.result = fn()
    into.seconds = Math.min(into.seconds, (performance.now() - t0) / 1000)
  }
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      time(a, ta)
      time(b, tb)
    } else {
      time(b, tb)
      time(a, ta)
    }
  }
  return [ta as Timed<A>, tb as Timed<B>]
}
