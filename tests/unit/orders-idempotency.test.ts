import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { CommandInput, ConditionalView, OrderView } from '../../src-main/api/contract'
import { orders as ordersTable } from '../../src-main/trading/orders/tables'
import { conditionalOrders } from '../../src-main/trading/conditional/tables'
import { fail, harness, ME, ME_FAKE } from './orders-support'

// The ticket's idempotency key: when the connection drops after an order was sent and before its answer came,
// the ticket sends it again with the same key, and the engine answers with the order it placed the first
// time instead of placing a second one (on the simulated exchange, through the contract).

const ctx = { door: 'test' } as const
let core: Core
/** Added to the clock: the engine forgets keys older than a day. */
let later = 0

beforeEach(() => {
  later = 0
  core = tempCore({ now: () => Date.now() + later })
  core.sim.runtime.advance(60_000) // let the synthetic market build a book (BTC/USDT starts at 95000)
})
afterEach(async () => {
  await core.stop()
})

const { call, ok } = contractCalls(() => core, ctx)

const venueOpenOrders = async () => (await core.venues.open('sim')).fetchOpenOrders()
const storedOrders = () => core.store.db.select().from(ordersTable).all().length

const limitBuy = (price: string, idempotencyKey?: string) =>
  ({
    venueId: 'sim',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    price,
    size: { unit: 'base', value: '0.001' },
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  }) as CommandInput<'orders.submit'>

describe('orders.submit with an idempotency key', () => {
  it('sent twice with the same key: one order on the venue, and the same answer both times', async () => {
    const first = (await ok('orders.submit', limitBuy('90000.00', 'ticket-4f1c2a9b'))) as OrderView
    const again = (await ok('orders.submit', limitBuy('90000.00', 'ticket-4f1c2a9b'))) as OrderView
    expect(again).toEqual(first)
    expect((await venueOpenOrders()).map((o) => o.clientOrderId)).toEqual([first.clientOrderId])
    expect(storedOrders()).toBe(1)
    // A new key is a new order.
    const other = (await ok('orders.submit', limitBuy('90000.00', 'ticket-77aa01'))) as OrderView
    expect(other.clientOrderId).not.toBe(first.clientOrderId)
    expect(await venueOpenOrders()).toHaveLength(2)
  })

  it('two sends of one key at the same time place one order', async () => {
    const [a, b] = await Promise.all([call('orders.submit', limitBuy('90000.00', 'same-time-1')), call('orders.submit', limitBuy('90000.00', 'same-time-1'))])
    expect(a.ok && b.ok).toBe(true)
    if (!a.ok || !b.ok) return
    expect((b.value as OrderView).clientOrderId).toBe((a.value as OrderView).clientOrderId)
    expect(await venueOpenOrders()).toHaveLength(1)
  })

  it('the resend of a market order that spent the balance answers with that order, not a balance refusal', async () => {
    const spend = { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'percent', value: '100' }, idempotencyKey: 'spend-all-1' } as const
    const first = (await ok('orders.submit', spend)) as OrderView
    const again = (await ok('orders.submit', spend)) as OrderView
    expect(again.clientOrderId).toBe(first.clientOrderId)
    expect(storedOrders()).toBe(1)
  })

  it('refuses the same key with different order parameters; nothing more is placed', async () => {
    const first = (await ok('orders.submit', limitBuy('90000.00', 'ticket-mismatch'))) as OrderView
    expect(await call('orders.submit', limitBuy('89000.00', 'ticket-mismatch'))).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'this idempotency key was already used for a different order' },
    })
    expect((await venueOpenOrders()).map((o) => o.clientOrderId)).toEqual([first.clientOrderId])
    expect(storedOrders()).toBe(1)
  })

  it('the same parameters written differently are the same order (0.0010 is 0.001)', async () => {
    const first = (await ok('orders.submit', limitBuy('90000.00', 'ticket-spelling'))) as OrderView
    const again = (await ok('orders.submit', { ...limitBuy('90000', 'ticket-spelling'), size: { unit: 'base', value: '0.0010' } })) as OrderView
    expect(again.clientOrderId).toBe(first.clientOrderId)
    expect(await venueOpenOrders()).toHaveLength(1)
  })

  it('forgets a key after a day: the same key then places a new order', async () => {
    const first = (await ok('orders.submit', limitBuy('90000.00', 'ticket-old-key'))) as OrderView
    later = 24 * 60 * 60 * 1000 + 1
    const next = (await ok('orders.submit', limitBuy('90000.00', 'ticket-old-key'))) as OrderView
    expect(next.clientOrderId).not.toBe(first.clientOrderId)
    expect(await venueOpenOrders()).toHaveLength(2)
  })

  it('refuses a malformed key at the door with a specific message; nothing is sent or stored', async () => {
    for (const key of ['short', 'has space in it', 'x'.repeat(65), 'ключ-заказа-1']) {
      expect(await call('orders.submit', limitBuy('90000.00', key)), key).toEqual({
        ok: false,
        error: { code: 'BAD_INPUT', message: 'Invalid input for orders.submit: idempotencyKey: 8 to 64 letters, digits, "-" or "_"' },
      })
    }
    expect(storedOrders()).toBe(0)
    expect(await venueOpenOrders()).toEqual([])
  })
})

describe('conditional.create with an idempotency key', () => {
  const storedLegs = () => core.store.db.select().from(conditionalOrders).all()
  const stop = (triggerPrice: string, idempotencyKey: string) =>
    ({
      type: 'single',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      leg: { kind: 'stop-market', side: 'sell', amount: '0.001', triggerPrice },
      idempotencyKey,
    }) as CommandInput<'conditional.create'>
  const ids = (views: unknown) => (views as ConditionalView[]).map((v) => [v.id, v.status])

  it('a stop sent twice with the same key is armed once, and both answers name the same leg', async () => {
    const first = (await ok('conditional.create', stop('80000.00', 'stop-key-0001'))) as ConditionalView[]
    const again = (await ok('conditional.create', stop('80000.00', 'stop-key-0001'))) as ConditionalView[]
    // The same leg, as it is now (it may have gone from waiting for a live price to armed meanwhile).
    expect(again.map((v) => v.id)).toEqual(first.map((v) => v.id))
    expect(ids(again)).toEqual(ids(await ok('conditional.list', {})))
    expect(storedLegs()).toHaveLength(1)
  })

  it('a bracket sent twice with the same key places one entry order', async () => {
    const bracket = {
      type: 'bracket',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      entry: { side: 'buy', type: 'limit', price: '90000.00', size: { unit: 'base', value: '0.001' } },
      takeProfit: { triggerPrice: '99000.00' },
      stopLoss: { triggerPrice: '85000.00' },
      idempotencyKey: 'bracket-key-01',
    } as CommandInput<'conditional.create'>
    const first = (await ok('conditional.create', bracket)) as ConditionalView[]
    const again = (await ok('conditional.create', bracket)) as ConditionalView[]
    expect(again.map((v) => v.id)).toEqual(first.map((v) => v.id))
    expect(await venueOpenOrders()).toHaveLength(1)
    expect(storedLegs()).toHaveLength(2)
  })

  it('refuses the same key for a different conditional order, and a malformed key at the door', async () => {
    await ok('conditional.create', stop('80000.00', 'stop-key-0002'))
    expect(await call('conditional.create', stop('79000.00', 'stop-key-0002'))).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'this idempotency key was already used for a different order' },
    })
    expect(await call('conditional.create', stop('79000.00', 'bad key!'))).toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'Invalid input for conditional.create: idempotencyKey: 8 to 64 letters, digits, "-" or "_"' },
    })
    expect(storedLegs()).toHaveLength(1)
  })
})

describe('the order manager with an idempotency key', () => {
  const keyed = { key: 'manager-key-1', fingerprint: '{"order":1}' }

  it('is per account: the same key on another account is another order', async () => {
    const h = await harness()
    try {
      const a = await h.manager.submit(h.intent({ venueId: 'sim', idempotency: keyed }))
      const b = await h.manager.submit(h.intent({ venueId: 'fake', idempotency: keyed }))
      expect(b.clientOrderId).not.toBe(a.clientOrderId)
      expect(h.engine.openOrders(ME)).toHaveLength(1)
      expect(h.engine.openOrders(ME_FAKE)).toHaveLength(1)
    } finally {
      await h.close()
    }
  })

  it('a resend of an order the venue refused gets the same refusal, and nothing is sent again', async () => {
    const h = await harness()
    try {
      h.fake.script('placeOrder', fail('insufficient-funds', 'Account has insufficient balance for requested action.'))
      const first = await h.manager.submit(h.intent({ venueId: 'fake', idempotency: keyed })).catch((e: unknown) => e)
      const again = await h.manager.submit(h.intent({ venueId: 'fake', idempotency: keyed })).catch((e: unknown) => e)
      expect(first).toMatchObject({ code: 'CONFLICT', message: 'Account has insufficient balance for requested action.' })
      expect(again).toMatchObject({ code: 'CONFLICT', message: 'Account has insufficient balance for requested action.' })
      expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
    } finally {
      await h.close()
    }
  })
})
