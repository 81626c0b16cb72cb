import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import type { CommandInput, CommandName, FillView, OrderView } from '../../src-main/api/contract'
import { orders as ordersTable } from '../../src-main/trading/orders/tables'
import { conditionalOrders } from '../../src-main/trading/conditional/tables'

// Trading through the contract, on a real engine with the simulated exchange held still (manual mode):
// what the router answers, what lands in SQLite, and what the venue holds.

const ctx = { door: 'test' } as const
let core: Core

beforeEach(() => {
  core = tempCore()
  core.sim.runtime.advance(60_000) // let the synthetic market build a book (BTC/USDT starts at 95000)
})
afterEach(async () => {
  await core.stop()
})

const { call, ok } = contractCalls(() => core, ctx)

async function venueOpenOrders() {
  return (await core.venues.open('sim')).fetchOpenOrders()
}

const stored = () => ({
  orders: core.store.db.select().from(ordersTable).all().length,
  conditional: core.store.db.select().from(conditionalOrders).all().length,
})

const limitBuy = (price: string, amount = '0.001') =>
  ({ venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price, size: { unit: 'base', value: amount } }) as const

describe('orders through the contract', () => {
  it('submits a limit order on the simulated exchange: it shows in orders.list and rests on the venue', async () => {
    const preview = (await ok('orders.preview', limitBuy('90000.00'))) as { ok: boolean; amount: string; notional: string; problems: unknown[] }
    expect(preview).toMatchObject({ ok: true, amount: '0.001', notional: '90', problems: [] })
    const changes: OrderView[] = []
    const stream = core.streams.open('orders.changed', {}, (v) => changes.push(v as OrderView))
    if (!stream.ok) throw new Error('no orders.changed stream')
    const order = (await ok('orders.submit', limitBuy('90000.00'))) as OrderView
    expect(order).toMatchObject({ venueId: 'sim', venueLabel: 'Simulated exchange', symbol: 'BTC/USDT', side: 'buy', amount: '0.001', price: '90000.00', status: 'open', origin: { kind: 'manual', ref: null } })
    const listed = (await ok('orders.list', {})) as OrderView[]
    expect(listed.map((o) => o.clientOrderId)).toEqual([order.clientOrderId])
    const onVenue = await venueOpenOrders()
    expect(onVenue.map((o) => [o.clientOrderId, o.price, new Decimal(o.amount).toFixed()])).toEqual([[order.clientOrderId, '90000.00', '0.001']])

    const canceled = (await ok('orders.cancel', { clientOrderId: order.clientOrderId })) as OrderView
    expect(canceled.status).toBe('canceled')
    expect(await venueOpenOrders()).toEqual([])
    expect(((await ok('orders.list', { scope: 'history' })) as OrderView[]).map((o) => o.status)).toEqual(['canceled'])
    // The screen saw every step, named as it names the venue.
    expect(changes.map((c) => c.status)).toEqual(['pending', 'submitting', 'open', 'canceling', 'canceled'])
    expect(new Set(changes.map((c) => `${c.clientOrderId} ${c.venueLabel}`))).toEqual(new Set([`${order.clientOrderId} Simulated exchange`]))
    stream.value()
  })

  it('amends a resting order with the ticket rules: a price off the tick is refused, a good one replaces it', async () => {
    const order = (await ok('orders.submit', limitBuy('90000.00'))) as OrderView
    const bad = await call('orders.amend', { clientOrderId: order.clientOrderId, price: '89000.005' })
    expect(bad).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'Price 89000.005 is not on the tick 0.01 of BTC/USDT: use 89000.00 or 89000.01' } })
    expect((await venueOpenOrders()).map((o) => o.price)).toEqual(['90000.00'])
    const amended = (await ok('orders.amend', { clientOrderId: order.clientOrderId, price: '89000' })) as OrderView
    expect(amended).toMatchObject({ price: '89000.00', amount: '0.001', status: 'open' })
    expect((await venueOpenOrders()).map((o) => o.price)).toEqual(['89000.00'])
  })

  it('refuses bad input with a specific message; nothing is sent or stored', async () => {
    const before = stored()
    const cases: [CommandName, unknown, string | RegExp][] = [
      ['orders.submit', { ...limitBuy('90000.00'), size: { unit: 'base', value: '0' } }, 'Invalid input for orders.submit: size.value: must be greater than zero'],
      ['orders.submit', { ...limitBuy('90000.00'), size: { unit: 'base', value: '-0.5' } }, 'Invalid input for orders.submit: size.value: must be greater than zero'],
      ['orders.submit', limitBuy('90000.005'), 'Price 90000.005 is not on the tick 0.01 of BTC/USDT: use 90000.00 or 90000.01'],
      ['orders.submit', { ...limitBuy('90000.00'), symbol: 'DOGE/USDT' }, 'No market DOGE/USDT on Simulated exchange'],
      ['orders.submit', limitBuy('90000.00', '0.000001'), '0.000001 BTC is less than one amount step (0.00001 BTC) of BTC/USDT'],
      [
        'conditional.create',
        { type: 'single', venueId: 'sim', symbol: 'BTC/USDT', leg: { kind: 'trailing-stop', side: 'sell', amount: '0.001', distance: { unit: 'price', value: '0' } } },
        'Invalid input for conditional.create: leg.distance.value: must be greater than zero',
      ],
      [
        'conditional.create',
        {
          type: 'oco',
          venueId: 'sim',
          symbol: 'BTC/USDT',
          legs: [
            { kind: 'take-profit-market', side: 'sell', amount: '0.001', triggerPrice: '120000.00' },
            { kind: 'stop-market', side: 'buy', amount: '0.001', triggerPrice: '80000.00' },
          ],
        },
        'Both legs of an OCO must be on the same side (both sells or both buys); here one sells and one buys',
      ],
      [
        'conditional.create',
        {
          type: 'oco',
          venueId: 'sim',
          symbol: 'BTC/USDT',
          legs: [
            { kind: 'stop-market', side: 'sell', amount: '0.001', triggerPrice: '80000.00' },
            { kind: 'stop-market', side: 'sell', amount: '0.001', triggerPrice: '70000.00' },
          ],
        },
        'Both legs of this sell OCO fire when the price falls: a sell OCO needs a take-profit above and a stop below the current price',
      ],
      [
        'conditional.create',
        {
          type: 'oco',
          venueId: 'sim',
          symbol: 'BTC/USDT',
          legs: [
            { kind: 'take-profit-market', side: 'sell', amount: '0.001', triggerPrice: '80000.00', trigger: 'mid' },
            { kind: 'stop-market', side: 'sell', amount: '0.001', triggerPrice: '70000.00', trigger: 'mid' },
          ],
        },
        /^The take-profit leg \(80000\) must be above the current mid price \(9\d{4}(\.\d+)?\) for a sell OCO$/,
      ],
    ]
    for (const [name, input, message] of cases) {
      const reply = await call(name, input as never)
      expect(reply, `${name} ${JSON.stringify(input)}`).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: typeof message === 'string' ? message : expect.stringMatching(message) } })
    }
    expect(stored()).toEqual(before)
    expect(await venueOpenOrders()).toEqual([])
  })

  it('conditional.amend through the contract: an empty amendment is refused at the door, a new trigger is stored', async () => {
    const [stop] = (await ok('conditional.create', {
      type: 'single',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      leg: { kind: 'stop-market', side: 'sell', amount: '0.001', triggerPrice: '80000.00' },
    } as CommandInput<'conditional.create'>)) as { id: string }[]
    const id = (stop as { id: string }).id
    expect(await call('conditional.amend', { id } as never)).toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'Invalid input for conditional.amend: input: give a new trigger price, limit price or trailing distance' },
    })
    expect(await call('conditional.amend', { id, triggerPrice: '-5' } as never)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    const [moved] = (await ok('conditional.amend', { id, triggerPrice: '79000.00' })) as { triggerPrice: string }[]
    expect(moved).toMatchObject({ id, triggerPrice: '79000', status: 'armed' })
    const row = core.store.db.select().from(conditionalOrders).all().find((r) => r.id === id)
    expect(row?.triggerPrice).toBe('79000')
  })

  it('lists fills of a market order and flattens the position it bought', async () => {
    const ticketInput = { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'quote', value: '100' } } as const
    const preview = (await ok('orders.preview', ticketInput)) as { ok: boolean; estimatedAvgPrice: string | null; bookStatus: string }
    expect(preview).toMatchObject({ ok: true, bookStatus: 'live' })
    expect(preview.estimatedAvgPrice).not.toBeNull()
    const recorded: FillView[] = []
    const stream = core.streams.open('fills.recorded', {}, (v) => recorded.push(v as FillView))
    if (!stream.ok) throw new Error('no fills.recorded stream')
    const bought = (await ok('orders.submit', ticketInput)) as OrderView
    await waitFor(async () => ((await ok('fills.list', {})) as unknown[]).length > 0, 'the fill in fills.list', 5000)
    await waitFor(() => recorded.length > 0, 'the fill on fills.recorded', 5000)
    expect(recorded[0]).toMatchObject({ venueId: 'sim', clientOrderId: bought.clientOrderId, side: 'buy', symbol: 'BTC/USDT' })
    stream.value()
    const fills = (await ok('fills.list', {})) as { clientOrderId: string; side: string }[]
    expect(fills.every((f) => f.clientOrderId === bought.clientOrderId && f.side === 'buy')).toBe(true)
    const flat = (await ok('positions.flatten', { venueId: 'sim', symbol: 'BTC/USDT' })) as OrderView
    expect(flat).toMatchObject({ side: 'sell', type: 'market', origin: { kind: 'flatten', ref: null } })
  })
})

describe('orders.cancelAll on an account that is not there', () => {
  it('a closed paper account: NOT_FOUND naming it, not "canceled 0"', async () => {
    const paper = (await ok('paper.open', { source: { kind: 'venue', venueId: 'sim' }, label: 'Rehearsal', balances: [{ asset: 'USDT', amount: '1000' }] })) as { id: string }
    await ok('paper.close', { venueId: paper.id })
    const reply = await call('orders.cancelAll', { venueId: paper.id, symbol: 'BTC/USDT' })
    expect(reply).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Rehearsal was closed: it has no orders to cancel' } })
  })

  it('a venue id never seen: NOT_FOUND with the id', async () => {
    const reply = await call('orders.cancelAll', { venueId: 'nowhere', symbol: 'BTC/USDT' })
    expect(reply).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No venue "nowhere"' } })
  })

  it('a known venue with nothing open still answers canceled 0', async () => {
    expect(await ok('orders.cancelAll', { venueId: 'sim', symbol: 'BTC/USDT' })).toEqual({ canceled: 0, partlyFilled: [], awaiting: [], ended: [], failed: [] })
  })
})
