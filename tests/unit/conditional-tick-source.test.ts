import { describe, expect, it } from 'vitest'
import { MarketTickSource, type TickMarket } from '../../src-main/market/tick-source'
import type { PublicTrade } from '../../src-main/venues/port'
import type { MarketTick } from '../../src-main/trading/model'
import { settle } from '../support/sim-market'
import { simTickMarket } from '../support/sim-tick-market'

// The conditional engine's TickSource over the real market module and the simulated exchange, on manual
// time: top of book and health from the shared book loop, the last price from raw trades as they happen,
// one loop per market however many watchers.

function setup() {
  return simTickMarket()
}

describe('MarketTickSource', () => {
  it('ticks on top-of-book, trade and health changes only, from one book loop and one trades loop per market', async () => {
    const { clock, service, place, source } = setup()
    await service.preload('sim')
    const a: MarketTick[] = []
    const b: MarketTick[] = []
    const stopA = source.watch('sim', 'BTC/USDT', (t) => a.push(t))
    const stopB = source.watch('sim', 'BTC/USDT', (t) => b.push(t))
    await settle()
    clock.advance(clock.t + 20)
    expect(a.at(-1)).toMatchObject({ venueId: 'sim', symbol: 'BTC/USDT', bid: '99.95', ask: '100.05', last: null, health: 'live', reason: null })
    expect(b.at(-1)).toEqual(a.at(-1))
    expect(service.activeLoops).toBe(2) // one book loop, one trades loop
    expect(service.health()[0]?.views).toBe(1)
    expect(source.size).toBe(1)

    // A trade is a tick at once (no screen throttle): the last price moves without any clock advance.
    const before = a.length
    place('taker', 'buy', '100.05', '0.4')
    expect(a.length).toBeGreaterThan(before)
    expect(a.at(-1)).toMatchObject({ last: '100.05', ask: '100.05' })

    // A change below the top is not a tick.
    const n = a.length
    place('mm', 'buy', '99.00', '3')
    clock.advance(clock.t + 20)
    expect(a.length).toBe(n)
    // A new best bid is.
    place('mm', 'buy', '99.99', '1')
    expect(a.at(-1)).toMatchObject({ bid: '99.99' })

    // Silence: the book goes stale and the tick says so.
    clock.advance(clock.t + 12_000)
    expect(a.at(-1)).toMatchObject({ health: 'stale' })
    expect(a.at(-1)?.reason).toMatch(/^no message since \d\d:\d\d:\d\d UTC$/)
    // The reason names the time of the last message, so it stays true without a tick a second: a minute
    // more of silence is no new tick (each would rewrite every waiting conditional order on the market).
    const staleTicks = a.length
    for (let i = 0; i < 60; i++) clock.advance(clock.t + 1000)
    expect(a.length).toBe(staleTicks)

    // A late watcher gets the current state at once.
    const c: MarketTick[] = []
    const stopC = source.watch('sim', 'BTC/USDT', (t) => c.push(t))
    expect(c).toEqual([a.at(-1)])
    stopA()
    stopC()
    expect(service.activeLoops).toBe(2)
    stopB()
    stopB()
    expect(service.activeLoops).toBe(0)
    expect(source.size).toBe(0)
  })

  it('has the last price of a quiet market from its recent trades, before any new trade happens', async () => {
    const { clock, service, place, source } = setup()
    await service.preload('sim')
    // Two trades happen before anyone watches; then the market is quiet.
    place('taker', 'buy', '100.05', '0.2')
    clock.advance(clock.t + 5)
    place('taker', 'sell', '99.95', '0.3')
    const ticks: MarketTick[] = []
    const stop = source.watch('sim', 'BTC/USDT', (t) => ticks.push(t))
    await settle()
    clock.advance(clock.t + 20)
    await settle()
    expect(ticks.at(-1)).toMatchObject({ last: '99.95', health: 'live' })
    // A watcher on the running tape hears it at once; a live trade then moves it on.
    const late: MarketTick[] = []
    const stopLate = source.watch('sim', 'BTC/USDT', (t) => late.push(t))
    expect(late.at(-1)?.last).toBe('99.95')
    place('taker', 'buy', '100.05', '0.1')
    expect(ticks.at(-1)?.last).toBe('100.05')
    stopLate()
    stop()
  })

  it('ticks on every trade of a batch, in time order: a dip inside one message reaches the triggers', () => {
    let deliver: (trades: PublicTrade[]) => void = () => {}
    const feed = {
      book: { bids: { priceTextAt: () => '99', best: () => 99 }, asks: { priceTextAt: () => '101', best: () => 101 } },
      health: { status: 'live' as const },
      onChange: () => () => {},
    }
    const market: TickMarket = {
      holdBook: () => ({ feed: feed as never, release: () => {} }),
      watchRawTrades: (_v, _s, listener, onRecent) => {
        deliver = listener
        onRecent?.([trade('90', 1), trade('91', 2)])
        return () => {}
      },
    }
    const lasts: (string | null)[] = []
    new MarketTickSource(market, () => 0).watch('sim', 'BTC/USDT', (t) => lasts.push(t.last))
    // The recent trades before anyone watched: only the newest is the last price, nothing is replayed.
    expect(lasts).toEqual(['91'])
    // One socket message with three trades, one of them out of order: each is a tick, oldest first.
    deliver([trade('100', 10), trade('99', 30), trade('94', 20)])
    expect(lasts).toEqual(['91', '100', '94', '99'])
    // A trade older than the last one seen is not a step back in time.
    deliver([trade('80', 5)])
    expect(lasts.at(-1)).toBe('99')
  })
})

function trade(price: string, timestamp: number): PublicTrade {
  return { id: `t${timestamp}`, symbol: 'BTC/USDT', price, amount: '1', side: 'buy', timestamp }
}
