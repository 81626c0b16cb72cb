// The import bench's CSV half (tests/bench/import.ts runs it): a 15 MiB generic export — the largest the app
// takes — read, checked and written as the app's Import CSV… does it (parseExportPaced, then
// PortfolioService.importFile into a fresh store), with a 5 ms timer chain running beside it: its worst
// lateness is the longest the engine's event loop was held (no market stream, stop trigger or reply ran).
//
//   import.csv.read         rows/s read + checked a slice at a time, vs the same file read whole (parseExport)
//   import.csv.longest-block  ms, the whole import (read, checked, written), vs a 50 ms budget
//
// The file's generation is not timed. The machine is shared: a figure includes time the OS gave others.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BenchResult } from './run'
import { openStore } from '../../src-main/store/open'
import { sourceMigrationsDir } from '../../src-main/config/paths'
import { parseExport, parseExportPaced } from '../../src-main/portfolio/import'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'

const FILE_BYTES = 15 * 1024 * 1024
const BUDGET_MS = 50
const TICK_MS = 5

/** A generic export of trades with ids, one a minute, just under `bytes`. */
export function genericExport(bytes: number): { text: string; rows: number } {
  const lines = ['timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id']
  const t0 = Date.UTC(2022, 0, 1)
  let size = lines[0]!.length + 1
  for (let i = 0; ; i++) {
    const line = `${new Date(t0 + i * 60_000).toISOString()},trade,BTC,USDT,${i % 2 ? 'sell' : 'buy'},${40_000 + (i % 997)}.${i % 100},0.001,0.04,USDT,t${i}`
    if (size + line.length + 1 > bytes) return { text: `${lines.join('\n')}\n`, rows: lines.length - 1 }
    lines.push(line)
    size += line.length + 1
  }
}

/** Runs `work` beside a TICK_MS timer chain; returns its result and the chain's worst lateness (ms). */
export async function withLatenessWatch<T>(work: () => Promise<T>): Promise<{ result: T; worstLateMs: number }> {
  let worst = 0
  let due = performance.now() + TICK_MS
  let timer: NodeJS.Timeout | undefined
  const tick = () => {
    const now = performance.now()
    worst = Math.max(worst, now - due)
    due = now + TICK_MS
    timer = setTimeout(tick, TICK_MS)
  }
  timer = setTimeout(tick, TICK_MS)
  try {
    const result = await work()
    // A block at the very end shows once the chain runs again.
    await new Promise((resolve) => setTimeout(resolve, TICK_MS * 2))
    return { result, worstLateMs: worst }
  } finally {
    clearTimeout(timer)
  }
}

export async function runCsv(): Promise<BenchResult[]> {
  const { text, rows } = genericExport(FILE_BYTES)
  const context = { account: 'import:bench' }
  let t0 = performance.now()
  const whole = parseExport('generic', text, context)
  const wholeSeconds = (performance.now() - t0) / 1000

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-bench-import-csv-'))
  const store = openStore(dir, sourceMigrationsDir(path.resolve(__dirname, '..', '..')))
  try {
    const service = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
    let readSeconds = 0
    let readLate = 0
    let writeLate = 0
    const { result, worstLateMs } = await withLatenessWatch(async () => {
      t0 = performance.now()
      const read = await withLatenessWatch(() => parseExportPaced('generic', text, context))
      readSeconds = (performance.now() - t0) / 1000
      readLate = read.worstLateMs
      const written = await withLatenessWatch(() => service.importFile(read.result.entries, read.result.marks ?? [], { account: context.account, format: 'generic', fileName: 'bench.csv' }))
      writeLate = written.worstLateMs
      return written.result
    })
    const writeSeconds = (performance.now() - t0) / 1000 - readSeconds
    if (whole.entries.length !== rows || result.inserted !== rows) throw new Error(`import bench: expected ${rows} rows read and stored, got ${whole.entries.length} and ${result.inserted}`)
    process.stderr.write(
      `import csv: ${rows.toLocaleString('en-US')} rows (${(text.length / 2 ** 20).toFixed(1)} MiB): read whole ${wholeSeconds.toFixed(2)} s (one block); ` +
        `read paced ${readSeconds.toFixed(2)} s, longest block ${readLate.toFixed(0)} ms; written ${writeSeconds.toFixed(2)} s, longest block ${writeLate.toFixed(0)} ms; longest block of the whole import ${worstLateMs.toFixed(0)} ms\n`,
    )
    return [
      { bench: 'import.csv.read (15 MiB generic export, read + checked a slice at a time)', value: rows / readSeconds, unit: 'rows/s', baseline: 'the same file read whole (parseExport, one block)', baselineValue: rows / wholeSeconds },
      { bench: 'import.csv.longest-block (15 MiB export read, checked and written)', value: worstLateMs, unit: 'ms', baseline: `budget: the event loop held no longer than ${BUDGET_MS} ms`, baselineValue: BUDGET_MS },
    ]
  } finally {
    store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
