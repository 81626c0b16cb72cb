import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import type { AccountView, VenueView } from '../../src-main/api/contract'

// As account-stream-status-binance, on OKX (a login first, then the orders channel): the account's status is
// not plain live before the login and the orders channel's subscribe went out, and then turns live (ccxt
// keeps OKX's login future after it succeeded: that must not keep the account from ever turning live).
// (OKX's subscribe reply resolves nothing in ccxt: "subscribed" here is the subscribe sent on the logged-in socket.)

const ctx = { door: 'test' } as const
let fx: OkxFixture
let core: Core

beforeAll(async () => {
  fx = await createOkxFixture()
  core = tempCore()
})
afterAll(async () => {
  await core.stop()
  await fx.close()
})

const { value: call } = contractCalls(() => core, ctx)

describe('an OKX account’s status and its order stream', () => {
  it('turns live once the orders channel is subscribed, after the login', async () => {
    const k = fx.keys.trader
    const account = await call<AccountView>('accounts.add', {
      exchange: 'okx', label: 'OKX main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase },
    })
    const id = account.id
    const view = await call<VenueView>('accounts.reconnect', { id })
    expect(view.connection).toBe('rest-only')
    await waitFor(async () => (await call<VenueView[]>('venues.list')).find((v) => v.id === id)?.connection === 'live', 'the account live')
    await waitFor(() => fx.server.orderSubscriptions('alice') > 0, 'the orders channel subscribed at the server')
  })
})
