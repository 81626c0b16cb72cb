import fs from 'node:fs'
import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { eq, like } from 'drizzle-orm'
import { EventBus, type EngineEvents } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { ledgerEntries } from '../../src-main/portfolio/tables'
import type { FillRecord } from '../../src-main/trading/model'
import type { Core } from '../../src-main/core'
import { migrationsDir, tempCore, tempDir } from '../support/temp-core'

// The portfolio service in the engine: the app's own fills reach the ledger through the bus, the simulated
// exchange's traders and paper account through the same ledger, and the ledger's holdings agree with the
// exchange's balances to the last digit.

const fill = (over: Partial<FillRecord> = {}): FillRecord => ({
  venueId: 'binance-main',
  tradeId: 'T1',
  venueOrderId: 'V1',
  clientOrderId: 'c1',
  symbol: 'BTC/USDT',
  side: 'buy',
  price: '30000.10',
  amount: '0.002',
  fee: { asset: 'BNB', amount: '0.0001' },
  liquidity: 'taker',
  timestamp: 1_700_000_000_000,
  ...over,
})

describe('bus orderFilled → ledger', () => {
  let store: Store | undefined
  let dir: string
  afterEach(() => {
    store?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('one row per venue trade (source app, external id = trade id, account = venue), told on the bus', () => {
    dir = tempDir('co-portfolio-')
    store = openStore(dir, migrationsDir)
    const bus = new EventBus()
    const recorded: EngineEvents['ledgerRecorded'][] = []
    bus.on('ledgerRecorded', (e) => recorded.push(e))
    const service = new PortfolioService({ db: store.db, bus, log: silentLogger, now: () => 5 })
    service.start()
    bus.emit('orderFilled', { order: null, fill: fill() })
    bus.emit('orderFilled', { order: null, fill: fill() }) // reported twice: stored once
    bus.emit('orderFilled', { order: null, fill: fill({ tradeId: 'T2', side: 'sell', price: '30100', amount: '0.001', fee: { asset: 'USDT', amount: '0.0301' } }) })
    const rows = store.db.select().from(ledgerEntries).all()
    expect(rows.map((r) => [r.account, r.kind, r.symbol, r.base, r.quote, r.side, r.price, r.amount, r.feeAsset, r.feeAmount, r.source, r.externalId, r.contentHash])).toEqual([
      ['binance-main', 'trade', 'BTC/USDT', 'BTC', 'USDT', 'buy', '30000.1', '0.002', 'BNB', '0.0001', 'app', 'BTC/USDT#T1', null],
      ['binance-main', 'trade', 'BTC/USDT', 'BTC', 'USDT', 'sell', '30100', '0.001', 'USDT', '0.0301', 'app', 'BTC/USDT#T2', null],
    ])
    expect(recorded).toEqual([
      { accounts: ['binance-main'], inserted: 1, at: 5 },
      { accounts: ['binance-main'], inserted: 1, at: 5 },
    ])
    service.stop()
    bus.emit('orderFilled', { order: null, fill: fill({ tradeId: 'T3' }) })
    expect(store.db.select().from(ledgerEntries).all()).toHaveLength(2)
  })

  it('catches up at start with fills the order manager recorded while the ledger missed them', () => {
    dir = tempDir('co-portfolio-')
    store = openStore(dir, migrationsDir)
    // newest first, as the order manager lists them; T690…T709 share one millisecond, across a page's edge
    const at = (i: number) => 1_700_000_000_000 + (i >= 690 && i < 710 ? 690 : i) * 1000
    const history = Array.from({ length: 1203 }, (_, i) => fill({ tradeId: `T${String(i).padStart(4, '0')}`, timestamp: at(i) })).reverse()
    const fills = {
      // strictly after the `before` fill (same millisecond: by trade id, descending; one account)
      fills: (q: { limit: number; before?: { timestamp: number; tradeId: string } }) =>
        history
          .filter((f) => q.before === undefined || f.timestamp < q.before.timestamp || (f.timestamp === q.before.timestamp && f.tradeId < q.before.tradeId))
          .slice(0, q.limit),
    }
    const service = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger, fills })
    service.start()
    expect(store.db.select().from(ledgerEntries).all()).toHaveLength(1203)
    service.stop()
  })
})

describe('the simulated exchange in the ledger', () => {
  let core: Core | undefined
  afterEach(async () => {
    await core?.stop()
    core = undefined
  })

  const holdings = (c: Core, account: string) =>
    Object.fromEntries(
      c.portfolio
        .compute({ account })
        .positions.filter((p) => p.amount !== '0')
        .map((p) => [p.asset, p.amount]),
    )
  const balances = (c: Core, engineAccount: string) =>
    Object.fromEntries(
      c.sim.engine
        .balances(engineAccount)
        .filter((b) => !new Decimal(b.total).isZero())
        .map((b) => [b.asset, new Decimal(b.total).toFixed()]),
    )

  it('simulated traders: opening balances, then every fill; the ledger holds what the exchange says they hold', () => {
    core = tempCore()
    core.sim.runtime.advance(5 * 60_000)
    core.portfolio.flush()
    const c = core
    const traderRows = c.store.db.select().from(ledgerEntries).where(like(ledgerEntries.account, 'sim:trader:%')).all()
    expect(traderRows.filter((r) => r.kind === 'deposit').length).toBeGreaterThanOrEqual(9)
    expect(traderRows.filter((r) => r.kind === 'trade').length).toBeGreaterThan(0)
    const traders = new Set(traderRows.filter((r) => r.kind === 'trade').map((r) => r.account))
    expect(traders.size).toBeGreaterThan(1)
    for (const account of traders) {
      expect(holdings(c, account), account).toEqual(balances(c, account.slice('sim:'.length)))
    }
    // P&L is visible, priced at the stored marks and the ledger's last trades
    const result = c.portfolio.compute({ account: [...traders][0] })
    expect(result.positions.every((p) => p.unrealized !== null)).toBe(true)
    expect(result.warnings.filter((w) => w.kind === 'missing-cost-basis')).toEqual([])
  })

  it('the paper account: its opening balance, its fills through the order manager, a reset', async () => {
    core = tempCore()
    core.sim.runtime.advance(60_000)
    const c = core
    const reply = await c.router.invoke(
      'orders.submit',
      { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.01' } },
      { door: 'test' },
    )
    if (!reply.ok) throw new Error(reply.error.message)
    const rows = c.store.db.select().from(ledgerEntries).where(eq(ledgerEntries.account, 'sim')).all()
    expect(rows[0]).toMatchObject({ kind: 'deposit', base: 'USDT', amount: '10000', source: 'app', externalId: 'opening:USDT' })
    const trades = rows.filter((r) => r.kind === 'trade')
    expect(trades.length).toBeGreaterThan(0)
    expect(trades.every((r) => r.source === 'app' && r.externalId !== null)).toBe(true)
    expect(holdings(c, 'sim')).toEqual(balances(c, 'paper'))

    const before = c.portfolio.compute({ account: 'sim' }).totals
    const reset = await c.router.invoke('paper.reset', { amount: '2500' }, { door: 'test' })
    if (!reset.ok) throw new Error(reset.error.message)
    expect(holdings(c, 'sim')).toEqual({ USDT: '2500' })
    // What left went at its value then: the P&L made before the reset is kept (its unrealized part now
    // realized), and the reset itself is no gain or loss.
    const after = c.portfolio.compute({ account: 'sim' }).totals
    expect(after).toMatchObject({ costBasis: '2500', value: '2500', unrealized: '0' })
    const pnl = (x: typeof after) => new Decimal(x.value).minus(x.netDeposits)
    expect(pnl(after).toFixed()).toBe(pnl(before).toFixed())
    expect(new Decimal(after.realized).toFixed()).toBe(new Decimal(before.realized).plus(before.unrealized).toFixed())
  })
})

describe('an imported file with prices', () => {
  it('stores its marks and its entries together, or neither when an entry is refused', async () => {
    const dir = tempDir('co-pf-file-')
    const store = openStore(dir, migrationsDir)
    try {
      const bus = new EventBus()
      const recorded: unknown[] = []
      bus.on('ledgerRecorded', (e) => recorded.push(e))
      const portfolio = new PortfolioService({ db: store.db, bus, log: silentLogger })
      const told: number[] = []
      portfolio.marks.onRecorded((n) => told.push(n))
      const marks = [{ asset: 'ETH', quote: 'USD', price: '2510', at: Date.UTC(2024, 0, 20) }]
      const reward = { kind: 'income', account: 'cb', timestamp: Date.UTC(2024, 0, 20), asset: 'ETH', amount: '0.001', fee: null, source: 'csv', externalId: 'r1' } as const
      const markCount = () => (store.sqlite.prepare('select count(*) as n from price_marks').get() as { n: number }).n
      // A refused entry (a negative amount) rolls the file's marks back with it; nobody is told.
      await expect(portfolio.importFile([reward, { ...reward, externalId: 'r2', amount: '-1' }], marks, { account: 'cb', format: 'coinbase', fileName: 'a.csv' })).rejects.toThrow(/amount/)
      expect([markCount(), told, recorded]).toEqual([0, [], []])
      expect(await portfolio.importFile([reward], marks, { account: 'cb', format: 'coinbase', fileName: 'a.csv' })).toMatchObject({ inserted: 1 })
      expect([markCount(), told, recorded.length]).toEqual([1, [1], 1])
      // Valued by its own price: 0.001 × 2,510 of income, realized.
      expect(portfolio.compute({ account: 'cb', reportingCurrency: 'USD' }).totals).toMatchObject({ realized: '2.51', netDeposits: '0' })
    } finally {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
