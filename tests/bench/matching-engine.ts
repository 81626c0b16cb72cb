// Matching-engine throughput: a mixed stream (limit orders around the mid, some crossing, cancels, a few
// market orders) against a shallow and a deep book. Baseline, measured in the same run: the bare decimal
// work one order needs (parse price and amount, one multiply, format) — the floor under any exact engine.
// A deep book should cost about the same as a shallow one (levels are in a skip list: O(log n)).
//
//   npm run bench -- --only matching
import Decimal from 'decimal.js'
import type { BenchResult } from './run'
import type { SimOrderInput } from '../../src-main/venues/sim/engine-api'
import { SimRejection } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { defaultSimMarkets } from '../../src-main/venues/sim/markets'

interface MatchingBenchResult {
  name: string
  opsPerSecond: number
  levelsPerSide: number
}

function lcg(seed: number): () => number {
  let s = seed
  return () => (s = (s * 16807) % 2147483647) / 2147483647
}

function engineRun(name: string, spreadTicks: number, ops: number): MatchingBenchResult {
  const engine = createMatchingEngine(defaultSimMarkets, { now: () => 1_700_000_000_000 })
  const accounts = ['a', 'b', 'c', 'd']
  for (const a of accounts) {
    engine.deposit(a, 'USDT', '100000000000')
    engine.deposit(a, 'BTC', '10000000')
  }
  const rnd = lcg(42)
  const open: string[][] = accounts.map(() => [])
  let n = 0
  const step = () => {
    const k = Math.floor(rnd() * accounts.length)
    const account = accounts[k] as string
    const mine = open[k] as string[]
    const r = rnd()
    try {
      if (r < 0.3 && mine.length > 0) {
        const i = Math.floor(rnd() * mine.length)
        const id = mine[i] as string
        mine[i] = mine[mine.length - 1] as string
        mine.pop()
        engine.cancelOrder(account, 'BTC/USDT', { venueOrderId: id })
        return
      }
      const market = r > 0.97
      const side = rnd() < 0.5 ? 'buy' : 'sell'
      // Resting orders spread over `spreadTicks` ticks on their own side, ~10 % crossing.
      const offset = Math.floor(rnd() * spreadTicks) - Math.floor(spreadTicks * 0.05)
      const ticks = 9_500_000 + (side === 'buy' ? -offset : offset)
      const input: SimOrderInput = {
        accountId: account,
        clientOrderId: `c${++n}`,
        symbol: 'BTC/USDT',
        side,
        type: market ? 'market' : 'limit',
        amount: (0.001 + Math.floor(rnd() * 100) / 1000).toFixed(3),
        price: market ? undefined : (ticks / 100).toFixed(2),
        timeInForce: 'GTC',
        postOnly: false,
      }
      const { order } = engine.placeOrder(input)
      if (order.status === 'open') mine.push(order.venueOrderId)
    } catch (err) {
      if (!(err instanceof SimRejection)) throw err
    }
  }
  for (let i = 0; i < ops; i++) step() // warm up and build the book
  const t0 = performance.now()
  for (let i = 0; i < ops; i++) step()
  const seconds = (performance.now() - t0) / 1000
  const book = engine.book('BTC/USDT')
  return { name, opsPerSecond: Math.round(ops / seconds), levelsPerSide: Math.round((book.bids.length + book.asks.length) / 2) }
}

function decimalBaseline(ops: number): MatchingBenchResult {
  const rnd = lcg(7)
  let sink = 0
  const t0 = performance.now()
  for (let i = 0; i < ops; i++) {
    const price = new Decimal((9_500_000 + Math.floor(rnd() * 1000)) / 100)
    const amount = new Decimal((0.001 + Math.floor(rnd() * 100) / 1000).toFixed(3))
    sink += price.times(amount).toFixed().length
  }
  const seconds = (performance.now() - t0) / 1000
  if (sink < 0) console.log(sink)
  return { name: 'baseline: decimal parse+multiply+format', opsPerSecond: Math.round(ops / seconds), levelsPerSide: 0 }
}

export const area = 'matching'

export async function run(): Promise<BenchResult[]> {
  const ops = 50_000
  engineRun('jit warm-up', 200, 10_000)
  const floor = decimalBaseline(ops)
  const shallow = engineRun('shallow', 200, ops)
  const deep = engineRun('deep', 40_000, ops)
  return [
    {
      bench: `matching.mixed-flow (${shallow.levelsPerSide} levels/side)`,
      value: shallow.opsPerSecond,
      unit: 'orders/s',
      baseline: 'decimal.js parse+multiply+format only',
      baselineValue: floor.opsPerSecond,
    },
    {
      bench: `matching.deep-book (${deep.levelsPerSide} levels/side)`,
      value: deep.opsPerSecond,
      unit: 'orders/s',
      baseline: `same flow, ${shallow.levelsPerSide} levels/side`,
      baselineValue: shallow.opsPerSecond,
    },
  ]
}
