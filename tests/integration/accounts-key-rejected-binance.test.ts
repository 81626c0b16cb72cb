import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { AccountView } from '../../src-main/api/contract'
import type { VenueView } from '../../src-main/api/schemas/venues'
import type { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { waitFor } from '../support/wait-for'

// The exchange stops accepting an account's API key while the app follows its orders (here: the key's IP
// whitelist no longer includes us, so Binance answers -2015 to the user-data subscription and to every signed
// request). The account's private loops stop after that refusal instead of asking again every few seconds,
// its status says so through venues.list / venues.changed, and they start again when the key is updated or
// on an explicit reconnect.

const SUBSCRIBE = 'userDataStream.subscribe.signature'
/**
 * How soon the order manager tries again a reconciliation that failed (the key refused): longer than any wait
 * here, so what brings the account's streams back is the update or the reconnect itself, not that retry.
 */
const RECONCILE_RETRY_MS = 10 * 60_000
const REJECTED = /^The exchange rejected the API key: .*whitelist.* — update the key in Accounts$/

let fx: BinanceFixture
let core: Core

beforeEach(async () => {
  fx = await createBinanceFixture()
  core = tempCore({ orders: { reconcileRetryMs: RECONCILE_RETRY_MS } })
})

afterEach(async () => {
  await core.stop()
  fx.keys.trader.permissions.ipAllowed = true
  await fx.close()
})

async function ok<T>(command: string, input: unknown): Promise<T> {
  const reply = await core.router.invoke(command as never, input as never, { door: 'test' } as never)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.message}`)
  return reply.value as T
}

const key = () => fx.keys.trader.apiKey
/** User-data subscriptions asked for since `from` (ms). */
const subscribes = (from: number) =>
  fx.server.faults.wsMessages.filter((m) => m.time >= from && m.event === 'message' && (m.data as { method?: string } | undefined)?.method === SUBSCRIBE)
/** Signed REST requests with the key since `from`. */
const signedRequests = (from: number) => fx.server.faults.requests.filter((r) => r.time >= from && r.apiKey === key() && 'signature' in r.params)
const viewOf = async (id: string) => (await ok<VenueView[]>('venues.list', {})).find((v) => v.id === id)!

/** The account, followed by the order manager: its order and fill streams subscribed. */
async function followed(): Promise<AccountView> {
  const { apiKey, secret } = fx.keys.trader
  const account = await ok<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  const from = Date.now()
  await core.orders.reconcile(account.id)
  await waitFor(() => subscribes(from).length > 0, 'the user-data subscription')
  await waitFor(async () => (await viewOf(account.id)).connection === 'live', 'the account live')
  return account
}

/** The exchange stops taking the key from here, and the sockets drop (ccxt subscribes again). */
function revoke(): number {
  const at = Date.now()
  fx.keys.trader.permissions.ipAllowed = false
  fx.server.faults.dropSockets()
  return at
}

describe('an exchange rejecting an account’s API key', () => {
  it('stops the account’s private loops, says so in its status, and resumes when the key is updated', async () => {
    const account = await followed()
    // The streams' tries again, counted at the moment the status turns to the rejection: a stream that would
    // try again after the refusal asks for its wait right then, in the same step (see privateRetries()).
    const venue = (await core.venues.open(account.id)) as CcxtVenue
    let askedAtRejection: number | null = null
    const off = venue.onConnection((_state, reason) => {
      if (askedAtRejection === null && REJECTED.test(reason ?? '')) askedAtRejection = venue.privateRetries().asked
    })
    const revokedAt = revoke()
    const view = await waitFor(async () => {
      const v = await viewOf(account.id)
      return v.reason && REJECTED.test(v.reason) ? v : null
    }, 'the rejection in the status')
    off()
    expect(view.connection).toBe('degraded')
    expect(view.reason).toContain('Binance')

    // The retries the stream used to make (after 0.25, 1, 3 and then every 10 s) do not happen: no stream
    // waits to try again (one that failed on the dropped socket before the refusal ends when its wait does),
    // and none asked to since the refusal.
    await waitFor(() => venue.privateRetries().waiting === 0, 'no stream waiting to try again')
    expect(askedAtRejection).not.toBeNull()
    expect(venue.privateRetries().asked).toBe(askedAtRejection)
    expect(subscribes(revokedAt).length).toBeLessThanOrEqual(2)
    expect(signedRequests(revokedAt).length).toBeLessThanOrEqual(1)
    // What needs the key says why without asking the exchange.
    const before = signedRequests(revokedAt).length
    const balances = await ok<{ error: string | null }>('balances.venue', { venueId: account.id })
    expect(balances.error).toMatch(REJECTED)
    expect(signedRequests(revokedAt).length).toBe(before)

    // The user puts a key the exchange takes (here: the whitelist is fixed and the key entered again).
    fx.keys.trader.permissions.ipAllowed = true
    const updatedAt = Date.now()
    const { apiKey, secret } = fx.keys.trader
    await ok('accounts.update', { id: account.id, credentials: { apiKey, secret } })
    await waitFor(() => subscribes(updatedAt).length > 0, 'a new user-data subscription after the update')
    const back = await waitFor(async () => {
      const v = await viewOf(account.id)
      return v.connection === 'live' ? v : null
    }, 'the account live again')
    expect(back.reason).toBeNull()
  })

  it('resumes on an explicit reconnect once the exchange takes the key again', async () => {
    const account = await followed()
    revoke()
    await waitFor(async () => REJECTED.test((await viewOf(account.id)).reason ?? ''), 'the rejection in the status')

    // Reconnecting while the exchange still refuses the key: one more try (connecting signs a request
    // here), the same plain status, and what needs the key is not sent again after it.
    const refusedAt = Date.now()
    const refused = await ok<VenueView>('accounts.reconnect', { id: account.id })
    expect(refused.reason).toMatch(REJECTED)
    expect((await viewOf(account.id)).reason).toMatch(REJECTED)
    const tried = signedRequests(refusedAt).length
    expect(tried).toBeGreaterThan(0)
    await expect(core.orders.reconcile(account.id)).rejects.toThrow(/^Binance main: The exchange rejected the API key: .* — update the key in Accounts$/)
    expect(signedRequests(refusedAt).length).toBe(tried)
    expect(subscribes(refusedAt)).toEqual([])

    fx.keys.trader.permissions.ipAllowed = true
    const reconnectedAt = Date.now()
    await ok('accounts.reconnect', { id: account.id })
    await waitFor(() => subscribes(reconnectedAt).length > 0, 'a new user-data subscription after the reconnect')
    const back = await waitFor(async () => {
      const v = await viewOf(account.id)
      return v.connection === 'live' ? v : null
    }, 'the account live again')
    expect(back.reason).toBeNull()
  })
})
