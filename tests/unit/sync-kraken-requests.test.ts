import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { SyncService } from '../../src-main/portfolio/sync/service'
import { migrationsDir, tempDir } from '../support/temp-core'
import { stubbedVenue, type Raw, type Sent } from './ccxt-stub'

// Kraken's TradesHistory answers 50 trades a request of ALL the account's pairs (ccxt keeps the asked pair's
// rows after). A sync reading six markets must read each window once for all of them, not six times: the
// README promises one request per 50 trades of the whole account.

const DAY = 86_400_000
const ACCOUNT = 'kraken-1'
const T0 = Date.UTC(2026, 0, 1)
const MARKETS: [string, string, string, string][] = [
  ['BTC/USD', 'XXBTZUSD', 'XXBT', 'ZUSD'],
  ['ETH/USD', 'XETHZUSD', 'XETH', 'ZUSD'],
  ['ETH/BTC', 'XETHXXBT', 'XETH', 'XXBT'],
  ['SOL/USD', 'SOLUSD', 'SOL', 'ZUSD'],
  ['BTC/EUR', 'XXBTZEUR', 'XXBT', 'ZEUR'],
  ['ETH/EUR', 'XETHZEUR', 'XETH', 'ZEUR'],
]

let dir: string
let store: Store
let trades: Record<string, Raw>
let sent: Sent[]
let sync: SyncService

function krakenVenue() {
  const stub = stubbedVenue('kraken', (s) => {
    if (s.path === '/0/private/TradesHistory') {
      const start = Number(s.fields.start ?? 0)
      const end = s.fields.end !== undefined ? Number(s.fields.end) : Infinity
      const ofs = Number(s.fields.ofs ?? 0)
      const inWindow = Object.entries(trades)
        .filter(([, t]) => (t.time as number) > start && (t.time as number) <= end)
        .sort((a, b) => (b[1].time as number) - (a[1].time as number))
      return { error: [], result: { trades: Object.fromEntries(inWindow.slice(ofs, ofs + 50)), count: inWindow.length } }
    }
    if (s.path === '/0/private/BalanceEx' || s.path === '/0/private/Balance') return { error: [], result: {} }
    throw new Error(`unexpected ${s.path}`)
  })
  stub.ex.setMarkets(
    MARKETS.map(([symbol, id, baseId, quoteId]) => {
      const [base, quote] = symbol.split('/') as [string, string]
      return { id, symbol, base, quote, baseId, quoteId, altname: id, wsId: symbol, type: 'spot', spot: true, active: true, precision: { amount: 1e-8, price: 0.1 }, limits: {}, info: {} }
    }),
  )
  // deposits and withdrawals are not what this test is about
  ;(stub.ex.has as Record<string, unknown>).fetchDeposits = false
  sent = stub.sent
  return stub.venue
}

beforeEach(() => {
  dir = tempDir('co-sync-kraken-')
  store = openStore(dir, migrationsDir)
  const bus = new EventBus()
  const clock = T0 + 14 * DAY
  trades = {}
  // 500 trades in the first week, all on BTC/USD
  for (let i = 0; i < 500; i++) {
    trades[`T${String(i).padStart(5, '0')}-AAAAA-BBBBBB`] = { ordertxid: 'O1', pair: 'XXBTZUSD', time: (T0 + i * 1000) / 1000, type: 'buy', ordertype: 'limit', price: '50000.0', cost: '500.0', fee: '1.0', vol: '0.01', margin: '0', misc: '' }
  }
  const venue = krakenVenue()
  sync = new SyncService({
    db: store.db,
    bus,
    log: silentLogger,
    portfolio: new PortfolioService({ db: store.db, bus, log: silentLogger, now: () => clock }),
    openVenue: async () => venue,
    isExchangeAccount: (a) => a === ACCOUNT,
    now: () => clock,
    runOptions: { marks: false },
  })
  sync.start()
})

afterEach(async () => {
  await sync.stop()
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const tradeRequests = () => sent.filter((s) => s.path === '/0/private/TradesHistory').length

describe('Kraken history sync: one read of each window for every market', () => {
  it('six markets, 500 trades in the first of two weeks: 10 + 1 + 1 requests, each fill stored once', async () => {
    sync.sync(ACCOUNT, { since: T0, markets: MARKETS.map(([m]) => m) })
    const end = await sync.settled(ACCOUNT)
    expect(end).toMatchObject({ state: 'done', inserted: 500 })
    // week 1: 500 trades of the whole account, 50 a request; week 2 and the last hours: one empty request each
    expect(tradeRequests()).toBe(10 + 1 + 1)
    expect(store.sqlite.prepare('select count(*) from ledger_entries where account = ? and symbol = ?').pluck().get(ACCOUNT, 'BTC/USD')).toBe(500)
  })

  it('a later sync reads afresh: a trade made since the first sync is found on its market', async () => {
    sync.sync(ACCOUNT, { since: T0, markets: MARKETS.map(([m]) => m) })
    await sync.settled(ACCOUNT)
    trades['TNEW00-AAAAA-BBBBBB'] = { ordertxid: 'O2', pair: 'XETHZEUR', time: (T0 + 14 * DAY - 5000) / 1000, type: 'sell', ordertype: 'limit', price: '3000.0', cost: '30.0', fee: '0.1', vol: '0.01', margin: '0', misc: '' }
    const before = tradeRequests()
    sync.sync(ACCOUNT)
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', inserted: 1 })
    expect(tradeRequests() - before).toBe(1)
    expect(store.sqlite.prepare('select symbol, side from ledger_entries where account = ? and external_id like ?').all(ACCOUNT, '%TNEW00%')).toEqual([{ symbol: 'ETH/EUR', side: 'sell' }])
  })
})
