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

  it('keeps the other states and their reasons as they are', () => {
    const streams = new PrivateStreamTracker(() => at)
    streams.failed(streams.add('order'), 'socket closed')
    expect(accountStatus('degraded', 'rate limited', streams.state())).toEqual({ connection: 'degraded', reason: 'rate limited' })
    expect(accountStatus('down', 'unreachable', streams.state())).toEqual({ connection: 'down', reason: 'unreachable' })
    expect(accountStatus('connecting', null, streams.state())).toEqual({ connection: 'connecting', reason: null })
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
