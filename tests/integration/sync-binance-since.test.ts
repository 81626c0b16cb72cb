import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture, type KeyName } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import type { AccountView } from '../../src-main/api/contract'

// "History from": what the user picked as the start of an account's synced history, against the local
// Binance server with ccxt's real binance class.

const DAY = 86_400_000
let fx: BinanceFixture
let core: Core

beforeAll(async () => {
  fx = await createBinanceFixture()
  core = tempCore({ keychain: memoryKeychain() })
}, 60_000)
afterAll(async () => {
  await core?.stop()
  await fx?.close()
})

async function invoke(name: string, input: unknown): Promise<unknown> {
  const reply = await core.router.invoke(name, input, { door: 'test' })
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value
}

async function addAccount(key: KeyName, label: string): Promise<string> {
  const { apiKey, secret } = fx.keys[key]
  return ((await invoke('accounts.add', { exchange: 'binance', label, apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })) as AccountView).id
}

interface Row {
  kind: string
  side: string | null
  amount: string
  timestamp: number
}

function ledgerOf(account: string): Row[] {
  return core.store.sqlite.prepare('select kind, side, amount, timestamp from ledger_entries where account = ? order by timestamp').all(account) as Row[]
}

describe('history sync: History from', () => {
  it('stores no Binance fill from before the chosen day (older trades may be in the ledger from a CSV already)', async () => {
    const now = Date.now()
    fx.server.history.addFill('alice', { symbol: 'BTC/USDT', side: 'buy', price: '20000', amount: '1', time: now - 200 * DAY })
    fx.server.history.addFill('alice', { symbol: 'BTC/USDT', side: 'sell', price: '60000', amount: '0.5', time: now - 10 * DAY })
    fx.server.history.addDeposit('alice', { coin: 'USDT', amount: '1000', time: now - 300 * DAY })
    const account = await addAccount('trader', 'Binance since')
    const since = now - 30 * DAY
    await invoke('portfolio.sync', { account, since })
    expect(await core.portfolioSync.settled(account)).toMatchObject({ state: 'done', historyFrom: since })
    const rows = ledgerOf(account)
    expect(rows.filter((r) => r.timestamp < since)).toEqual([])
    expect(rows.filter((r) => r.kind === 'trade').map((r) => [r.side, r.amount])).toEqual([['sell', '0.5']])
    // The next sync does not bring the old trade either (the market's cursor is past it).
    fx.server.history.addFill('alice', { symbol: 'BTC/USDT', side: 'buy', price: '61000', amount: '0.1', time: now - DAY })
    await invoke('portfolio.sync', { account })
    await core.portfolioSync.settled(account)
    expect(ledgerOf(account).filter((r) => r.kind === 'trade').map((r) => [r.side, r.amount])).toEqual([
      ['sell', '0.5'],
      ['buy', '0.1'],
    ])
  }, 60_000)
})

describe('history sync: an earlier History from on an account already synced', () => {
  it('reads the history again from the earlier day, each entry stored once, and the status says that day', async () => {
    const now = Date.now()
    fx.server.history.addDeposit('dave', { coin: 'USDT', amount: '1000', time: now - 100 * DAY })
    fx.server.history.addDeposit('dave', { coin: 'USDT', amount: '5', time: now - 10 * DAY })
    fx.server.history.addFill('dave', { symbol: 'BTC/USDT', side: 'buy', price: '30000', amount: '0.2', time: now - 90 * DAY })
    fx.server.history.addFill('dave', { symbol: 'BTC/USDT', side: 'sell', price: '60000', amount: '0.1', time: now - 5 * DAY })
    const account = await addAccount('frozen', 'Binance later')
    await invoke('portfolio.sync', { account, since: now - 30 * DAY })
    await core.portfolioSync.settled(account)
    expect(ledgerOf(account).map((r) => [r.kind, r.amount])).toEqual([
      ['deposit', '5'],
      ['trade', '0.1'],
    ])
    const earlier = now - 200 * DAY
    await invoke('portfolio.sync', { account, since: earlier })
    expect(await core.portfolioSync.settled(account)).toMatchObject({ state: 'done', historyFrom: earlier })
    expect(ledgerOf(account).map((r) => [r.kind, r.amount])).toEqual([
      ['deposit', '1000'],
      ['trade', '0.2'],
      ['deposit', '5'],
      ['trade', '0.1'],
    ])
    const listed = (await invoke('portfolio.accounts', {})) as { account: string; sync: { historyFrom: number | null } | null }[]
    expect(listed.find((a) => a.account === account)?.sync?.historyFrom).toBe(earlier)
  }, 60_000)

  it('refuses a later day (what is stored stays), naming the start it has', async () => {
    const now = Date.now()
    const account = await addAccount('readOnly', 'Binance later start')
    const since = Math.floor((now - 40 * DAY) / DAY) * DAY
    await invoke('portfolio.sync', { account, since })
    await core.portfolioSync.settled(account)
    const reply = await core.router.invoke('portfolio.sync', { account, since: now - DAY }, { door: 'test' })
    expect(reply.ok).toBe(false)
    if (!reply.ok) {
      expect(reply.error.code).toBe('BAD_INPUT')
      expect(reply.error.message).toContain(new Date(since).toISOString().slice(0, 10))
    }
    // the same day again, or none, syncs on
    await invoke('portfolio.sync', { account, since })
    expect(await core.portfolioSync.settled(account)).toMatchObject({ state: 'done', historyFrom: since })
  }, 60_000)
})
