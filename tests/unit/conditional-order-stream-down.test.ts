import { afterEach, describe, expect, it } from 'vitest'
import { settle } from '../support/sim-market'
import { simTickMarket } from '../support/sim-tick-market'
import type { MarketTick } from '../../src-main/trading/model'
import { accountStatus, PrivateStreamTracker } from '../../src-main/venues/private-streams'
import { VenueError, type Venue } from '../../src-main/venues/port'
import { closeStores, harness, single, VENUE } from './conditional-harness'

// Stops fire on market data, not on the account's order stream. An account whose order and fill stream is
// down ('rest-only': orders still go through, fills by polling) while its book and trades are live keeps its
// stops firing; a book gone stale (no message for too long) keeps them waiting, whatever the order stream does.
// The conditional engine runs here on the real market stack (book loop, trades, tick source) over the
// simulated exchange, seen through an account whose user-data stream fails.

afterEach(closeStores)

function market() {
  // The account's own stream: failed, retrying (what a user-data WebSocket that cannot subscribe reports).
  const book = { silent: false }
  const m = simTickMarket({
    venueId: VENUE,
    wrap: (sim, clock) => {
      const streams = new PrivateStreamTracker(() => clock.now())
      streams.failed(streams.add('order'), 'binance user data stream: socket closed')
      return new Proxy(sim, {
        get(target, prop) {
          if (prop === 'privateStreams') return () => streams.state()
          if (prop === 'watchMyOrders' || prop === 'watchMyFills') {
            return (_listener: unknown, onError: (err: Error) => void) => {
              onError(new VenueError('unreachable', 'binance user data stream: socket closed'))
              return () => {}
            }
          }
          // The book silent: no message on its stream, and no snapshot either (the book loop asks for one).
          if (prop === 'fetchOrderBook' && book.silent) return async () => Promise.reject(new VenueError('unreachable', 'book snapshot timed out'))
          if (prop === 'watchOrderBookDiffs') {
            const watch: NonNullable<Venue['watchOrderBookDiffs']> = (symbol, onDiff, onError) =>
              target.watchOrderBookDiffs(symbol, (d) => (book.silent ? undefined : onDiff(d)), onError)
            return watch
          }
          const value = Reflect.get(target, prop, target) as unknown
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
        },
      }) as Venue
    },
  })
  m.place('mm', 'buy', '94.50', '10')
  m.place('taker', 'buy', '100.05', '0.1') // a last price to check triggers against
  const ticks: MarketTick[] = []
  const stopWatching = m.source.watch(VENUE, 'BTC/USDT', (t) => ticks.push(t))
  return { ...m, book, ticks, stopWatching }
}

/** The taker sells through the bids down to 94.50: the last price crosses a sell stop at 95. */
const sellThrough = (m: ReturnType<typeof market>) => m.place('taker', 'sell', '94.50', '6')

describe('a stop on an account whose order stream is down', () => {
  it('fires on live market data: the order stream failing does not make it wait', async () => {
    const m = market()
    await m.service.preload(VENUE)
    await settle()
    m.clock.advance(m.clock.t + 20)
    await settle()
    // The account: REST live, order stream down; its market data live.
    expect(accountStatus(m.venue.connection(), null, m.venue.privateStreams?.())).toMatchObject({ connection: 'rest-only', reason: expect.stringMatching(/^Order updates by polling: order stream down since/) })
    expect(m.ticks.at(-1)).toMatchObject({ health: 'live', bid: '99.95' })

    const h = await harness({ source: m.source })
    const id = await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    expect(h.gateway.submits).toHaveLength(0)
    sellThrough(m)
    await h.settle()
    expect(m.ticks.at(-1)).toMatchObject({ health: 'live', last: expect.stringMatching(/^94\.50?$/) })
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.submits[0]).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: id } })
    m.stopWatching()
    h.engine.stop()
  })

  it('waits while the book is stale, though trades cross it, and fires once the book is live again', async () => {
    const m = market()
    await m.service.preload(VENUE)
    await settle()
    m.clock.advance(m.clock.t + 20)
    await settle()
    const h = await harness({ source: m.source })
    await single(h, { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' })
    m.book.silent = true
    m.clock.advance(m.clock.t + 12_000)
    await settle()
    expect(m.ticks.at(-1)).toMatchObject({ health: 'stale' })
    sellThrough(m)
    await h.settle()
    expect(m.ticks.at(-1)?.last).toMatch(/^94\.50?$/)
    expect(h.gateway.submits).toHaveLength(0)

    m.book.silent = false
    for (let i = 0; i < 80 && m.ticks.at(-1)?.health !== 'live'; i++) {
      m.clock.advance(m.clock.t + 1_000)
      await settle()
    }
    expect(m.ticks.at(-1)).toMatchObject({ health: 'live' })
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    m.stopWatching()
    h.engine.stop()
  })
})
