import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { lastStoredPrices, PriceMarkStore } from '../../src-main/portfolio/marks'
import { ledgerEntries, ledgerImports } from '../../src-main/portfolio/tables'
import { canonicalDecimal } from '../../src-main/portfolio/decimal-text'
import { AppError } from '../../src-main/api/errors'
import { migrationsDir, tempDir } from '../support/temp-core'
import { thrown } from '../support/thrown'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'

// The ledger writer on a real SQLite file: each fact stored once, a batch all or nothing.

let dir: string
let store: Store
let writer: LedgerWriter
const count = () => ({
  entries: store.db.select().from(ledgerEntries).all().length,
  imports: store.db.select().from(ledgerImports).all().length,
})

beforeEach(() => {
  dir = tempDir('co-ledger-')
  store = openStore(dir, migrationsDir)
  writer = new LedgerWriter(store.db, () => 1_000)
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function csvFile() {
  const l = ledger('binance-1')
  return [
    l.deposit('USDT', '1000'),
    l.buy('BTC/USDT', '0.01', '30000', ['0.00001', 'BTC']),
    l.buy('ETH/USDT', '0.5', '2000', ['0.75', 'BNB']),
    l.sell('BTC/USDT', '0.005', '31000.10', ['0.155', 'USDT']),
  ]
}

describe('importBatch', () => {
  it('stores a file once: importing it again changes nothing, not even the import log', () => {
    const meta = { account: 'binance-1', format: 'binance', fileName: 'trades.csv' }
    const first = writer.importBatch(csvFile(), meta)
    expect(first).toMatchObject({ inserted: 4, duplicates: 0, accounts: ['binance-1'] })
    expect(first.importId).not.toBeNull()
    const rows = store.db.select().from(ledgerEntries).all()
    expect(rows.every((r) => r.importId === first.importId && r.contentHash !== null && r.externalId === null)).toBe(true)
    expect(store.db.select().from(ledgerImports).all()).toEqual([
      { id: first.importId, account: 'binance-1', format: 'binance', fileName: 'trades.csv', rows: 4, inserted: 4, createdAt: 1_000, state: 'complete', ownerPid: null, ownerToken: null, heartbeatAt: null },
    ])

    const again = writer.importBatch(csvFile(), meta)
    expect(again).toEqual({ inserted: 0, duplicates: 4, importId: null, accounts: [] })
    expect(count()).toEqual({ entries: 4, imports: 1 })
  })

  it('two identical rows in one file are two fills; the same file again matches both', () => {
    const l = ledger('kraken-1')
    const fill = l.buy('BTC/USDT', '0.1', '30000')
    const file = [fill, { ...fill }, l.buy('BTC/USDT', '0.1', '30001')]
    expect(writer.importBatch(file, { account: 'kraken-1', format: 'kraken' }).inserted).toBe(3)
    expect(writer.importBatch(file, { account: 'kraken-1', format: 'kraken' }).inserted).toBe(0)
    // a longer export overlapping the first one adds only the new row
    const more = [...file, l.sell('BTC/USDT', '0.2', '31000')]
    expect(writer.importBatch(more, { account: 'kraken-1', format: 'kraken' })).toMatchObject({ inserted: 1, duplicates: 3 })
    expect(count().entries).toBe(4)
  })

  it('identical rows are counted the same way in a file not sorted by time', () => {
    const l = ledger('kraken-1')
    const early = l.buy('ETH/USDT', '1', '2000')
    const fill = l.buy('BTC/USDT', '0.1', '30000')
    const file = [fill, early, { ...fill }, l.sell('BTC/USDT', '0.1', '30001'), { ...fill }]
    expect(writer.importBatch(file, null).inserted).toBe(5)
    expect(writer.importBatch(file, null).inserted).toBe(0)
    expect(writer.importBatch([...file, { ...fill }], null).inserted).toBe(1) // a fourth identical one is new
  })

  it('the same number spelled differently is the same row ("1.50" = "1.5" = "1.5e0")', () => {
    const l = ledger()
    const a = l.buy('BTC/USDT', '1.50', '30000.0')
    writer.importBatch([a], null)
    expect(writer.importBatch([{ ...a, amount: '1.5', price: '3e4' }], null).inserted).toBe(0)
    expect(store.db.select({ amount: ledgerEntries.amount, price: ledgerEntries.price }).from(ledgerEntries).all()).toEqual([{ amount: '1.5', price: '30000' }])
  })

  it('a stated total is part of the row: stored, matched on re-import, and a row without one keeps its old key', () => {
    const l = ledger()
    const plain = l.buy('ETH/USDC', '0.3', '3333.33')
    const converted = { ...plain, price: '3333.333333333333333333', total: '1000' }
    expect(writer.importBatch([plain, converted], null).inserted).toBe(2)
    expect(writer.importBatch([{ ...converted, total: '1000.00' }, { ...plain, total: null }], null).inserted).toBe(0)
    expect(store.db.select({ total: ledgerEntries.total }).from(ledgerEntries).all()).toEqual([{ total: null }, { total: '1000' }])
    // Read back from the database exactly as given in memory.
    const entries = [l.deposit('USDC', '1000'), converted]
    writer.importBatch(entries.slice(0, 1), null)
    expect(computePortfolio({ db: store.db, at: 1e15 }).positions).toEqual(computePortfolio({ entries: [plain, ...entries], at: 1e15 }).positions)
  })

  it('a venue trade id dedups across sources: the app\'s own fill, then the venue sync of it', () => {
    const l = ledger('sim')
    const app = l.buy('BTC/USDT', '0.01', '30000', ['0.03', 'USDT'], { source: 'app', externalId: 'T-17' })
    expect(writer.importBatch([app], null).inserted).toBe(1)
    const synced = writer.importBatch([{ ...app, source: 'venue' }, l.buy('BTC/USDT', '0.02', '30100', null, { source: 'venue', externalId: 'T-18' })], {
      account: 'sim',
      format: 'ccxt',
    })
    expect(synced).toMatchObject({ inserted: 1, duplicates: 1 })
    // the same trade id on another account is another fill
    expect(writer.importBatch([{ ...app, account: 'other' }], null).inserted).toBe(1)
  })

  it('a bad row anywhere rejects the whole batch: nothing stored, the entry and field named', () => {
    writer.importBatch(csvFile().slice(0, 1), { account: 'binance-1', format: 'binance' })
    const before = count()
    const file = csvFile()
    file[2] = { ...file[2]!, amount: 'abc' } as (typeof file)[number]
    const err = catchError(() => writer.importBatch(file, { account: 'binance-1', format: 'binance' }))
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'BAD_INPUT', message: 'entry 3: amount "abc" is not a decimal number' })
    expect(count()).toEqual(before)

    const cases: [Record<string, unknown>, string][] = [
      [{ amount: '-1' }, 'entry 1: amount must be greater than 0, got -1'],
      [{ price: '1,5' }, 'entry 1: price "1,5" is not a decimal number'],
      [{ side: 'hold' }, 'entry 1: side must be buy or sell, got "hold"'],
      [{ timestamp: 1.5 }, 'entry 1: timestamp must be integer milliseconds since 1970, got 1.5'],
      [{ account: '' }, 'entry 1: account must be a non-empty name'],
      [{ fee: { asset: 'BNB', amount: 'x' } }, 'entry 1: fee amount "x" is not a decimal number'],
      [{ total: '0' }, 'entry 1: total must be greater than 0, got 0'],
      [{ total: 'ten' }, 'entry 1: total "ten" is not a decimal number'],
    ]
    for (const [patch, message] of cases) {
      const bad = { ...csvFile()[1]!, ...patch } as ReturnType<typeof csvFile>[number]
      expect(catchError(() => writer.importBatch([bad], null))).toMatchObject({ code: 'BAD_INPUT', message })
    }
    expect(count()).toEqual(before)
  })

  it('a database failure mid-batch rolls everything back too', () => {
    const file = csvFile()
    store.sqlite.exec(`create trigger fail_third before insert on ledger_entries when new.base = 'ETH' begin select raise(abort, 'disk says no'); end`)
    expect(() => writer.importBatch(file, { account: 'binance-1', format: 'binance' })).toThrow('disk says no')
    expect(count()).toEqual({ entries: 0, imports: 0 })
  })
})

describe('computing from the database', () => {
  it('gives exactly what the same entries give in memory, and honours --at and --account', () => {
    const file = csvFile()
    const other = ledger('kraken-1')
    const entries = [...file, other.deposit('USDT', '50'), other.buy('BNB/USDT', '1', '300')]
    writer.importBatch(entries, null)
    const prices = new Map([['BTC', '32000'], ['ETH', '2100'], ['BNB', '310']])
    for (const method of ['fifo', 'average'] as const) {
      expect(computePortfolio({ db: store.db, prices, method, at: 1e15 })).toEqual(computePortfolio({ entries, prices, method, at: 1e15 }))
    }
    const at = file[2]!.timestamp
    expect(computePortfolio({ db: store.db, prices, at })).toEqual(computePortfolio({ entries, prices, at }))
    // one account: its positions only — but BNB priced from the other account's trade, so the BNB fee
    // is valued the same as in the full computation
    const one = computePortfolio({ db: store.db, prices, account: 'binance-1', at: 1e15 })
    const all = computePortfolio({ db: store.db, prices, at: 1e15 })
    expect(one.positions).toEqual(all.positions.filter((p) => p.account === 'binance-1'))
  })

  it('reads every row, in order, across chunks and whatever characters names hold', () => {
    const l = ledger('a')
    const plain: LedgerEntryInput[] = [l.deposit('USDT', '100000')]
    for (let i = 0; i < 12000; i++) plain.push(l.buy('BTC/USDT', '0.001', String(30000 + (i % 7))))
    plain.push(l.sell('BTC/USDT', '3', '31000'))
    writer.importBatch(plain, null)
    const prices = new Map([['BTC', '30500'], ['ETH', '2100']])
    expect(computePortfolio({ db: store.db, prices, at: 1e15 })).toEqual(computePortfolio({ entries: plain, prices, at: 1e15 }))
    // a name holding the separators the chunked read uses
    const odd = ledger('odd\u001fname\u001eX')
    const more = [odd.deposit('USDT', '1000'), odd.buy('ETH/USDT', '0.01', '2000'), odd.sell('ETH/USDT', '0.02', '2100')]
    writer.importBatch(more, null)
    const all = [...plain, ...more]
    expect(computePortfolio({ db: store.db, prices, at: 1e15 })).toEqual(computePortfolio({ entries: all, prices, at: 1e15 }))
  })

  it('the last stored prices: marks and the ledger\'s trades, whichever is newer, through other pairs', () => {
    const l = ledger('a')
    writer.importBatch([l.buy('BTC/USDT', '1', '30000'), l.buy('ETH/BTC', '1', '0.05')], null)
    const marks = new PriceMarkStore(store.db)
    expect(marks.record([{ asset: 'BTC', quote: 'USDT', price: '31000.50', at: l.now() + 1 }])).toBe(1)
    expect(marks.record([{ asset: 'BTC', quote: 'USDT', price: '31000.5', at: l.now() + 2 }])).toBe(0) // unchanged
    expect(lastStoredPrices(store.db)).toEqual(
      new Map([
        ['BTC', '31000.5'],
        ['ETH', '1550.025'], // 0.05 × 31000.5
      ]),
    )
  })
})

describe('canonical decimals', () => {
  it.each([
    ['1.50', '1.5'],
    ['0001', '1'],
    ['-0.0', '0'],
    ['.5', '0.5'],
    ['1e-8', '0.00000001'],
    ['12.3400e2', '1234'],
    ['abc', null],
    ['1,5', null],
    ['1e999999', null],
    ['', null],
  ])('%s → %s', (text, want) => {
    expect(canonicalDecimal(text)).toBe(want)
  })
})

const catchError = (fn: () => unknown): Error => thrown(fn, Error)
