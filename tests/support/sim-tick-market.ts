import { FakeClock } from './fake-clock'
import { BTC_SPEC } from './sim-market'
import { MarketDataService } from '../../src-main/market/service'
import { MarketTickSource } from '../../src-main/market/tick-source'
import { silentLogger } from '../../src-main/log'
import type { Venue } from '../../src-main/venues/port'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { SimVenue } from '../../src-main/venues/sim/sim-venue'

// The real market stack (book loop, trades, MarketTickSource) over the simulated exchange on manual time,
// as the conditional engine's tick tests use it: BTC/USDT with a maker's five levels each side around 100
// (bids 99.95 down, asks 100.05 up) and a taker, both funded.

export interface SimTickMarket {
  clock: FakeClock
  /** What the market stack opens: the simulated exchange, or what `wrap` made of it. */
  venue: Venue
  service: MarketDataService
  source: MarketTickSource
  /** A limit order on the simulated exchange (the maker 'mm' or the taker 'taker'). */
  place: (account: string, side: 'buy' | 'sell', price: string, amount?: string) => unknown
}

/** `wrap` turns the simulated exchange into the venue the market stack opens (e.g. an account whose streams fail). */
export function simTickMarket(options: { venueId?: string; wrap?: (sim: SimVenue, clock: FakeClock) => Venue } = {}): SimTickMarket {
  const clock = new FakeClock(1_700_000_000_000)
  const engine = createMatchingEngine([BTC_SPEC], { now: () => clock.now() })
  for (const who of ['mm', 'taker']) {
    engine.deposit(who, 'USDT', '100000000')
    engine.deposit(who, 'BTC', '100000')
  }
  const sim = new SimVenue(engine, 'paper')
  const venue = options.wrap ? options.wrap(sim, clock) : sim
  const service = new MarketDataService({
    venues: { list: () => [{ id: options.venueId ?? 'sim' }], open: async () => venue },
    log: silentLogger,
    clock,
    staleAfterMs: 10_000,
    checkEveryMs: 100,
    backoffMs: [50_000],
    random: () => 0.5,
    watchSilence: () => true,
  })
  let n = 0
  const place = (account: string, side: 'buy' | 'sell', price: string, amount = '1') =>
    engine.placeOrder({ accountId: account, clientOrderId: `${account}-${++n}`, symbol: 'BTC/USDT', side, type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
  for (let i = 0; i < 5; i++) {
    place('mm', 'buy', (99.95 - i * 0.1).toFixed(2))
    place('mm', 'sell', (100.05 + i * 0.1).toFixed(2))
  }
  return { clock, venue, service, place, source: new MarketTickSource(service, () => clock.now()) }
}
