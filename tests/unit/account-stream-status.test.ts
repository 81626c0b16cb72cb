import { describe, expect, it } from 'vitest'
import { accountStatus, PrivateStreamTracker } from '../../src-main/venues/private-streams'

// What an exchange account's status says: "live" only once its order and fill streams are subscribed; while
// its REST side works and they are not (yet, or no longer), 'rest-only' with a reason a trader understands.

const at = Date.UTC(2026, 10, 25, 14, 3, 7)

describe('account status with its order and fill streams', () => {
  it('is not plain live while the streams are still subscribing, and live once they are subscribed', () => {
    const streams = new PrivateStreamTracker(() => at)
    const orders = streams.add('order')
    const fills = streams.add('fill')
    expect(accountStatus('live', null, streams.state())).toEqual({
      connection: 'rest-only',
      reason: 'Live — order and fill stream connecting; until it is subscribed, order updates come by polling',
    })
    streams.subscribed(orders)
    expect(accountStatus('live', null, streams.state()).connection).toBe('rest-only')
    streams.subscribed(fills)
    expect(accountStatus('live', null, streams.state())).toEqual({ connection: 'live', reason: null })
  })

  it('says since when the stream is down and that it retries, and turns live again once it is back', () => {
    let now = at
    const streams = new PrivateStreamTracker(() => now)
    const orders = streams.add('order')
    streams.subscribed(orders)
    streams.failed(orders, 'socket closed')
    now += 5_000
    streams.failed(orders, 'connection refused') // still down since the first failure
    expect(accountStatus('live', null, streams.state())).toEqual({
      connection: 'rest-only',
      reason: 'Order updates by polling: order stream down since 14:03:07 UTC (connection refused), retrying',
    })
    streams.subscribed(orders)
    expect(accountStatus('live', null, streams.state())).toEqual({ connection: 'live', reason: null })
  })

  it('is not plain live before anything follows the account’s streams', () => {
    const streams = new PrivateStreamTracker(() => at)
    expect(accountStatus('live', null, streams.state())).toEqual({
      connection: 'rest-only',
      reason: 'Live — order and fill stream not started yet; order updates come by polling until it is',
    })
    const orders = streams.add('order')
    streams.subscribed(orders)
    streams.remove(orders)
    expect(accountStatus('live', null, streams.state()).connection).toBe('rest-only')
  })

  it('keeps the other states, and says the order stream is down whatever the public streams do', () => {
    const streams = new PrivateStreamTracker(() => at)
    expect(accountStatus('degraded', 'rate limited', streams.state())).toEqual({ connection: 'degraded', reason: 'rate limited' })
    streams.failed(streams.add('order'), 'socket closed')
    // A market-data stream degraded, or REST failing too (down): the venue's state and reason stay, and the
    // order stream's failure is said as soon as it happens, not only once something turns the venue live.
    const down = 'order updates by polling: order stream down since 14:03:07 UTC (socket closed), retrying'
    expect(accountStatus('degraded', 'rate limited', streams.state())).toEqual({ connection: 'degraded', reason: `rate limited; ${down}` })
    expect(accountStatus('degraded', null, streams.state())).toEqual({ connection: 'degraded', reason: `O${down.slice(1)}` })
    expect(accountStatus('down', 'unreachable', streams.state())).toEqual({ connection: 'down', reason: `unreachable; ${down}` })
    expect(accountStatus('connecting', null, streams.state())).toEqual({ connection: 'connecting', reason: null })
  })

  it('says the order stream is down while the venue stays live for market data and REST (rest-only, not down)', () => {
    const streams = new PrivateStreamTracker(() => at)
    const orders = streams.add('order')
    streams.subscribed(orders)
    streams.failed(orders, 'binance user data stream: socket closed')
    expect(accountStatus('live', null, streams.state())).toEqual({
      connection: 'rest-only',
      reason: 'Order updates by polling: order stream down since 14:03:07 UTC (binance user data stream: socket closed), retrying',
    })
  })

  it('says which account could not be opened to follow its stream, why, and when it is tried again', () => {
    const follow = { label: 'Kraken spot', since: at, error: 'Keychain: secret not readable', retryAt: at + 15_000 }
    expect(accountStatus('live', null, new PrivateStreamTracker(() => at).state(), follow)).toEqual({
      connection: 'rest-only',
      reason:
        'Order updates by polling: opening Kraken spot to follow its order and fill stream has failed since 14:03:07 UTC (Keychain: secret not readable); next try at 14:03:22 UTC',
    })
    // Down because that open could not connect: the venue's reason is the same error, said once.
    expect(accountStatus('down', 'Keychain: secret not readable', undefined, follow)).toEqual({
      connection: 'down',
      reason: 'Opening Kraken spot to follow its order and fill stream has failed since 14:03:07 UTC (Keychain: secret not readable); next try at 14:03:22 UTC',
    })
    // Its streams followed meanwhile (subscribed): plain live.
    const streams = new PrivateStreamTracker(() => at)
    streams.subscribed(streams.add('order'))
    expect(accountStatus('live', null, streams.state(), follow)).toEqual({ connection: 'live', reason: null })
  })

  it('is live as before for a venue without an account stream to follow', () => {
    expect(accountStatus('live', null, undefined)).toEqual({ connection: 'live', reason: null })
  })
})
