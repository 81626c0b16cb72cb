import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { RiskService } from '../../src-main/trading/risk/service'
import { riskDayEquity } from '../../src-main/trading/risk/tables'
import type { OrderIntent } from '../../src-main/trading/model'
import type { HistoryPaging, Transfer } from '../../src-main/venues/port'
import { balance, btcUsdt, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'

// The daily loss limit against money moved in and out of an exchange account: a venue stub that reports its
// deposits and withdrawals (as ccxt's fetchDeposits / fetchWithdrawals do), and one that cannot.

const at = (h: number, m = 0, s = 0) => Date.UTC(2025, 0, 1, h, m, s)
const noLimits = { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null }
let store: Store
let venue: FakeVenue
let clock: { t: number }
let risk: RiskService
let transfers: Transfer[]
let asked: { kind: string; since: number; until: number }[]

/** An exchange that reports its transfers, from a list the test fills. */
function reporting(v: FakeVenue): FakeVenue {
  const paging = { start: 0, trades: { windowMs: 86_400_000, limit: 1000, byId: false }, transfers: { windowMs: 30 * 86_400_000, limit: 100 }, conversions: null, dust: null, purchases: null, rewards: null }
  v.historyPaging = (): HistoryPaging => paging
  v.fetchTransfers = async (kind, page) => {
    asked.push({ kind, ...page })
    return transfers.filter((t) => t.kind === kind && t.timestamp >= page.since && t.timestamp <= page.until)
  }
  return v
}

const transfer = (kind: Transfer['kind'], id: string, asset: string, amount: string, timestamp: number, over: Partial<Transfer> = {}): Transfer => ({
  id,
  kind,
  asset,
  amount,
  fee: null,
  status: 'ok',
  timestamp,
  txid: null,
  ...over,
})

function intent(): OrderIntent {
  return { venueId: 'x1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.01', price: '100.00', origin: { kind: 'manual', ref: null } }
}

beforeEach(() => {
  store = openStore(tempDir('co-risk-moves-'), migrationsDir)
  venue = fakeVenue('x1', [btcUsdt])
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.tickers.set('BTC/USDT', '100')
  venue.balances = [balance('USDT', '1000'), balance('BTC', '3')] // 1300 USDT
  transfers = []
  asked = []
  clock = { t: at(9) }
  risk = new RiskService({ db: store.db, bus: new EventBus(), venues: fakeVenues(venue), log: silentLogger, now: () => clock.t })
  risk.set({ ...noLimits, dailyLossLimit: '100' })
})
afterEach(() => store.close())

describe('daily loss limit and money moved on an exchange', () => {
  it('a withdrawal to the bank is not a loss: buys go on and Today shows it as money moved', async () => {
    reporting(venue)
    await risk.check(intent()) // the day starts: 1300
    // 500 USDT (and a 1 USDT fee) leave for the bank.
    venue.balances = [balance('USDT', '499'), balance('BTC', '3')]
    transfers.push(transfer('withdrawal', 'w1', 'USDT', '500', at(9, 30), { fee: { asset: 'USDT', amount: '1' } }))
    clock.t = at(10)
    await risk.check(intent())
    expect((await risk.today()).accounts[0]).toMatchObject({ startEquity: '1300', equity: '799', netTransfers: '-501', transfersNote: null, loss: '0' })
    expect(store.db.select().from(riskDayEquity).all().map((r) => r.breachedAt)).toEqual([null])
    // Only since the day's start was the exchange asked.
    expect(asked.every((a) => a.since > at(9))).toBe(true)
  })

  it('a deposit does not hide a loss made the same day', async () => {
    reporting(venue)
    await risk.check(intent()) // 1300
    // BTC falls to 60 (−120), and 1000 USDT arrive.
    venue.tickers.set('BTC/USDT', '60')
    venue.balances = [balance('USDT', '2000'), balance('BTC', '3')] // 2180
    transfers.push(transfer('deposit', 'd1', 'USDT', '1000', at(9, 30)))
    clock.t = at(10)
    await expect(risk.check(intent())).rejects.toThrow(
      'Daily loss limit reached on Venue x1: equity 2180 USDT is 120 USDT below 1300 USDT at 09:00:00 UTC + 1000 USDT net deposited since (limit 100 USDT)',
    )
  })

  it('a transfer keeps its value from when it was first seen; a pending deposit is not counted yet', async () => {
    reporting(venue)
    await risk.check(intent()) // 1300
    venue.balances = [balance('USDT', '1000'), balance('BTC', '2')] // 1 BTC sent out at 100: 1200
    transfers.push(transfer('withdrawal', 'w1', 'BTC', '1', at(9, 10)), transfer('deposit', 'd1', 'USDT', '400', at(9, 20), { status: 'pending' }))
    clock.t = at(9, 30)
    expect((await risk.today()).accounts[0]).toMatchObject({ netTransfers: '-100', loss: '0' })
    // BTC falls to 50 later: the 2 BTC still held lose 100; the one withdrawn stays worth 100.
    venue.tickers.set('BTC/USDT', '50')
    clock.t = at(11) // past the poll's minute
    await expect(risk.check(intent())).rejects.toThrow('is 100 USDT below 1300 USDT at 09:00:00 UTC − 100 USDT net withdrawn since')
  })

  it('an exchange that cannot report its transfers keeps the old rule, and Today says so', async () => {
    await risk.check(intent()) // 1300
    venue.balances = [balance('USDT', '500'), balance('BTC', '3')] // 500 withdrawn: 800
    clock.t = at(10)
    expect((await risk.today()).accounts[0]).toMatchObject({
      netTransfers: null,
      transfersNote: 'deposits and withdrawals not known for Venue x1',
      loss: '500',
    })
    await expect(risk.check(intent())).rejects.toThrow('Daily loss limit reached on Venue x1: equity 800 USDT is 500 USDT below 1300 USDT at 09:00:00 UTC (limit 100 USDT)')
  })

  it('transfers that cannot be read right now refuse the buy without counting a loss', async () => {
    reporting(venue)
    await risk.check(intent())
    venue.fetchTransfers = async () => {
      throw new Error('rate limit exceeded')
    }
    clock.t = at(10)
    await expect(risk.check(intent())).rejects.toThrow(
      'Cannot value the account on Venue x1: the daily loss limit cannot be checked, so the buy is refused (rate limit exceeded)',
    )
    expect(store.db.select().from(riskDayEquity).all().map((r) => r.breachedAt)).toEqual([null])
  })
})
