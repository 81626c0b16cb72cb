import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, randomKey, type BinanceFixture, type KeyName } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import type { AccountTestResult, AccountView, AccountsChanged } from '../../src-main/api/contract'
import { VenueError, type BookSnapshot, type VenueOrder } from '../../src-main/venues/port'
import type { AccountVenue } from '../../src-main/venues/ccxt/venue'

// An exchange account end to end: added through the contract with a custom base URL pointing at the
// local Binance server, credentials sealed and opened again, "test connection" through real ccxt, each
// refusal classified, and the account's CcxtVenue used through the Venue port.

const ctx = { door: 'test' } as const
let fx: BinanceFixture
let core: Core
const changes: AccountsChanged[] = []
const venues: AccountVenue[] = []

beforeAll(async () => {
  fx = await createBinanceFixture()
  core = tempCore({ keychain: memoryKeychain() })
  core.streams.open('accounts.changed', {}, (p) => changes.push(p as AccountsChanged))
})

afterAll(async () => {
  await Promise.allSettled(venues.map((v) => v.close()))
  await core.stop()
  await fx.close()
})

const { ok: invoke } = contractCalls(() => core, ctx)

async function add(credentials: { apiKey: string; secret: string }, label: string, baseUrl = fx.server.restUrl): Promise<AccountView> {
  return (await invoke('accounts.add', { exchange: 'binance', label, apiBaseUrl: baseUrl, credentials })) as AccountView
}

let added = 0
/** The engine is shared by the tests, and account names are unique: each gets its own. */
async function addKey(key: KeyName): Promise<AccountView> {
  const { apiKey, secret } = fx.keys[key]
  return add({ apiKey, secret }, `Binance ${key} ${++added}`)
}

async function test(id: string): Promise<AccountTestResult> {
  return (await invoke('accounts.test', { id })) as AccountTestResult
}

async function venue(id: string): Promise<AccountVenue> {
  const v = await core.accounts.openVenue(id)
  venues.push(v)
  return v
}

async function rejection(fn: () => Promise<unknown>): Promise<VenueError> {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(VenueError)
    return err as VenueError
  }
  throw new Error('expected a VenueError')
}

describe('a Binance account against the local Binance server', () => {
  it('tests the connection: balances counted, latency measured, canTrade from the exchange', async () => {
    const account = await addKey('trader')
    expect(account.keyHint).toBe(`••••${fx.keys.trader.apiKey.slice(-4)}`)
    expect(account.apiBaseUrl).toBe(fx.server.restUrl)
    const result = await test(account.id)
    expect(result).toMatchObject({ accountId: account.id, ok: true, kind: null, canTrade: true, balanceCount: 2 })
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
    expect(result.message).toContain('trading allowed')
    // the result is kept on the account and announced
    const listed = (await invoke('accounts.list', {})) as AccountView[]
    const view = listed.find((a) => a.id === account.id)
    expect(view?.canTrade).toBe(true)
    expect(view?.lastTest).toMatchObject({ ok: true, canTrade: true, balanceCount: 2 })
    expect(changes.some((c) => c.change === 'tested' && c.id === account.id && c.account?.lastTest?.ok === true)).toBe(true)
    // the signed request really carried the key and reached /api/v3/account
    const signed = fx.server.faults.requests.filter((r) => r.path === '/api/v3/account' && r.apiKey === fx.keys.trader.apiKey)
    expect(signed.length).toBeGreaterThan(0)
  })

  it('reports canTrade false for a key without the trading permission and for an account that may not trade', async () => {
    const readOnly = await test((await addKey('readOnly')).id)
    expect(readOnly).toMatchObject({ ok: true, canTrade: false })
    const frozen = await test((await addKey('frozen')).id)
    expect(frozen).toMatchObject({ ok: true, canTrade: false })
  })

  it('classifies a wrong secret as invalid-signature', async () => {
    const account = await add({ apiKey: fx.keys.trader.apiKey, secret: randomKey() }, 'wrong secret')
    const result = await test(account.id)
    expect(result).toMatchObject({ ok: false, kind: 'invalid-signature', canTrade: null, balanceCount: 0 })
    expect(result.message).toContain('-1022')
  })

  it('classifies an unknown key as invalid-key', async () => {
    const account = await add({ apiKey: randomKey(), secret: randomKey() }, 'unknown key')
    const result = await test(account.id)
    expect(result).toMatchObject({ ok: false, kind: 'invalid-key' })
    expect(result.message).toContain('-2015')
  })

  it('classifies a key whose IP whitelist excludes us as ip-not-allowed', async () => {
    const result = await test((await addKey('ipBlocked')).id)
    expect(result).toMatchObject({ ok: false, kind: 'ip-not-allowed' })
    expect(result.message).toContain('whitelist')
  })

  it('classifies trading with a read-only key as permission-denied (first call, and after a read)', async () => {
    const account = await addKey('readOnly')
    const order = {
      clientOrderId: `perm-${Date.now()}`,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.001',
      price: '90000',
      timeInForce: 'GTC',
      postOnly: false,
    } as const
    // Binance's -2015 is ambiguous before a signed call has worked: the venue asks once more to tell.
    const fresh = await venue(account.id)
    expect((await rejection(() => fresh.placeOrder(order))).kind).toBe('permission-denied')
    const used = await venue(account.id)
    await used.fetchBalances()
    const refused = await rejection(() => used.placeOrder({ ...order, clientOrderId: `${order.clientOrderId}-2` }))
    expect(refused.kind).toBe('permission-denied')
    expect(refused.message).toContain('Spot & Margin Trading')
  })

  it('classifies HTTP 429 as rate-limited', async () => {
    // A server of its own: Binance counts limits per IP, so the 429's hold covers every account on its host
    // (this file's other tests share the main server).
    const other = await createBinanceFixture()
    try {
      const { apiKey, secret } = other.keys.trader
      const account = await add({ apiKey, secret }, 'rate-limited server', other.server.restUrl)
      other.server.faults.respondWith(429, 1, { path: '/api/v3/account' })
      const result = await test(account.id)
      expect(result).toMatchObject({ ok: false, kind: 'rate-limited' })
    } finally {
      await other.close()
    }
  })

  it('classifies a stopped server as unreachable', async () => {
    const other = await createBinanceFixture()
    const { apiKey, secret } = other.keys.trader
    const account = await add({ apiKey, secret }, 'stopped server', other.server.restUrl)
    expect((await test(account.id)).ok).toBe(true)
    await other.close()
    const result = await test(account.id)
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' })
    expect(result.message).not.toContain(secret)
  })

  it('never returns a secret: the error messages and views carry only the key hint', async () => {
    const listed = JSON.stringify(await invoke('accounts.list', {}))
    for (const key of Object.values(fx.keys)) {
      expect(listed).not.toContain(key.secret)
      expect(listed).not.toContain(key.apiKey)
    }
  })
})

describe('CcxtVenue through the Venue port', () => {
  const symbol = 'BTC/USDT'
  let v: AccountVenue

  beforeAll(async () => {
    const account = await addKey('trader')
    v = await venue(account.id)
    await v.connect()
  })

  it('loads the markets with exact steps and limits', async () => {
    const markets = await v.loadMarkets()
    const btc = markets.find((m) => m.symbol === symbol)
    const spec = fx.engine.market(symbol)
    expect(btc).toBeDefined()
    expect(new Decimal(btc?.tickSize ?? 0).eq(spec.tickSize)).toBe(true)
    expect(new Decimal(btc?.stepSize ?? 0).eq(spec.stepSize)).toBe(true)
    expect(new Decimal(btc?.minNotional ?? 0).eq(spec.minNotional)).toBe(true)
    expect(v.connection()).toBe('live')
  })

  it('fetches balances as the exact decimals the engine holds', async () => {
    const balances = await v.fetchBalances()
    for (const held of fx.engine.balances('alice')) {
      const b = balances.find((x) => x.asset === held.asset)
      if (new Decimal(held.total).isZero()) continue
      expect(b, held.asset).toBeDefined()
      expect(new Decimal(b?.free ?? -1).eq(held.free)).toBe(true)
      expect(new Decimal(b?.used ?? -1).eq(held.used)).toBe(true)
      expect(new Decimal(b?.total ?? -1).eq(held.total)).toBe(true)
    }
  })

  it('places, finds, lists and cancels a resting limit order', async () => {
    const clientOrderId = `rest-${Date.now()}`
    const placed = await v.placeOrder({
      clientOrderId,
      symbol,
      side: 'buy',
      type: 'limit',
      amount: '0.00123',
      price: '90000.01',
      timeInForce: 'GTC',
      postOnly: false,
    })
    expect(placed).toMatchObject({ clientOrderId, symbol, side: 'buy', type: 'limit', status: 'open', timeInForce: 'GTC' })
    expect(new Decimal(placed.amount).eq('0.00123')).toBe(true)
    expect(new Decimal(placed.price ?? 0).eq('90000.01')).toBe(true)
    const usedNow = fx.engine.balances('alice').find((b) => b.asset === 'USDT')?.used
    expect(new Decimal(usedNow ?? 0).gte(new Decimal('0.00123').times('90000.01'))).toBe(true)

    const byClient = await v.fetchOrder(symbol, { clientOrderId })
    expect(byClient?.venueOrderId).toBe(placed.venueOrderId)
    expect((await v.fetchOpenOrders(symbol)).map((o) => o.venueOrderId)).toContain(placed.venueOrderId)

    const canceled = await v.cancelOrder(symbol, placed.venueOrderId)
    expect(canceled.status).toBe('canceled')
    expect((await v.fetchOrder(symbol, { venueOrderId: placed.venueOrderId }))?.status).toBe('canceled')
    expect(await v.fetchOrder(symbol, { clientOrderId: 'never-placed' })).toBeNull()
    expect((await rejection(() => v.cancelOrder(symbol, placed.venueOrderId))).kind).toBe('order-not-found')
  })

  it('fills a market order and reports the fill exactly', async () => {
    const before = fx.engine.balances('alice').find((b) => b.asset === 'BTC')?.total ?? '0'
    const clientOrderId = `mkt-${Date.now()}`
    const order: VenueOrder = await v.placeOrder({
      clientOrderId,
      symbol,
      side: 'buy',
      type: 'market',
      amount: '0.01',
      timeInForce: 'GTC',
      postOnly: false,
    })
    expect(order.status).toBe('closed')
    expect(new Decimal(order.filled).eq('0.01')).toBe(true)
    const fills = (await v.fetchMyFills(symbol)).filter((f) => f.venueOrderId === order.venueOrderId)
    expect(fills.length).toBeGreaterThan(0)
    const filled = fills.reduce((s, f) => s.plus(f.amount), new Decimal(0))
    expect(filled.eq('0.01')).toBe(true)
    const engineFills = fx.engine.fills('alice', { symbol }).filter((f) => f.venueOrderId === order.venueOrderId)
    for (const f of fills) {
      const twin = engineFills.find((e) => new Decimal(e.price).eq(f.price) && new Decimal(e.amount).eq(f.amount))
      expect(twin, `fill at ${f.price}`).toBeDefined()
      expect(new Decimal(f.fee.amount).eq(twin?.fee.amount ?? -1)).toBe(true)
    }
    const after = fx.engine.balances('alice').find((b) => b.asset === 'BTC')?.total ?? '0'
    const mine = (await v.fetchBalances()).find((b) => b.asset === 'BTC')
    expect(new Decimal(mine?.total ?? -1).eq(after)).toBe(true)
    expect(new Decimal(after).gt(before)).toBe(true)
  })

  it('refuses an order the engine cannot fund as insufficient-funds', async () => {
    const error = await rejection(() =>
      v.placeOrder({
        clientOrderId: `big-${Date.now()}`,
        symbol,
        side: 'sell',
        type: 'limit',
        amount: '500',
        price: '99000',
        timeInForce: 'GTC',
        postOnly: false,
      }),
    )
    expect(error.kind).toBe('insufficient-funds')
  })

  it('watches the order book over the WebSocket (ccxt.pro, URLs rewritten to ws://)', async () => {
    const book = await new Promise<BookSnapshot>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no book within 10 s')), 10_000)
      const stop = v.watchOrderBook(
        symbol,
        (b) => {
          if (b.bids.length === 0 || b.asks.length === 0) return
          clearTimeout(timer)
          stop()
          resolve(b)
        },
        (err) => {
          clearTimeout(timer)
          stop()
          reject(err)
        },
      )
    })
    expect(new Decimal(book.bids[0]?.[0] ?? 0).lt(book.asks[0]?.[0] ?? 0)).toBe(true)
    const top = fx.engine.book(symbol, 1)
    expect(new Decimal(book.asks[0]?.[0] ?? 0).eq(top.asks[0]?.[0] ?? -1)).toBe(true)
  })
})
