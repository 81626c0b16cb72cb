import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import type { AccountView, VenueView } from '../../src-main/api/contract'

// An exchange account's status (venues.list / venues.changed) says "live" only once its order and fill stream
// is subscribed at the exchange: before that (connecting) and after it dropped (retrying) it is 'rest-only',
// saying why, although the exchange already answers REST requests.

const ctx = { door: 'test' } as const
let fx: BinanceFixture
let core: Core

beforeAll(async () => {
  fx = await createBinanceFixture()
  core = tempCore()
})
afterAll(async () => {
  await core.stop()
  await fx.close()
})

const { value: call } = contractCalls(() => core, ctx)

describe('an exchange account’s status and its order stream', () => {
  let account: AccountView
  /** Every status the account showed, with how many user-data subscriptions the server held right then. */
  const seen: { connection: VenueView['connection']; reason: string | null; held: number }[] = []
  const held = () => fx.server.userDataSubscriptions(fx.keys.trader.accountId)

  beforeAll(() => {
    core.bus.on('venueChanged', (e) => {
      if (account !== undefined && e.view.id === account.id) seen.push({ connection: e.view.connection, reason: e.view.reason, held: held() })
    })
  })

  it('is not plain live until the exchange holds the order stream’s subscription, then is', async () => {
    const { apiKey, secret } = fx.keys.trader
    account = await call<AccountView>('accounts.add', {
      exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret },
    })
    // A slow WebSocket: the subscription's reply takes a while, REST answers at once.
    fx.server.faults.delay(500, 'ws')
    const view = await call<VenueView>('accounts.reconnect', { id: account.id })
    expect(held()).toBe(0)
    expect(view).toMatchObject({ connection: 'rest-only', reason: expect.stringMatching(/^Live — order and fill stream (connecting|not started)/) })
    await waitFor(async () => (await call<VenueView[]>('venues.list')).find((v) => v.id === account.id)?.connection === 'live', 'the account live')
    expect(held()).toBeGreaterThan(0)
    expect(seen.some((s) => s.connection === 'rest-only' && s.held === 0 && /order and fill stream connecting/.test(s.reason ?? ''))).toBe(true)
    expect(seen.filter((s) => s.connection === 'live').every((s) => s.held > 0)).toBe(true)
    expect(seen.at(-1)).toEqual({ connection: 'live', reason: null, held: held() })
  })

  it('says since when its order stream is down while it retries, and turns live once it is subscribed again', async () => {
    seen.length = 0
    fx.server.faults.dropSockets()
    await waitFor(() => held() === 0, 'the subscription gone with the socket')
    await waitFor(() => seen.findIndex((s, i) => s.connection === 'live' && seen.slice(0, i).some((d) => d.connection !== 'live')) >= 0, 'the account live again')
    const down = seen.filter((s) => s.connection !== 'live')
    expect(down.length).toBeGreaterThan(0)
    // Down while the stream retries: REST still works (no request failed), so 'rest-only', saying since when —
    // from the first status after the drop on, never the whole venue degraded or down (orders still go through).
    const streamDown = /^Order updates by polling: (order|fill)( and (order|fill))? stream down since \d\d:\d\d:\d\d UTC \(.+\), retrying$/
    expect(down.map((s) => s.connection)).toEqual(down.map(() => 'rest-only'))
    expect(down[0]).toMatchObject({ connection: 'rest-only', reason: expect.stringMatching(streamDown) })
    expect(down.at(-1)).toMatchObject({ connection: 'rest-only', reason: expect.stringMatching(streamDown) })
    expect(seen.filter((s) => s.connection === 'live').every((s) => s.held > 0)).toBe(true)
    expect(seen.at(-1)).toMatchObject({ connection: 'live', reason: null })
  })
})
