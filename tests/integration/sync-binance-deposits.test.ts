import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import type { AccountView } from '../../src-main/api/contract'

// A deposit Binance refused for good ("wrong deposit", status 7; "rejected", status 2) is no money, and —
// unlike one still pending — holds nothing up: the next sync does not read its window again and again.

const DAY = 86_400_000
let fx: BinanceFixture
let core: Core

beforeAll(async () => {
  fx = await createBinanceFixture()
  core = tempCore({ keychain: memoryKeychain() })
})
afterAll(async () => {
  await core.stop()
  await fx.close()
})

async function invoke(name: string, input: unknown): Promise<unknown> {
  const reply = await core.router.invoke(name, input, { door: 'test' })
  if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`)
  return reply.value
}

describe('history sync: deposits Binance refused', () => {
  it('are not stored and do not hold the deposit cursor', async () => {
    const now = Date.now()
    fx.server.history.addDeposit('bob', { coin: 'USDT', amount: '100', time: now - 300 * DAY, status: 7 })
    fx.server.history.addDeposit('bob', { coin: 'USDT', amount: '50', time: now - 250 * DAY, status: 2 })
    fx.server.history.addDeposit('bob', { coin: 'USDT', amount: '200', time: now - 200 * DAY, status: 1 })
    const { apiKey, secret } = fx.keys.readOnly
    const account = ((await invoke('accounts.add', { exchange: 'binance', label: 'Refused', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })) as AccountView).id
    await invoke('portfolio.sync', { account, since: now - 400 * DAY })
    expect(await core.portfolioSync.settled(account)).toMatchObject({ state: 'done', skipped: {} })
    const deposits = core.store.sqlite.prepare("select amount from ledger_entries where account = ? and kind = 'deposit'").pluck().all(account)
    expect(deposits).toEqual(['200'])
    // Nothing pending: the cursor is past them all, and a second sync does not go back 300 days for them.
    expect(core.portfolioSync.store.cursor(account, 'deposit', '')!.time).toBeGreaterThan(now - DAY)
    fx.server.faults.clearLog()
    await invoke('portfolio.sync', { account })
    await core.portfolioSync.settled(account)
    expect(fx.server.faults.requests.filter((r) => r.path === '/sapi/v1/capital/deposit/hisrec')).toHaveLength(1)
  }, 60_000)
})
