// Order-book update and read path against ccxt's own order-book sides, measured in the same run on the
// same deltas (see orderbook-workload.ts for the workload: 5,000 levels a side, diffs of 20 deltas, 70 %
// near-top updates, 15 % inserts, 15 % deletes).
//
//   orderbook.apply       our OrderBook.applyDiff (sequence checks, validation, crossed check, typed-array
//                         sides) vs ccxt's Bids/Asks.store(price, size) alone, numeric deltas for both
//   orderbook.apply.text  the same diffs as decimal strings (Binance's format), exact strings kept per
//                         level, vs ccxt parseFloat + store (what ccxt's handleDeltas does)
//   orderbook.top20       read the top 20 of both sides into reused buffers vs `side.slice(0, 20)` on both
//                         ccxt sides, as ccxt users read a book
//   orderbook.aggregate5  5 venues' books + the aggregated book (arbitrage indicator refreshed after every
//                         diff, merged top 20 with venue shares read after every 5 diffs) vs ccxt store on
//                         the same 5 × 2 sides
//
// Each figure: alternating ours/baseline rounds, each round ≥ 120 ms of timed work, 5 rounds (≥ 0.6 s
// per figure per contender), median reported. Book resets between replays are not timed.
//
//   npm run bench -- --only orderbook
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BenchResult } from './run'
import { OrderBook, type DepthDiff } from '../../src-main/market/order-book'
import { TopBuffers } from '../../src-main/market/book-side'
import { AggregatedBook, MergedLevels } from '../../src-main/market/aggregated-book'
import { asText, makeWorkload, type Workload } from './orderbook-workload'

export const area = 'orderbook'

interface CcxtSide extends Array<[number, number]> {
  store(price: number, size: number): void
}
type CcxtSideClass = new (deltas?: [number, number][], depth?: number) => CcxtSide
interface CcxtSides {
  Bids: CcxtSideClass
  Asks: CcxtSideClass
}

async function loadCcxtSides(): Promise<CcxtSides> {
  // ccxt's package exports only its entry point; load the very module ccxt.pro's OrderBook uses.
  const file = path.join(process.cwd(), 'node_modules/ccxt/js/src/base/ws/OrderBookSide.js')
  return (await import(pathToFileURL(file).href)) as CcxtSides
}

const ROUNDS = 5
const ROUND_MS = 120
const CHUNK = 32 // diffs per timed chunk

interface Replayer {
  /** Diffs left before a reset is needed. */
  remaining(): number
  /** Apply the next `count` diffs; returns the number of level deltas applied. */
  apply(count: number): number
  /** Back to the snapshot (untimed). */
  reset(): void
}

function rate(r: Replayer): number {
  let deltas = 0
  let ms = 0
  while (ms < ROUND_MS) {
    if (r.remaining() < CHUNK) r.reset()
    const t0 = performance.now()
    deltas += r.apply(CHUNK)
    ms += performance.now() - t0
  }
  return (deltas / ms) * 1000
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

function alternate(ours: Replayer, base: Replayer): [number, number] {
  rate(ours) // warm-up rounds
  rate(base)
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    a.push(rate(ours))
    b.push(rate(base))
  }
  return [median(a), median(b)]
}

function ourReplayer(books: OrderBook[], works: { snapshot: Workload['snapshot'] | ReturnType<typeof asText>['snapshot']; diffs: DepthDiff[] }[], after?: (venue: number, k: number) => void): Replayer {
  let pos = 0
  const n = works.length
  const total = Math.min(...works.map((w) => w.diffs.length)) * n
  const replayer: Replayer = {
    remaining: () => total - pos,
    apply(count) {
      let deltas = 0
      for (let k = 0; k < count; k++, pos++) {
        const v = pos % n
        const diff = (works[v] as (typeof works)[number]).diffs[(pos - v) / n] as DepthDiff
        ;(books[v] as OrderBook).applyDiff(diff)
        deltas += diff.bids.length + diff.asks.length
        if (after) after(v, pos)
      }
      return deltas
    },
    reset() {
      pos = 0
      for (let v = 0; v < n; v++) {
        const book = books[v] as OrderBook
        book.applySnapshot((works[v] as (typeof works)[number]).snapshot)
        if (book.status !== 'live') throw new Error(`bench book ${v} not live after snapshot: ${book.health.reason}`)
      }
    },
  }
  replayer.reset()
  return replayer
}

function ccxtReplayer(sides: CcxtSides, works: Workload[], parse?: ReturnType<typeof asText>[]): Replayer {
  let pos = 0
  const n = works.length
  const total = Math.min(...works.map((w) => w.diffs.length)) * n
  let bids: CcxtSide[] = []
  let asks: CcxtSide[] = []
  const replayer: Replayer = {
    remaining: () => total - pos,
    apply(count) {
      let deltas = 0
      for (let k = 0; k < count; k++, pos++) {
        const v = pos % n
        const i = (pos - v) / n
        const b = bids[v] as CcxtSide
        const a = asks[v] as CcxtSide
        if (parse) {
          const diff = (parse[v] as ReturnType<typeof asText>).diffs[i] as DepthDiff
          for (const l of diff.bids) b.store(parseFloat(l[0] as string), parseFloat(l[1] as string))
          for (const l of diff.asks) a.store(parseFloat(l[0] as string), parseFloat(l[1] as string))
          deltas += diff.bids.length + diff.asks.length
        } else {
          const diff = (works[v] as Workload).diffs[i] as Workload['diffs'][number]
          for (const l of diff.bids) b.store(l[0], l[1])
          for (const l of diff.asks) a.store(l[0], l[1])
          deltas += diff.bids.length + diff.asks.length
        }
      }
      return deltas
    },
    reset() {
      pos = 0
      bids = works.map((w) => new sides.Bids(w.snapshot.bids.map((l): [number, number] => [l[0], l[1]])))
      asks = works.map((w) => new sides.Asks(w.snapshot.asks.map((l): [number, number] => [l[0], l[1]])))
    },
  }
  replayer.reset()
  return replayer
}

/** Full replay through both, then the top 20 must agree (a bench that measures a wrong book is worthless). */
function crossCheck(sides: CcxtSides, w: Workload): { ours: OrderBook; ccxtBids: CcxtSide; ccxtAsks: CcxtSide } {
  const ours = new OrderBook({ venue: 'bench', symbol: 'BTC/USDT', keepText: false, capacity: 8192 })
  ours.applySnapshot(w.snapshot)
  const cb = new sides.Bids(w.snapshot.bids.map((l): [number, number] => [l[0], l[1]]))
  const ca = new sides.Asks(w.snapshot.asks.map((l): [number, number] => [l[0], l[1]]))
  for (const d of w.diffs) {
    ours.applyDiff(d)
    for (const l of d.bids) cb.store(l[0], l[1])
    for (const l of d.asks) ca.store(l[0], l[1])
  }
  if (ours.status !== 'live') throw new Error(`bench book not live: ${ours.health.reason}`)
  if (ours.bids.length !== cb.length || ours.asks.length !== ca.length) {
    throw new Error(`level counts differ: ours ${ours.bids.length}/${ours.asks.length}, ccxt ${cb.length}/${ca.length}`)
  }
  for (let i = 0; i < ca.length; i++) {
    const x = cb[i]
    const y = ca[i]
    if ((x && (ours.bids.priceAt(i) !== x[0] || ours.bids.sizeAt(i) !== x[1])) || (y && (ours.asks.priceAt(i) !== y[0] || ours.asks.sizeAt(i) !== y[1]))) {
      throw new Error(`books differ at rank ${i}`)
    }
  }
  return { ours, ccxtBids: cb, ccxtAsks: ca }
}

function nsPerRead(read: () => number): number {
  // Calibrate the batch so one timed round is ≥ ROUND_MS.
  let reps = 1000
  let sink = 0
  for (;;) {
    const t0 = performance.now()
    for (let i = 0; i < reps; i++) sink += read()
    const ms = performance.now() - t0
    if (ms >= ROUND_MS) {
      if (sink === -1) console.log(sink)
      return (ms * 1e6) / reps
    }
    reps *= 2
  }
}

export async function run(): Promise<BenchResult[]> {
  const sides = await loadCcxtSides()
  const w = makeWorkload({ seed: 42, batches: 10_000 })
  const { ours: readBook, ccxtBids, ccxtAsks } = crossCheck(sides, w)

  // orderbook.apply (numeric)
  const book = new OrderBook({ venue: 'bench', symbol: 'BTC/USDT', keepText: false, capacity: 8192 })
  const [applyOurs, applyCcxt] = alternate(ourReplayer([book], [w]), ccxtReplayer(sides, [w]))

  // orderbook.apply.text (decimal strings, exact text kept)
  const text = asText(w)
  const textBook = new OrderBook({ venue: 'bench', symbol: 'BTC/USDT', keepText: true, capacity: 8192 })
  const [textOurs, textCcxt] = alternate(ourReplayer([textBook], [text]), ccxtReplayer(sides, [w], [text]))

  // orderbook.top20
  const buf = new TopBuffers(20)
  const readOurs = () => {
    readBook.readTop(buf)
    return buf.bidCount + buf.askCount
  }
  const readCcxt = () => ccxtBids.slice(0, 20).length + ccxtAsks.slice(0, 20).length
  nsPerRead(readOurs)
  nsPerRead(readCcxt)
  const r1: number[] = []
  const r2: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    r1.push(nsPerRead(readOurs))
    r2.push(nsPerRead(readCcxt))
  }
  const topOurs = median(r1)
  const topCcxt = median(r2)

  // orderbook.aggregate5
  const works = [0, 1, 2, 3, 4].map((v) => makeWorkload({ seed: 100 + v, batches: 4000, tickOffset: v }))
  const books = works.map((_, v) => new OrderBook({ venue: `v${v}`, symbol: v % 2 ? 'BTC/USDT' : 'BTC/USDC', keepText: false, capacity: 8192 }))
  const agg = new AggregatedBook({ symbol: 'BTC/USD' })
  books.forEach((b, v) => agg.addVenue(b, 0.001 * (v + 1)))
  const merged = new MergedLevels(20, 5)
  let arbs = 0
  const after = (v: number) => {
    if (agg.refresh() !== null) arbs++
    if (v === 4) agg.readMerged(merged)
  }
  const [aggOurs, aggCcxt] = alternate(ourReplayer(books, works, after), ccxtReplayer(sides, works))
  if (merged.bidCount !== 20 || arbs < 0) throw new Error('aggregate bench read nothing')

  return [
    {
      bench: 'orderbook.apply (5,000 levels/side, 20-delta diffs)',
      value: Math.round(applyOurs),
      unit: 'deltas/s',
      baseline: 'ccxt OrderBookSide.store',
      baselineValue: Math.round(applyCcxt),
    },
    {
      bench: 'orderbook.apply.text (decimal strings kept)',
      value: Math.round(textOurs),
      unit: 'deltas/s',
      baseline: 'ccxt parseFloat + OrderBookSide.store',
      baselineValue: Math.round(textCcxt),
    },
    {
      bench: 'orderbook.top20 (both sides)',
      value: Math.round(topOurs),
      unit: 'ns',
      baseline: 'ccxt side.slice(0, 20) on both sides',
      baselineValue: Math.round(topCcxt),
    },
    {
      bench: 'orderbook.aggregate5 (5 books + merged top 20 + arbitrage)',
      value: Math.round(aggOurs),
      unit: 'level updates/s',
      baseline: 'ccxt OrderBookSide.store on 5 books',
      baselineValue: Math.round(aggCcxt),
    },
  ]
}
