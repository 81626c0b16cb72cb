import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { RiskService } from '../../src-main/trading/risk/service'
import type { OrderIntent } from '../../src-main/trading/model'
import type { RiskLimits } from '../../src-main/api/schemas/trading'
import type { MarketInfo } from '../../src-main/venues/port'
import { balance, btcUsdt, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'

// A EUR account on a Kraken-like exchange: it lists USDT/EUR and BTC/EUR (not EUR/USDT), so one euro is
// worth 1 / 0.92 USDT; and a GBP account on a Coinbase-like one: only BTC/GBP and BTC/USD, so one pound is
// worth 60,000 / 48,000 USD (at par with USDT).
const btcEur: MarketInfo = { ...btcUsdt, symbol: 'BTC/EUR', quote: 'EUR' }
const usdtEur: MarketInfo = { ...btcUsdt, symbol: 'USDT/EUR', base: 'USDT', quote: 'EUR', tickSize: '0.0001' }
const btcGbp: MarketInfo = { ...btcUsdt, symbol: 'BTC/GBP', quote: 'GBP' }
const btcUsd: MarketInfo = { ...btcUsdt, symbol: 'BTC/USD', quote: 'USD' }
const noLimits: RiskLimits = { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null }
const at = (h: number, m = 0) => Date.UTC(2025, 0, 1, h, m)

let store: Store, venue: FakeVenue, risk: RiskService, clock: { t: number }
beforeEach(() => {
  store = openStore(tempDir('co-risk-fiat-'), migrationsDir)
  clock = { t: at(9) }
})
afterEach(() => store.close())

function open(v: FakeVenue): void {
  venue = v
  risk = new RiskService({ db: store.db, bus: new EventBus(), venues: fakeVenues(venue), log: silentLogger, now: () => clock.t })
}
function kraken(): void {
  open(fakeVenue('kraken', [btcUsdt, btcEur, usdtEur]))
  venue.tickers.set('BTC/USDT', '60000')
  venue.tickers.set('BTC/EUR', '55000')
  venue.tickers.set('USDT/EUR', '0.92')
}
const intent = (o: Partial<OrderIntent> = {}): OrderIntent => ({
  venueId: venue.id, symbol: 'BTC/EUR', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.001', price: '55000', origin: { kind: 'manual', ref: null }, ...o,
})
const outcome = (i: OrderIntent) => risk.check(i).then(() => 'accepted', (e: Error) => e.message)

describe('risk limits on an account held in euros or pounds', () => {
  it('selling BTC for EUR is no daily loss: the euros are valued through USDT/EUR', async () => {
    kraken()
    venue.balances = [balance('USDT', '100'), balance('EUR', '10000'), balance('BTC', '1')]
    risk.set({ ...noLimits, dailyLossLimit: '1000' })
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '60000' }))).toBe('accepted')
    // 09:10 the 1 BTC is sold for 55,000 EUR: no price moved, no money lost.
    venue.balances = [balance('USDT', '100'), balance('EUR', '65000'), balance('BTC', '0')]
    clock.t = at(9, 10)
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '60000' }))).toBe('accepted')
    const today = await risk.today()
    expect(today.accounts[0]).toMatchObject({ error: null, breachedAt: null })
    expect(Math.abs(Number(today.accounts[0]!.loss))).toBeLessThan(1000)
  })

  it('a BTC/EUR order is held to the max order notional in USDT', async () => {
    kraken()
    venue.balances = [balance('EUR', '10000')]
    risk.set({ ...noLimits, maxOrderNotional: '100' })
    expect(await outcome(intent())).toBe('accepted') // 55 EUR ≈ 59.78 USDT
    expect(await outcome(intent({ amount: '0.002' }))).toBe('Order value 110 EUR ≈ 119.57 USDT is above the max order notional 100 USDT')
  })

  it('a BTC/GBP order is valued through BTC/USD where no GBP stablecoin market exists', async () => {
    open(fakeVenue('coinbase', [btcGbp, btcUsd]))
    venue.tickers.set('BTC/GBP', '48000')
    venue.tickers.set('BTC/USD', '60000')
    venue.balances = [balance('GBP', '10000')]
    risk.set({ ...noLimits, maxOrderNotional: '100' })
    expect(await outcome(intent({ symbol: 'BTC/GBP', price: '48000' }))).toBe('accepted') // 48 GBP = 60 USD
    expect(await outcome(intent({ symbol: 'BTC/GBP', price: '48000', amount: '0.002' }))).toBe('Order value 96 GBP ≈ 120 USDT is above the max order notional 100 USDT')
  })

  it('a balance with no price refuses the buy rather than count it as nothing', async () => {
    kraken()
    venue.markets.push({ ...btcEur, symbol: 'XYZ/EUR', base: 'XYZ' })
    venue.balances = [balance('USDT', '100'), balance('BTC', '1')]
    risk.set({ ...noLimits, dailyLossLimit: '1000' })
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '60000' }))).toBe('accepted')
    // The BTC is swapped for a coin traded only against euros (XYZ/EUR): its value in USDT is not known, not zero.
    venue.balances = [balance('USDT', '100'), balance('XYZ', '5000')]
    clock.t = at(9, 10)
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '60000' }))).toMatch(/^Cannot value the account on Venue kraken: the daily loss limit cannot be checked, so the buy is refused \(no price in USDT for XYZ\)/)
    // Nothing was judged: once the coin is sold back, buys go on.
    venue.balances = [balance('USDT', '100'), balance('BTC', '1')]
    clock.t = at(9, 20)
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '60000' }))).toBe('accepted')
    // Sells are never refused by it.
    venue.balances = [balance('USDT', '100'), balance('XYZ', '5000')]
    clock.t = at(9, 30)
    expect(await outcome(intent({ symbol: 'BTC/USDT', side: 'sell', price: '60000' }))).toBe('accepted')
  })

  it('a coin no market on the exchange trades (an airdrop, a delisted token) is left out, not a reason to refuse every buy', async () => {
    kraken()
    venue.balances = [balance('USDT', '100'), balance('BTC', '1'), balance('AIRDROP', '5000')]
    risk.set({ ...noLimits, dailyLossLimit: '1000' })
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '60000' }))).toBe('accepted')
    // The rest is still judged: BTC falls 2,000 USDT and the next buy is refused for the day's loss.
    venue.tickers.set('BTC/USDT', '58000')
    clock.t = at(9, 10)
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '58000' }))).toMatch(/^Daily loss limit reached on Venue kraken: equity 58100 USDT is 2000 USDT below 60100 USDT/)
  })

  it('a price that failed to read for a coin valued another way does not refuse the buy in the name of an untraded coin', async () => {
    kraken()
    venue.markets.push({ ...btcUsdt, symbol: 'ETH/USDT', base: 'ETH' }, { ...btcUsdt, symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC' })
    // ETH/USDT has no ticker (its read fails); ETH is valued through ETH/BTC × BTC/USDT instead.
    venue.tickers.set('ETH/BTC', '0.05')
    venue.balances = [balance('USDT', '100'), balance('ETH', '1'), balance('AIRDROP', '5000')]
    risk.set({ ...noLimits, dailyLossLimit: '1000' })
    expect(await outcome(intent({ symbol: 'BTC/USDT', price: '60000' }))).toBe('accepted')
  })
})
