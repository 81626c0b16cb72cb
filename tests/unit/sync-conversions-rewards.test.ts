import fs from 'node:fs'
import DecimalBase from 'decimal.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { SyncService } from '../../src-main/portfolio/sync/service'
import { VenueError, type Conversion, type Reward } from '../../src-main/venues/port'
import { migrationsDir, tempDir } from '../support/temp-core'
import { DAY, fakeHistoryVenue, type FakeHistory } from './sync-support'

// The sync reads an exchange's conversions (Binance Convert) and its reward record besides fills and
// transfers: a conversion is one trade with both sides exact, a reward is income; a pending conversion holds
// the cursor until it completes; a token swap's two sides and a lone debit are not income and are named; the
// assets they bring decide which markets are read; the first sync's "history from" holds for every history.

const Decimal = DecimalBase.clone({ precision: 60 })
const ACCOUNT = 'ex-1'
const SYMBOLS = ['BTC/USDT', 'ETH/USDT']

let dir: string
let store: Store
let portfolio: PortfolioService
let h: FakeHistory
let clock: number

function service(): SyncService {
  const s = new SyncService({
    db: store.db,
    bus: new EventBus(),
    log: silentLogger,
    portfolio,
    openVenue: async () => h.venue,
    isExchangeAccount: (a) => a === ACCOUNT,
    now: () => clock,
  })
  s.start()
  return s
}

interface Row {
  external_id: string
  kind: string
  symbol: string | null
  side: string | null
  base: string
  price: string | null
  amount: string
  total: string | null
}

function ledger(): Row[] {
  return store.sqlite.prepare('select external_id, kind, symbol, side, base, price, amount, total from ledger_entries where account = ? order by timestamp, id').all(ACCOUNT) as Row[]
}

const conversion = (id: string, day: number, spent: [string, string], received: [string, string], status: Conversion['status'] = 'ok'): Conversion => ({
  id,
  timestamp: day * DAY,
  spent: { asset: spent[1], amount: spent[0] },
  received: { asset: received[1], amount: received[0] },
  status,
})

const reward = (id: string, day: number, amount: string, asset: string, direction: Reward['direction'] = 'in', group: string | null = null): Reward => ({
  id,
  timestamp: day * DAY,
  asset,
  amount,
  direction,
  what: `${asset} reward`,
  group,
})

beforeEach(() => {
  dir = tempDir('co-sync-cr-')
  store = openStore(dir, migrationsDir)
  portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger, now: () => clock })
  clock = 100 * DAY
  h = fakeHistoryVenue({
    symbols: SYMBOLS,
    now: () => clock,
    paging: { conversions: { windowMs: 30 * DAY, limit: 3 }, rewards: { windowMs: 60 * DAY, limit: 2 } },
  })
  h.transfers.push({ id: 'd1', kind: 'deposit', asset: 'USDT', amount: '10000', fee: null, status: 'ok', timestamp: 41 * DAY, txid: '0x1' })
  h.conversions.push(
    conversion('c1', 45, ['1000', 'USDT'], ['0.3', 'ETH']),
    conversion('c5', 46, ['10', 'USDT'], ['4', 'XRP']),
    conversion('c6', 47, ['10', 'USDT'], ['4.1', 'XRP']),
    conversion('c7', 48, ['10', 'USDT'], ['4.2', 'XRP']),
    conversion('c2', 50, ['0.1', 'ETH'], ['350', 'USDC']),
    conversion('c3', 60, ['500', 'USDT'], ['0.004', 'BTC'], 'failed'),
    conversion('c4', 95, ['200', 'USDT'], ['1000', 'DOGE'], 'pending'),
  )
  h.rewards.push(
    reward('r1', 55, '0.01', 'BNB'),
    reward('r2', 70, '100', 'OLD', 'out', 'g1'),
    reward('r3', 70, '100', 'NEW', 'in', 'g1'),
    reward('r4', 72, '5', 'SOL', 'out', 'g2'),
    reward('r5', 73, '50', 'DOGE', 'in', 'g3'),
  )
})

afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('history sync: conversions and rewards', () => {
  it('stores each completed conversion as one exact trade and each reward as income; failed and pending ones wait or stay out', async () => {
    const sync = service()
    sync.sync(ACCOUNT, { since: 40 * DAY })
    const end = await sync.settled(ACCOUNT)
    expect(end).toMatchObject({ state: 'done', error: null, historyFrom: 40 * DAY })

    const rows = ledger()
    const trades = rows.filter((r) => r.kind === 'trade')
    expect(trades.map((t) => t.external_id)).toEqual(['convert:c1', 'convert:c5', 'convert:c6', 'convert:c7', 'convert:c2'])
    // USDT → ETH buys ETH with the USDT spent; ETH → USDC (money arrived) sells ETH. Both sides exactly as stated.
    expect(trades[0]).toMatchObject({ symbol: 'ETH/USDT', side: 'buy', amount: '0.3', total: '1000', price: '3333.333333333333333333' })
    expect(trades[4]).toMatchObject({ symbol: 'ETH/USDC', side: 'sell', amount: '0.1', total: '350' })
    expect(trades[1]).toMatchObject({ symbol: 'XRP/USDT', side: 'buy', amount: '4', total: '10' })

    // Rewards: income; the token swap (OLD out, NEW in under one transaction) and the lone debit are not.
    const income = rows.filter((r) => r.kind === 'income').map((r) => `${r.external_id} ${r.amount} ${r.base}`)
    expect(income).toEqual(['reward:r1 0.01 BNB', 'reward:r5 50 DOGE'])
    expect(end.skipped).toEqual({
      'token swap (reward record)': 2,
      'debit (reward record)': 1,
      'conversion not complete yet': 1,
      // r2 and r3 share a millisecond and fill a page of 2: whether a third is there cannot be asked.
      [`millisecond that filled a whole page of 2 rewards (${new Date(70 * DAY).toISOString()}): any more there cannot be read, the exchange pages by time only`]: 1,
    })
    // ...kept with the run: after a restart the screen still says so.
    expect(service().status(ACCOUNT).skipped).toEqual(end.skipped)

    // Full pages were split until each held less than a page: 6 conversions in the first 30 days, limit 3.
    const conversionPages = h.requests.filter((r) => r.method === 'fetchConversions')
    expect(conversionPages.length).toBeGreaterThan(Math.ceil((100 - 40) / 30))

    // The ETH bought by conversion has its cost: selling 0.1 of 0.3 bought for 1,000 USDT for 350 USDC.
    const eth = computePortfolio({ db: store.db, account: ACCOUNT, reportingCurrency: 'USDT', equivalents: ['USDT', 'USDC'] }).positions.find((p) => p.asset === 'ETH')
    expect(eth?.missingCostBasis).toBe('0')
    expect(eth!.realized).toBe(new Decimal(350).minus(new Decimal(1000).div(3)).toDecimalPlaces(18).toFixed())
    // ...and the 1,000 USDT is all there, not 0.3 × the rounded price: the cost sold plus the cost left.
    expect(new Decimal(350).minus(eth!.realized).plus(eth!.costBasis).toFixed()).toBe('1000')

    // DOGE arrived only by a reward: its market is read for fills too.
    expect(h.requests.some((r) => r.method === 'fetchMyFillsPage' && r.symbol === 'DOGE/USDT')).toBe(true)
  })

  it('a pending conversion holds the cursor: the next sync re-reads from it and stores it once completed', async () => {
    const sync = service()
    sync.sync(ACCOUNT, { since: 40 * DAY })
    await sync.settled(ACCOUNT)
    expect(ledger().some((r) => r.external_id === 'convert:c4')).toBe(false)

    clock = 101 * DAY
    const pending = h.conversions.find((c) => c.id === 'c4') as Conversion
    pending.status = 'ok'
    const before = h.requests.length
    sync.sync(ACCOUNT)
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', inserted: 1 })
    const asked = h.requests.slice(before).filter((r) => r.method === 'fetchConversions')
    expect((asked[0]?.page as { since: number }).since).toBe(95 * DAY)
    expect(ledger().filter((r) => r.external_id === 'convert:c4')).toEqual([
      expect.objectContaining({ symbol: 'DOGE/USDT', side: 'buy', amount: '1000', total: '200', price: '0.2' }),
    ])
    // The rewards' cursor had passed everything: only the new days are asked.
    const rewardPages = h.requests.slice(before).filter((r) => r.method === 'fetchRewards')
    expect(rewardPages.every((r) => (r.page as { since: number }).since >= 100 * DAY - 60_000)).toBe(true)
  })

  it('a history the app starts reading later begins where the account’s first sync chose, not at the exchange’s start', async () => {
    const { conversions, rewards } = h.paging
    h.paging.conversions = null
    h.paging.rewards = null
    const sync = service()
    sync.sync(ACCOUNT, { since: 40 * DAY })
    await sync.settled(ACCOUNT)
    expect(h.requests.some((r) => r.method === 'fetchConversions' || r.method === 'fetchRewards')).toBe(false)

    // An update of the app reads conversions and rewards: the next sync starts them at day 40 (the paging's start is 0).
    h.paging.conversions = conversions
    h.paging.rewards = rewards
    const before = h.requests.length
    sync.sync(ACCOUNT)
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', historyFrom: 40 * DAY })
    const first = h.requests.slice(before).find((r) => r.method === 'fetchConversions')
    expect((first?.page as { since: number }).since).toBe(40 * DAY)
    expect(ledger().filter((r) => r.external_id.startsWith('convert:'))).toHaveLength(5)
  })

  it('reads dust sweeps from the day the venue keeps them: each coin swept is one trade into what arrived', async () => {
    h.paging.dust = { windowMs: 30 * DAY, limit: 2, start: 50 * DAY }
    h.dust.push(
      conversion('s1:XRP', 52, ['3.9', 'XRP'], ['0.0021', 'BNB']),
      conversion('s1:ETH', 52, ['0.0004', 'ETH'], ['0.00233', 'BNB']),
      conversion('s2:DOGE', 80, ['7', 'DOGE'], ['0.0009', 'BNB']),
    )
    const sync = service()
    sync.sync(ACCOUNT, { since: 40 * DAY })
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', error: null })
    const asked = h.requests.filter((r) => r.method === 'fetchDustConversions').map((r) => r.page as { since: number })
    expect(asked[0]?.since).toBe(50 * DAY)
    const swept = ledger().filter((r) => r.external_id.startsWith('dust:'))
    expect(swept.sort((a, b) => a.external_id.localeCompare(b.external_id))).toEqual([
      expect.objectContaining({ external_id: 'dust:s1:ETH', symbol: 'BNB/ETH', side: 'buy', amount: '0.00233', total: '0.0004' }),
      expect.objectContaining({ external_id: 'dust:s1:XRP', symbol: 'BNB/XRP', side: 'buy', amount: '0.0021', total: '3.9' }),
      expect.objectContaining({ external_id: 'dust:s2:DOGE', symbol: 'BNB/DOGE', side: 'buy', amount: '0.0009', total: '7' }),
    ])
    // Two coins of one sweep filled the 2-row page: that window was split, and nothing was read twice.
    expect(asked.length).toBeGreaterThan(Math.ceil((100 - 50) / 30))
  })

  it('reads crypto bought by card or bank as a buy from the fiat paid, fee included; an odd status waits and is named', async () => {
    h.paging.purchases = { windowMs: 30 * DAY, limit: 10 }
    h.purchases.push(
      conversion('p1', 42, ['20', 'EUR'], ['0.0002', 'BTC']),
      conversion('p2', 43, ['50', 'EUR'], ['0.001', 'BTC'], 'failed'),
      { ...conversion('p3', 44, ['30', 'EUR'], ['0.0003', 'BTC'], 'pending'), note: 'Refund Failed' },
    )
    const sync = service()
    sync.sync(ACCOUNT, { since: 40 * DAY })
    const end = await sync.settled(ACCOUNT)
    expect(ledger().filter((r) => r.external_id.startsWith('buy:'))).toEqual([
      expect.objectContaining({ external_id: 'buy:p1', symbol: 'BTC/EUR', side: 'buy', amount: '0.0002', total: '20', price: '100000' }),
    ])
    expect(end.skipped).toMatchObject({ 'fiat purchase "Refund Failed"': 1 })
    expect(end.phase).toBe('done')
  })

  it('an exchange refusing one of these histories skips it, names it and syncs the rest; a malformed reply still fails', async () => {
    h.paging.purchases = { windowMs: 30 * DAY, limit: 10 }
    h.beforeRequest = (_n, method) => {
      if (method === 'fetchFiatPurchases') throw new VenueError('permission-denied', 'Binance refused: this sub-account may not read fiat payments')
    }
    h.addFill('ETH/USDT', 60 * DAY)
    const sync = service()
    sync.sync(ACCOUNT, { since: 40 * DAY })
    const end = await sync.settled(ACCOUNT)
    expect(end).toMatchObject({ state: 'done', error: null, done: end.total })
    expect(end.skipped).toMatchObject({ 'fiat purchase history not read: Binance refused: this sub-account may not read fiat payments': 1 })
    expect(h.requests.filter((r) => r.method === 'fetchFiatPurchases')).toHaveLength(1)
    expect(ledger().filter((r) => r.kind === 'trade' && !r.external_id.includes(':'))).toHaveLength(1)
    expect(ledger().filter((r) => r.external_id.startsWith('convert:'))).toHaveLength(5)
    // The cursor did not move: the next run asks again from the start.
    h.beforeRequest = null
    sync.sync(ACCOUNT)
    await sync.settled(ACCOUNT)
    const again = h.requests.filter((r) => r.method === 'fetchFiatPurchases').map((r) => (r.page as { since: number }).since)
    expect(again[1]).toBe(40 * DAY)

    h.beforeRequest = (_n, method) => {
      if (method === 'fetchRewards') throw new VenueError('bad-reply', 'Binance sent a malformed reply for rewards: row 1 of 1: no id')
    }
    h.rewards.push(reward('r9', 99, '1', 'BNB'))
    clock = 101 * DAY
    sync.sync(ACCOUNT)
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'failed', error: expect.stringMatching(/malformed reply for rewards/) })
  })

  it('a venue without these histories syncs as before', async () => {
    h.paging.conversions = null
    h.paging.rewards = null
    h.purchases.push(conversion('p1', 42, ['20', 'EUR'], ['0.0002', 'BTC']))
    const sync = service()
    sync.sync(ACCOUNT, { since: 40 * DAY })
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', historyFrom: 40 * DAY })
    expect(ledger().map((r) => r.kind)).toEqual(['deposit'])
  })
})
