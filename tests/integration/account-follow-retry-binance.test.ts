import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import type { AccountView } from '../../src-main/api/contract'
import type { VenueView } from '../../src-main/api/schemas/venues'

// The account status of an account whose open (to follow its order stream) failed shows the exchange's error:
// it must not carry the API key, a request signature or a signed URL's query, even when the exchange's reply
// echoes them (as Binance's gateway and proxies in front of it do).

let fx: BinanceFixture
let core: Core

beforeEach(async () => {
  fx = await createBinanceFixture()
  core = tempCore({ orders: { followRetryMs: [60_000] } })
})

afterEach(async () => {
  await core.stop()
  await fx.close()
})

async function ok<T>(command: string, input: unknown): Promise<T> {
  const reply = await core.router.invoke(command as never, input as never, { door: 'test' } as never)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.message}`)
  return reply.value as T
}

describe('a follow failure in the account status', () => {
  it('says what the exchange answered without the key, the secret, a signature or a signed query', async () => {
    const { apiKey, secret } = fx.keys.trader
    const account = await ok<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
    const echo = `Internal error; request ${fx.server.restUrl}/api/v3/account?timestamp=1700000000000&signature=9f8e7d6c5b4a39281706f5e4d3c2b1a0 X-MBX-APIKEY: ${apiKey} secret=${secret}`
    fx.server.faults.respondWith(500, 10, { path: /exchangeInfo/, body: { code: -1001, msg: echo } })
    // As the registry announces an account it connected (its next open hits the failing exchange).
    core.bus.emit('venueChanged', {
      view: { id: account.id, exchange: 'binance', label: 'Binance main', kind: 'exchange', accountId: account.id, connection: 'live', reason: null, marketCount: null },
    })
    const shown = await waitFor(async () => {
      const v = (await ok<VenueView[]>('venues.list', {})).find((x) => x.id === account.id)
      return v?.reason?.includes('next try at') === true ? v : undefined
    }, 'the follow failure in the account status')
    expect(shown.reason).toMatch(/^Opening Binance main to follow its order and fill stream has failed since \d\d:\d\d:\d\d UTC \(.*Internal error.*\); next try at/)
    expect(shown.reason).not.toContain(apiKey.slice(0, 8))
    expect(shown.reason).not.toContain(secret.slice(0, 8))
    expect(shown.reason).not.toContain('9f8e7d6c')
    expect(shown.reason).not.toContain('timestamp=')
  })
})
