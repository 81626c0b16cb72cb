// Importing fills into the ledger (issue 6, point 3): 1,000,000 fills (tests/bench/portfolio-workload.ts:
// 4 accounts, 4 markets, fees in quote / base / BNB) through the real import path — LedgerWriter.importFile:
// validation, canonical decimals, a sha256 content hash per row with its occurrence index (CSV rows have no
// trade id), INSERT … ON CONFLICT DO NOTHING against the unique indexes, the provenance row — written as a
// pending import in chunks of short transactions with the pauses that let another process write between
// them (its real cost), then made visible — into a fresh store (migrated, WAL, synchronous=NORMAL).
//
// The baseline, in the same run: a raw better-sqlite3 prepared INSERT of the same rows (the hashes computed
// beforehand, untimed) in one transaction into the same table (same indexes) of another fresh store.
//
//   import.fills        rows/s through importFile vs the raw insert
//   import.fills.again  the same 1M again (all duplicates, nothing changes) vs a raw prepared INSERT … ON
//                       CONFLICT DO NOTHING of the same rows again into the raw store (one transaction)
//   import.fills vs a bare table   ours again, against a raw insert into the same columns with no indexes
//                       at all (what "raw" costs without the dedup and time indexes the ledger needs)
//
// The fills are generated already parsed (as a CSV reader would hand them over): no CSV parsing is timed
// here; reading a 15 MiB export and how long the import holds the event loop: import-csv.ts (run below).
// Generation is not timed. Aim (issue): within 3× of raw (ratio ≥ 0.33).
//
//   npm run bench -- --only import
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { BenchResult } from './run'
import { makeFills } from './portfolio-workload'
import { runCsv } from './import-csv'
import { openStore } from '../../src-main/store/open'
import { sourceMigrationsDir } from '../../src-main/config/paths'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

export const area = 'import'

const N = 1_000_000

export async function run(): Promise<BenchResult[]> {
  return [...(await runFills()), ...(await runCsv())]
}

async function runFills(): Promise<BenchResult[]> {
  const entries = makeFills(N)
  const migrations = sourceMigrationsDir(path.resolve(__dirname, '..', '..'))
  const dirs = [0, 1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'co-bench-import-')))
  try {
    // the baselines first: the hashes they store are computed here, untimed
    const hashes = entries.map((e, i) => createHash('sha256').update(`${JSON.stringify(e)}#${i}`).digest('base64url'))
    const raw = rawInsert(openStore(dirs[1]!, migrations).sqlite, entries, hashes, true)
    // The same migrated table with its declared indexes dropped (whatever migration declares them).
    const bare = openStore(dirs[2]!, migrations).sqlite
    const indexes = bare.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'ledger_entries' and sql is not null").pluck().all() as string[]
    if (indexes.length === 0) throw new Error('import bench: ledger_entries declares no index to drop')
    for (const name of indexes) bare.exec(`drop index "${name}"`)
    const bareSeconds = rawInsert(bare, entries, hashes, false).seconds
    hashes.length = 0

    const store = openStore(dirs[0]!, migrations)
    const writer = new LedgerWriter(store.db)
    let t0 = performance.now()
    const first = await writer.importFile(entries, { account: 'bench', format: 'generic', fileName: 'bench.csv' })
    const oursSeconds = (performance.now() - t0) / 1000
    t0 = performance.now()
    const again = await writer.importFile(entries, { account: 'bench', format: 'generic', fileName: 'bench.csv' })
    const againSeconds = (performance.now() - t0) / 1000
    const stored = store.sqlite.prepare('select count(*) from ledger_entries').pluck().get() as number
    store.close()
    if (first.inserted !== N || again.inserted !== 0 || stored !== N) {
      throw new Error(`import bench: expected ${N} stored once, got inserted ${first.inserted}, then ${again.inserted}, ${stored} rows`)
    }
    process.stderr.write(
      `import: importFile ${oursSeconds.toFixed(2)} s, again ${againSeconds.toFixed(2)} s; raw insert ${raw.seconds.toFixed(2)} s, again ${raw.againSeconds.toFixed(2)} s, into a bare table ${bareSeconds.toFixed(2)} s (${N.toLocaleString('en-US')} rows)\n`,
    )
    const rawRate = N / raw.seconds
    return [
      { bench: 'import.fills (1M parsed fills via importFile, hashed + deduped, chunked)', value: N / oursSeconds, unit: 'rows/s', baseline: 'raw prepared insert, one tx', baselineValue: rawRate },
      { bench: 'import.fills.again (same 1M, all duplicates)', value: N / againSeconds, unit: 'rows/s', baseline: 'raw insert … on conflict do nothing of the same rows again, one tx', baselineValue: N / raw.againSeconds },
      { bench: 'import.fills vs a bare table', value: N / oursSeconds, unit: 'rows/s', baseline: 'raw insert, same table, no indexes', baselineValue: N / bareSeconds },
    ]
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
}

/**
 * The baseline: one prepared INSERT per row, one transaction; with `again`, then the same rows once more with
 * ON CONFLICT DO NOTHING (all duplicates), also one transaction. Returns seconds. Closes the connection.
 */
function rawInsert(sqlite: Database.Database, entries: LedgerEntryInput[], hashes: string[], again: boolean): { seconds: number; againSeconds: number } {
  sqlite.prepare("insert into ledger_imports (id, account, format, rows, inserted, created_at) values (1, 'bench', 'generic', 0, 0, 0)").run()
  const columns = `insert into ledger_entries (account, kind, timestamp, symbol, base, quote, side, price, amount, fee_asset, fee_amount, source, external_id, content_hash, import_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  const insertAll = (insert: Database.Statement) =>
    sqlite.transaction(() => {
      let changes = 0
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!
        const fee = e.fee
        if (e.kind === 'trade') {
          changes += insert.run(e.account, 'trade', e.timestamp, e.symbol, e.base, e.quote, e.side, e.price, e.amount, fee ? fee.asset : null, fee ? fee.amount : null, e.source, null, hashes[i], 1, 0).changes
        } else {
          changes += insert.run(e.account, e.kind, e.timestamp, null, e.asset, null, null, null, e.amount, fee ? fee.asset : null, fee ? fee.amount : null, e.source, null, hashes[i], 1, 0).changes
        }
      }
      return changes
    })
  const first = insertAll(sqlite.prepare(columns))
  let t0 = performance.now()
  first()
  const seconds = (performance.now() - t0) / 1000
  let againSeconds = NaN
  if (again) {
    const duplicates = insertAll(sqlite.prepare(`${columns} on conflict do nothing`))
    t0 = performance.now()
    const inserted = duplicates()
    againSeconds = (performance.now() - t0) / 1000
    if (inserted !== 0) throw new Error(`import bench: the raw insert again stored ${inserted} duplicates — not the same work as the import's`)
  }
  sqlite.close()
  return { seconds, againSeconds }
}
