// Synthetic-market throughput: how fast the full synthetic market (five markets, market makers, takers and
// every simulated trader, default intensity) runs on its virtual clock, in wall-clock terms.
//
// - simflow.events: engine events generated per wall second. Budget (counted in the same run): the events
//   per virtual second the market emits, i.e. what running in real time needs. Ratio = times faster than
//   real time.
// - simflow.book-updates: book updates per wall second. Budget: the real-time requirement of 20 book
//   updates per second in each market.
//
//   npm run bench -- --only simflow
import type { BenchResult } from './run'
import { createSimMarket } from '../../src-main/venues/sim/flow'

export const area = 'simflow'

const WARMUP_MS = 10_000
const MEASURE_MS = 120_000

export async function run(): Promise<BenchResult[]> {
  const runtime = createSimMarket({ seed: 42, startTime: Date.UTC(2026, 0, 5, 12, 0, 0) })
  const markets = runtime.engine.markets().length
  runtime.advance(WARMUP_MS)
  const before = runtime.stats()
  const t0 = process.hrtime.bigint()
  runtime.advance(MEASURE_MS)
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9
  const after = runtime.stats()
  runtime.dispose()
  const events = after.events - before.events
  const bookUpdates = after.markets.reduce((s, m) => s + m.bookUpdates, 0) - before.markets.reduce((s, m) => s + m.bookUpdates, 0)
  const virtualSeconds = MEASURE_MS / 1000
  return [
    {
      bench: 'simflow.events',
      value: Math.round(events / wallSeconds),
      unit: 'events/s',
      baseline: `budget: real time (the flow's events per virtual second, ${markets} markets)`,
      baselineValue: Math.round(events / virtualSeconds),
    },
    {
      bench: 'simflow.book-updates',
      value: Math.round(bookUpdates / wallSeconds),
      unit: 'updates/s',
      baseline: `budget: real time, 20 book updates/s × ${markets} markets`,
      baselineValue: 20 * markets,
    },
  ]
}
