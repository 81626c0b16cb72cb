import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { migrationsDir, tempDir } from '../support/temp-core'

// A large import that fails takes its pending rows back out. When that clean-up fails too (the database
// refused the deletes for a moment), the account must not refuse every later import until the app
// restarts: the next import into it retries the clean-up first. Chunks of 100 rows: a 1,000-row file takes ten.

const CHUNKS = { rows: 100, pauseMs: 1 }
const META = { account: 'binance-csv', format: 'binance', fileName: 'trade-history.csv' }

let dir: string
let store: Store

beforeEach(() => {
  dir = tempDir('co-import-cleanup-')
  store = openStore(dir, migrationsDir)
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function tradeFile(n: number): LedgerEntryInput[] {
  const t0 = Date.UTC(2023, 0, 1)
  return Array.from({ length: n }, (_, i) => ({
    kind: 'trade' as const, account: META.account, timestamp: t0 + i * 60_000, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT',
    side: 'buy' as const, price: '40000', amount: '0.001', fee: null, source: 'csv' as const, externalId: `t${i}`,
  }))
}

const service = (afterChunk?: (chunk: number) => void) =>
  new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger, chunks: { ...CHUNKS, ...(afterChunk ? { afterChunk } : {}) } })
const rows = () => store.sqlite.prepare('select count(*) from ledger_entries where account = ?').pluck().get(META.account) as number
const pending = () => store.sqlite.prepare("select count(*) from ledger_imports where state = 'pending'").pluck().get() as number
/** The deletes of the failed import's clean-up are refused, as by a database busy for longer than its timeout. */
const refuseDeletes = () => store.sqlite.exec("create temp trigger refuse_deletes before delete on ledger_entries begin select raise(abort, 'database is locked'); end")
const allowDeletes = () => store.sqlite.exec('drop trigger refuse_deletes')

/** An import that fails at its third chunk, its clean-up refused: its 200 pending rows stay. */
async function failedWithoutCleanup(): Promise<void> {
  const failing = service((chunk) => {
    if (chunk !== 2) return
    refuseDeletes()
    throw new Error('disk full')
  })
  await expect(failing.importFile(tradeFile(1000), [], META)).rejects.toThrow('disk full')
  expect(pending()).toBe(1)
  expect(rows()).toBe(200)
}

describe('a failed import whose own clean-up failed', () => {
  it('is taken out by the next import into the account, which then goes in whole', async () => {
    await failedWithoutCleanup()
    allowDeletes()
    const result = await service().importFile(tradeFile(1000), [], META)
    expect(result).toMatchObject({ inserted: 1000, duplicates: 0 })
    expect(pending()).toBe(0)
    expect(rows()).toBe(1000)
    expect(service().imports(META.account).map((i) => i.inserted)).toEqual([1000])
  })

  it('a small file too (one transaction) is let in once the leftover is out', async () => {
    await failedWithoutCleanup()
    allowDeletes()
    expect(await service().importFile(tradeFile(50), [], META)).toMatchObject({ inserted: 50, duplicates: 0 })
    expect(rows()).toBe(50)
  })

  it('when the clean-up still cannot be done, the import is refused saying what happened and what to do', async () => {
    await failedWithoutCleanup()
    const err = await service().importFile(tradeFile(50), [], META).then(
      () => null,
      (e: unknown) => e as { code?: string; message: string },
    )
    expect(err).toMatchObject({ code: 'UNAVAILABLE' })
    expect(err?.message).toMatch(/^An earlier import into binance-csv \(trade-history\.csv\) failed and could not be taken out \(database is locked\); nothing was imported\. Try again in a moment; /)
    expect(rows()).toBe(200)
    // Once the database lets it, the next try cleans up and imports.
    allowDeletes()
    expect(await service().importFile(tradeFile(50), [], META)).toMatchObject({ inserted: 50 })
  })
})
