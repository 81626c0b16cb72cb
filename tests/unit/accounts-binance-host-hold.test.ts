import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { AccountsService } from '../../src-main/accounts/service'
import type { AccountVenue, CcxtAccountConfig } from '../../src-main/venues/ccxt/venue'
import { RateHolds } from '../../src-main/trading/orders/rate-holds'
import { ipHoldKey } from '../../src-main/venues/ip-rate-limits'
import { silentLogger } from '../../src-main/log'

// Binance counts request weight per IP: a hold of everything there is its host's (the testnet and a custom base
// URL are hosts of their own). While a host is held (a 429 with Retry-After answered any request of this machine
// to it), nothing is sent there. A new key is tested before it is saved (does it belong to the same exchange
// account?): that test goes to the same host, so it is held with it — it must not send a balance read and a
// market load into the limit, which earns the IP a ban (418) — and a 429 answering it holds the host. An account
// moved to another host is held by that host's hold, not by the one it left.

const key = (tail: string) => 'K'.repeat(60) + tail
const SECRET = 'S'.repeat(64)
const HOST = ipHoldKey({ exchange: 'binance', sandbox: false, apiBaseUrl: null })!

let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

function setup() {
  const c = (core = tempCore({ keychain: memoryKeychain() }))
  let t = Date.UTC(2026, 0, 2, 14, 0, 0)
  const built: CcxtAccountConfig[] = []
  let service: AccountsService | undefined = undefined
  const holds = new RateHolds(() => t, undefined, () => t, (id) => service?.ipHoldKey(id))
  service = new AccountsService(c.store.db, c.secrets, c.bus, silentLogger, {
    now: () => t,
    requestHold: (id) => holds.requestHold(id),
    holdAll: (id, ms) => holds.hold(id, ms, 'all'),
    createVenue: (config) => {
      built.push(config)
      const uid = '111111'
      return { id: config.accountId, testConnection: async () => ({ ok: true, kind: null, message: 'ok', canTrade: true, balanceCount: 1, latencyMs: 1, exchangeAccount: uid }), close: async () => {} } as unknown as AccountVenue
    },
  })
  return { service, holds, built, advance: (ms: number) => (t += ms) }
}

describe("a new key's test on a Binance host that is rate-held", () => {
  it('is held with the host (its requests wait for the hold), and a 429 answering it holds the host', async () => {
    const { service, holds, built } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance main', credentials: { apiKey: key('aaa1'), secret: SECRET } })
    expect(await service.test(account.id)).toMatchObject({ ok: true }) // learns the exchange account
    // A paper account's keyless read met a 429: the host is held for 30 s.
    holds.hold(HOST, 30_000, 'all')

    built.length = 0
    await service.update({ id: account.id, credentials: { apiKey: key('aaa2'), secret: SECRET } })
    const check = built[0]!
    expect(check.credentials.apiKey).toBe(key('aaa2'))
    expect(check.hold?.()).toMatchObject({ ms: 30_000 })
    check.holdAll?.(60_000)
    expect(holds.remainingMs(HOST, 'all')).toBe(60_000)
  })
})

describe('an account moved to another Binance host', () => {
  it("is not held by the host it left, whose hold still holds that host's connections", async () => {
    const { service, holds } = setup()
    const account = await service.add({ exchange: 'binance', label: 'Binance test', sandbox: true, credentials: { apiKey: key('aaa1'), secret: SECRET } })
    const TESTNET = ipHoldKey({ exchange: 'binance', sandbox: true, apiBaseUrl: null })!
    // A read of the account on the testnet met a 418 (banned for an hour): the testnet host is held.
    holds.hold(account.id, 3_600_000, 'all')
    expect(holds.remainingMs(account.id, 'all')).toBe(3_600_000)

    // Moved to the live exchange: its requests go to another host, which nothing holds.
    await service.update({ id: account.id, sandbox: false })
    expect(holds.remainingMs(account.id, 'all')).toBe(0)
    expect(holds.requestHold(account.id)()).toMatchObject({ ms: 0 })
    expect(holds.remainingMs(TESTNET, 'all')).toBe(3_600_000)
    // Moved back while the ban runs: held again.
    await service.update({ id: account.id, sandbox: true })
    expect(holds.remainingMs(account.id, 'all')).toBe(3_600_000)
  })
})
