import { afterEach, beforeEach, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { RiskService } from '../../src-main/trading/risk/service'
import type { OrderIntent } from '../../src-main/trading/model'
import type { RiskLimits } from '../../src-main/api/schemas/trading'
import { balance, btcUsdt, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'

// An account's equity is kept 5 s between order checks (valuing it costs a balance read and a price per
// asset). A fill changes it at once: a market buy that walked a thin book (a copied buy, say) can take the
// day's loss past the daily loss limit, and the next buy, a second later, must be judged on the equity the
// fill left, not on the one kept from before it.

const at = (s: number) => Date.UTC(2025, 0, 1, 10, 0, s)
const noLimits: RiskLimits = { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null }
let store: Store
let bus: EventBus
let venue: FakeVenue
let clock: { t: number }
let risk: RiskService

beforeEach(() => {
  store = openStore(tempDir('co-risk-fill-'), migrationsDir)
  bus = new EventBus()
  venue = fakeVenue('v1', [btcUsdt])
  venue.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
  venue.tickers.set('BTC/USDT', '100')
  venue.balances = [balance('USDT', '1000')]
  clock = { t: at(0) }
  risk = new RiskService({ db: store.db, bus, venues: fakeVenues(venue), log: silentLogger, now: () => clock.t })
  risk.set({ ...noLimits, dailyLossLimit: '100' })
})
afterEach(() => {
  risk.stop()
  store.close()
})

const buy = (amount: string): OrderIntent => ({
  venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'market', timeInForce: 'GTC', postOnly: false, amount, origin: { kind: 'copy', ref: 'f1' },
})

it('a buy right after a fill that took the day’s loss past the limit is refused', async () => {
  await risk.check(buy('1')) // the day starts at 1000 USDT
  // That buy walked a thin book: 1 BTC for 250 USDT, worth 100 at the market's price: 150 lost.
  venue.balances = [balance('USDT', '750'), balance('BTC', '1')]
  bus.emit('orderFilled', {
    order: null,
    fill: { venueId: 'v1', tradeId: 't1', venueOrderId: 'o1', clientOrderId: 'c1', symbol: 'BTC/USDT', side: 'buy', price: '250', amount: '1', fee: { asset: 'USDT', amount: '0' }, liquidity: 'taker', timestamp: at(0) },
  })
  clock.t = at(1) // the next copied buy, a second later
  await expect(risk.check(buy('1'))).rejects.toThrow('Daily loss limit reached on Venue v1: equity 850 USDT is 150 USDT below 1000 USDT')
})

it('an equity read while a fill arrived is not kept for the next buy', async () => {
  await risk.check({ ...buy('1'), side: 'sell' }) // the day starts at 1000 USDT
  clock.t = at(6)
  // The next buy's balance read is answered from before the fill, which arrives while it is on its way.
  const real = venue.fetchBalances.bind(venue)
  let arrive!: () => void
  const filled = new Promise<void>((resolve) => (arrive = resolve))
  venue.fetchBalances = async () => {
    const before = await real()
    await filled
    return before
  }
  const first = risk.check(buy('1'))
  await new Promise((resolve) => setTimeout(resolve, 10))
  venue.fetchBalances = real
  venue.balances = [balance('USDT', '750'), balance('BTC', '1')]
  bus.emit('orderFilled', {
    order: null,
    fill: { venueId: 'v1', tradeId: 't1', venueOrderId: 'o1', clientOrderId: 'c1', symbol: 'BTC/USDT', side: 'buy', price: '250', amount: '1', fee: { asset: 'USDT', amount: '0' }, liquidity: 'taker', timestamp: at(6) },
  })
  arrive()
  await first // judged on what it read: 1000
  clock.t = at(7)
  await expect(risk.check(buy('1'))).rejects.toThrow('Daily loss limit reached on Venue v1: equity 850 USDT is 150 USDT below 1000 USDT')
})
