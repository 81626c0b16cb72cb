import ccxt from 'ccxt'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { stubbedVenue } from './ccxt-stub'
import { accountStatus } from '../../src-main/venues/private-streams'
import { VenueLink } from '../../src-main/trading/orders/venue-link'
import { VenueLeaderSource } from '../../src-main/copy/leaders'
import type { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import type { ConnectionState } from '../../src-main/venues/port'

// An exchange account whose own order and fill stream (the user-data WebSocket) fails while REST and the
// public streams work: orders still go through and fills come by polling, so only the account's order-stream
// status says so ('rest-only', since when in UTC and why), at once. The venue's connection (what its market
// data and REST say) stays live: a trader reading "down" would think they cannot trade. A venue whose REST
// fails too is still down.

const at = Date.UTC(2026, 10, 25, 14, 3, 7)

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(at)
})
afterEach(() => vi.useRealTimers())

type Fake = Record<string, unknown>

/** A Binance venue: REST answers (or not, `rest.down`; or times out, `rest.timeout`), its private watches fail (or not, `streams.down`), a ticker ticks every second. */
async function venueWithFailingUserData() {
  const rest = { down: false, timeout: false }
  const streams = { down: true }
  const { venue, ex } = stubbedVenue('binance', () => {
    if (rest.down) throw new ccxt.NetworkError('binance GET https://api.binance.com/api/v3/account connect ECONNREFUSED')
    if (rest.timeout) throw new ccxt.RequestTimeout('binance GET https://api.binance.com/api/v3/account request timed out (10000 ms)')
    return { balances: [] }
  })
  const fake = ex as unknown as Fake
  const privateWatch = () => {
    let answered = false
    return async () => {
      if (streams.down) throw new ccxt.NetworkError('binance user data stream: socket closed')
      if (answered) return new Promise(() => {}) // connected: nothing new
      answered = true
      return [] // subscribed again
    }
  }
  fake.watchOrders = privateWatch()
  fake.watchMyTrades = privateWatch()
  fake.watchTicker = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    return { symbol: 'BTC/USDT', last: 100, timestamp: Date.now() }
  }
  const states: [ConnectionState, string | undefined][] = []
  venue.onConnection((state, reason) => states.push([state, reason]))
  await venue.connect()
  return { venue, rest, streams, states }
}

const statusOf = (venue: CcxtVenue) => accountStatus(venue.connection(), null, venue.privateStreams())

const STREAM_DOWN = /^Order updates by polling: order and fill stream down since 14:03:07 UTC \(.*socket closed.*\), retrying$/

let open: CcxtVenue | undefined
afterEach(async () => {
  await open?.close()
  open = undefined
})

describe('an account whose order and fill stream fails while REST and market data work', () => {
  it('keeps the venue live and shows the account rest-only with since when and why, at the first failure', async () => {
    const { venue, states } = await venueWithFailingUserData()
    open = venue
    venue.watchMyOrders(() => undefined, () => undefined)
    venue.watchMyFills(() => undefined, () => undefined)
    await vi.advanceTimersByTimeAsync(0)
    // No public stream yet to say anything: the order-stream text is there as soon as the stream failed.
    expect(statusOf(venue)).toEqual({ connection: 'rest-only', reason: expect.stringMatching(STREAM_DOWN) })
    venue.watchTicker('BTC/USDT', () => undefined, () => undefined)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(venue.connection()).toBe('live')
    expect(states.map(([state]) => state).filter((s) => s !== 'live' && s !== 'connecting')).toEqual([])
    expect(statusOf(venue)).toEqual({ connection: 'rest-only', reason: expect.stringMatching(STREAM_DOWN) })
  })

  it('is down when REST fails too, and live again (still rest-only for the account) once REST answers', async () => {
    const { venue, rest } = await venueWithFailingUserData()
    open = venue
    venue.watchMyOrders(() => undefined, () => undefined)
    await vi.advanceTimersByTimeAsync(5_000)
    rest.down = true
    await expect(venue.fetchBalances()).rejects.toThrow(/could not be reached|ECONNREFUSED/)
    expect(venue.connection()).toBe('down')
    expect(statusOf(venue).connection).toBe('down')
    rest.down = false
    await venue.fetchBalances()
    expect(venue.connection()).toBe('live')
    expect(statusOf(venue)).toEqual({ connection: 'rest-only', reason: expect.stringMatching(/^Order updates by polling: order stream down since 14:03:07 UTC/) })
  })

  it('asks the order manager to reconcile once the stream is subscribed again (what filled meanwhile)', async () => {
    const { venue, streams } = await venueWithFailingUserData()
    open = venue
    const gaps: { reason: string; delayMs: number }[] = []
    const link = new VenueLink(venue, { onOrder: () => {}, onFill: () => {}, onGap: (reason, delayMs) => gaps.push({ reason, delayMs }) }, 2_000)
    link.start()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(gaps.length).toBeGreaterThan(0)
    expect(gaps.every((g) => g.delayMs === 2_000)).toBe(true) // each failure: a reconcile a little later
    streams.down = false
    await vi.advanceTimersByTimeAsync(10_000)
    expect(venue.privateStreams()).toEqual({ state: 'subscribed' })
    expect(statusOf(venue)).toEqual({ connection: 'live', reason: null })
    expect(gaps.at(-1)).toEqual({ reason: expect.stringContaining('order and fill stream subscribed again'), delayMs: 0 })
    link.stop()
  })

  it('stays live through one REST request timing out while its market streams deliver (no down-and-back, no reconcile)', async () => {
    const { venue, rest, streams, states } = await venueWithFailingUserData()
    open = venue
    streams.down = false
    const gaps: string[] = []
    const link = new VenueLink(venue, { onOrder: () => {}, onFill: () => {}, onGap: (reason) => gaps.push(reason) }, 2_000)
    link.start()
    venue.watchTicker('BTC/USDT', () => undefined, () => undefined)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(statusOf(venue)).toEqual({ connection: 'live', reason: null })
    states.length = 0
    gaps.length = 0
    // A balance read times out once: the exchange is evidently there (the ticker keeps coming).
    rest.timeout = true
    await expect(venue.fetchBalances()).rejects.toThrow(/timed out/)
    rest.timeout = false
    await vi.advanceTimersByTimeAsync(5_000)
    expect(states).toEqual([])
    expect(gaps).toEqual([])
    expect(statusOf(venue)).toEqual({ connection: 'live', reason: null })
    link.stop()
  })

  it('polls a copy leader’s fills at once when its fill stream is subscribed again (what it sold meanwhile)', async () => {
    const { venue, streams } = await venueWithFailingUserData()
    open = venue
    const polls: number[] = []
    vi.spyOn(venue, 'fetchMyFills').mockImplementation(async () => {
      polls.push(Date.now())
      return []
    })
    const log = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} }
    const leader = new VenueLeaderSource({ id: 'binance', kind: 'exchange', exchange: 'binance', label: () => 'Leader', open: async () => venue, equity: async () => null, log: log as never, pollEveryMs: 600_000 })
    const stop = leader.watch({ since: () => at, symbols: () => ['BTC/USDT'], onFills: () => {} } as never)
    await vi.advanceTimersByTimeAsync(30_000)
    streams.down = false
    const back = Date.now()
    await vi.advanceTimersByTimeAsync(10_000) // the stream's next try (every 10 s by now) subscribes
    expect(venue.privateStreams()).toEqual({ state: 'subscribed' })
    const subscribedAt = polls.length > 0 ? Math.max(...polls) : null
    expect(subscribedAt).not.toBeNull()
    expect(subscribedAt!).toBeGreaterThan(back)
    stop()
  })
})
