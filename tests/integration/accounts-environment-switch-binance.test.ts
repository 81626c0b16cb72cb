import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { AccountView, ConditionalView, OrderView } from '../../src-main/api/contract'

// Moving an exchange account to another environment (sandbox on or off, another API base URL) while
// orders live on the current one would leave them out of reach: the next reconcile against the new
// environment does not find them and declares them lost, though they still rest (and may fill) where they
// were placed. The app refuses the change, naming what is open, until they are canceled.

let live: BinanceFixture
let other: BinanceFixture
let core: Core

beforeEach(async () => {
  live = await createBinanceFixture()
  other = await createBinanceFixture()
  core = tempCore()
})

afterEach(async () => {
  await core.stop()
  await live.close()
  await other.close()
})

async function call(command: string, input: unknown) {
  return core.router.invoke(command as never, input as never, { door: 'test' } as never)
}

async function ok<T>(command: string, input: unknown): Promise<T> {
  const reply = await call(command, input)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.message}`)
  return reply.value as T
}

const creds = (fx: BinanceFixture) => ({ apiKey: fx.keys.trader.apiKey, secret: fx.keys.trader.secret })

async function accountWithRestingBid() {
  const account = await ok<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: live.server.restUrl, credentials: creds(live) })
  // A bid far under the ladder: it rests on the exchange.
  const order = await core.orders.submit({ venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.001', price: '60000', origin: { kind: 'manual', ref: null } })
  expect(order.status).toBe('open')
  return { account, order }
}

describe('changing where an account connects while orders are open there', () => {
  it('refuses another API base URL (with the other environment’s key), naming the open order; the order stays open', async () => {
    const { account, order } = await accountWithRestingBid()
    const reply = await call('accounts.update', { id: account.id, apiBaseUrl: other.server.restUrl, credentials: creds(other) })
    expect(reply).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/^apiBaseUrl: 1 order is open on this account's current environment: cancel it first, or add the other environment as a separate account/) },
    })
    const [stored] = await ok<AccountView[]>('accounts.list', {})
    expect(stored).toMatchObject({ apiBaseUrl: live.server.restUrl, keyHint: account.keyHint })
    // Nothing reconnected: a fresh reconcile still finds the order where it was placed.
    await core.orders.reconcile(account.id)
    const open = await ok<OrderView[]>('orders.list', { scope: 'open' })
    expect(open.map((o) => [o.clientOrderId, o.status])).toEqual([[order.clientOrderId, 'open']])
  })

  it('refuses the sandbox while an order is open or a conditional order is armed; allowed once they are canceled', async () => {
    const { account, order } = await accountWithRestingBid()
    const [stop] = await ok<ConditionalView[]>('conditional.create', {
      type: 'single',
      venueId: account.id,
      symbol: 'BTC/USDT',
      placement: 'app',
      leg: { kind: 'stop-market', side: 'sell', amount: '0.01', trigger: 'bid', triggerPrice: '50000' }, // (no trade has printed there yet: the bid is its price)
    })
    const refused = await call('accounts.update', { id: account.id, sandbox: true })
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const message = refused.ok ? '' : refused.error.message
    expect(message).toMatch(/^sandbox: 1 order is open and 1 conditional order is armed on this account's current environment: cancel them first, or add the test network as a separate account/)
    expect((await ok<AccountView[]>('accounts.list', {}))[0]!.sandbox).toBe(false)

    // A rename or a new key for the same environment is fine meanwhile.
    const renamed = await ok<AccountView>('accounts.update', { id: account.id, label: 'Binance – long term', credentials: creds(live) })
    expect(renamed).toMatchObject({ label: 'Binance – long term', sandbox: false, apiBaseUrl: live.server.restUrl })

    await core.orders.cancel(order.clientOrderId)
    await ok('conditional.cancel', { id: stop!.id })
    const moved = await ok<AccountView>('accounts.update', { id: account.id, sandbox: true })
    expect(moved.sandbox).toBe(true)
  })
})
