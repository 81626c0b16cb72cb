import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import { LedgerReplay } from '../../src-main/portfolio/live/replay'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ledger } from './portfolio-support'

// The running app's live portfolio and the CLI's `imports --remove` are two processes: the app hears no
// event when the CLI takes a file out, and its replay reads only rows newer than it has seen.

let dir: string
let app: Store
let cli: Store

beforeEach(() => {
  dir = tempDir('co-live-removed-')
  app = openStore(dir, migrationsDir)
  cli = openStore(dir, migrationsDir)
})
afterEach(() => {
  cli.close()
  app.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('a live replay and an import removed by another process', () => {
  it('no longer shows the removed file’s entries after its next sync', () => {
    const l = ledger('main')
    const writer = new LedgerWriter(cli.db)
    writer.importBatch([l.buy('BTC/USDT', '1', '40000')], { account: 'main', format: 'generic', fileName: 'keep.csv' })
    const wrong = writer.importBatch([l.buy('ETH/USDT', '2', '2000')], { account: 'main', format: 'generic', fileName: 'wrong.csv' })
    const replay = new LedgerReplay({ db: app.db, method: 'fifo', reporting: 'USDT', equivalents: ['USDT'], now: () => Date.now() })
    const held = () => replay.book.lots().map((lot) => `${lot.asset} ${lot.amount}`).sort()
    expect(held()).toEqual(['BTC 1', 'ETH 2'])

    expect(writer.removeImport(wrong.importId!)).toMatchObject({ removed: 1 })
    replay.sync()
    expect(held()).toEqual(['BTC 1'])
  })
})
