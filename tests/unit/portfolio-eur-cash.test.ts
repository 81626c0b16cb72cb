import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import { lastStoredPrices } from '../../src-main/portfolio/marks'
import { openStore } from '../../src-main/store/open'
import { migrationsDir, tempDir } from '../support/temp-core'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { PriceBook, cashAssets } from '../../src-main/portfolio/prices'
import { fixedArith } from '../../src-main/portfolio/arith'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'

// A Kraken EUR account: euros are only ever the quote (BTC/EUR), never priced against USDT themselves. Their
// USDT price is BTC/USDT ÷ BTC/EUR: 50,000 ÷ 45,000 = 1.111… USDT.
const T = (d: number) => Date.UTC(2024, 0, d)
const trade = (d: number, symbol: string, side: 'buy' | 'sell', amount: string, price: string, account = 'kraken'): LedgerEntryInput => {
  const [base, quote] = symbol.split('/') as [string, string]
  return { kind: 'trade', account, timestamp: T(d), symbol, base, quote, side, price, amount, fee: null, source: 'csv', externalId: null }
}
const history: LedgerEntryInput[] = [
  trade(1, 'BTC/USDT', 'buy', '0.001', '50000', 'binance'),
  trade(1, 'BTC/EUR', 'buy', '0.001', '45000', 'other'),
  { kind: 'deposit', account: 'kraken', timestamp: T(2), asset: 'EUR', amount: '10000', fee: null, source: 'csv', externalId: null },
  trade(3, 'BTC/EUR', 'buy', '0.2', '45000'),
]
const close = (text: string | null | undefined, to: number) => expect(Math.abs(Number(text) - to)).toBeLessThan(0.01)

describe('a currency only seen as a quote is priced through the pair it quotes', () => {
  it('PriceBook: EUR = BTC/USDT ÷ BTC/EUR, dated by the older leg', () => {
    const book = new PriceBook(fixedArith, 'USDT', cashAssets('USDT'))
    book.observe('BTC', 'USDT', fixedArith.parse('50000'), T(1))
    book.observe('BTC', 'EUR', fixedArith.parse('40000'), T(2))
    expect(fixedArith.format(book.valueOf('EUR')!)).toBe('1.25')
    expect(book.observedAt('EUR')).toBe(T(1))
  })

  it('EUR deposited and spent on BTC/EUR: the BTC costs what the euros were worth; the stored prices value the euros left', () => {
    const r = computePortfolio({ entries: history, account: 'kraken', prices: new Map([['BTC', '50000']]), arithmetic: 'decimal', at: T(4) })
    const btc = r.positions.find((p) => p.asset === 'BTC')!
    close(btc.costBasis, 10000) // 9,000 EUR × 1.111…
    close(btc.unrealized, 0) // no price moved
    const eur = r.positions.find((p) => p.asset === 'EUR')!
    expect(eur.amount).toBe('1000')
    close(eur.costBasis, 1111.11)
    close(r.totals.netDeposits, 11111.11)
    // The prices the Portfolio page values holdings at (the last stored ones) price the euros too.
    const dir = tempDir('co-eur-cash-')
    const store = openStore(dir, migrationsDir)
    try {
      new LedgerWriter(store.db, () => T(4)).importBatch(history, null)
      close(lastStoredPrices(store.db).get('EUR'), 1.1111)
    } finally {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
