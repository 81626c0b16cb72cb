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
// Every timed diff must be applied (the replay throws otherwise); after the timed rounds the timed books
// are run to the end and must equal ccxt's sides level for level, and the merged top 20 and arbitrage
// must equal a plain regrouping of the same five books.
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

export interface Replayer {
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

export function ourReplayer(books: OrderBook[], works: { snapshot: Workload['snapshot'] | ReturnType<typeof asText>['snapshot']; diffs: DepthDiff[] }[], after?: (venue: number, k: number) => void): Replayer {
  let pos = 0
  const n = works.length
  const total = Math.min(...works.map((w) => w.diffs.length)) * n
  const replayer: Replayer = {
    remaining: () => total - pos,
    apply(count) {
      let deltas = 0
      for (let k = 0; k < count; k++, pos++) {
        const v = pos % n
        const i = (pos - v) / n
        const diff = (works[v] as (typeof works)[number]).diffs[i] as DepthDiff
        // A dropped or buffered diff does no work: counting its deltas would inflate the figure.
        const result = (books[v] as OrderBook).applyDiff(diff)
        if (result !== 'applied') throw new Error(`bench book ${v}: diff ${i} ${result}, not applied (${books[v]?.health.reason ?? 'no reason'})`)
        deltas += diff.bids.length + diff.asks.length
        if (after) after(v, pos)
      }
      return deltas
    },
    reset() {
      pos = 0
      for (let v = 0; v < n; v++) {
        const book = books[v] as OrderBook
        // `fresh`: the replay starts the update ids over, which a live book would otherwise drop as old.
        const result = book.applySnapshot((works[v] as (typeof works)[number]).snapshot, true)
        if (result !== 'applied' || book.status !== 'live') throw new Error(`bench book ${v} not live after snapshot (${result}): ${book.health.reason}`)
      }
    },
  }
  replayer.reset()
  return replayer
}

interface CcxtReplayer extends Replayer {
  /** Venue v's ccxt sides as replayed so far. */
  book(v: number): { bids: CcxtSide; asks: CcxtSide }
}

function ccxtReplayer(sides: CcxtSides, works: Workload[], parse?: ReturnType<typeof asText>[]): CcxtReplayer {
  let pos = 0
  const n = works.length
  const total = Math.min(...works.map((w) => w.diffs.length)) * n
  let bids: CcxtSide[] = []
  let asks: CcxtSide[] = []
  const replayer: CcxtReplayer = {
    remaining: () => total - pos,
    book: (v) => ({ bids: bids[v] as CcxtSide, asks: asks[v] as CcxtSide }),
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

/** Every level of both sides equal, each side over its own length (a bench that measures a wrong book is worthless). */
function sameBook(label: string, ours: OrderBook, cb: CcxtSide, ca: CcxtSide): void {
  if (ours.status !== 'live') throw new Error(`${label}: book not live: ${ours.health.reason}`)
  if (ours.bids.length !== cb.length || ours.asks.length !== ca.length) {
    throw new Error(`${label}: level counts differ: ours ${ours.bids.length}/${ours.asks.length}, ccxt ${cb.length}/${ca.length}`)
  }
  for (const [name, side, ccxt] of [['bids', ours.bids, cb], ['asks', ours.asks, ca]] as const) {
    for (let i = 0; i < ccxt.length; i++) {
      const l = ccxt[i] as [number, number]
      if (side.priceAt(i) !== l[0] || side.sizeAt(i) !== l[1]) {
        throw new Error(`${label}: ${name} differ at rank ${i}: ours ${side.priceAt(i)} × ${side.sizeAt(i)}, ccxt ${l[0]} × ${l[1]}`)
      }
    }
  }
}

/** Full replay through both on a fresh book, then the books must agree. */
function crossCheck(sides: CcxtSides, w: Workload): { ours: OrderBook; ccxtBids: CcxtSide; ccxtAsks: CcxtSide } {
  const ours = new OrderBook({ venue: 'bench', symbol: 'BTC/USDT', keepText: false, capacity: 8192 })
  ours.applySnapshot(w.snapshot)
  const cb = new sides.Bids(w.snapshot.bids.map((l): [number, number] => [l[0], l[1]]))
  const ca = new sides.Asks(w.snapshot.asks.map((l): [number, number] => [l[0], l[1]]))
  w.diffs.forEach((d, i) => {
    const result = ours.applyDiff(d)
    if (result !== 'applied') throw new Error(`cross-check: diff ${i} ${result}`)
    for (const l of d.bids) cb.store(l[0], l[1])
    for (const l of d.asks) ca.store(l[0], l[1])
  })
  sameBook('cross-check', ours, cb, ca)
  return { ours, ccxtBids: cb, ccxtAsks: ca }
}

/** After the timed rounds: run both replayers to the end of the diffs, then the timed books must equal ccxt's. */
function checkTimed(label: string, ours: Replayer, books: OrderBook[], base: CcxtReplayer): void {
  ours.apply(ours.remaining())
  base.apply(base.remaining())
  books.forEach((book, v) => {
    const { bids, asks } = base.book(v)
    sameBook(`${label} book ${v}`, book, bids, asks)
  })
}

/** The aggregated book's merged top 20 and arbitrage must equal a plain regrouping of the same books. */
function checkAggregate(agg: AggregatedBook, books: OrderBook[], fees: number[], merged: MergedLevels): void {
  agg.readMerged(merged)
  for (const kind of ['bids', 'asks'] as const) {
    // Reference: every level of every book, grouped by price (sizes summed in venue order), best 20.
    const byPrice = new Map<number, number[]>()
    books.forEach((b, v) => {
      const side = b[kind]
      for (let i = 0; i < side.length; i++) {
        const shares = byPrice.get(side.priceAt(i)) ?? books.map(() => 0)
        shares[v] = side.sizeAt(i)
        byPrice.set(side.priceAt(i), shares)
      }
    })
    const ref = [...byPrice].sort((x, y) => (kind === 'bids' ? y[0] - x[0] : x[0] - y[0])).slice(0, merged.depth)
    const count = kind === 'bids' ? merged.bidCount : merged.askCount
    if (count !== ref.length) throw new Error(`aggregate ${kind}: ${count} merged levels, reference ${ref.length}`)
    ref.forEach(([price, shares], i) => {
      const p = (kind === 'bids' ? merged.bidPrices : merged.askPrices)[i]
      const size = (kind === 'bids' ? merged.bidSizes : merged.askSizes)[i]
      const got = [...(kind === 'bids' ? merged.bidShares : merged.askShares).subarray(i * books.length, (i + 1) * books.length)]
      const total = shares.reduce((a, b) => a + b, 0)
      if (p !== price || size !== total || got.some((x, v) => x !== shares[v])) {
        throw new Error(`aggregate ${kind} level ${i}: merged ${p} × ${size} [${got.join(', ')}], reference ${price} × ${total} [${shares.join(', ')}]`)
      }
    })
  }
  // Reference arbitrage: every (sell, buy) pair of venues on best prices after both taker fees.
  let best: { sell: number; buy: number; edge: number } | null = null
  books.forEach((s, si) =>
    books.forEach((b, bi) => {
      if (si === bi) return
      const netBid = s.bids.priceAt(0) * (1 - (fees[si] as number))
      const netAsk = b.asks.priceAt(0) * (1 + (fees[bi] as number))
      const edge = ((netBid - netAsk) / netAsk) * 10_000
      if (netBid > netAsk && (best === null || edge > best.edge)) best = { sell: si, buy: bi, edge }
    }),
  )
  const arb = agg.refresh()
  const want = best as { sell: number; buy: number; edge: number } | null
  const same = want === null ? arb === null : arb !== null && arb.sellVenue === `v${want.sell}` && arb.buyVenue === `v${want.buy}` && arb.edgeBps === want.edge
  if (!same) throw new Error(`aggregate arbitrage ${JSON.stringify(arb)}, reference ${JSON.stringify(want)}`)
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
  const applyR = [ourReplayer([book], [w]), ccxtReplayer(sides, [w])] as const
  const [applyOurs, applyCcxt] = alternate(...applyR)
  checkTimed('orderbook.apply', applyR[0], [book], applyR[1])

  // orderbook.apply.text (decimal strings, exact text kept)
  const text = asText(w)
  const textBook = new OrderBook({ venue: 'bench', symbol: 'BTC/USDT', keepText: true, capacity: 8192 })
  const textR = [ourReplayer([textBook], [text]), ccxtReplayer(sides, [w], [text])] as const
  const [textOurs, textCcxt] = alternate(...textR)
  checkTimed('orderbook.apply.text', textR[0], [textBook], textR[1])

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
  const fees = books.map((_, v) => 0.001 * (v + 1))
  books.forEach((b, v) => agg.addVenue(b, fees[v] as number))
  const merged = new MergedLevels(20, 5)
  const after = (v: number) => {
    agg.refresh()
    if (v === 4) agg.readMerged(merged)
  }
  const aggR = [ourReplayer(books, works, after), ccxtReplayer(sides, works)] as const
  const [aggOurs, aggCcxt] = alternate(...aggR)
  checkTimed('orderbook.aggregate5', aggR[0], books, aggR[1])
  checkAggregate(agg, books, fees, merged)

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
