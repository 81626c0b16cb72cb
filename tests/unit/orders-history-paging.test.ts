import { afterEach, describe, expect, it } from 'vitest'
import { OrderStore } from '../../src-main/trading/orders/store'
import type { OrderIntent } from '../../src-main/trading/model'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { CommandInput, OrderView } from '../../src-main/api/contract'

// Order history pages back like fills: `orders.list` with scope 'history' takes `before` (the last shown
// order's updatedAt and client id) and lists the finished orders strictly after it in the list's order
// (most recently finished first; orders finished in the same millisecond by client id, descending), so
// a trader can walk back through the whole history, one page at a time, none skipped nor shown twice.

const ctx = { door: 'test' } as const
let core: Core | null = null
afterEach(async () => {
  await core?.stop()
  core = null
})

const intent = (venueId: string): OrderIntent => ({
  venueId,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  timeInForce: 'GTC',
  postOnly: false,
  amount: '0.001',
  price: '50000',
  origin: { kind: 'manual', ref: null },
})

/** Writes a finished order straight into the engine's store (placed at `at - 1`, finished at `at`). */
function finished(orders: OrderStore, id: string, at: number, venueId = 'sim'): void {
  orders.insertIntent(id, intent(venueId), at - 1)
  orders.update(id, { status: 'canceled' }, at)
}

function setup(): OrderStore {
  core = tempCore()
  return new OrderStore(core.store.db)
}

async function list(input: CommandInput<'orders.list'>): Promise<OrderView[]> {
  const reply = await core!.router.invoke('orders.list', input, ctx)
  if (!reply.ok) throw new Error(`orders.list failed: ${reply.error.code} ${reply.error.message}`)
  return reply.value as OrderView[]
}

const ids = (rows: readonly { clientOrderId: string }[]) => rows.map((o) => o.clientOrderId)
const cursor = (o: { updatedAt: number; clientOrderId: string }) => ({ updatedAt: o.updatedAt, clientOrderId: o.clientOrderId })

describe('order history pages back', () => {
  it('walks the whole history, most recently finished first, orders of one millisecond by id, none twice', async () => {
    const orders = setup()
    // 7 orders, 4 of them finished in the same millisecond (written in an order unlike their ids)
    finished(orders, 'h1', 1_000)
    finished(orders, 'h2', 2_000)
    for (const id of ['t2', 't4', 't1', 't3']) finished(orders, id, 3_000)
    finished(orders, 'h9', 4_000)
    const whole = ['h9', 't4', 't3', 't2', 't1', 'h2', 'h1']
    expect(ids(await list({ scope: 'history', limit: 100 }))).toEqual(whole)

    // pages of 2: the second page starts inside the millisecond the first ended in
    const seen: string[] = []
    let page = await list({ scope: 'history', limit: 2 })
    while (page.length > 0) {
      seen.push(...ids(page))
      page = await list({ scope: 'history', limit: 2, before: cursor(page.at(-1)!) })
    }
    expect(seen).toEqual(whole)
  })

  it('pages one account (and one market of it) only', () => {
    const orders = setup()
    for (let i = 0; i < 5; i++) finished(orders, `a${i}`, 10_000 + i * 10, 'acct-a')
    for (let i = 0; i < 5; i++) finished(orders, `b${i}`, 10_001 + i * 10, 'acct-b')
    const first = orders.list({ venueId: 'acct-a', scope: 'history', limit: 2 })
    expect(ids(first)).toEqual(['a4', 'a3'])
    expect(ids(orders.list({ venueId: 'acct-a', scope: 'history', limit: 10, before: cursor(first.at(-1)!) }))).toEqual(['a2', 'a1', 'a0'])
    expect(ids(orders.list({ venueId: 'acct-b', symbol: 'BTC/USDT', scope: 'history', limit: 10, before: { updatedAt: 10_021, clientOrderId: 'b2' } }))).toEqual(['b1', 'b0'])
  })

  it('a cursor from an order that has since changed still pages from where the list was', () => {
    const orders = setup()
    for (let i = 1; i <= 4; i++) finished(orders, `o${i}`, i * 1_000)
    const first = orders.list({ scope: 'history', limit: 2 }) // o4, o3
    orders.update('o3', { filled: '0.0005' }, 9_000) // a late fill moves o3 to the top
    expect(ids(orders.list({ scope: 'history', limit: 10, before: cursor(first.at(-1)!) }))).toEqual(['o2', 'o1'])
  })

  it('refuses a bad cursor, saying what is wrong with it', async () => {
    setup()
    const refused = async (input: unknown) => {
      const reply = await core!.router.invoke('orders.list', input as CommandInput<'orders.list'>, ctx)
      if (reply.ok) throw new Error(`accepted ${JSON.stringify(input)}`)
      return reply.error
    }
    expect(await refused({ scope: 'open', before: { updatedAt: 1, clientOrderId: 'x' } })).toEqual({
      code: 'BAD_INPUT',
      message: expect.stringContaining('before: pages back through order history (scope "history"); open orders are listed whole') as unknown,
    })
    expect((await refused({ scope: 'history', before: { updatedAt: 1.5, clientOrderId: 'x' } })).message).toContain('before.updatedAt')
    expect((await refused({ scope: 'history', before: { updatedAt: -1, clientOrderId: 'x' } })).message).toContain('before.updatedAt')
    expect((await refused({ scope: 'history', before: { updatedAt: 1 } })).message).toContain('before.clientOrderId')
    expect((await refused({ scope: 'history', before: { updatedAt: 1, clientOrderId: '' } })).message).toContain('before.clientOrderId')
    expect((await refused({ scope: 'history', before: 12345 })).message).toContain('before')
  })
})
