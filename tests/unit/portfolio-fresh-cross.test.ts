import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import { lastStoredPrices } from '../../src-main/portfolio/marks'
import { PriceBook, cashAssets } from '../../src-main/portfolio/prices'
import { fixedArith } from '../../src-main/portfolio/arith'
import { openStore, type Store } from '../../src-main/store/open'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { migrationsDir, tempDir } from '../support/temp-core'

// ETH bought on ETH/USDT two months ago at 3000, traded on ETH/BTC since: its price now is ETH/BTC × BTC/USDT
// (0.025 × 80000 = 2000), not the two-month-old direct fill.
const DAY = 86_400_000
const T = Date.UTC(2025, 5, 30)
const trade = (at: number, symbol: string, side: 'buy' | 'sell', amount: string, price: string, account = 'a'): LedgerEntryInput => {
  const [base, quote] = symbol.split('/') as [string, string]
  return { kind: 'trade', account, timestamp: at, symbol, base, quote, side, price, amount, fee: null, source: 'csv', externalId: null }
}
const history: LedgerEntryInput[] = [
  { kind: 'deposit', account: 'a', timestamp: T - 61 * DAY, asset: 'USDT', amount: '100000', fee: null, source: 'csv', externalId: null },
  trade(T - 60 * DAY, 'ETH/USDT', 'buy', '10', '3000'),
  trade(T - 2 * DAY, 'BTC/USDT', 'buy', '0.001', '80000', 'b'),
  trade(T - DAY, 'ETH/BTC', 'sell', '1', '0.025'),
]

let store: Store | undefined
let dir: string | undefined
afterEach(() => {
  store?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  store = dir = undefined
})

describe('a fresh price through another pair beats an old direct one', () => {
  it('PriceBook: the newer of the direct price and the one-hop price, dated by the hop\'s older leg', () => {
    const book = new PriceBook(fixedArith, 'USDT', cashAssets('USDT'))
    book.observe('ETH', 'USDT', fixedArith.parse('3000'), T - 60 * DAY)
    book.observe('ETH', 'BTC', fixedArith.parse('0.025'), T - 1000)
    book.observe('BTC', 'USDT', fixedArith.parse('80000'), T - 2000)
    expect(fixedArith.format(book.valueOf('ETH')!)).toBe('2000')
    expect(book.observedAt('ETH')).toBe(T - 2000)
    // A direct price newer than the hop's older leg wins again.
    book.observe('ETH', 'USDT', fixedArith.parse('2100'), T - 1500)
    expect(fixedArith.format(book.valueOf('ETH')!)).toBe('2100')
  })

  it('ledger replay: ETH withdrawn today leaves at today\'s cross price, the loss realized', () => {
    const entries = [...history, { kind: 'withdrawal', account: 'a', timestamp: T, asset: 'ETH', amount: '1', fee: null, source: 'csv', externalId: null } as LedgerEntryInput]
    const r = computePortfolio({ entries, arithmetic: 'decimal', lots: true, account: 'a', at: T })
    // Two ETH left (one sold for BTC, one withdrawn): each left at 2000 against a cost of 3000.
    expect(r.positions.find((p) => p.asset === 'ETH')).toMatchObject({ amount: '8', realized: '-2000' })
  })

  it('the last stored prices price ETH through ETH/BTC × BTC/USDT', () => {
    dir = tempDir('co-fresh-cross-')
    store = openStore(dir, migrationsDir)
    new LedgerWriter(store.db, () => T).importBatch(history, null)
    expect(lastStoredPrices(store.db).get('ETH')).toBe('2000')
  })
})
