import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { AccountTestResult, AccountView, BalancesView } from '../../src-main/api/contract'

// An exchange that answers with something that is not the expected shape gets a clear 'bad-reply'
// error, and nothing the user stored changes.

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

describe('an exchange reply that is not the expected shape', () => {
  it('is reported as a bad reply and leaves the stored account as it was', async () => {
    const { apiKey, secret } = fx.keys.trader
    const account = await call<AccountView>('accounts.add', {
      exchange: 'binance', label: 'Odd replies', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret },
    })
    fx.server.faults.respondWith(200, 5, { path: '/api/v3/account', body: { balances: 'not a list', canTrade: 'maybe' } })
    const result = await call<AccountTestResult>('accounts.test', { id: account.id })
    expect(result.ok).toBe(false)
    expect(result.kind).toBe('bad-reply')
    expect(result.message.length).toBeGreaterThan(10)
    const after = (await call<AccountView[]>('accounts.list')).find((a) => a.id === account.id)!
    expect({ ...after, lastTest: null, updatedAt: 0 }).toEqual({ ...account, lastTest: null, updatedAt: 0 })
    fx.server.faults.reset()
    const view = await call<BalancesView>('balances.list')
    expect(view.venues.find((v) => v.venueId === account.id)).toMatchObject({ error: null })
  })
})
