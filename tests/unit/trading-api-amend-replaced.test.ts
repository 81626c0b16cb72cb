import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { CommandInput, CommandName, OrderView } from '../../src-main/api/contract'

// Two windows on one engine: one amends an order (a cancel-replace: the order is canceled, a new one placed)
// while the other, still showing the original, cancels or amends it. The second must hear that the order
// was replaced and by which order, not "already canceled" while the replacement is live on the book.

const ctx = { door: 'test' } as const
let core: Core

beforeEach(() => {
  core = tempCore()
  core.sim.runtime.advance(60_000) // a book to rest on (BTC/USDT starts near 95000)
})
afterEach(async () => {
  await core.stop()
})

const calls = contractCalls(() => core, ctx)
const { call } = calls
/** Every command this file sends through ok answers with an order. */
const ok = async <N extends CommandName>(name: N, input: CommandInput<N>) => (await calls.ok(name, input)) as OrderView

const limitBuy = (price: string) => ({ venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price, size: { unit: 'base', value: '0.001' } }) as const

describe('cancel or amend of an order another window amended', () => {
  it('a cancel racing an amend names the live replacement instead of "already canceled"; the replacement is left open', async () => {
    const order = await ok('orders.submit', limitBuy('80000.00'))
    const [amend, cancel] = await Promise.all([
      call('orders.amend', { clientOrderId: order.clientOrderId, price: '79990.00' }),
      call('orders.cancel', { clientOrderId: order.clientOrderId }),
    ])
    if (!amend.ok) throw new Error(`amend failed: ${amend.error.message}`)
    const replacement = (amend.value as OrderView).clientOrderId
    expect(cancel).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `Order ${order.clientOrderId} was amended meanwhile; its replacement ${replacement} is open — cancel ${replacement}` },
    })
    const open = (await core.router.invoke('orders.list', {}, ctx)) as { ok: true; value: OrderView[] }
    expect(open.value.map((o) => [o.clientOrderId, o.price, o.status])).toEqual([[replacement, '79990.00', 'open']])
  })

  it('a stale amend or cancel after the amend names the replacement, or what became of it', async () => {
    const order = await ok('orders.submit', limitBuy('80000.00'))
    const replacement = (await ok('orders.amend', { clientOrderId: order.clientOrderId, price: '79990.00' })).clientOrderId
    expect(await call('orders.amend', { clientOrderId: order.clientOrderId, price: '79980.00' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `Order ${order.clientOrderId} was amended meanwhile; its replacement ${replacement} is open — amend ${replacement}` },
    })
    // Amended again: the stale window is sent to the latest one.
    const latest = (await ok('orders.amend', { clientOrderId: replacement, price: '79970.00' })).clientOrderId
    expect(await call('orders.cancel', { clientOrderId: order.clientOrderId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `Order ${order.clientOrderId} was amended meanwhile; its replacement ${latest} is open — cancel ${latest}` },
    })
    await ok('orders.cancel', { clientOrderId: latest })
    expect(await call('orders.cancel', { clientOrderId: order.clientOrderId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `Order ${order.clientOrderId} was amended meanwhile; its replacement ${latest} is already canceled` },
    })
  })
})
