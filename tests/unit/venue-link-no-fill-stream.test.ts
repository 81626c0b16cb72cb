import { afterEach, describe, expect, it } from 'vitest'
import { stubbedVenue } from './ccxt-stub'
import { VenueLink } from '../../src-main/trading/orders/venue-link'
import type { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import type { Venue, VenueOrder } from '../../src-main/venues/port'

// An exchange whose ccxt has no fill stream (Coinbase: no watchMyTrades). The order manager follows every
// exchange account's streams from connect: following a fill stream that cannot exist failed and retried for
// ever, so the account never turned live ("fill stream down since …, retrying", degraded at each retry) and
// asked for a reconcile every few seconds. Its fills come by REST instead, once an order update says it filled.

let venue: CcxtVenue | undefined
afterEach(async () => {
  await venue?.close()
  venue = undefined
})

const settle = () => new Promise((resolve) => setTimeout(resolve, 100))

describe('the order and fill streams of an exchange without a fill stream', () => {
  it('are not reported down, nor the account degraded, for the fill stream ccxt does not have', async () => {
    const stub = stubbedVenue('coinbase', () => ({}))
    venue = stub.venue
    ;(stub.ex as unknown as { watchOrders: () => Promise<never> }).watchOrders = () => new Promise<never>(() => {})
    const states: string[] = []
    venue.onConnection((state, reason) => states.push(`${state}: ${reason ?? ''}`))
    const gaps: string[] = []
    const link = new VenueLink(venue, { onOrder: () => {}, onFill: () => {}, onGap: (reason) => gaps.push(reason) }, 0)
    link.start()
    await settle()
    expect(venue.capabilities.watchMyFills).toBe(false)
    expect(venue.privateStreams()).toEqual({ state: 'subscribing' })
    expect(states).toEqual([])
    expect(gaps).toEqual([])
    link.stop()
  })

  it('asks for a reconcile (its fills by REST) when an order update says the order filled', () => {
    let onOrder: ((o: VenueOrder) => void) | undefined
    let fillWatches = 0
    const fake = {
      capabilities: { nativeStops: false, sandbox: false, watchOrderBook: true, watchMyFills: false },
      connection: () => 'live',
      onConnection: () => () => {},
      watchMyOrders: (listener: (o: VenueOrder) => void) => {
        onOrder = listener
        return () => {}
      },
      watchMyFills: () => {
        fillWatches++
        return () => {}
      },
    } as unknown as Venue
    const orders: VenueOrder[] = []
    const gaps: { reason: string; delayMs: number }[] = []
    const link = new VenueLink(fake, { onOrder: (o) => orders.push(o), onFill: () => {}, onGap: (reason, delayMs) => gaps.push({ reason, delayMs }) }, 1000)
    link.start()
    expect(fillWatches).toBe(0)
    const report = { venueOrderId: '7', clientOrderId: 'c7', symbol: 'BTC/USDT', status: 'open', filled: '0', cost: '0' } as unknown as VenueOrder
    onOrder!(report)
    expect(gaps).toEqual([])
    onOrder!({ ...report, filled: '0.25', cost: '25' })
    expect(orders).toHaveLength(2)
    expect(gaps).toEqual([{ reason: expect.stringContaining('no fill stream'), delayMs: 1000 }])
    link.stop()
  })
})
