import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture, type KeyName } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import type { AccountView } from '../../src-main/api/contract'
import type { LedgerAccountView, SyncStatus } from '../../src-main/api/schemas/portfolio'

// History sync end to end: an exchange account added through the contract, ccxt's real binance class against
// the local Binance server holding 3,000 past fills over 40 days on 3 markets plus deposits and withdrawals.

const DAY = 86_400_000
const ctx = { door: 'test' } as const
const MARKETS = ['BTC/USDT', 'ETH/USDT', 'ETH/BTC']
let fx: BinanceFixture
let core: Core
const progress: SyncStatus[] = []

const { value: invoke } = contractCalls(() => core, ctx)

async function addAccount(key: KeyName, label: string): Promise<string> {
  const { apiKey, secret } = fx.keys[key]
  const account = (await invoke('accounts.add', { exchange: 'binance', label, apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })) as AccountView
  return account.id
}

function seedAccount(engineAccount: string): void {
  const now = Date.now()
  fx.server.history.seedFills({ accountId: engineAccount, symbols: MARKETS, count: 3000, from: now - 40 * DAY, to: now - DAY, seed: 11 })
  fx.server.history.addDeposit(engineAccount, { coin: 'USDT', amount: '50000', time: now - 41 * DAY })
  fx.server.history.addDeposit(engineAccount, { coin: 'ETH', amount: '3.5', time: now - 40 * DAY - 5 })
  fx.server.history.addDeposit(engineAccount, { coin: 'BTC', amount: '9', time: now - 2 * DAY, status: 0 }) // pending: not money yet
  fx.server.history.addWithdrawal(engineAccount, { coin: 'BTC', amount: '0.25', fee: '0.0005', time: now - 10 * DAY })
}

interface Row {
  external_id: string
  kind: string
  symbol: string | null
  side: string | null
  price: string | null
  amount: string
  fee_asset: string | null
  fee_amount: string | null
}

function ledgerOf(account: string): Row[] {
  return core.store.sqlite
    .prepare('select external_id, kind, symbol, side, price, amount, fee_asset, fee_amount from ledger_entries where account = ? order by id')
    .all(account) as Row[]
}

function myTradesRequests(apiKey: string): number {
  return fx.server.faults.requests.filter((r) => r.path === '/api/v3/myTrades' && r.apiKey === apiKey).length
}

beforeAll(async () => {
  fx = await createBinanceFixture()
  seedAccount('alice')
  seedAccount('dave')
  core = tempCore({ keychain: memoryKeychain() })
  core.streams.open('portfolio.syncProgress', {}, (p) => progress.push(p as SyncStatus))
}, 60_000)

afterAll(async () => {
  await core?.stop()
  await fx?.close()
})

describe('history sync from the local Binance server', () => {
  let alice: string

  it('stores each of the 3,000 fills and every completed transfer exactly once, equal to the server’s history', async () => {
    alice = await addAccount('trader', 'Binance main')
    // History from 45 days back, as the sync dialog offers: not years of empty 30-day Convert windows at one a second.
    const started = (await invoke('portfolio.sync', { account: alice, since: Date.now() - 45 * DAY })) as SyncStatus
    expect(started).toMatchObject({ account: alice, state: 'running' })
    const end = await core.portfolioSync.settled(alice)
    expect(end).toMatchObject({ state: 'done', error: null, inserted: 3003 })
    const rows = ledgerOf(alice)
    const trades = rows.filter((r) => r.kind === 'trade')
    expect(trades).toHaveLength(3000)
    const server = fx.server.history.fillsOf('alice')
    // The ledger keys venue trades by market and id ("BTC/USDT#1001"): Binance numbers trades per market.
    const byId = new Map(trades.map((t) => [t.external_id.replace('/', ''), t]))
    expect(byId.size).toBe(3000)
    for (const f of server) {
      const t = byId.get(`${f.symbolId}#${f.id}`)
      expect(t, `fill ${f.id}`).toBeDefined()
      expect(t!.side).toBe(f.side)
      expect(new Decimal(t!.price!).eq(f.price) && new Decimal(t!.amount).eq(f.qty) && new Decimal(t!.fee_amount ?? 0).eq(f.commission)).toBe(true)
    }
    const transfers = rows.filter((r) => r.kind !== 'trade').map((r) => `${r.kind}:${r.amount}:${r.fee_amount ?? ''}`)
    expect(transfers.sort()).toEqual(['deposit:3.5:', 'deposit:50000:', 'withdrawal:0.25:0.0005'])
    // every window Binance was asked for is at most 24 h (myTrades) / 90 days (deposits, withdrawals)
    for (const r of fx.server.faults.requests) {
      if (r.params.startTime !== undefined && r.params.endTime !== undefined) {
        const span = Number(r.params.endTime) - Number(r.params.startTime)
        expect(span).toBeLessThanOrEqual(r.path === '/api/v3/myTrades' ? DAY : r.path === '/sapi/v1/convert/tradeFlow' ? 30 * DAY : 90 * DAY)
      }
    }
    // progress went from 0 to total on the stream
    const mine = progress.filter((p) => p.account === alice)
    expect(mine[0]?.done).toBe(0)
    expect(mine.at(-1)).toMatchObject({ state: 'done', done: end.total, total: end.total })
    // the account is listed with its label, entries and sync status
    const accounts = (await invoke('portfolio.accounts', {})) as LedgerAccountView[]
    expect(accounts.find((a) => a.account === alice)).toMatchObject({ label: 'Binance main', kind: 'exchange', entries: 3003, canSync: true, sync: { state: 'done' }, historyStart: Date.UTC(2017, 6, 1) })
    // daily close prices were recorded for the traded markets
    const marks = core.store.sqlite.prepare("select count(*) as n from price_marks where asset = 'ETH' and quote = 'BTC'").get() as { n: number }
    expect(marks.n).toBeGreaterThan(0)
  }, 120_000)

  it('fetchMyFills(symbol, since) — the order manager’s reconciliation — walks 24 h windows: every fill, none twice', async () => {
    const venue = await core.venues.open(alice)
    const since = Date.now() - 6 * DAY
    const first = fx.server.faults.requests.length
    const fills = await venue.fetchMyFills('ETH/BTC', since)
    const expected = fx.server.history.fillsOf('alice').filter((f) => f.symbolId === 'ETHBTC' && f.time >= since)
    expect(expected.length).toBeGreaterThan(50)
    expect(fills.map((f) => f.tradeId)).toEqual(expected.map((f) => String(f.id)))
    const windows = fx.server.faults.requests.slice(first).filter((r) => r.path === '/api/v3/myTrades')
    expect(windows.length).toBeGreaterThanOrEqual(6)
    for (const w of windows) expect(Number(w.params.endTime) - Number(w.params.startTime)).toBeLessThan(DAY)
  }, 60_000)

  it('a second sync fetches only the new fills', async () => {
    const key = fx.keys.trader.apiKey
    const before = myTradesRequests(key)
    const now = Date.now()
    for (let i = 0; i < 5; i++) fx.server.history.addFill('alice', { symbol: 'ETH/USDT', side: 'buy', price: '3401.5', amount: '0.1', time: now - 1000 + i })
    await invoke('portfolio.sync', { account: alice })
    // fetched: the 5 fills and the deposit still pending (re-read by every sync until it completes)
    expect(await core.portfolioSync.settled(alice)).toMatchObject({ state: 'done', inserted: 5, fetched: 6 })
    expect(myTradesRequests(key) - before).toBe(3) // one request per market, from its cursor
    expect(ledgerOf(alice).filter((r) => r.kind === 'trade')).toHaveLength(3005)
  }, 60_000)

  it('a malformed row fails the sync with a specific error and stores nothing from that page', async () => {
    const now = Date.now()
    const ids = [0, 1, 2, 3].map((i) => fx.server.history.addFill('alice', { symbol: 'BTC/USDT', side: 'sell', price: '95001', amount: '0.01', time: now - 500 + i }))
    fx.server.history.corrupt.set(ids[2]!, { qty: 'lots' })
    await invoke('portfolio.sync', { account: alice })
    const failed = await core.portfolioSync.settled(alice)
    expect(failed.state).toBe('failed')
    expect(failed.error).toMatch(/BTC\/USDT.*row 3 of 4/)
    expect(ledgerOf(alice).filter((r) => ids.map((id) => `BTC/USDT#${id}`).includes(r.external_id))).toEqual([])
    fx.server.history.corrupt.clear()
    await invoke('portfolio.sync', { account: alice })
    expect(await core.portfolioSync.settled(alice)).toMatchObject({ state: 'done', inserted: 4 })
  }, 60_000)

  it('an interrupted sync resumes with no duplicates and fewer requests than a full run', async () => {
    // a full run with 100-row pages, for the request count (alice's history again, in a fresh account id)
    const dave = await addAccount('frozen', 'Binance second')
    const key = fx.keys.frozen.apiKey
    const requests = () => fx.server.faults.requests.filter((r) => r.apiKey === key).length
    let cancelled = false
    const timer = setInterval(() => {
      if (!cancelled && myTradesRequests(key) >= 12) {
        cancelled = true
        void invoke('portfolio.syncCancel', { account: dave })
      }
    }, 5)
    const since = Date.now() - 45 * DAY
    core.portfolioSync.sync(dave, { pageLimit: 100, since })
    const stopped = await core.portfolioSync.settled(dave)
    clearInterval(timer)
    expect(stopped.state).toBe('interrupted')
    const kept = ledgerOf(dave).length
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(3003)
    const firstRun = requests()

    core.portfolioSync.sync(dave, { pageLimit: 100 })
    expect(await core.portfolioSync.settled(dave)).toMatchObject({ state: 'done', error: null })
    const rows = ledgerOf(dave)
    expect(rows).toHaveLength(3003)
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(3003)
    const resumed = requests() - firstRun

    // the same history in full from scratch, for comparison: a fresh engine data dir, same account
    const other = tempCore({ keychain: memoryKeychain() })
    try {
      const { apiKey, secret } = fx.keys.frozen
      const reply = await other.router.invoke('accounts.add', { exchange: 'binance', label: 'again', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } }, ctx)
      if (!reply.ok) throw new Error(reply.error.message)
      const id = (reply.value as AccountView).id
      const before = requests()
      other.portfolioSync.sync(id, { pageLimit: 100, since })
      expect(await other.portfolioSync.settled(id)).toMatchObject({ state: 'done', inserted: 3003 })
      expect(resumed).toBeLessThan(requests() - before)
    } finally {
      await other.stop()
    }
  }, 180_000)
})

describe('history sync: Binance Convert and the reward record', () => {
  let bob: string
  interface Entry extends Row {
    base: string
    total: string | null
    memo: string | null
  }
  const entriesOf = (account: string) =>
    core.store.sqlite.prepare('select external_id, kind, symbol, side, base, price, amount, total, memo from ledger_entries where account = ? order by timestamp, id').all(account) as Entry[]

  it('stores each completed conversion, card purchase and coin of a dust sweep as one trade with both sides exact, and each reward as income, from a read-only key', async () => {
    const now = Date.now()
    const h = fx.server.history
    h.addDeposit('bob', { coin: 'USDT', amount: '20000', time: now - 50 * DAY })
    const bought = h.addConversion('bob', { from: 'USDT', fromAmount: '1000', to: 'ETH', toAmount: '0.3', time: now - 40 * DAY })
    const sold = h.addConversion('bob', { from: 'ETH', fromAmount: '0.1', to: 'USDC', toAmount: '350.12345678', time: now - 35 * DAY })
    h.addConversion('bob', { from: 'USDT', fromAmount: '500', to: 'BTC', toAmount: '0.005', time: now - 20 * DAY, status: 'FAIL' })
    h.addConversion('bob', { from: 'USDT', fromAmount: '200', to: 'SOL', toAmount: '1.1', time: now - 3600_000, status: 'PROCESS' })
    // Two neighbouring orderIds parse to one float: the conversions are told apart by their quoteId.
    expect(JSON.parse(JSON.stringify(bought.orderId)) === JSON.parse(JSON.stringify(sold.orderId))).toBe(true)
    const staking = h.addDividend('bob', { asset: 'ETH', amount: '0.00123456', time: now - 30 * DAY, info: 'ETH 2.0 Staking' })
    h.addDividend('bob', { asset: 'BTT', amount: '1000000', time: now - 25 * DAY, info: 'BTT distribution', direction: -1, tranId: 77 })
    h.addDividend('bob', { asset: 'BTTC', amount: '1000000000', time: now - 25 * DAY, info: 'BTTC distribution', tranId: 77 })
    const old = h.addDividend('bob', { asset: 'BNB', amount: '0.5', time: now - 200 * DAY, info: 'BNB Vault' }) // before "history from"
    const card = h.addFiatBuy('bob', { fiat: 'EUR', paid: '100', fee: '1.8', crypto: 'BTC', amount: '0.00104123', time: now - 45 * DAY })
    h.addFiatBuy('bob', { fiat: 'EUR', paid: '50', fee: '0.9', crypto: 'BTC', amount: '0.0005', time: now - 44 * DAY, status: 'Failed' })
    h.addFiatBuy('bob', { fiat: 'EUR', paid: '70', fee: '1.2', crypto: 'ETH', amount: '0.02', time: now - 2 * DAY, status: 'Processing' })
    const sweep = h.addDustSweep('bob', now - 10 * DAY, [
      { asset: 'USDC', amount: '0.35012345', bnb: '0.0005' },
      { asset: 'ETH', amount: '0.0000123', bnb: '0.00006' },
    ])

    bob = await addAccount('readOnly', 'Binance read-only')
    const since = now - 60 * DAY
    await invoke('portfolio.sync', { account: bob, since })
    const end = await core.portfolioSync.settled(bob)
    expect(end).toMatchObject({ state: 'done', error: null, historyFrom: since, skipped: { 'token swap (reward record)': 2, 'fiat purchase "Processing"': 1 } })

    const rows = entriesOf(bob)
    const conversions = rows.filter((r) => r.external_id.startsWith('convert:'))
    expect(conversions).toEqual([
      expect.objectContaining({ external_id: `convert:${bought.quoteId}`, symbol: 'ETH/USDT', side: 'buy', amount: '0.3', total: '1000', price: '3333.333333333333333333' }),
      expect.objectContaining({ external_id: `convert:${sold.quoteId}`, symbol: 'ETH/USDC', side: 'sell', amount: '0.1', total: '350.12345678', price: '3501.2345678' }),
    ])
    // Bought by card: a buy of BTC for the 100 EUR paid, the card fee in its cost; the failed one is not there.
    expect(rows.filter((r) => r.external_id.startsWith('buy:'))).toEqual([
      expect.objectContaining({ external_id: `buy:${card.orderNo}`, symbol: 'BTC/EUR', side: 'buy', amount: '0.00104123', total: '100' }),
    ])
    // The dust sweep: each coin one trade into the BNB that arrived after Binance's charge.
    expect(rows.filter((r) => r.external_id.startsWith('dust:')).sort((a, b) => a.external_id.localeCompare(b.external_id))).toEqual([
      expect.objectContaining({ external_id: `dust:${sweep.transId}:ETH`, symbol: 'BNB/ETH', side: 'buy', amount: '0.0000588', total: '0.0000123' }),
      expect.objectContaining({ external_id: `dust:${sweep.transId}:USDC`, symbol: 'BNB/USDC', side: 'buy', amount: '0.00049', total: '0.35012345' }),
    ])
    const income = rows.filter((r) => r.kind === 'income')
    expect(income).toEqual([expect.objectContaining({ external_id: `reward:${staking.id}`, base: 'ETH', amount: '0.00123456', memo: 'ETH 2.0 Staking' })])
    expect(rows.some((r) => r.external_id === `reward:${old.id}`)).toBe(false)

    // Every window asked for is within Binance's limits: 30 days for Convert, 180 for the reward record.
    const asked = fx.server.faults.requests.filter((r) => r.apiKey === fx.keys.readOnly.apiKey)
    const spans = (path: string) => asked.filter((r) => r.path === path).map((r) => Number(r.params.endTime) - Number(r.params.startTime))
    expect(spans('/sapi/v1/convert/tradeFlow').length).toBeGreaterThanOrEqual(2)
    for (const span of spans('/sapi/v1/convert/tradeFlow')) expect(span).toBeLessThanOrEqual(30 * DAY)
    expect(spans('/sapi/v1/asset/assetDividend').length).toBeGreaterThanOrEqual(1)
    for (const span of spans('/sapi/v1/asset/assetDividend')) expect(span).toBeLessThanOrEqual(180 * DAY)
    expect(spans('/sapi/v1/asset/dribblet').length).toBeGreaterThanOrEqual(1)
    for (const r of asked) expect(r.status, `${r.path} ${r.code ?? ''}`).toBe(200)
  }, 120_000)

  it('a malformed reward row fails the sync, naming the row, and stores nothing of that page', async () => {
    const before = entriesOf(bob).length
    fx.server.history.addDividend('bob', { asset: 'ETH', amount: '0.001', time: Date.now() - 1000, info: 'ETH 2.0 Staking' })
    fx.server.history.addDividend('bob', { asset: 'ETH', amount: '-0.002', time: Date.now() - 500, info: 'ETH 2.0 Staking' })
    await invoke('portfolio.sync', { account: bob })
    const failed = await core.portfolioSync.settled(bob)
    expect(failed.state).toBe('failed')
    expect(failed.error).toMatch(/malformed reply for rewards: row \d of 2: amount -0\.002 is not positive/)
    expect(entriesOf(bob)).toHaveLength(before)
  }, 60_000)
})
