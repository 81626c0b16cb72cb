import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { runPnl, type ParsedPnlArgs } from '../../src-main/cli/pnl-command'
import { fixedArith } from '../../src-main/portfolio/arith'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { PortfolioService } from '../../src-main/portfolio/service'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { collectFlows } from '../../src-main/tax/flows'
import { PaperStore } from '../../src-main/venues/paper/store'
import { fakeClock, tempLedger } from './portfolio-live-support'

// A paper account opened on the simulated exchange ("Paper · Simulated exchange", ledger account paper:1)
// fills at the simulator's synthetic prices: like the sim's own accounts, its prices value only simulated
// accounts — open or closed. Day 0:
//   00:30 paper:1 gets 100,000 USDT      01:00 Kraken's BTC/USDT mark 95,000 (the only real price)
//   02:00 paper:1 buys 1 BTC at 20,000   03:00 binance-main deposits 1 BTC
// binance-main's BTC is worth Kraken's 95,000 when deposited (its cost basis, its tax flow) and now (its
// value); paper:1's own BTC is valued at its venue's (the sim's) 20,000. A paper account on a real venue's
// markets stays a real venue: its fills value other accounts as before.

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 2 * DAY

const ENTRIES: LedgerEntryInput[] = [
  { account: 'paper:1', source: 'venue', externalId: 'dep:p1', fee: null, kind: 'deposit', timestamp: D0 + 0.5 * HOUR, asset: 'USDT', amount: '100000' } as LedgerEntryInput,
  { account: 'paper:1', source: 'app', externalId: 'p1', fee: null, kind: 'trade', timestamp: D0 + 2 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '20000', amount: '1' } as LedgerEntryInput,
  { account: 'binance-main', source: 'venue', externalId: 'dep:b1', fee: null, kind: 'deposit', timestamp: D0 + 3 * HOUR, asset: 'BTC', amount: '1' } as LedgerEntryInput,
]

describe('a paper account on the simulated exchange is valued, and values others, as a simulated account', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio | undefined
  afterEach(() => {
    live?.stop()
    live = undefined
    ledger.close()
  })

  function setup(source: string, closed = false) {
    ledger = tempLedger()
    const paper = new PaperStore(ledger.store.db)
    const row = paper.createAccount({ label: 'Paper', sourceKind: 'venue', sourceVenueId: source, exchange: source === 'sim' ? 'sim' : 'kraken', apiBaseUrl: null }, [], D0)
    expect(row.id).toBe('paper:1')
    if (closed) paper.closeAccount(row.id, D0 + DAY)
    ledger.writer.importBatch(ENTRIES)
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '95000', at: D0 + HOUR, venue: 'kraken-main' }])
  }

  const binanceBtc = () => computePortfolio({ db: ledger.store.db, at: NOW }).positions.find((p) => p.account === 'binance-main' && p.asset === 'BTC')?.costBasis
  const depositFlow = () => collectFlows({ db: ledger.store.db }, { currency: 'USDT', until: NOW, includes: () => true }).byAsset.get('BTC')?.find((f) => f.account === 'binance-main')
  const flowValue = () => { const f = depositFlow(); return f && fixedArith.format(f.value) }

  it('cost basis and tax value of a real deposit: the real price, not the paper-on-sim fill (open or closed)', () => {
    for (const closed of [false, true]) {
      setup('sim', closed)
      expect([closed, binanceBtc(), flowValue()]).toEqual([closed, '95000', '95000'])
      ledger.close()
    }
    ledger = tempLedger() // for afterEach
  })

  it('a paper account on a real venue still prices other accounts', () => {
    setup('kraken-main')
    expect(binanceBtc()).toBe('20000')
  })

  it('holdings: the Portfolio page, the equity curve and `pnl`', () => {
    setup('sim')
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    const v = live.view({ scope: 'all', period: 'all' })
    expect(v.positions.filter((p) => p.asset === 'BTC').map((p) => [p.account, p.price])).toEqual([
      ['binance-main', '95000'],
      ['paper:1', '20000'],
    ])
    expect(live.equity({ account: 'binance-main', period: 'all' }).points.at(-1)?.value).toBe(95000)

    const portfolio = new PortfolioService({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, now: () => NOW })
    const args: ParsedPnlArgs = { account: undefined, at: undefined, method: 'fifo', currency: undefined, prices: new Map(), dataDir: undefined, json: true }
    const report = runPnl(args, { store: ledger.store, portfolio, close: () => {} })
    expect(report.accounts.flatMap((a) => a.assets.filter((x) => x.asset === 'BTC').map((x) => [a.account, x.price, x.costBasis]))).toEqual([
      ['binance-main', '95000', '95000'],
      ['paper:1', '20000', '20000'],
    ])
  })

  it('a paper account opened on the simulated exchange while the Portfolio page is kept live', () => {
    ledger = tempLedger()
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '95000', at: D0 + HOUR, venue: 'kraken-main' }])
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    expect(live.view({ scope: 'all', period: 'all' }).positions).toEqual([])
    new PaperStore(ledger.store.db).createAccount({ label: 'Paper', sourceKind: 'venue', sourceVenueId: 'sim', exchange: 'sim', apiBaseUrl: null }, [], D0)
    ledger.writer.importBatch(ENTRIES)
    const v = live.view({ scope: 'all', period: 'all' })
    expect(v.positions.filter((p) => p.asset === 'BTC').map((p) => [p.account, p.price, p.costBasis])).toEqual([
      ['binance-main', '95000', '95000'],
      ['paper:1', '20000', '20000'],
    ])
  })
})
