import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import { listImports } from '../../src-main/portfolio/imports'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ledger } from './portfolio-support'

// An import's id names that file for good: a removed import's id is never given to a later file, so a
// repeated or stale "remove import 1" cannot take out a different file.

let dir: string
let store: Store
let writer: LedgerWriter

beforeEach(() => {
  dir = tempDir('co-import-ids-')
  store = openStore(dir, migrationsDir)
  writer = new LedgerWriter(store.db, () => 1_000)
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('import ids', () => {
  it('are not reused after the newest import was removed', () => {
    const l = ledger('main')
    const wrong = writer.importBatch([l.buy('BTC/USDT', '1', '40000')], { account: 'main', format: 'binance', fileName: 'wrong-file.csv' })
    expect(writer.removeImport(wrong.importId!)).toMatchObject({ fileName: 'wrong-file.csv', removed: 1 })
    const good = writer.importBatch([l.buy('ETH/USDT', '1', '2000')], { account: 'main', format: 'binance', fileName: 'good-file.csv' })
    expect(good.importId).not.toBe(wrong.importId)
    // The same removal again finds nothing, and the good file stays.
    expect(writer.removeImport(wrong.importId!)).toBeNull()
    expect(listImports(store.db, 'main').map((i) => i.fileName)).toEqual(['good-file.csv'])
  })

  it('are not reused after a file that added nothing', () => {
    const l = ledger('main')
    const first = writer.importBatch([l.buy('BTC/USDT', '1', '40000')], { account: 'main', format: 'binance', fileName: 'a.csv' })
    writer.removeImport(first.importId!)
    writer.importBatch([], { account: 'main', format: 'binance', fileName: 'empty.csv' })
    const next = writer.importBatch([l.buy('SOL/USDT', '1', '100')], { account: 'main', format: 'binance', fileName: 'b.csv' })
    expect(next.importId).toBeGreaterThan(first.importId!)
  })
})
