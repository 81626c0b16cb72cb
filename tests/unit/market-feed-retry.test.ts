import { describe, expect, it } from 'vitest'
import { FakeClock } from '../support/fake-clock'
import type { TradesBatch } from '../../src-main/api/schemas/market'
import type { Logger } from '../../src-main/log'
import { MarketDataService } from '../../src-main/market/service'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { SimVenue } from '../../src-main/venues/sim/sim-venue'
import { BTC_SPEC as SPEC, settle } from '../support/sim-market'

// A tape or ticker opened while its venue cannot be opened (exchange unreachable, connect timeout) keeps
// trying with backoff while a view has it, and starts as soon as the venue opens; closing the view stops
// the attempts. Manual time (FakeClock); promises settle with `settle()`.

const T0 = 1_700_000_000_000
const BTC = 'BTC/USDT'
function setup(failFirst: number) {
  const clock = new FakeClock(T0)
  const engine = createMatchingEngine([SPEC], { now: () => clock.now() })
  for (const account of ['mm', 'taker']) {
    engine.deposit(account, 'USDT', '1000000')
    engine.deposit(account, 'BTC', '1000')
  }
  engine.placeOrder({ accountId: 'mm', clientOrderId: 'ask', symbol: BTC, side: 'sell', type: 'limit', amount: '100', price: '100.05', timeInForce: 'GTC', postOnly: false })
  const sim = new SimVenue(engine, 'paper')
  const opens: number[] = []
  const warnings: string[] = []
  const log: Logger = { info() {}, error() {}, warn: (m) => warnings.push(m) }
  const service = new MarketDataService({
    venues: {
      list: () => [{ id: 'sim' }],
      open: async () => {
        opens.push(clock.now() - T0)
        if (opens.length <= failFirst) throw new Error('connecting to Sim timed out')
        return sim
      },
    },
    log,
    clock,
    backoffMs: [250, 1000],
    random: () => 0.5, // no jitter: the delays are exactly 250, 1000, 1000, …
  })
  let n = 0
  const buy = () => engine.placeOrder({ accountId: 'taker', clientOrderId: `t${++n}`, symbol: BTC, side: 'buy', type: 'market', amount: '0.001', timeInForce: 'IOC', postOnly: false })
  return { clock, service, opens, warnings, buy }
}

describe('a stream whose venue cannot be opened', () => {
  it('the tape tries again after 250 ms, then 1 s, and shows the trades once the venue opens', async () => {
    // Three failures: the markets preload and the tape's first open (both at 0), then the tape's retry at 250.
    const { clock, service, opens, warnings, buy } = setup(3)
    const batches: TradesBatch[] = []
    const close = service.openTrades({ venueId: 'sim', symbol: BTC }, (b) => batches.push(structuredClone(b)))
    await settle()
    expect(opens).toEqual([0, 0])
    clock.advance(clock.t + 249)
    await settle()
    expect(opens).toEqual([0, 0])
    clock.advance(clock.t + 1)
    await settle()
    expect(opens).toEqual([0, 0, 250])
    clock.advance(clock.t + 1000)
    await settle()
    expect(opens).toEqual([0, 0, 250, 1250])
    expect(warnings).toEqual(['market feed could not open its venue; trying again', 'market feed could not open its venue; trying again'])
    buy()
    clock.advance(clock.t + 3000)
    await settle()
    expect(batches.flatMap((b) => b.trades).map((t) => t.price)).toContain('100.05')
    close()
  })

  it('a ticker whose view closes while it waits stops trying', async () => {
    const { clock, service, opens } = setup(100)
    const close = service.openTicker({ venueId: 'sim', symbol: BTC }, () => {})
    await settle()
    clock.advance(clock.t + 250)
    await settle()
    expect(opens).toEqual([0, 0, 250]) // the markets preload, the ticker's first open, its retry
    close()
    clock.advance(clock.t + 60_000)
    await settle()
    expect(opens).toHaveLength(3)
  })
})
