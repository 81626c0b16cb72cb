import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { PortfolioView } from '../../src-main/api/schemas/portfolio'
import { portfolioQuerySchema, portfolioViewSchema, equityViewSchema } from '../../src-main/api/schemas/portfolio'
import { LivePortfolio, type PortfolioSettings } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { VenueMarkRecorder } from '../../src-main/portfolio/live/price-sources'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { fakeClock, tempLedger } from './portfolio-live-support'

// The live P&L worked by hand. Account "a":
//   D0 01:00  deposit 10000 USDT
//   D0 02:00  buy 1 BTC at 5000 USDT                   (USDT 5000, BTC 1 at cost 5000)
//   D0 10:00  mark BTC/USDT 6000
//   D1 01:00  sell 0.5 BTC at 7000 → realized 3500 − 2500 = 1000   (USDT 8500, BTC 0.5 at cost 2500)
//   now D1 03:00, live BTC/USDT 8000:
//     value 8500 + 4000 = 12500, cost basis 8500 + 2500 = 11000, unrealized 1500, realized 1000
//     24h: start D0 03:00 (equity then 5000 + 1 × 5000 = 10000) → change 2500 = 25 %, BTC price +60 %,
//          realized in period 1000, net deposits in period 0.

const D0 = Date.UTC(2024, 0, 1)
const D1 = D0 + DAY
const NOW = D1 + 3 * HOUR
const a = (e: Partial<LedgerEntryInput> & Pick<LedgerEntryInput, 'kind' | 'timestamp'>): LedgerEntryInput =>
  ({ account: 'a', source: 'csv', externalId: null, fee: null, ...e }) as LedgerEntryInput
const trade = (timestamp: number, side: 'buy' | 'sell', amount: string, price: string): LedgerEntryInput =>
  a({ kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side, price, amount })

describe('live P&L view (hand-computed)', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio | undefined
  afterEach(() => {
    live?.stop()
    ledger.close()
  })

  function setup(settings: PortfolioSettings = { method: 'fifo', currency: 'USD' }) {
    ledger = tempLedger()
    const bus = new EventBus()
    const board = new LivePriceBoard()
    const clock = fakeClock(NOW)
    ledger.writer.importBatch([
      a({ kind: 'deposit', timestamp: D0 + HOUR, asset: 'USDT', amount: '10000' }),
      trade(D0 + 2 * HOUR, 'buy', '1', '5000'),
      trade(D1 + HOUR, 'sell', '0.5', '7000'),
    ])
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '6000', at: D0 + 10 * HOUR }])
    const s = { ...settings }
    live = new LivePortfolio({ db: ledger.store.db, bus, log: silentLogger, board, settings: () => s, clock, onMarks: (l) => ledger.marks.onRecorded(l) })
    live.start()
    return { bus, board, clock, settings: s, live }
  }

  it('totals, positions, period figures and allocation at the live price', () => {
    const { board, live } = setup()
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    const v = portfolioViewSchema.parse(live.view({ period: '24h' }))
    expect(v.periodStart).toBe(D0 + 3 * HOUR)
    expect(v.totals).toEqual({
      value: '12500',
      costBasis: '11000',
      realized: '1000',
      realizedInPeriod: '1000',
      unrealized: '1500',
      change: '2500',
      changePct: '25',
      netDeposits: '0',
      pnl: '2500',
      pnlPct: '25',
    })
    const btc = v.positions.find((p) => p.asset === 'BTC')
    expect(btc).toMatchObject({ amount: '0.5', costBasis: '2500', averageCost: '5000', price: '8000', value: '4000', unrealized: '1500', realized: '1000', realizedInPeriod: '1000', changePct: '60' })
    expect(v.allocation).toEqual([
      { asset: 'USDT', value: '8500', share: '68' },
      { asset: 'BTC', value: '4000', share: '32' },
    ])
    expect(v.accounts).toEqual([{ account: 'a', label: 'a', value: '12500', costBasis: '11000', realized: '1000', realizedInPeriod: '1000', unrealized: '1500' }])
    expect(v.warnings).toEqual([])

    // 'all': everything is in the period; no equity at its start, so no change %. The P&L leaves the
    // 10,000 deposited out: 2,500 made, 25 % of the capital put in.
    const all = live.view({ period: 'all' })
    expect(all.totals).toMatchObject({ realizedInPeriod: '1000', netDeposits: '10000', change: '12500', changePct: null, pnl: '2500', pnlPct: '25' })
  })

  it('per asset: the accounts holding an asset summed, average cost over the amount held', () => {
    const { board, bus, live } = setup()
    // Account "b": 0.25 BTC bought at 6000 after a 2000 USDT deposit (BTC cost 1500, USDT 500 left).
    ledger.writer.importBatch([
      { kind: 'deposit', account: 'b', timestamp: D0 + HOUR, asset: 'USDT', amount: '2000', fee: null, source: 'csv', externalId: null },
      { kind: 'trade', account: 'b', timestamp: D0 + 11 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '6000', amount: '0.25', fee: null, source: 'csv', externalId: null },
    ])
    bus.emit('ledgerRecorded', { accounts: ['b'], inserted: 2, at: NOW })
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    const v = portfolioViewSchema.parse(live.view({ period: '24h' }))
    // BTC: 0.5 (cost 2500) + 0.25 (cost 1500) = 0.75 at cost 4000 → average 5333.33…; value 6000, unrealized 2000.
    const btc = v.assets.find((x) => x.asset === 'BTC')
    expect(btc).toMatchObject({ accounts: 2, amount: '0.75', costBasis: '4000', price: '8000', value: '6000', unrealized: '2000', realized: '1000' })
    expect(btc?.averageCost).toMatch(/^5333\.333333/)
    expect(v.assets.find((x) => x.asset === 'USDT')).toMatchObject({ accounts: 2, amount: '9000', value: '9000' })
    expect(v.positions.filter((p) => p.asset === 'BTC')).toHaveLength(2)
  })

  it("sums my accounts by default: a simulated trader's book is shown apart (scope traders) or with mine (scope all)", () => {
    const { board, live } = setup()
    // A simulated trader: 1000 USDT deposited, 0.1 BTC bought at 5000 → USDT 500 + BTC 0.1 × 8000 = 1300, cost 1000
    // (at the simulated exchange's own price: its trade of 5000 would value it without the live one).
    const tom = 'sim:trader:tom'
    ledger.writer.importBatch([
      { kind: 'deposit', account: tom, timestamp: D0 + HOUR, asset: 'USDT', amount: '1000', fee: null, source: 'venue', externalId: 't1' },
      { kind: 'trade', account: tom, timestamp: D0 + 2 * HOUR, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price: '5000', amount: '0.1', fee: null, source: 'venue', externalId: 't2' },
    ])
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    board.set('sim', 'BTC/USDT', '8000', NOW)

    const mine = portfolioViewSchema.parse(live.view({ period: '24h' }))
    expect(mine).toMatchObject({ account: null, scope: 'mine' })
    expect(mine.accounts.map((x) => x.account)).toEqual(['a'])
    expect(mine.totals).toMatchObject({ value: '12500', costBasis: '11000', unrealized: '1500' })
    expect(mine.positions.every((p) => p.account === 'a')).toBe(true)

    const traders = live.view({ period: '24h', scope: 'traders' })
    expect(traders).toMatchObject({ account: null, scope: 'traders' })
    expect(traders.accounts.map((x) => x.account)).toEqual([tom])
    expect(traders.totals).toMatchObject({ value: '1300', costBasis: '1000', unrealized: '300' })

    const all = live.view({ period: '24h', scope: 'all' })
    expect(all.accounts.map((x) => x.account)).toEqual(['a', tom])
    expect(all.totals).toMatchObject({ value: '13800', costBasis: '12000', unrealized: '1800' })
    expect(all.allocation.find((x) => x.asset === 'BTC')?.value).toBe('4800')

    // The equity curve follows the same scope: its live point is the view's value.
    const last = (q: Parameters<LivePortfolio['equity']>[0]) => equityViewSchema.parse(live.equity(q)).points.at(-1)?.value
    expect(last({ period: '24h' })).toBe(12500)
    expect(last({ period: '24h', scope: 'traders' })).toBe(1300)
    expect(last({ period: '24h', scope: 'all' })).toBe(13800)
    expect(live.equity({ period: '24h', scope: 'traders' })).toMatchObject({ account: null, scope: 'traders' })

    // One account is one account, whatever it is; asking for an account and a scope at once is refused.
    expect(live.view({ period: '24h', account: tom })).toMatchObject({ account: tom, scope: null, totals: { value: '1300' } })
    const both = portfolioQuerySchema.safeParse({ account: 'a', scope: 'all' })
    expect(both.success).toBe(false)
    expect(both.error?.issues[0]?.message).toBe('Ask for one account or for a scope, not both')
  })

  it('open lots of a position: FIFO lists each acquisition left, average cost one pooled lot', () => {
    const { bus, live } = setup()
    ledger.writer.importBatch([trade(D1 + 2 * HOUR, 'buy', '0.25', '8000')])
    bus.emit('ledgerRecorded', { accounts: ['a'], inserted: 1, at: NOW })
    // FIFO: the 1 BTC bought at 5000 lost 0.5 to the sell; the new 0.25 at 8000 follows it.
    expect(live.lots({ account: 'a', asset: 'BTC' })).toEqual([
      { account: 'a', asset: 'BTC', acquiredAt: D0 + 2 * HOUR, amount: '0.5', cost: '2500', unitCost: '5000', currency: 'USD' },
      { account: 'a', asset: 'BTC', acquiredAt: D1 + 2 * HOUR, amount: '0.25', cost: '2000', unitCost: '8000', currency: 'USD' },
    ])
    // Average: 0.75 BTC for 4500 → 6000 each, one lot.
    expect(live.lots({ account: 'a', asset: 'BTC', method: 'average' })).toMatchObject([{ amount: '0.75', cost: '4500', unitCost: '6000' }])
    expect(live.lots({ account: 'a', asset: 'USDT' })).toEqual([])
  })

  it('realized in period leaves out what was realized before the period began', () => {
    const { clock, live } = setup()
    clock.set(D1 + DAY + 5 * HOUR)
    const v = live.view({ period: '24h' })
    expect(v.totals.realized).toBe('1000')
    expect(v.totals.realizedInPeriod).toBe('0')
    // the last stored price values BTC now: the sell at 7000 (newer than the 6000 mark)
    expect(v.totals.value).toBe('12000')
  })

  it('equity history: 5-minute points over 24h at the prices as of each point, net deposits alongside', () => {
    const { board, live } = setup()
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    const e = equityViewSchema.parse(live.equity({ period: '24h' }))
    expect(e.resolution).toBe('5m')
    expect(e.points).toHaveLength(24 * 12 + 1)
    const at = (t: number) => e.points.find((p) => p.time === t)
    expect(at(D0 + 3 * HOUR)).toEqual({ time: D0 + 3 * HOUR, value: 10000, netDeposits: 10000, deposited: 10000 })
    expect(at(D0 + 9 * HOUR + 55 * 60_000)?.value).toBe(10000)
    expect(at(D0 + 10 * HOUR)?.value).toBe(11000) // the mark at exactly 10:00 counts
    expect(at(D1 + HOUR)?.value).toBe(12000) // the sell at 01:00: 8500 + 0.5 × 7000
    expect(e.points[e.points.length - 1]).toEqual({ time: NOW, value: 12500, netDeposits: 10000, deposited: 10000 })

    const all = live.equity({ period: 'all' })
    expect(all.resolution).toBe('day')
    expect(all.points[0]).toEqual({ time: D0, value: 0, netDeposits: 0, deposited: 0 })
    expect(all.points.find((p) => p.time === D1)?.value).toBe(11000)
    const times = all.points.map((p) => p.time)
    expect([...times].sort((x, y) => x - y)).toEqual(times)
    expect(new Set(times).size).toBe(times.length)
  })

  it('a new fill is applied incrementally and shows in the next view', () => {
    const { live, bus } = setup()
    const replay = live.replay('fifo', 'USD')
    const builds = replay.rebuilds
    ledger.writer.importBatch([trade(NOW - 60_000, 'sell', '0.5', '9000')])
    bus.emit('ledgerRecorded', { accounts: ['a'], inserted: 1, at: NOW })
    const v = live.view({ period: '24h' })
    expect(replay.rebuilds).toBe(builds)
    // realized 1000 + (4500 − 2500); USDT 8500 + 4500
    expect(v.totals).toMatchObject({ realized: '3000', realizedInPeriod: '3000', value: '13000', unrealized: '0' })
  })

  it('the period return counts a deposit from when it came in (time-weighted)', () => {
    const { live, bus, board } = setup()
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    // 10,000 USDT more an hour before now. Until then the 10,000 at the start grew to 12,000 (8,500 cash and
    // 0.5 BTC at 7000): +20 %; then 22,000 went to 22,500 (BTC 8000): +2.27 %. Chained: 1.2 × 22,500 / 22,000
    // = +22.73 % (not 2500 / 20000 = 12.5 %).
    ledger.writer.importBatch([a({ kind: 'deposit', timestamp: NOW - HOUR, asset: 'USDT', amount: '10000' })])
    bus.emit('ledgerRecorded', { accounts: ['a'], inserted: 1, at: NOW })
    expect(live.view({ period: '24h' }).totals).toMatchObject({ change: '12500', netDeposits: '10000', pnl: '2500', pnlPct: '22.73' })
  })

  it('an account funded inside the period is measured from its funding: 100 lost on 10,000 put in an hour ago is −1 % in every period', () => {
    const { live, bus, board } = setup()
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    // "n" is new: 10,000 in an hour ago, 0.5 BTC bought at 8200 (4100) now worth 4000 → value 9900, P&L −100.
    // "r" held nothing at any period's start (1000 in and out over a year before), then the same as "n".
    const entries = (account: string): LedgerEntryInput[] => [
      a({ account, kind: 'deposit', timestamp: NOW - HOUR, asset: 'USDT', amount: '10000' }),
      { ...trade(NOW - 30 * 60_000, 'buy', '0.5', '8200'), account },
    ]
    ledger.writer.importBatch([
      ...entries('n'),
      a({ account: 'r', kind: 'deposit', timestamp: D0 - 400 * DAY, asset: 'USDT', amount: '1000' }),
      a({ account: 'r', kind: 'withdrawal', timestamp: D0 - 399 * DAY, asset: 'USDT', amount: '1000' }),
      ...entries('r'),
    ])
    bus.emit('ledgerRecorded', { accounts: ['n', 'r'], inserted: 6, at: NOW })
    for (const period of ['24h', '7d', '30d', 'year'] as const) {
      for (const account of ['n', 'r']) {
        // −100 / 10,000 (not −100 / (10,000 × 1/168) = −168 % over 7d).
        expect(live.view({ account, period }).totals, `${account} ${period}`).toMatchObject({ value: '9900', pnl: '-100', pnlPct: '-1' })
      }
    }
  })

  it("money moved exactly on the period's first instant is in the period once, not also in the equity at its start", () => {
    const { live, bus, board } = setup()
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    const start = D0 + 3 * HOUR // the 24h period's start
    // "a" (replayed again: older than its last row) and "b" (new, laid over the kept snapshots) each put in
    // 1000 USDT at the start, after the replay was made (seen here). a: equity at start 10000, now 13500, 1000 in → P&L 2500 on 11000 = 22.73 %.
    // b: nothing at the start, 1000 now, 1000 in → P&L 0.
    expect(live.view({ period: '24h' }).totals.pnl).toBe('2500')
    ledger.writer.importBatch([a({ kind: 'deposit', timestamp: start, asset: 'USDT', amount: '1000', externalId: 'a-start' })])
    bus.emit('ledgerRecorded', { accounts: ['a'], inserted: 1, at: NOW })
    expect(live.view({ account: 'a', period: '24h' }).totals).toMatchObject({ value: '13500', change: '3500', netDeposits: '1000', pnl: '2500', pnlPct: '22.73' })
    ledger.writer.importBatch([a({ account: 'b', kind: 'deposit', timestamp: start, asset: 'USDT', amount: '1000', externalId: 'b-start' })])
    bus.emit('ledgerRecorded', { accounts: ['b'], inserted: 1, at: NOW })
    expect(live.view({ account: 'a', period: '24h' }).totals).toMatchObject({ value: '13500', change: '3500', netDeposits: '1000', pnl: '2500', pnlPct: '22.73' })
    expect(live.view({ account: 'b', period: '24h' }).totals).toMatchObject({ value: '1000', change: '1000', netDeposits: '1000', pnl: '0' })
  })

  it('coins withdrawn in the period are no loss: they leave at their value then, and lifetime P&L keeps their gain', () => {
    const { live, bus, board } = setup()
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    const before = live.view({ period: '24h' })
    // The 0.5 BTC left goes to a wallet the ledger does not see, at 8000 (the last trade there: a mark).
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '8000', at: NOW - 120_000 }])
    ledger.writer.importBatch([a({ kind: 'withdrawal', timestamp: NOW - 60_000, asset: 'BTC', amount: '0.5' })])
    bus.emit('ledgerRecorded', { accounts: ['a'], inserted: 1, at: NOW })
    const v = live.view({ period: '24h' })
    // Out: 0.5 × 8000 = 4000, which had cost 2500: 1500 realized by it; the period's P&L is what it was.
    expect(v.totals).toMatchObject({ value: '8500', netDeposits: '-4000', unrealized: '0', realized: '2500', pnl: before.totals.pnl })
    const all = live.view({ period: 'all' }).totals
    // Lifetime: 10000 in, 4000 out, 8500 left: +2500 — the 1000 realized by the sale and the 1500 gained on the BTC while held.
    expect(all).toMatchObject({ pnl: '2500', netDeposits: '6000' })
  })

  it('a holding valued at a price over a week old says so: nothing trades it where the app looks', () => {
    const { live, bus } = setup()
    // SOL came in long ago at its price then; nothing has priced SOL since.
    ledger.marks.record([{ asset: 'SOL', quote: 'USDT', price: '100', at: D0 - 30 * DAY }])
    ledger.writer.importBatch([a({ kind: 'deposit', timestamp: D0 - 30 * DAY + HOUR, asset: 'SOL', amount: '10' })])
    bus.emit('ledgerRecorded', { accounts: ['a'], inserted: 1, at: NOW })
    const v = live.view({ period: '24h' })
    expect(v.positions.find((p) => p.asset === 'SOL')).toMatchObject({ price: '100', value: '1000' })
    expect(v.warnings.filter((w) => w.kind === 'stale-price')).toEqual([
      {
        kind: 'stale-price',
        account: 'a',
        asset: 'SOL',
        timestamp: D0 - 30 * DAY,
        message: 'the latest USD price of SOL is from 2023-12-02 (31 days ago): its value and unrealized P&L are as of then',
      },
    ])
    // BTC, priced by the mark a day ago and the live board, is no such warning.
    expect(v.warnings.some((w) => w.asset === 'BTC')).toBe(false)
  })

  it('EUR: the ledger valued through EUR/USDT; without a rate, a warning', () => {
    const { board, live } = setup({ method: 'fifo', currency: 'EUR' })
    const none = live.view({ period: 'all' })
    expect(none.warnings[0]).toMatchObject({ kind: 'unpriced-asset', asset: 'EUR' })
    expect(none.warnings[0]?.message).toMatch(/no EUR exchange rate/)

    // A EUR/USDT mark before everything: 1 EUR = 1.25 USDT, so 1 USDT = 0.8 EUR.
    ledger.marks.record([{ asset: 'EUR', quote: 'USDT', price: '1.25', at: D0 }])
    const replay = live.replay('fifo', 'EUR')
    replay.rebuild() // the mark is older than the ledger: it counts from the start only in a full replay
    board.set('binance-main', 'BTC/USDT', '8000', NOW)
    const v = live.view({ period: 'all' })
    expect(v.currency).toBe('EUR')
    // deposit 10000 USDT = 8000 EUR; value now 12500 USDT = 10000 EUR
    expect(v.totals).toMatchObject({ value: '10000', netDeposits: '8000', pnl: '2000', pnlPct: '25' })
    expect(v.warnings.filter((w) => w.asset === 'EUR')).toEqual([])
    // The rate moves live: USDT/EUR 0.9 → 12500 × 0.9
    board.set('kraken', 'USDT/EUR', '0.9', NOW + 1)
    expect(live.view({ period: 'all' }).totals.value).toBe('11250')
  })

  it('settings switch the live view: average cost, and the stream sends the new figures', () => {
    const { live, settings, bus, clock } = setup()
    ledger.writer.importBatch([trade(D1 + 2 * HOUR, 'buy', '1', '9000'), trade(D1 + 2 * HOUR + 1000, 'sell', '1', '9000')])
    const got: PortfolioView[] = []
    const stop = live.subscribe({ period: 'all' }, (v) => got.push(v))
    // FIFO: the second sell takes 0.5 at 5000 and 0.5 at 9000 → 9000 − 7000 = 2000, total 3000
    expect(got.at(-1)?.totals.realized).toBe('3000')
    expect(got.at(-1)?.method).toBe('fifo')
    settings.method = 'average'
    bus.emit('settingChanged', { view: { key: 'portfolio.costMethod' } as never, previous: 'fifo' })
    clock.advance(300)
    // average: 0.5 BTC at 2500 + 1 at 9000 = 1.5 BTC at 11500; selling 1 takes 11500 × 1/1.5 =
    // 7666.666666666666666667 → realized 1000 + 1333.333333333333333333
    expect(got.at(-1)?.method).toBe('average')
    expect(got.at(-1)?.totals.realized).toBe('2333.333333333333333333')
    stop()
  })

  it('portfolio.live sends at most 4 times a second, and only when the view changed', () => {
    const { live, board, clock } = setup()
    const got: PortfolioView[] = []
    const stop = live.subscribe({ period: '24h' }, (v) => got.push(v))
    expect(got).toHaveLength(1)
    // A price every 10 ms for 2 seconds: at most 4 frames a second.
    for (let i = 1; i <= 200; i++) {
      board.set('binance-main', 'BTC/USDT', String(8000 + i), clock.now())
      clock.advance(10)
    }
    clock.advance(250)
    expect(got.length).toBeGreaterThanOrEqual(8)
    expect(got.length).toBeLessThanOrEqual(1 + 2 * 4 + 1)
    for (let i = 1; i < got.length; i++) expect((got[i] as PortfolioView).at - (got[i - 1] as PortfolioView).at).toBeGreaterThanOrEqual(250)
    expect(got.at(-1)?.positions.find((p) => p.asset === 'BTC')?.price).toBe('8200')
    // A pair nobody holds moves: nothing is sent.
    const before = got.length
    board.set('binance-main', 'DOGE/USDT', '0.1', clock.now())
    clock.advance(1000)
    expect(got).toHaveLength(before)
    stop()
  })
})

describe('price marks from real venues', () => {
  it('records the live prices of real venues once per run (unchanged prices are not written again); the sim is left to its own feed', () => {
    const ledger = tempLedger()
    try {
      const board = new LivePriceBoard()
      let now = 1_000
      const recorder = new VenueMarkRecorder(board, ledger.marks, () => now, silentLogger)
      board.set('binance-main', 'BTC/USDT', '30000.50', 900)
      board.set('sim', 'ETH/USDT', '2000', 900)
      expect(recorder.record()).toBe(1)
      now = 61_000
      expect(recorder.record()).toBe(0)
      board.set('binance-main', 'BTC/USDT', '30001', 60_500)
      expect(recorder.record()).toBe(1)
      expect(ledger.marks.latest()).toEqual([{ asset: 'BTC', quote: 'USDT', price: '30001', at: 61_000, venue: 'binance-main' }])
    } finally {
      ledger.close()
    }
  })
})
