import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { runPnl, type ParsedPnlArgs } from '../../src-main/cli/pnl-command'
import { PortfolioService } from '../../src-main/portfolio/service'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY } from '../../src-main/portfolio/live/periods'
import { fakeClock, tempLedger } from './portfolio-live-support'
import { D0, NOW, simPriceEntries } from './sim-price-fixture'

// Holdings are valued like trade-time values: the simulated exchange's synthetic prices (its marks, its
// traders' and paper account's fills, its live trades) value only the simulated accounts. A real account
// whose own venue's price is over a week old, and an imported account, fall back to the newest price from a
// real venue or of no venue — else keep the stale one, with the stale-price warning — and an asset only
// the simulated exchange prices is not valued for them. Day 0:
//   01:00 deposits: binance-main 100,000 USDT; csv (an import) 1,000 USDT and 10 SOL; sim:trader:x 100,000
//   02:00 binance-main buys 1 BTC at 95,000;   02:30 csv buys 0.01 BTC at 90,000
//   03:00 sim:trader:x buys 1 BTC at 20,000
//   day 2 Binance's BTC/USDT mark 96,000 — the newest real price of BTC
//   day 8 the sim's marks: BTC/USDT 21,000, SOL/USDT 150; a minute before now, BTC/USDT 22,000
//   now (day 10, 03:00) the sim's live BTC/USDT 21,500
// From day 9 on, Binance's own price is over a week old. At the day-10 grid point and now:
//   binance-main: 5,000 USDT + 1 BTC at its own (stale) 96,000 = 101,000 (not 26,000 at the sim's 21,000)
//   csv:          100 USDT + 0.01 BTC at the newest real 96,000 = 1,060; its SOL is not valued

const ENTRIES = simPriceEntries({ withSimSol: false })

describe('the simulated exchange’s prices value only the simulated accounts’ holdings', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio | undefined
  afterEach(() => {
    live?.stop()
    ledger.close()
  })

  function setup() {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '96000', at: D0 + 2 * DAY, venue: 'binance-main' }])
    ledger.marks.record([
      { asset: 'BTC', quote: 'USDT', price: '21000', at: D0 + 8 * DAY, venue: 'sim' },
      { asset: 'SOL', quote: 'USDT', price: '150', at: D0 + 8 * DAY, venue: 'sim' },
    ])
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '22000', at: NOW - 60_000, venue: 'sim' }])
    const board = new LivePriceBoard()
    board.set('sim', 'BTC/USDT', '21500', NOW - 1000)
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    return live
  }

  it('the Portfolio page: a stale own price stays, with its warning; an import takes the newest real price; a sim-only asset is not valued', () => {
    const live = setup()
    const v = live.view({ scope: 'all', period: 'all' })
    expect(v.positions.filter((p) => p.asset !== 'USDT').map((p) => [p.account, p.asset, p.price, p.value])).toEqual([
      ['binance-main', 'BTC', '96000', '96000'],
      ['csv', 'BTC', '96000', '960'],
      ['csv', 'SOL', null, null],
      ['sim:trader:x', 'BTC', '21500', '21500'],
    ])
    expect(Object.fromEntries(v.accounts.map((a) => [a.account, a.value]))).toEqual({ 'binance-main': '101000', csv: '1060', 'sim:trader:x': '101500' })
    expect(v.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'stale-price', account: 'binance-main', asset: 'BTC', timestamp: D0 + 2 * DAY }),
        expect.objectContaining({ kind: 'unpriced-asset', account: 'csv', asset: 'SOL' }),
      ]),
    )
  })

  it('the equity curve: the history point after the own price went stale, and the point now', () => {
    const live = setup()
    const expected = { 'binance-main': 101000, csv: 1060, 'sim:trader:x': 101000 }
    for (const [account, value] of Object.entries(expected)) {
      const points = live.equity({ account, period: 'all' }).points
      expect([account, points.find((p) => p.time === D0 + 10 * DAY)?.value]).toEqual([account, value])
    }
    const now = (account: string) => live.equity({ account, period: 'all' }).points.at(-1)?.value
    expect([now('binance-main'), now('csv'), now('sim:trader:x')]).toEqual([101000, 1060, 101500])
  })

  it('`pnl` and `pnl --at`', () => {
    setup()
    const portfolio = new PortfolioService({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, now: () => NOW })
    const ctx = { store: ledger.store, portfolio, close: () => {} }
    const args: ParsedPnlArgs = { account: undefined, at: undefined, method: 'fifo', currency: undefined, prices: new Map(), dataDir: undefined, json: true }
    const priced = (at: number | undefined) => {
      const report = runPnl({ ...args, at }, ctx)
      return {
        prices: report.accounts.flatMap((a) => a.assets.filter((x) => x.asset !== 'USDT').map((x) => [a.account, x.asset, x.price])),
        values: Object.fromEntries(report.accounts.map((a) => [a.account, a.value])),
        unpriced: report.warnings.filter((w) => w.kind === 'unpriced-asset').map((w) => [w.account, w.asset]),
      }
    }
    expect(priced(undefined)).toEqual({
      prices: [
        ['binance-main', 'BTC', '96000'],
        ['csv', 'BTC', '96000'],
        ['csv', 'SOL', null],
        ['sim:trader:x', 'BTC', '22000'],
      ],
      values: { 'binance-main': '101000', csv: '1060', 'sim:trader:x': '102000' },
      unpriced: [['csv', 'SOL']],
    })
    expect(priced(D0 + 10 * DAY).values).toEqual({ 'binance-main': '101000', csv: '1060', 'sim:trader:x': '101000' })
  })
})
