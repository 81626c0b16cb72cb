// How long a market loop waits before its next attempt: the delay for this attempt (the last one repeats),
// with ±20 % jitter so that loops that failed together do not retry together.

export function backoffDelay(delays: readonly number[], attempt: number, random: () => number): number {
  const base = delays[Math.min(attempt, delays.length - 1)] ?? 1000
  return Math.max(0, Math.round(base * (0.8 + 0.4 * random())))
}
