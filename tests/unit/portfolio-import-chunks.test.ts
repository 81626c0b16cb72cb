import fs from 'node:fs'
import { spawnSync } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { listEntries } from '../../src-main/portfolio/entries'
import { LedgerReplay } from '../../src-main/portfolio/live/replay'
import { hasLedgerEntries } from '../../src-main/portfolio/sync/ledger-accounts'
import { runTradeStatsJob } from '../../src-main/analytics/jobs'
import { openLedger } from '../../src-main/cli/ledger-context'
import { discardAbandonedImports } from '../../src-main/portfolio/pending-imports'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { fixedArith } from '../../src-main/portfolio/arith'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { migrationsDir, tempCore, tempDir } from '../support/temp-core'

// A large file imported from the CLI while the app runs: two processes, two connections on one database.
// The import must never keep the app's writes (its orders) waiting, and must still be all or nothing as the
// user sees it. Chunks are made small here (100 entries) so a 1,000-row file takes ten of them.

const FILE_ROWS = 1000
const CHUNKS = { rows: 100, pauseMs: 1 }
const META = { account: 'binance-csv', format: 'binance', fileName: 'trade-history.csv' }

let dir: string
let app: Store
let cli: Store

beforeEach(() => {
  dir = tempDir('co-import-chunks-')
  // The app's connection waits for no lock at all: any write refused while the import holds it fails here.
  app = openStore(dir, migrationsDir, { busyTimeoutMs: 0 })
  cli = openStore(dir, migrationsDir)
})
afterEach(() => {
  cli.close()
  app.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A trade-history file: buys of 0.001 BTC at 40,000 USDT, one a minute. */
function tradeFile(n: number, account = META.account): LedgerEntryInput[] {
  const t0 = Date.UTC(2023, 0, 1)
  return Array.from({ length: n }, (_, i) => ({
    kind: 'trade' as const,
    account,
    timestamp: t0 + i * 60_000,
    symbol: 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    side: 'buy' as const,
    price: '40000',
    amount: '0.001',
    fee: null,
    source: 'csv' as const,
    externalId: `t${i}`,
  }))
}

/** One of the app's own fills (what it records as an order fills). */
function appFill(i: number): LedgerEntryInput {
  return {
    kind: 'trade',
    account: 'paper',
    timestamp: Date.UTC(2024, 5, 1) + i,
    symbol: 'ETH/USDT',
    base: 'ETH',
    quote: 'USDT',
    side: 'buy',
    price: '3000',
    amount: '1',
    fee: null,
    source: 'app',
    externalId: `fill-${i}`,
  }
}

const appService = () => new PortfolioService({ db: app.db, bus: new EventBus(), log: silentLogger })
const cliService = (afterChunk?: (chunk: number) => void) =>
  new PortfolioService({ db: cli.db, bus: new EventBus(), log: silentLogger, chunks: { ...CHUNKS, ...(afterChunk ? { afterChunk } : {}) } })
const btcHeld = (p: PortfolioService) => p.compute({ account: META.account, prices: new Map() }).positions.find((x) => x.asset === 'BTC')?.amount ?? '0'
const fileRows = (s: Store) => s.sqlite.prepare('select count(*) from ledger_entries where account = ?').pluck().get(META.account) as number

describe('a large import from the CLI while the app runs', () => {
  it('lets the app write its fills between chunks, and shows the file only once all of it is in', async () => {
    const appPortfolio = appService()
    const replay = new LedgerReplay({ db: app.db, method: 'fifo', reporting: 'USDT', equivalents: ['USDT'], now: () => Date.now() })
    const written: string[] = []
    const seenMidway: unknown[] = []
    let fills = 0
    let finished = false
    const cliPortfolio = cliService((chunk) => {
      // Right after a chunk commits, the app records a fill on its own connection (busy timeout 0).
      appPortfolio.importBatch([appFill(fills++)], null)
      written.push(`after chunk ${chunk}`)
      replay.sync()
      if (chunk === 3) {
        seenMidway.push(
          btcHeld(appPortfolio),
          listEntries(app.db, { account: META.account, limit: 10 }).entries.length,
          appPortfolio.imports(META.account).length,
          hasLedgerEntries(app.db, META.account),
          Object.keys(runTradeStatsJob(app.db, { kind: 'tradeStats', since: null, now: Date.now(), currency: 'USDT' })).includes(META.account),
          replay.book.amountOf(META.account, 'BTC'),
        )
      }
    })
    // And whenever the app's event loop gets a turn while the import runs, it writes too.
    const ticking = (async () => {
      while (!finished) {
        appPortfolio.importBatch([appFill(fills++)], null)
        written.push('timer')
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
    })()
    const result = await Promise.resolve(cliPortfolio.importFile(tradeFile(FILE_ROWS), [], META)).finally(() => (finished = true))
    await ticking

    expect(result).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
    // The app wrote between the chunks, never refused (a refusal would have thrown out of the import).
    expect(written.filter((w) => w.startsWith('after chunk')).length).toBeGreaterThanOrEqual(FILE_ROWS / CHUNKS.rows - 1)
    expect(written.filter((w) => w === 'timer').length).toBeGreaterThan(2)
    // Midway the file was nowhere: holdings, entries, imports, the account itself, the leaderboard, the live replay.
    expect(seenMidway).toEqual(['0', 0, 0, false, false, 0n])
    // All of it now — in the app's live replay too, although the app's own fills got ids past the file's first chunks.
    expect(btcHeld(appPortfolio)).toBe('1')
    expect(appPortfolio.imports(META.account)).toMatchObject([{ fileName: META.fileName, inserted: FILE_ROWS }])
    replay.sync()
    expect(replay.book.amountOf(META.account, 'BTC')).toBe(fixedArith.parse('1'))
    expect(appPortfolio.compute({ account: 'paper', prices: new Map() }).positions.find((x) => x.asset === 'ETH')?.amount).toBe(String(fills))
  })

  it('leaves nothing of the file when it fails midway, and the ledger as it was', async () => {
    const before = cliService()
    await before.importFile(tradeFile(50, 'kept'), [], { ...META, account: 'kept', fileName: 'kept.csv' })
    const failing = cliService((chunk) => {
      if (chunk === 2) throw new Error('disk full')
    })
    const marks = [{ asset: 'BTC', quote: 'USDT', price: '41000', at: Date.UTC(2023, 0, 2) }]
    await expect(failing.importFile(tradeFile(FILE_ROWS), marks, META)).rejects.toThrow('disk full')

    expect(fileRows(cli)).toBe(0)
    expect(cli.sqlite.prepare('select count(*) from ledger_imports where account = ?').pluck().get(META.account)).toBe(0)
    expect(cli.sqlite.prepare('select count(*) from price_marks').pluck().get()).toBe(0)
    const appPortfolio = appService()
    expect(appPortfolio.imports('kept')).toMatchObject([{ fileName: 'kept.csv', inserted: 50 }])
    expect(appPortfolio.compute({ account: 'kept', prices: new Map() }).positions.find((x) => x.asset === 'BTC')?.amount).toBe('0.05')
    // The same file again goes in whole: nothing of the failed attempt counts as already there.
    expect(await cliService().importFile(tradeFile(FILE_ROWS), marks, META)).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
  })

  it('refuses a file whose bad row comes after the first chunks, naming it, and keeps nothing', async () => {
    const entries = tradeFile(FILE_ROWS)
    entries[750] = { ...entries[750]!, amount: '-1' } as LedgerEntryInput
    await expect(cliService().importFile(entries, [], META)).rejects.toThrow(/entry 751: amount must be greater than 0/)
    expect(fileRows(cli)).toBe(0)
    expect(btcHeld(appService())).toBe('0')
  })
})

// While a file is being written its rows are not stored yet (they leave again if it fails): another import
// into the same account would count them as already there, and lose them with it.
describe('two imports into one account at once', () => {
  /** The promise, its refusal looked at later (not an unhandled rejection meanwhile). */
  const handled = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => undefined)
    return p
  }
  const BUSY = /an import into binance-csv is still being written; try again when it has finished; nothing was imported/

  it('refuses the second while the first is being written; if the first then fails, the second goes in whole', async () => {
    const appPortfolio = appService()
    let appImport: Promise<unknown> | undefined
    const cliPortfolio = cliService((chunk) => {
      // Midway through the CLI's file the user imports last month's export (rows the CLI has written) in the app.
      if (chunk === 3) appImport = handled(appPortfolio.importFile(tradeFile(200), [], { ...META, fileName: 'last-month.csv' }))
      if (chunk === 5) throw new Error('CLI killed')
    })
    await expect(cliPortfolio.importFile(tradeFile(FILE_ROWS), [], META)).rejects.toThrow('CLI killed')
    await expect(appImport).rejects.toThrow(BUSY)
    expect(fileRows(app)).toBe(0)
    // Tried again once the CLI's import is gone: every row is new, and stays.
    expect(await appPortfolio.importFile(tradeFile(200), [], { ...META, fileName: 'last-month.csv' })).toMatchObject({ inserted: 200, duplicates: 0 })
    expect(listEntries(app.db, { account: META.account, limit: 1000 }).entries).toHaveLength(200)
  })

  it('refuses the same large file imported again while the first copy is being written; other accounts import', async () => {
    const second = appService()
    let again: Promise<unknown> | undefined
    let elsewhere: Promise<unknown> | undefined
    const first = cliService((chunk) => {
      if (chunk === 1) {
        again = handled(second.importFile(tradeFile(FILE_ROWS), [], META))
        elsewhere = handled(second.importFile(tradeFile(FILE_ROWS, 'kraken-csv'), [], { ...META, account: 'kraken-csv' }))
      }
    })
    expect(await first.importFile(tradeFile(FILE_ROWS), [], META)).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
    await expect(again).rejects.toThrow(BUSY)
    await expect(elsewhere).resolves.toMatchObject({ inserted: FILE_ROWS })
    // One import holds the whole file: removing it removes the file, and nothing else holds half of it.
    const listed = second.imports(META.account)
    expect(listed).toMatchObject([{ inserted: FILE_ROWS }])
    second.removeImport(listed[0]!.id)
    expect(await second.importFile(tradeFile(FILE_ROWS), [], META)).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
  })

  it('takes out a leftover of a process that died while the app runs, and imports the file whole', async () => {
    const id = await leaveCutOffImport()
    const appPortfolio = appService()
    expect(await appPortfolio.importFile(tradeFile(FILE_ROWS), [], META)).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
    expect(app.sqlite.prepare('select count(*) from ledger_imports where id = ?').pluck().get(id)).toBe(0)
    expect(listEntries(app.db, { account: META.account, limit: 2000 }).entries).toHaveLength(FILE_ROWS)
  })
})

/** What a killed CLI leaves: its connection died after 3 chunks, and its process is gone. Returns the import's id. */
async function leaveCutOffImport(): Promise<number> {
  const doomed = openStore(dir, migrationsDir)
  const dying = new PortfolioService({
    db: doomed.db,
    bus: new EventBus(),
    log: silentLogger,
    chunks: { ...CHUNKS, afterChunk: (chunk) => (chunk === 3 ? doomed.close() : undefined) },
  })
  await expect(dying.importFile(tradeFile(FILE_ROWS), [], META)).rejects.toThrow(/not open/)
  // A pid that ran and exited.
  const gone = spawnSync(process.execPath, ['-e', '']).pid
  const id = cli.sqlite.prepare("select id from ledger_imports where state = 'pending'").pluck().get() as number
  // (Written by this test's process: it stands in for the other one, token and all.)
  cli.sqlite.prepare("update ledger_imports set owner_pid = ?, owner_token = 'gone' where id = ?").run(gone, id)
  // And another import, still being written by a live process (stamped lately): not a leftover.
  cli.sqlite
    .prepare(
      "insert into ledger_imports (id, account, format, file_name, rows, inserted, created_at, state, owner_pid, owner_token, heartbeat_at) values (900, 'other', 'generic', 'busy.csv', 1, 0, 0, 'pending', ?, 'another', ?)",
    )
    .run(process.ppid, Date.now())
  expect(fileRows(cli)).toBe(300)
  expect(btcHeld(appService())).toBe('0')
  return id
}

function expectTakenOut(s: Store, id: number, door: string): void {
  expect(fileRows(s)).toBe(0)
  expect(s.sqlite.prepare('select id from ledger_imports order by id').pluck().all()).toEqual([900])
  const logged = s.sqlite.prepare("select door, detail from audit_log where action = 'portfolio.importAbandoned'").all() as { door: string; detail: string }[]
  expect(logged).toHaveLength(1)
  expect(logged[0]!.door).toBe(door)
  expect(logged[0]!.detail).toContain(`import ${id} `)
  expect(logged[0]!.detail).toContain('"trade-history.csv"')
  expect(logged[0]!.detail).toContain('its 300 entries')
}

describe('an import cut off by a crash', () => {
  it('is taken out when the CLI next opens the database, recorded in the audit log; one still being written is kept', async () => {
    const id = await leaveCutOffImport()
    const ledger = openLedger(dir, migrationsDir)
    try {
      expectTakenOut(ledger.store, id, 'cli')
      // Imported again, the file goes in whole: nothing of the cut-off attempt counts as already there.
      expect(await ledger.portfolio.importFile(tradeFile(FILE_ROWS), [], META)).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
    } finally {
      ledger.close()
    }
  })

  it('is taken out when the engine starts, recorded in the audit log', async () => {
    const id = await leaveCutOffImport()
    const core = tempCore({ dataDir: dir })
    try {
      expectTakenOut(cli, id, 'engine')
    } finally {
      await core.stop()
    }
  })
})

// The process that wrote a leftover is gone, but its id now belongs to another, unrelated process (ids are
// reused): asking the system "is pid N alive" says yes for ever. A writer stamps its import at every chunk;
// one not stamped for 10 minutes is not being written any more.
describe('an import cut off by a crash, its process id since reused', () => {
  const MINUTE = 60_000

  /** A leftover as a killed CLI leaves it, written `at`, its pid now another live process's (here: 1). */
  async function leftoverWithReusedPid(at: number): Promise<number> {
    const doomed = openStore(dir, migrationsDir)
    const dying = new PortfolioService({
      db: doomed.db,
      bus: new EventBus(),
      log: silentLogger,
      now: () => at,
      chunks: { ...CHUNKS, afterChunk: (chunk) => (chunk === 4 ? doomed.close() : undefined) },
    })
    await expect(dying.importFile(tradeFile(FILE_ROWS), [], META)).rejects.toThrow(/not open/)
    const id = cli.sqlite.prepare("select id from ledger_imports where state = 'pending'").pluck().get() as number
    // Its process gone, its pid now another's: not this process's token (the test stands in for both).
    cli.sqlite.prepare("update ledger_imports set owner_pid = 1, owner_token = 'gone' where id = ?").run(id)
    return id
  }

  it('is taken out at start once it has not been written for 10 minutes, and the file imports whole', async () => {
    const t0 = Date.now()
    const id = await leftoverWithReusedPid(t0)
    // A minute later it may still be under way (a pause between chunks): kept, and the account's imports wait.
    expect(discardAbandonedImports(cli.db, { now: () => t0 + MINUTE })).toEqual([])
    const soon = new PortfolioService({ db: app.db, bus: new EventBus(), log: silentLogger, now: () => t0 + MINUTE })
    await expect(soon.importFile(tradeFile(10), [], META)).rejects.toThrow(/still being written/)

    expect(discardAbandonedImports(cli.db, { now: () => t0 + 11 * MINUTE })).toMatchObject([{ id, entries: 400 }])
    const later = new PortfolioService({ db: app.db, bus: new EventBus(), log: silentLogger, now: () => t0 + 11 * MINUTE })
    expect(await later.importFile(tradeFile(FILE_ROWS), [], META)).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
    expect(later.imports(META.account).map((x) => x.inserted)).toEqual([FILE_ROWS])
    expect(listEntries(app.db, { account: META.account, limit: 2000 }).entries).toHaveLength(FILE_ROWS)
  })

  it('is taken out by the next import into its account while the app runs, once stale', async () => {
    const t0 = Date.now()
    await leftoverWithReusedPid(t0)
    const later = new PortfolioService({ db: app.db, bus: new EventBus(), log: silentLogger, now: () => t0 + 11 * MINUTE })
    expect(await later.importFile(tradeFile(FILE_ROWS), [], META)).toMatchObject({ inserted: FILE_ROWS, duplicates: 0 })
  })

  it('is never taken out from under a writer that keeps stamping it, however long the file', async () => {
    let clock = Date.now()
    const other = openStore(dir, migrationsDir)
    let seen: unknown[] = []
    // Every chunk takes 3 minutes on this clock: 30 minutes for the file, each chunk well within the bound.
    const slow = new PortfolioService({
      db: other.db,
      bus: new EventBus(),
      log: silentLogger,
      now: () => clock,
      chunks: {
        ...CHUNKS,
        afterChunk: (chunk) => {
          clock += 3 * MINUTE
          // Another process (pid 1 standing in for it) is what the start of the app sees.
          cli.sqlite.prepare("update ledger_imports set owner_pid = 1, owner_token = 'another' where state = 'pending'").run()
          if (chunk === 9) seen = discardAbandonedImports(cli.db, { now: () => clock })
        },
      },
    })
    try {
      expect(await slow.importFile(tradeFile(FILE_ROWS), [], META)).toMatchObject({ inserted: FILE_ROWS })
    } finally {
      other.close()
    }
    expect(seen).toEqual([])
  })
})
