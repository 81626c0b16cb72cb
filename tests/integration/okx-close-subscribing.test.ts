import { afterEach, beforeEach, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { createCcxtVenue } from '../../src-main/venues/ccxt/venue'
import { waitFor } from '../support/wait-for'

// Closing an account (app quit, account removed, reconnect) while its subscriptions are still queued in
// ccxt's WebSocket rate limiter: ccxt sends each queued subscribe when its turn comes, on a socket closed
// meanwhile, and does not catch that send's failure. The user saw "Unhandled Rejection: WebSocket is not
// open: readyState 3 (CLOSED)" in the log on every such close; nothing may escape unhandled.

let fx: OkxFixture
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => void unhandled.push(reason)

beforeEach(async () => {
  fx = await createOkxFixture()
  unhandled.length = 0
  process.on('unhandledRejection', onUnhandled)
})

afterEach(async () => {
  process.off('unhandledRejection', onUnhandled)
  await fx.close()
})

/** ccxt's WebSocket rate limiter of each of the venue's sockets (ccxt makes one per socket). */
interface WsThrottler {
  queue: unknown[]
  queueHead: number
  running: boolean
}
const throttlersOf = (venue: object): WsThrottler[] =>
  Object.values((venue as unknown as { ex: { clients: Record<string, { throttler?: WsThrottler }> } }).ex.clients).flatMap((c) => (c.throttler ? [c.throttler] : []))
/** Subscribes still waiting for their turn. */
const waiting = (throttlers: WsThrottler[]): number => throttlers.reduce((n, t) => n + t.queue.length - t.queueHead, 0)

it('closing a venue while its subscribes wait for the rate limiter leaves no unhandled rejection', async () => {
  const k = fx.keys.trader
  const venue = createCcxtVenue({ accountId: 'a', exchange: 'okx', sandbox: false, apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase } })
  await venue.connect()
  const log = fx.server.faults.wsMessages
  const ignore = (): void => {}
  // Several topics on one socket: the first subscribe goes out at once, the rest queue behind it.
  for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
    venue.watchTicker(symbol, ignore, ignore)
    venue.watchTrades(symbol, ignore, ignore)
    venue.watchOrderBook(symbol, ignore, ignore)
  }
  await waitFor(() => log.some((m) => m.event === 'message' && m.path === '/ws/v5/public'), 'the first subscribe on the public socket', 5000)
  const sentBeforeClose = log.filter((m) => m.event === 'message' && m.path === '/ws/v5/public').length
  expect(sentBeforeClose).toBeGreaterThan(0)
  const throttlers = throttlersOf(venue)
  expect(waiting(throttlers)).toBeGreaterThan(0)
  await venue.close()
  // Every queued subscribe has had its turn (and been sent on the closed socket); a failed send's rejection
  // is reported as unhandled once the ticks and microtasks after it have run.
  await waitFor(() => throttlers.every((t) => !t.running) && waiting(throttlers) === 0, 'every queued subscribe to have had its turn')
  await new Promise((r) => setImmediate(r))
  expect(unhandled.map(String)).toEqual([])
})
