import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import type { LedgerEntryInput, LedgerSource } from '../../src-main/portfolio/model'
import { computePortfolio, type PriceMarkInput } from '../../src-main/portfolio/pnl'
import { buildTaxReport } from '../../src-main/tax/report'
import { fakeClock, tempLedger } from './portfolio-live-support'

// What a trade, deposit, income or fee was worth when it happened comes from real prices for a real account
// — its own venue's first, then any other real venue's or a venue-less rate's — never from the simulated
// exchange's synthetic ones, which only value the simulated accounts. Day 0 (2024-01-01, UTC):
//   00:30  binance-main deposits 100,000 USDT; sim:trader:x 100,000 USDT
//   01:00  binance-main buys 1 BTC at 95,000                      (Binance's own BTC/USDT)
//   01:30  Kraken's mark BTC/USDT 94,000                           (another real venue, newer)
//   02:00  sim:trader:x buys 1 BTC at 20,000                      (the sim's synthetic BTC/USDT, newer still)
//   02:40  an imported rate BNB/USDT 600 (no venue); 02:50 the sim's mark BNB/USDT 5
//   02:45  binance-main deposits 1 BNB                             → cost 600, not the sim's 5 (not yet seen)
//   03:00  binance-main buys 10 ETH/BTC at 0.035, fee 0.01 BNB     → 0.35 BTC at Binance's 95,000 = 33,250,
//                                                                     + the fee at 600 = 6: the lot costs 33,256
//   03:10  sim:trader:x buys 1 ETH/BTC at 0.035                     → 0.035 BTC at the sim's 20,000 = 700
//   03:15  the sim's mark BTC/USDT 21,000                           (the newest BTC/USDT price stored)
//   03:20  csv (an import) buys 1 ETH/BTC at 0.035                  → the newest real BTC: Kraken's 94,000 = 3,290
//   03:30  Kraken's mark SOL/USDT 150; 03:45 the sim's SOL/USDT 2
//   04:00  binance-main deposits 100 SOL                            → 15,000 (Kraken's), not 200
//   04:15  the sim's mark XYZ/USDT 1 (the only price XYZ ever has)
//   04:30  binance-main receives 50 XYZ as income                   → unpriced: 0 income, with a warning
//   04:40  sim receives 10 XYZ as income                            → 10 (the sim's own price)
//   05:00  binance-main sells 10 ETH at 3,400                       → proceeds 34,000, gain 744

const D0 = Date.UTC(2024, 0, 1)
const H = 3_600_000
const at = (hours: number) => D0 + hours * H

let seq = 0
function trade(account: string, source: LedgerSource, hours: number, symbol: string, side: 'buy' | 'sell', price: string, amount: string, fee: [string, string] | null = null): LedgerEntryInput {
  const [base, quote] = symbol.split('/') as [string, string]
  return { kind: 'trade', account, source, externalId: source === 'csv' ? null : `t${++seq}`, timestamp: at(hours), symbol, base, quote, side, price, amount, fee: fee && { amount: fee[0], asset: fee[1] } }
}
function transfer(kind: 'deposit' | 'income', account: string, hours: number, asset: string, amount: string): LedgerEntryInput {
  return { kind, account, source: 'venue', externalId: `x${++seq}`, timestamp: at(hours), asset, amount, fee: null }
}
const mark = (asset: string, price: string, hours: number, venue: string | null): PriceMarkInput => ({ asset, quote: 'USDT', price, at: at(hours), venue })

const ENTRIES: LedgerEntryInput[] = [
  transfer('deposit', 'binance-main', 0.5, 'USDT', '100000'),
  transfer('deposit', 'sim:trader:x', 0.5, 'USDT', '100000'),
  trade('binance-main', 'venue', 1, 'BTC/USDT', 'buy', '95000', '1'),
  trade('sim:trader:x', 'venue', 2, 'BTC/USDT', 'buy', '20000', '1'),
  transfer('deposit', 'binance-main', 2.75, 'BNB', '1'),
  trade('binance-main', 'venue', 3, 'ETH/BTC', 'buy', '0.035', '10', ['0.01', 'BNB']),
  trade('sim:trader:x', 'venue', 3 + 1 / 6, 'ETH/BTC', 'buy', '0.035', '1'),
  trade('csv', 'csv', 3 + 2 / 6, 'ETH/BTC', 'buy', '0.035', '1'),
  transfer('deposit', 'binance-main', 4, 'SOL', '100'),
  transfer('income', 'binance-main', 4.5, 'XYZ', '50'),
  transfer('income', 'sim', 4 + 4 / 6, 'XYZ', '10'),
  trade('binance-main', 'venue', 5, 'ETH/USDT', 'sell', '3400', '10'),
]
const MARKS: PriceMarkInput[] = [
  mark('BTC', '94000', 1.5, 'kraken-main'),
  mark('BTC', '21000', 3.25, 'sim'),
  mark('BNB', '600', 2 + 4 / 6, null),
  mark('BNB', '5', 2 + 5 / 6, 'sim'),
  mark('SOL', '150', 3.5, 'kraken-main'),
  mark('SOL', '2', 3.75, 'sim'),
  mark('XYZ', '1', 4.25, 'sim'),
]

/** Cost basis per account and asset, as the ledger booked it. */
function costs(positions: readonly { account: string; asset: string; costBasis: string }[]): Record<string, string> {
  return Object.fromEntries(positions.filter((p) => ['ETH', 'BNB', 'SOL', 'XYZ'].includes(p.asset)).map((p) => [`${p.account} ${p.asset}`, p.costBasis]))
}

// binance-main's ETH left at 05:00; what it cost shows in its realized P&L: 34,000 − 33,256 = 744; the BNB
// fee left at 600 a coin, its cost (no gain). Its USDT: 100,000 − 95,000 + 34,000 = 39,000 (cash, no P&L).
const EXPECTED_COSTS = {
  'binance-main BNB': '594', // 0.99 BNB left of the one at 600
  'binance-main ETH': '0', // sold
  'binance-main SOL': '15000',
  'binance-main XYZ': '0', // no real price: counted at zero cost, with a warning
  'csv ETH': '3290',
  'sim XYZ': '10',
  'sim:trader:x ETH': '700',
}

describe('values at the time of a trade, deposit, income or fee come from real prices for a real account', () => {
  let ledger: ReturnType<typeof tempLedger> | undefined
  let live: LivePortfolio | undefined
  afterEach(() => {
    live?.stop()
    live = undefined
    ledger?.close()
    ledger = undefined
  })

  it('cost basis and realized P&L, replayed from entries', () => {
    const p = computePortfolio({ entries: ENTRIES, marks: MARKS, reportingCurrency: 'USDT' })
    expect(costs(p.positions)).toEqual(EXPECTED_COSTS)
    // 744 on the ETH; the BTC paid for it left at its cost, the BNB fee too; the XYZ income is unpriced.
    expect(p.accounts.find((a) => a.account === 'binance-main')?.realized).toBe('744')
    expect(p.accounts.find((a) => a.account === 'sim')?.realized).toBe('10')
    // Met while replaying (no valuation prices are given here: every holding is unpriced now as well).
    const metThen = p.warnings.filter((w) => w.asset === 'XYZ' && w.timestamp < at(6))
    expect(metThen.map((w) => [w.kind, w.account])).toEqual([['unpriced-income', 'binance-main']])
  })

  it('cost basis and realized P&L, from the database: `pnl` and the live Portfolio page', () => {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    ledger.marks.record(MARKS)
    const p = computePortfolio({ db: ledger.store.db, reportingCurrency: 'USDT' })
    expect(costs(p.positions)).toEqual(EXPECTED_COSTS)
    expect(p.accounts.find((a) => a.account === 'binance-main')?.realized).toBe('744')
    // One account computed alone: the others' trades still price it, each from its own venue.
    const alone = computePortfolio({ db: ledger.store.db, reportingCurrency: 'USDT', account: 'binance-main' })
    expect(alone.accounts.map((a) => [a.account, a.realized])).toEqual([['binance-main', '744']])
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(at(6)) })
    const v = live.view({ scope: 'all', period: 'all' })
    expect(costs(v.positions)).toEqual(EXPECTED_COSTS)
    expect(v.accounts.find((a) => a.account === 'binance-main')?.realized).toBe('744')
  })

  it('the tax report: the ETH sold cost what Binance’s BTC was worth; income with no real price is unpriced', () => {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    ledger.marks.record(MARKS)
    const { report } = buildTaxReport({
      db: ledger.store.db,
      query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024 }),
      includes: (a) => a === 'binance-main',
      now: at(24),
    })
    expect(report.lines.filter((l) => l.asset === 'ETH').map((l) => [l.amount, l.cost, l.proceeds, l.gain])).toEqual([['10', '33256.00', '34000.00', '744.00']])
    expect(report.income).toMatchObject({ total: '0.00' })
    expect(report.warnings.filter((w) => w.asset === 'XYZ').map((w) => [w.kind, w.account])).toEqual([['unpriced-income', 'binance-main']])
  })

  it('an own price more than a week old gives way to a newer real one, as in venue-prices.ts', () => {
    // Binance last priced BTC 8 days before the ETH/BTC trade; Kraken a day before; the sim an hour before.
    const entries = [
      transfer('deposit', 'binance-main', 0.5, 'USDT', '100000'),
      trade('binance-main', 'venue', 1, 'BTC/USDT', 'buy', '95000', '1'),
      trade('binance-main', 'venue', 1 + 8 * 24, 'ETH/BTC', 'buy', '0.035', '10'),
    ]
    const marks = [mark('BTC', '60000', 1 + 7 * 24, 'kraken-main'), mark('BTC', '20000', 8 * 24, 'sim')]
    const p = computePortfolio({ entries, marks, reportingCurrency: 'USDT' })
    expect(p.positions.find((x) => x.asset === 'ETH')?.costBasis).toBe('21000') // 0.35 × 60,000
  })
})
