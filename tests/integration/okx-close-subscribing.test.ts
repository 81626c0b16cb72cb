import { afterEach, beforeEach, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { createCcxtVenue } from '../../src-main/venues/ccxt/venue'

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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

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
  const deadline = Date.now() + 5000
  while (!log.some((m) => m.event === 'message' && m.path === '/ws/v5/public') && Date.now() < deadline) await sleep(1)
  const sentBeforeClose = log.filter((m) => m.event === 'message' && m.path === '/ws/v5/public').length
  expect(sentBeforeClose).toBeGreaterThan(0)
  await venue.close()
  // Long enough for every queued subscribe to have had its turn.
  await sleep(1500)
  expect(unhandled.map(String)).toEqual([])
})
