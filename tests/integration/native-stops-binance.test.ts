import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempDir } from '../support/temp-core'
import { createCcxtVenue, type CcxtVenue } from '../../src-main/venues/ccxt/venue'
import type { VenueOrder } from '../../src-main/venues/port'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import { conditionalCreateSchema, type ConditionalView } from '../../src-main/api/schemas/trading'
import { openOrdersEngine, type OrdersEngine } from './orders-engine'
import { waitFor } from '../support/wait-for'

// Native stop orders ("on exchange") with ccxt's real binance class against the local Binance server: the
// venue adapter alone, then the conditional engine placing them through the order manager (risk gate,
// client id written before sending, reconciliation) — held on the exchange as STOP_LOSS_LIMIT with our
// client id, filled when the price crosses, canceled through the venue, reconciled after a restart.

let fx: BinanceFixture
const venues: CcxtVenue[] = []
let dataDir: string
const apps: App[] = []

beforeEach(async () => {
  fx = await createBinanceFixture()
  fx.engine.deposit('bob', 'BTC', '10')
  dataDir = tempDir('co-native-stops-')
})

afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
  for (const v of venues.splice(0)) await v.close()
  await fx.close()
})

/** The order manager and the conditional engine over one data dir, as core.ts wires them. */
interface App {
  orders: OrdersEngine
  conditional: ConditionalEngine
  close(): Promise<void>
}

async function app(): Promise<App> {
  const orders = openOrdersEngine({ dataDir, manager: { retryDelaysMs: [100, 200], lostRecheckMs: 500, resyncDelayMs: 200 } })
  let account = orders.accounts.list()[0]
  if (account === undefined) {
    const { apiKey, secret } = fx.keys.trader
    account = await orders.accounts.add({ exchange: 'binance', label: 'Binance test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  }
  // Market rules and capabilities from a venue of the same account (the desk's MarketRules does this).
  const rules = venue()
  await rules.connect()
  await orders.manager.start()
  const conditional = new ConditionalEngine({
    db: orders.store.db,
    bus: orders.bus,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    now: Date.now,
    gateway: orders.manager,
    ticks: { watch: () => () => {} },
    markets: async (_venueId, symbol) => (await rules.loadMarkets()).find((m) => m.symbol === symbol) as never,
    labelOf: () => 'Binance test',
    nativeStops: () => rules.capabilities.nativeStops,
  })
  await conditional.start()
  const a: App = {
    orders,
    conditional,
    async close() {
      conditional.stop()
      await orders.close()
      apps.splice(apps.indexOf(a), 1)
    },
  }
  apps.push(a)
  return a
}

function accountOf(a: App): string {
  return (a.orders.accounts.list()[0] as { id: string }).id
}

function stopLimit(venueId: string, triggerPrice: string, limitPrice: string) {
  return conditionalCreateSchema.parse({
    type: 'single',
    venueId,
    symbol: 'BTC/USDT',
    placement: 'exchange',
    leg: { kind: 'stop-limit', side: 'sell', amount: '0.01', triggerPrice, limitPrice },
  })
}

function legOf(a: App, id: string): ConditionalView | undefined {
  return [...a.conditional.list({ scope: 'active', limit: 100 }), ...a.conditional.list({ scope: 'history', limit: 100 })].find((v) => v.id === id)
}

/** The exchange's own view of the order, through a separate ccxt instance. */
async function onExchange(clientOrderId: string) {
  const rest = fx.rest()
  return rest.fetchOrder('', 'BTC/USDT', { clientOrderId })
}

function venue(): CcxtVenue {
  const { apiKey, secret } = fx.keys.trader
  const v = createCcxtVenue({ accountId: 'acc1', exchange: 'binance', sandbox: false, apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  venues.push(v)
  return v
}

/** Another account trading on the exchange's matching engine. */
function bob(side: 'buy' | 'sell', amount: string, price: string): void {
  fx.engine.placeOrder({ accountId: 'bob', clientOrderId: `bob${Math.random().toString(36).slice(2)}`, symbol: 'BTC/USDT', side, type: 'limit', amount, price, timeInForce: 'IOC', postOnly: false })
}

const orderPosts = () => fx.server.faults.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')

describe('the Binance venue: native stop orders through ccxt', () => {
  it('a stop-limit goes out as STOP_LOSS_LIMIT with its stopPrice, is held untriggered, and fills once a trade crosses it', async () => {
    const v = venue()
    await v.connect()
    expect(v.capabilities.nativeStops).toBe(true)
    const placed = await v.placeOrder({
      clientOrderId: 'stop1',
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      amount: '0.01',
      price: '94890',
      timeInForce: 'GTC',
      postOnly: false,
      trigger: { kind: 'stop-loss', price: '94900' },
    })
    const sent = orderPosts().at(-1)?.params
    expect(sent).toMatchObject({ type: 'STOP_LOSS_LIMIT', stopPrice: '94900', price: '94890', quantity: '0.01', timeInForce: 'GTC', newClientOrderId: 'stop1' })
    expect(placed).toMatchObject({ clientOrderId: 'stop1', status: 'open', filled: '0', price: '94890', triggerPrice: '94900', type: 'limit' })
    expect(placed.createdAt).toBeGreaterThan(0)
    // Held: open on the venue, not on the book.
    const open = await v.fetchOpenOrders('BTC/USDT')
    expect(open.map((o) => [o.clientOrderId, o.venueOrderId, o.triggerPrice])).toEqual([['stop1', placed.venueOrderId, '94900']])
    expect(fx.engine.book('BTC/USDT', 30).asks.some(([p]) => p === '94890')).toBe(false)

    bob('sell', '5', '94900') // takes the bids from 94990 down to 94900 (0.5 each): the last trade is at the stop
    const filled = await waitFor(async () => {
      const o = await v.fetchOrder('BTC/USDT', { venueOrderId: placed.venueOrderId })
      return o?.status === 'closed' ? o : undefined
    }, 'the stop to fill')
    expect(filled).toMatchObject({ venueOrderId: placed.venueOrderId, clientOrderId: 'stop1', filled: '0.01', triggerPrice: '94900' })
    const fills = await v.fetchMyFills('BTC/USDT')
    expect(fills.map((f) => [f.venueOrderId, f.price, f.amount])).toEqual([[placed.venueOrderId, '94890', '0.01']])
  })

  it('a stop-market and take-profits pick Binance types; a stop already crossed is refused; cancel works', async () => {
    const v = venue()
    await v.connect()
    const base = { symbol: 'BTC/USDT', amount: '0.01', timeInForce: 'GTC' as const, postOnly: false }
    const sm = await v.placeOrder({ ...base, clientOrderId: 'sm1', side: 'sell', type: 'market', trigger: { kind: 'stop-loss', price: '94000' } })
    expect(orderPosts().at(-1)?.params).toMatchObject({ type: 'STOP_LOSS', stopPrice: '94000', quantity: '0.01' })
    expect(orderPosts().at(-1)?.params.price).toBeUndefined()
    await v.placeOrder({ ...base, clientOrderId: 'tp1', side: 'sell', type: 'limit', price: '96000', trigger: { kind: 'take-profit', price: '96000' } })
    expect(orderPosts().at(-1)?.params).toMatchObject({ type: 'TAKE_PROFIT_LIMIT', stopPrice: '96000', price: '96000' })
    await v.placeOrder({ ...base, clientOrderId: 'tp2', side: 'buy', type: 'market', trigger: { kind: 'take-profit', price: '94000' } })
    expect(orderPosts().at(-1)?.params).toMatchObject({ type: 'TAKE_PROFIT', stopPrice: '94000' })
    await expect(
      v.placeOrder({ ...base, clientOrderId: 'bad1', side: 'sell', type: 'market', trigger: { kind: 'stop-loss', price: '99000' } }),
    ).rejects.toMatchObject({ kind: 'invalid-order', message: expect.stringContaining('Order would trigger immediately') })

    const open = await v.fetchOpenOrders('BTC/USDT')
    expect(open.map((o) => o.clientOrderId).sort()).toEqual(['sm1', 'tp1', 'tp2'])
    const canceled: VenueOrder = await v.cancelOrder('BTC/USDT', sm.venueOrderId)
    expect(canceled).toMatchObject({ venueOrderId: sm.venueOrderId, status: 'canceled' })
    expect((await v.fetchOrder('BTC/USDT', { clientOrderId: 'sm1' }))?.status).toBe('canceled')
    expect((await v.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId).sort()).toEqual(['tp1', 'tp2'])
  })
})

describe('the conditional engine: stop orders on exchange (Binance)', () => {
  it('a stop-limit on exchange: held by Binance as STOP_LOSS_LIMIT with our client id, filled when the price crosses', async () => {
    const a = await app()
    const venueId = accountOf(a)
    const [leg] = await a.conditional.create(stopLimit(venueId, '94900.00', '94890.00'))
    expect(leg).toMatchObject({ placement: 'exchange', status: 'armed', reason: null, kind: 'stop-limit', triggerPrice: '94900', limitPrice: '94890' })
    const clientOrderId = leg!.clientOrderId as string
    expect(clientOrderId).toMatch(/^cc[a-z0-9]+$/)
    // On the exchange: one untriggered STOP_LOSS_LIMIT with that stop price and our client id, not on the book.
    const held = await onExchange(clientOrderId)
    expect(held.info).toMatchObject({ type: 'STOP_LOSS_LIMIT', stopPrice: '94900.00000000', price: '94890.00000000', status: 'NEW', isWorking: false, workingTime: -1 })
    expect(held.clientOrderId).toBe(clientOrderId)
    expect(fx.engine.openOrders('alice')).toHaveLength(0)
    // In the app: the order, marked as a stop on the exchange.
    expect(a.orders.manager.get(clientOrderId)).toMatchObject({ status: 'open', type: 'limit', price: '94890', trigger: { kind: 'stop-loss', price: '94900' }, origin: { kind: 'conditional', ref: leg!.id } })
    expect(orderPosts()).toHaveLength(1)

    bob('sell', '5', '94900') // the bids down to 94900 are taken: the last trade reaches the stop
    await waitFor(() => a.orders.manager.get(clientOrderId)?.status === 'filled', 'the order to show filled')
    await waitFor(() => legOf(a, leg!.id)?.status === 'done', 'the leg to be done')
    expect(a.orders.manager.get(clientOrderId)).toMatchObject({ filled: '0.01' })
    const fills = await waitFor(() => {
      const all = a.orders.manager.fills({ venueId, limit: 10 })
      return all.length > 0 ? all : undefined
    }, 'the fill to be recorded')
    expect(fills.map((f) => [f.clientOrderId, Number(f.price), Number(f.amount)])).toEqual([[clientOrderId, 94890, 0.01]])
    expect((await onExchange(clientOrderId)).info).toMatchObject({ status: 'FILLED', type: 'STOP_LOSS_LIMIT', isWorking: true })
    expect(orderPosts()).toHaveLength(1)
  })

  it('cancel on exchange cancels the Binance order and ends the leg; refusals are specific and store nothing', async () => {
    const a = await app()
    const venueId = accountOf(a)
    const [leg] = await a.conditional.create(stopLimit(venueId, '94000.00', '93990.00'))
    const clientOrderId = leg!.clientOrderId as string
    const [after] = await a.conditional.cancel(leg!.id)
    expect(after).toMatchObject({ status: 'canceled', reason: 'canceled by you', placement: 'exchange' })
    expect((await onExchange(clientOrderId)).info).toMatchObject({ status: 'CANCELED', type: 'STOP_LOSS_LIMIT' })
    expect(a.orders.manager.get(clientOrderId)?.status).toBe('canceled')
    expect(a.conditional.list({ scope: 'active', limit: 10 })).toEqual([])

    // Binance refuses a stop already crossed: nothing stays in the app.
    const before = a.orders.store.sqlite.prepare('select count(*) as n from conditional_orders').get() as { n: number }
    await expect(a.conditional.create(stopLimit(venueId, '99000.00', '98990.00'))).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Order would trigger immediately') })
    const trailing = conditionalCreateSchema.parse({ type: 'single', venueId, symbol: 'BTC/USDT', placement: 'exchange', leg: { kind: 'trailing-stop', side: 'sell', amount: '0.01', distance: { unit: 'percent', value: '1' } } })
    await expect(a.conditional.create(trailing)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('A trailing stop cannot be placed on Binance test') })
    expect(a.orders.store.sqlite.prepare('select count(*) as n from conditional_orders').get()).toEqual(before)
  })

  it('a restart reconciles it: filled on the exchange while the app was down, shown filled and done after the restart', async () => {
    const first = await app()
    const venueId = accountOf(first)
    const [leg] = await first.conditional.create(stopLimit(venueId, '94900.00', '94890.00'))
    const clientOrderId = leg!.clientOrderId as string
    await first.close()

    bob('sell', '5', '94900') // triggers and fills while nobody watches
    await waitFor(async () => (await onExchange(clientOrderId)).status === 'closed', 'the exchange to fill it')

    const second = await app()
    await waitFor(() => second.orders.manager.get(clientOrderId)?.status === 'filled', 'reconciliation to find it filled')
    await waitFor(() => legOf(second, leg!.id)?.status === 'done', 'the leg to be done')
    expect(second.orders.manager.fills({ venueId, limit: 10 }).every((f) => f.clientOrderId === clientOrderId)).toBe(true)
    expect(orderPosts()).toHaveLength(1) // never sent again
  })

  it('a restart with the stop still untriggered: followed again, then it fills', async () => {
    const first = await app()
    const venueId = accountOf(first)
    const [leg] = await first.conditional.create(stopLimit(venueId, '94900.00', '94890.00'))
    const clientOrderId = leg!.clientOrderId as string
    await first.close()

    const second = await app()
    expect(second.conditional.list({ scope: 'active', limit: 10 }).map((v) => [v.id, v.status, v.placement])).toEqual([[leg!.id, 'armed', 'exchange']])
    expect(second.orders.manager.get(clientOrderId)?.status).toBe('open')
    bob('sell', '5', '94900')
    await waitFor(() => legOf(second, leg!.id)?.status === 'done', 'the leg to be done')
    expect(orderPosts()).toHaveLength(1)
  })
})
