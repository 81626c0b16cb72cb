import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { runPnl, type ParsedPnlArgs } from '../../src-main/cli/pnl-command'
import { PortfolioService } from '../../src-main/portfolio/service'
import { DAY } from '../../src-main/portfolio/live/periods'
import { tempLedger } from './portfolio-live-support'
import { D0, NOW, simPriceEntries } from './sim-price-fixture'

// `pnl --json`'s `prices` block says what the accounts shown are valued at. Real and imported accounts are
// never valued at the simulated exchange's synthetic prices, so the block must not show them either: it
// listed the sim's BTC at 22,000 while the report valued the imported account's BTC at Binance's 96,000.
// Day 0: deposits binance-main 100,000 USDT; csv (an import) 1,000 USDT and 10 SOL; sim:trader:x 100,000
// USDT and 5 SOL; binance-main buys 1 BTC at 95,000, csv 0.01 BTC at 90,000, sim:trader:x 1 BTC at 20,000.
// Day 2 Binance's BTC/USDT mark 96,000; day 8 the sim's marks BTC 21,000 and SOL 150 (SOL's only price);
// a minute before now the sim's BTC 22,000.

const ENTRIES = simPriceEntries({ withSimSol: true })

describe('pnl --json prices: what the accounts shown are valued at', () => {
  let ledger: ReturnType<typeof tempLedger>
  afterEach(() => ledger.close())

  function pnl(change: Partial<ParsedPnlArgs> = {}) {
    const portfolio = new PortfolioService({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, now: () => NOW })
    const args: ParsedPnlArgs = { account: undefined, at: undefined, method: 'fifo', currency: undefined, prices: new Map(), dataDir: undefined, json: true }
    return runPnl({ ...args, ...change }, { store: ledger.store, portfolio, close: () => {} })
  }
  function setup() {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '96000', at: D0 + 2 * DAY, venue: 'binance-main' }])
    ledger.marks.record([
      { asset: 'BTC', quote: 'USDT', price: '21000', at: D0 + 8 * DAY, venue: 'sim' },
      { asset: 'SOL', quote: 'USDT', price: '150', at: D0 + 8 * DAY, venue: 'sim' },
    ])
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '22000', at: NOW - 60_000, venue: 'sim' }])
  }
  const rowPrice = (r: ReturnType<typeof pnl>, account: string, asset: string) => r.accounts.find((a) => a.account === account)?.assets.find((x) => x.asset === asset)?.price

  it('lists the real prices for an imported account, never the simulator’s', () => {
    setup()
    const r = pnl({ account: 'csv' })
    expect(r.prices).toEqual({ BTC: { price: '96000', source: 'stored' } })
    expect(rowPrice(r, 'csv', 'BTC')).toBe('96000')
    // Its SOL has no real price: unpriced in the rows, absent from the block.
    expect(rowPrice(r, 'csv', 'SOL')).toBeNull()
    expect(r.simulatedPrices).toBeUndefined()
  })

  it('lists the simulator’s prices apart when a simulated account is shown', () => {
    setup()
    const r = pnl()
    expect(r.prices).toEqual({ BTC: { price: '96000', source: 'stored' } })
    expect(r.simulatedPrices).toEqual({ BTC: { price: '22000', source: 'stored' }, SOL: { price: '150', source: 'stored' } })
    expect(rowPrice(r, 'sim:trader:x', 'BTC')).toBe('22000')
    expect(rowPrice(r, 'sim:trader:x', 'SOL')).toBe('150')

    const sim = pnl({ account: 'sim:trader:x' })
    expect(sim.prices).toEqual({})
    expect(sim.simulatedPrices).toEqual(r.simulatedPrices)
  })

  it('marks a --price as given, for every account', () => {
    setup()
    const r = pnl({ prices: new Map([['BTC', '50000']]) })
    expect(r.prices).toEqual({ BTC: { price: '50000', source: 'given' } })
    expect(r.simulatedPrices).toEqual({ BTC: { price: '50000', source: 'given' }, SOL: { price: '150', source: 'stored' } })
  })
})
