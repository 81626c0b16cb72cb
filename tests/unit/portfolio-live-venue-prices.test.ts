import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { portfolioViewSchema } from '../../src-main/api/schemas/portfolio'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { VenueMarkRecorder } from '../../src-main/portfolio/live/price-sources'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { fakeClock, tempLedger } from './portfolio-live-support'

// Live prices are per venue: an exchange account is valued at its own venue's live price of a pair, not at
// whichever venue's price of that pair arrived last. Each account below deposits 1000 USDT and buys 1 BTC
// at 500 (500 USDT left) on day 0; "now" is day 1.
//   binance-main: its own live BTC/USDT is 600            → 500 + 600 = 1100
//   kraken-1:     its own live BTC/USDT is 580 (newer)    → 500 + 580 = 1080
//   sim:trader:x: the simulated exchange's BTC/USDT 400    → 500 + 400 = 900
//   csv (an import, no venue): the newest real live price, 580 → 1080
//   bitstamp-1 (no live price of its own): the same fallback → 1080

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + DAY
const ACCOUNTS = ['binance-main', 'kraken-1', 'sim:trader:x', 'csv', 'bitstamp-1']

function entries(account: string): LedgerEntryInput[] {
  const base = { account, source: 'csv', externalId: null, fee: null } as const
  return [
    { ...base, kind: 'deposit', timestamp: D0 + HOUR, asset: 'USDT', amount: '1000' },
    { ...base, kind: 'trade', timestamp: D0 + 2 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '500', amount: '1' },
  ] as LedgerEntryInput[]
}

describe('live P&L: each account valued at its own venue’s live prices', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio | undefined
  afterEach(() => {
    live?.stop()
    ledger.close()
  })

  function setup() {
    ledger = tempLedger()
    const board = new LivePriceBoard()
    ledger.writer.importBatch(ACCOUNTS.flatMap(entries))
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    live.start()
    board.set('sim', 'BTC/USDT', '400', NOW - 3000)
    board.set('binance-main', 'BTC/USDT', '600', NOW - 2000)
    board.set('kraken-1', 'BTC/USDT', '580', NOW - 1000)
    return { board, live }
  }

  const valueOf = (v: { accounts: { account: string; value: string }[] }, account: string) => v.accounts.find((a) => a.account === account)?.value

  it('account values, positions and the total use the account’s own venue, else the newest price', () => {
    const { live } = setup()
    const v = portfolioViewSchema.parse(live.view({ period: 'all', scope: 'all' }))
    expect(Object.fromEntries(ACCOUNTS.map((a) => [a, valueOf(v, a)]))).toEqual({
      'binance-main': '1100',
      'kraken-1': '1080',
      'sim:trader:x': '900',
      csv: '1080',
      'bitstamp-1': '1080',
    })
    expect(v.positions.filter((p) => p.asset === 'BTC').map((p) => [p.account, p.price, p.unrealized])).toEqual([
      ['binance-main', '600', '100'],
      ['bitstamp-1', '580', '80'],
      ['csv', '580', '80'],
      ['kraken-1', '580', '80'],
      ['sim:trader:x', '400', '-100'],
    ])
    // The total is the sum of the accounts' values: 1100 + 1080 + 900 + 1080 + 1080.
    expect(v.totals.value).toBe('5240')
    // Grouped per asset, the price is the accounts' average, so price × amount is the value: 2740 ÷ 5.
    expect(v.assets.find((a) => a.asset === 'BTC')).toMatchObject({ amount: '5', value: '2740', price: '548' })
  })

  it('a newer stored trade of the pair on another venue (the simulated traders’ fills) does not replace the account’s own live price', () => {
    const { live } = setup()
    ledger.writer.importBatch([
      { account: 'sim:trader:x', source: 'venue', externalId: 't1', fee: null, kind: 'trade', timestamp: NOW - 500, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'sell', price: '390', amount: '0.1' } as LedgerEntryInput,
    ])
    const v = live.view({ period: 'all', scope: 'all' })
    expect(valueOf(v, 'binance-main')).toBe('1100')
    expect(valueOf(v, 'kraken-1')).toBe('1080')
    // The import has no venue: the newest real price, Kraken's live 580 — not the simulated trader's newer
    // fill, which is synthetic and values only the simulated accounts.
    expect(valueOf(v, 'csv')).toBe('1080')
  })

  it('one account alone, and the equity curve’s live point, at that account’s own price', () => {
    const { live } = setup()
    expect(live.view({ account: 'binance-main', period: 'all' }).totals).toMatchObject({ value: '1100', unrealized: '100' })
    expect(live.equity({ account: 'binance-main', period: '24h' }).points.at(-1)?.value).toBe(1100)
    // "My accounts" leaves the simulated trader out: 1100 + 1080 × 3.
    expect(live.equity({ period: '24h' }).points.at(-1)?.value).toBe(4340)
  })

  it('a newer price of the asset in another quote on another venue does not replace the account’s own', () => {
    const { board, live } = setup()
    board.set('kraken-1', 'BTC/USD', '550', NOW)
    const v = live.view({ period: 'all' })
    expect(valueOf(v, 'binance-main')).toBe('1100')
    expect(valueOf(v, 'kraken-1')).toBe('1050')
  })

  it('a pair the account’s venue has no live price for falls back to another venue’s', () => {
    const { board, live } = setup()
    ledger.writer.importBatch([
      { account: 'kraken-1', source: 'csv', externalId: null, fee: null, kind: 'trade', timestamp: D0 + 3 * HOUR, symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', side: 'buy', price: '10', amount: '10' } as LedgerEntryInput,
    ])
    board.set('binance-main', 'SOL/USDT', '12', NOW)
    // kraken-1: 400 USDT + BTC at its own 580 + 10 SOL at Binance's 12
    expect(valueOf(live.view({ period: 'all' }), 'kraken-1')).toBe('1100')
  })
})

describe('price marks from several venues', () => {
  it('one mark per real venue and pair, each stored as that venue’s; unchanged prices are not written again', () => {
    const ledger = tempLedger()
    try {
      const board = new LivePriceBoard()
      let now = 10_000
      const recorder = new VenueMarkRecorder(board, ledger.marks, () => now, silentLogger)
      board.set('kraken-1', 'BTC/USDT', '580', 9_000)
      board.set('binance-main', 'BTC/USDT', '600', 8_000)
      // The simulated exchange's prices are stored by its own feed (sim-feed.ts).
      board.set('sim', 'BTC/USDT', '400', 9_500)
      expect(recorder.record()).toBe(2)
      const latest = () => ledger.marks.latest().sort((a, b) => String(a.venue).localeCompare(String(b.venue)))
      expect(latest()).toEqual([
        { asset: 'BTC', quote: 'USDT', price: '600', at: 10_000, venue: 'binance-main' },
        { asset: 'BTC', quote: 'USDT', price: '580', at: 10_000, venue: 'kraken-1' },
      ])
      now = 70_000
      board.set('kraken-1', 'BTC/USDT', '585', 69_000)
      expect(recorder.record()).toBe(1)
      expect(latest().map((m) => [m.venue, m.price, m.at])).toEqual([
        ['binance-main', '600', 10_000],
        ['kraken-1', '585', 70_000],
      ])
    } finally {
      ledger.close()
    }
  })
})
