// A recorded-style L2 workload for the order-book benches, generated deterministically (seeded):
// 5,000 levels a side, Binance-like diffs of 20 deltas with gapless update ids, 70 % size updates near
// the top, 15 % inserts, 15 % deletes. "Near the top" is an exponential rank distribution (mean 10 levels
// for updates); inserts and deletes land near the top 80 % of the time (mean 20 levels) and anywhere in
// the book 20 % of the time, so the level count random-walks around 5,000 a side and the deep end moves
// too. Prices are integer ticks / 100 (the same double every time a tick recurs), sizes 4 decimals.
// Not a bench itself (no `run` export): the runner imports it and skips it.
import type { DepthDiff } from '../../src-main/market/order-book'

export type NumLevel = [price: number, size: number]

export interface NumDiff extends DepthDiff {
  bids: NumLevel[]
  asks: NumLevel[]
}

export interface Workload {
  snapshot: { lastUpdateId: number; bids: NumLevel[]; asks: NumLevel[] }
  diffs: NumDiff[]
  deltas: number
}

export interface WorkloadOptions {
  seed: number
  levels?: number
  batches: number
  batchSize?: number
  /** Shift every price by this many ticks (to make venues' books interleave). */
  tickOffset?: number
}

export function lcg(seed: number): () => number {
  let s = seed % 2147483647
  if (s <= 0) s += 2147483646
  return () => (s = (s * 16807) % 2147483647) / 2147483647
}

const MID = 5_000_000 // ticks: 50,000.00

export function makeWorkload(o: WorkloadOptions): Workload {
  const rnd = lcg(o.seed)
  const levels = o.levels ?? 5000
  const batchSize = o.batchSize ?? 20
  const off = o.tickOffset ?? 0
  // Best first, in ticks. Bids descend from below the mid, asks ascend from above it, 1–3 ticks apart.
  const bids: number[] = []
  const asks: number[] = []
  const bidSize = new Map<number, number>()
  const askSize = new Map<number, number>()
  const size = () => Math.round((0.0001 + rnd() * 5) * 10_000) / 10_000
  let t = MID - 1
  for (let i = 0; i < levels; i++) {
    bids.push(t)
    bidSize.set(t, size())
    t -= 1 + Math.floor(rnd() * 3)
  }
  t = MID + 1
  for (let i = 0; i < levels; i++) {
    asks.push(t)
    askSize.set(t, size())
    t += 1 + Math.floor(rnd() * 3)
  }
  const px = (tick: number) => (tick + off) / 100
  const snapshot = {
    lastUpdateId: 1000,
    bids: bids.map((k): NumLevel => [px(k), bidSize.get(k) as number]),
    asks: asks.map((k): NumLevel => [px(k), askSize.get(k) as number]),
  }
  const nearTop = (mean: number, n: number) => Math.min(n - 1, Math.floor(-Math.log(1 - rnd()) * mean))
  const insertRank = (n: number) => (rnd() < 0.8 ? nearTop(20, n + 1) : Math.floor(rnd() * (n + 1)))
  const deleteRank = (n: number) => (rnd() < 0.8 ? nearTop(20, n) : Math.floor(rnd() * n))

  const diffs: NumDiff[] = []
  let id = snapshot.lastUpdateId
  for (let b = 0; b < o.batches; b++) {
    const db: NumLevel[] = []
    const da: NumLevel[] = []
    for (let d = 0; d < batchSize; d++) {
      const isBid = rnd() < 0.5
      const side = isBid ? bids : asks
      const sizes = isBid ? bidSize : askSize
      const out = isBid ? db : da
      // dir: +1 when a better price is a higher tick (bids), -1 for asks.
      const dir = isBid ? 1 : -1
      const r = rnd()
      if (r < 0.15 && side.length > 100) {
        const rank = deleteRank(side.length)
        const tick = side[rank] as number
        side.splice(rank, 1)
        sizes.delete(tick)
        out.push([px(tick), 0])
        continue
      }
      if (r < 0.3) {
        let inserted = false
        for (let tries = 0; tries < 8 && !inserted; tries++) {
          const rank = insertRank(side.length)
          // Strictly between the better neighbour (or the other side's best) and the worse one.
          const better = rank === 0 ? (isBid ? (asks[0] as number) : (bids[0] as number)) : (side[rank - 1] as number)
          const worse = rank < side.length ? (side[rank] as number) : (side[side.length - 1] as number) - dir * 4
          const gap = (better - worse) * dir
          if (gap < 2) continue
          const tick = worse + dir * (1 + Math.floor(rnd() * (gap - 1)))
          const s = size()
          side.splice(rank, 0, tick)
          sizes.set(tick, s)
          out.push([px(tick), s])
          inserted = true
        }
        if (inserted) continue
      }
      const rank = nearTop(10, side.length)
      const tick = side[rank] as number
      const s = size()
      sizes.set(tick, s)
      out.push([px(tick), s])
    }
    diffs.push({ firstUpdateId: id + 1, lastUpdateId: id + batchSize, bids: db, asks: da })
    id += batchSize
  }
  return { snapshot, diffs, deltas: o.batches * batchSize }
}

/** The same workload with the venue's decimal strings, as Binance sends them. */
export function asText(w: Workload): { snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] }; diffs: DepthDiff[] } {
  const lv = (l: NumLevel): [string, string] => [l[0].toFixed(2), l[1].toFixed(4)]
  return {
    snapshot: { lastUpdateId: w.snapshot.lastUpdateId, bids: w.snapshot.bids.map(lv), asks: w.snapshot.asks.map(lv) },
    diffs: w.diffs.map((d) => ({ firstUpdateId: d.firstUpdateId, lastUpdateId: d.lastUpdateId, bids: d.bids.map(lv), asks: d.asks.map(lv) })),
  }
}
