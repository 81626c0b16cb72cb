import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { runPnl, type ParsedPnlArgs } from '../../src-main/cli/pnl-command'
import { PortfolioService } from '../../src-main/portfolio/service'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { sqliteOf } from '../../src-main/portfolio/sqlite'
import { fakeClock, tempLedger } from './portfolio-live-support'

// Stored prices (ledger trades, price marks) value each account at its own venue's first, in the equity
// history and in `pnl --at` too — not at whichever venue's price of the pair was stored last. Day 0:
//   02:00 binance-main (100,000 USDT) buys 1 BTC at 95,000
//   03:00 sim:trader:x (100,000 USDT) buys 1 BTC at 20,000 (the simulated exchange's synthetic price)
//   03:30 sim (the paper account, 10,000 USDT) buys 0.1 BTC at 20,000
//   05:00 binance-main sells 0.5 BTC at 96,000 (realized 500)
//   06:00 sim:trader:x sells 0.5 BTC at 21,000 — the newest BTC/USDT price stored
// At the end of day 0 (and the day-1 grid point):
//   binance-main: 53,000 USDT + 0.5 BTC at Binance's 96,000 = 101,000 (not 63,500 at the sim's 21,000)
//   sim:trader:x: 90,500 USDT + 0.5 BTC at the sim's 21,000 = 101,000
//   sim:          8,000 USDT + 0.1 BTC at the sim's 21,000 = 10,100
//   csv (an import, no venue; 1,000 USDT, buys 0.01 BTC at 95,000 at 01:00): 50 USDT + 0.01 BTC at the newest
//     real price, Binance's 96,000 = 1,010 — the simulated traders' 21,000 is newer, but synthetic: it values
//     only the simulated accounts (it once valued the import too, at 260)

const D0 = Date.UTC(2024, 0, 1)
const D1 = D0 + DAY
const NOW = D0 + 2 * DAY + 3 * HOUR

function trade(account: string, source: LedgerEntryInput['source'], id: string, t: number, side: 'buy' | 'sell', price: string, amount: string): LedgerEntryInput {
  return { account, source, externalId: id, fee: null, kind: 'trade', timestamp: t, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side, price, amount } as LedgerEntryInput
}
function deposit(account: string, source: LedgerEntryInput['source'], amount: string): LedgerEntryInput {
  return { account, source, externalId: `dep:${account}`, fee: null, kind: 'deposit', timestamp: D0 + HOUR / 2, asset: 'USDT', amount } as LedgerEntryInput
}

const ENTRIES: LedgerEntryInput[] = [
  deposit('binance-main', 'venue', '100000'),
  deposit('sim:trader:x', 'venue', '100000'),
  deposit('sim', 'app', '10000'),
  { ...deposit('csv', 'csv', '1000'), externalId: null },
  { ...trade('csv', 'csv', '', D0 + HOUR, 'buy', '95000', '0.01'), externalId: null },
  trade('binance-main', 'app', 'b1', D0 + 2 * HOUR, 'buy', '95000', '1'),
  trade('sim:trader:x', 'venue', 's1', D0 + 3 * HOUR, 'buy', '20000', '1'),
  trade('sim', 'app', 'p1', D0 + 3.5 * HOUR, 'buy', '20000', '0.1'),
  trade('binance-main', 'app', 'b2', D0 + 5 * HOUR, 'sell', '96000', '0.5'),
  trade('sim:trader:x', 'venue', 's2', D0 + 6 * HOUR, 'sell', '21000', '0.5'),
]

const EXPECTED = { 'binance-main': 101000, 'sim:trader:x': 101000, sim: 10100, csv: 1010 }

describe('stored prices value each account at its own venue’s', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio | undefined
  afterEach(() => {
    live?.stop()
    ledger.close()
  })

  function setup() {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    return live
  }

  it('the equity curve’s history points and its live point', () => {
    const live = setup()
    for (const [account, value] of Object.entries(EXPECTED)) {
      const points = live.equity({ account, period: 'all' }).points
      expect([account, points.find((p) => p.time === D1)?.value]).toEqual([account, value])
      // Nothing priced since: the point now (live prices, none here) agrees with the history.
      expect([account, points.at(-1)?.value]).toEqual([account, value])
    }
  })

  it('the Portfolio page: value now, and the change since the period’s start', () => {
    const live = setup()
    const v = live.view({ scope: 'all', period: '24h' })
    expect(Object.fromEntries(v.accounts.map((a) => [a.account, Number(a.value)]))).toEqual(EXPECTED)
    // BTC is priced the same at the period's start as now on each venue: no change shown.
    expect(v.positions.filter((p) => p.asset === 'BTC').map((p) => [p.account, p.price, p.changePct])).toEqual([
      ['binance-main', '96000', '0'],
      ['csv', '96000', '0'],
      ['sim', '21000', '0'],
      ['sim:trader:x', '21000', '0'],
    ])
  })

  it('`pnl --at` and `pnl`, per account', () => {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    const portfolio = new PortfolioService({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, now: () => NOW })
    const ctx = { store: ledger.store, portfolio, close: () => {} }
    const args: ParsedPnlArgs = { account: undefined, at: D1 - 1, method: 'fifo', currency: undefined, prices: new Map(), dataDir: undefined, json: true }
    for (const report of [runPnl(args, ctx), runPnl({ ...args, at: undefined }, ctx)]) {
      expect(Object.fromEntries(report.accounts.map((a) => [a.account, Number(a.value)]))).toEqual(EXPECTED)
      expect(report.accounts.map((a) => [a.account, a.assets.find((x) => x.asset === 'BTC')?.price])).toEqual([
        ['binance-main', '96000'],
        ['csv', '96000'],
        ['sim', '21000'],
        ['sim:trader:x', '21000'],
      ])
      // Realized P&L is the account's own trades' (sold 0.5 at 96,000 bought at 95,000), as before.
      expect(report.accounts.find((a) => a.account === 'binance-main')?.realized).toBe('500')
    }
    // --account alone: the same value as in the full report.
    expect(runPnl({ ...args, account: 'binance-main' }, ctx).accounts[0]?.value).toBe('101000')
  })

  it('price marks carry their venue: a venue’s own marks first; a mark of no known venue is a price from anywhere', () => {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    ledger.marks.record([
      { asset: 'BTC', quote: 'USDT', price: '97000', at: D0 + 7 * HOUR, venue: 'binance-main' },
      { asset: 'BTC', quote: 'USDT', price: '22000', at: D0 + 8 * HOUR, venue: 'sim' },
    ])
    // As stored before marks had a venue (the migration leaves those null), or by a rates file.
    sqliteOf(ledger.store.db).prepare('insert into price_marks (asset, quote, price, at) values (?, ?, ?, ?)').run('BTC', 'USDT', '50000', D0 + 9 * HOUR)
    // binance-main 53,000 + 0.5 × 97,000; sim:trader:x 90,500 + 0.5 × 22,000; sim 8,000 + 0.1 × 22,000;
    // csv 50 + 0.01 × 50,000 (the newest).
    const expected = { 'binance-main': 101500, 'sim:trader:x': 101500, sim: 10200, csv: 550 }
    const portfolio = new PortfolioService({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, now: () => NOW })
    const ctx = { store: ledger.store, portfolio, close: () => {} }
    const args: ParsedPnlArgs = { account: undefined, at: D1 - 1, method: 'fifo', currency: undefined, prices: new Map(), dataDir: undefined, json: true }
    expect(Object.fromEntries(runPnl(args, ctx).accounts.map((a) => [a.account, Number(a.value)]))).toEqual(expected)
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    for (const [account, value] of Object.entries(expected)) {
      expect([account, live.equity({ account, period: 'all' }).points.find((p) => p.time === D1)?.value]).toEqual([account, value])
    }
    // A week on with no price of its own since, an account takes the newest price known, as an import does.
    const later = runPnl({ ...args, at: D0 + 8 * DAY }, ctx)
    expect(later.accounts.map((a) => [a.account, a.assets.find((x) => x.asset === 'BTC')?.price])).toEqual([
      ['binance-main', '50000'],
      ['csv', '50000'],
      ['sim', '50000'],
      ['sim:trader:x', '50000'],
    ])
  })
})
