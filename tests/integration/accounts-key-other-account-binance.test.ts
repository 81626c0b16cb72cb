import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { randomKey } from '../support/binance/fixture'
import { createLadderedEngine } from '../support/exchange-server/ladder'
import { startBinanceServer, type BinanceAccountConfig, type BinanceServer } from '../support/binance'
import { binanceRest } from '../support/binance/ccxt'
import { tempCore } from '../support/temp-core'
import { recordedExchangeAccount } from '../support/account-records'
import type { Core } from '../../src-main/core'
import type { AccountTestResult, AccountView, OrderView } from '../../src-main/api/contract'

// Replacing an account's key with a key of another Binance user would merge that user's fills and orders into
// this account's history (and declare this one's open orders lost). Against the local Binance server, whose
// GET /api/v3/account answers the uid of the user behind the key: a rotated key of the same user is taken, a
// key of another user is refused and nothing changes (the stored key, the last test, the open order).

let server: BinanceServer
let core: Core
const key = (accountId: string): BinanceAccountConfig => ({ apiKey: randomKey(), secret: randomKey(), accountId, permissions: { spot: true } })
const alice = key('alice')
const aliceRotated = key('alice')
const bob = key('bob')

beforeAll(async () => {
  const engine = createLadderedEngine()
  for (const user of ['alice', 'bob']) {
    engine.deposit(user, 'USDT', '100000')
    engine.deposit(user, 'BTC', '1')
  }
  server = await startBinanceServer({ engine, accounts: [alice, aliceRotated, bob] })
  core = tempCore()
})

afterAll(async () => {
  await core.stop()
  await server.close()
})

async function call(command: string, input: unknown) {
  return core.router.invoke(command as never, input as never, { door: 'test' } as never)
}

async function ok<T>(command: string, input: unknown): Promise<T> {
  const reply = await call(command, input)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.message}`)
  return reply.value as T
}

const creds = (k: BinanceAccountConfig) => ({ apiKey: k.apiKey, secret: k.secret })

/** The uid Binance names for a key, asked directly. */
async function uidOf(k: BinanceAccountConfig): Promise<string> {
  const ex = binanceRest(server, creds(k))
  try {
    return String(((await ex.privateGetAccount()) as { uid: number }).uid)
  } finally {
    await ex.close()
  }
}

const signedWith = (k: BinanceAccountConfig) => server.faults.requests.filter((r) => r.path === '/api/v3/account' && r.apiKey === k.apiKey).length

describe("a Binance account's key replaced by another user's key", () => {
  let account: AccountView
  let order: { clientOrderId: string; status: string }

  beforeAll(async () => {
    account = await ok<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: server.restUrl, credentials: creds(alice) })
    expect(await ok<AccountTestResult>('accounts.test', { id: account.id })).toMatchObject({ ok: true })
    // A bid far under the ladder: it rests on the exchange, in alice's account.
    order = await core.orders.submit({ venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.001', price: '60000', origin: { kind: 'manual', ref: null } })
    expect(order.status).toBe('open')
  })

  it("refuses another user's key, naming both uids; the stored key still connects and the order stays open", async () => {
    const [aliceUid, bobUid] = [await uidOf(alice), await uidOf(bob)]
    expect(aliceUid).not.toBe(bobUid)
    const [before] = await ok<AccountView[]>('accounts.list', {})

    const reply = await call('accounts.update', { id: account.id, credentials: creds(bob) })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: `credentials.apiKey: This key belongs to another Binance account (uid ${bobUid}) than the one this account's history comes from (uid ${aliceUid}); add it as a new account. Nothing was changed`,
      },
    })
    // bob's key was really asked (the refusal is the exchange's answer, not a guess)
    expect(signedWith(bob)).toBeGreaterThan(0)

    const [after] = await ok<AccountView[]>('accounts.list', {})
    expect(after).toEqual(before)
    // The sealed key is still alice's: a test signs with it.
    const aliceCalls = signedWith(alice)
    expect(await ok<AccountTestResult>('accounts.test', { id: account.id })).toMatchObject({ ok: true })
    expect(signedWith(alice)).toBeGreaterThan(aliceCalls)
    await core.orders.reconcile(account.id)
    const open = await ok<OrderView[]>('orders.list', { scope: 'open' })
    expect(open.map((o) => o.clientOrderId)).toContain(order.clientOrderId)
  })

  it('accepts a rotated key of the same user: it connects, and the open order is still found', async () => {
    const view = await ok<AccountView>('accounts.update', { id: account.id, credentials: creds(aliceRotated) })
    expect(view.keyHint).toBe(`••••${aliceRotated.apiKey.slice(-4)}`)
    const rotatedCalls = signedWith(aliceRotated)
    expect(await ok<AccountTestResult>('accounts.test', { id: account.id })).toMatchObject({ ok: true })
    expect(signedWith(aliceRotated)).toBeGreaterThan(rotatedCalls)
    await core.orders.reconcile(account.id)
    const open = await ok<OrderView[]>('orders.list', { scope: 'open' })
    expect(open.find((o) => o.clientOrderId === order.clientOrderId)?.status).toBe('open')
  })
})

describe('an account that was only connected, never tested', () => {
  it("learns its Binance account on connecting, and then refuses another user's key", async () => {
    const account = await ok<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance bob', apiBaseUrl: server.restUrl, credentials: creds(bob) })
    const venue = await core.accounts.openVenue(account.id)
    try {
      await venue.connect()
      const bobUid = await uidOf(bob)
      await vi.waitFor(() => expect(recordedExchangeAccount(core.store.sqlite, account.id, { apiBaseUrl: account.apiBaseUrl })).toBe(bobUid), { timeout: 10_000 })
    } finally {
      await venue.close()
    }
    const reply = await call('accounts.update', { id: account.id, credentials: creds(aliceRotated) })
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('This key belongs to another Binance account') } })
    const listed = await ok<AccountView[]>('accounts.list', {})
    expect(listed.find((a) => a.id === account.id)?.keyHint).toBe(account.keyHint)
  })
})
