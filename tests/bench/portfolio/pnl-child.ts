import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeFills, endPrices } from '../portfolio-workload'
import { floatPnl } from './float-pnl'
import { computePortfolio } from '../../../src-main/portfolio/pnl'
import { LedgerWriter } from '../../../src-main/portfolio/ledger'
import { openStore } from '../../../src-main/store/open'
import { sourceMigrationsDir } from '../../../src-main/config/paths'
import type { LedgerEntryInput } from '../../../src-main/portfolio/model'

// One pnl bench measurement in a process of its own, so its peak RSS is its own (tests/bench/pnl.ts starts
// it): node --expose-gc --import tsx tests/bench/portfolio/pnl-child.ts fifo|average|fifo-db [fills]
// Prints one JSON line. Generation (and for fifo-db the import) is not timed.

const mode = process.argv[2] as 'fifo' | 'average' | 'fifo-db'
const n = Number(process.argv[3] ?? 1_000_000)
const method = mode === 'average' ? 'average' : 'fifo'
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
const mib = (bytes: number) => Math.round(bytes / 2 ** 20)

let entries: LedgerEntryInput[] | null = makeFills(n)
const prices = endPrices(entries)
const ROUNDS = 2
let floatSeconds = Number.POSITIVE_INFINITY
let seconds = Number.POSITIVE_INFINITY
let floatRealized = 0
let realized = '0'
let dir: string | null = null

for (let round = 0; round < ROUNDS; round++) {
  let t0 = performance.now()
  floatRealized = floatPnl(entries, method).realized
  floatSeconds = Math.min(floatSeconds, (performance.now() - t0) / 1000)
  if (mode !== 'fifo-db') {
    gc()
    t0 = performance.now()
    realized = computePortfolio({ entries, method, prices }).totals.realized
    seconds = Math.min(seconds, (performance.now() - t0) / 1000)
  }
}

let inputRss = process.memoryUsage().rss
if (mode === 'fifo-db') {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-bench-pnl-'))
  const store = openStore(dir, sourceMigrationsDir(path.resolve(__dirname, '..', '..', '..')))
  new LedgerWriter(store.db).importBatch(entries, null)
  entries = null
  gc()
  inputRss = process.memoryUsage().rss
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now()
    realized = computePortfolio({ db: store.db, method, prices }).totals.realized
    seconds = Math.min(seconds, (performance.now() - t0) / 1000)
  }
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
}

// The baseline must have done the same work: its realized P&L agrees to float precision.
const drift = Math.abs(Number(realized) - floatRealized) / Math.max(1, Math.abs(floatRealized))
process.stdout.write(
  `${JSON.stringify({
    mode,
    fills: n,
    seconds,
    floatSeconds,
    realized,
    floatRealized,
    drift,
    inputRssMiB: mib(inputRss),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMiB: mib(process.memoryUsage().heapUsed),
  })}\n`,
)
