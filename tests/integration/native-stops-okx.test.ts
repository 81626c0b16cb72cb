import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOkxFixture, type OkxFixture } from '../support/okx/fixture'
import { tempDir } from '../support/temp-core'
import { createCcxtVenue, type CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import { conditionalCreateSchema, type ConditionalView } from '../../src-main/api/schemas/trading'
import { openOrdersEngine, type OrdersEngine } from './orders-engine'
import { waitFor } from '../support/wait-for'

// Native stop orders ("on exchange") with ccxt's real okx class against the local OKX server. ccxt places
// an OKX spot stop as an algo order (POST trade/order-algo, an algoId): it is looked up, listed and canceled
// through the algo endpoints, stays open (not "lost") while untriggered, is canceled by the user and by the
// kill switch, and the regular order it places when it triggers fills as the stop's own order.

let fx: OkxFixture
const venues: CcxtVenue[] = []
let dataDir: string
const apps: App[] = []

beforeEach(async () => {
  fx = await createOkxFixture()
  fx.engine.deposit('bob', 'BTC', '10')
  dataDir = tempDir('co-native-stops-okx-')
})

afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
  for (const v of venues.splice(0)) await v.close()
  await fx.close()
})

interface App {
  orders: OrdersEngine
  conditional: ConditionalEngine
  venueId: string
  close(): Promise<void>
}

function venue(): CcxtVenue {
  const k = fx.keys.trader
  const v = createCcxtVenue({ accountId: 'rules', exchange: 'okx', sandbox: false, apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase } })
  venues.push(v)
  return v
}

async function app(): Promise<App> {
  const orders = openOrdersEngine({ dataDir, manager: { retryDelaysMs: [100, 200], lostRecheckMs: 300, resyncDelayMs: 200 } })
  const k = fx.keys.trader
  const account =
    orders.accounts.list()[0] ??
    (await orders.accounts.add({ exchange: 'okx', label: 'OKX test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey: k.apiKey, secret: k.secret, password: k.passphrase } }))
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
    labelOf: () => 'OKX test',
    nativeStops: () => rules.capabilities.nativeStops,
  })
  await conditional.start()
  const a: App = {
    orders,
    conditional,
    venueId: account.id,
    async close() {
      conditional.stop()
      await orders.close()
      apps.splice(apps.indexOf(a), 1)
    },
  }
  apps.push(a)
  return a
}

const stop = (venueId: string, kind: 'stop-limit' | 'stop-market') =>
  conditionalCreateSchema.parse({
    type: 'single',
    venueId,
    symbol: 'BTC/USDT',
    placement: 'exchange',
    leg: { kind, side: 'sell', amount: '0.01', triggerPrice: '94900', ...(kind === 'stop-limit' ? { limitPrice: '94890' } : {}) },
  })

function legOf(a: App, id: string): ConditionalView | undefined {
  return [...a.conditional.list({ scope: 'active', limit: 100 }), ...a.conditional.list({ scope: 'history', limit: 100 })].find((v) => v.id === id)
}

/** Another account selling 5 BTC down the maker's ladder: the last trade reaches 94900. */
function marketFallsTo94900(): void {
  fx.engine.placeOrder({ accountId: 'bob', clientOrderId: 'bobsells', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '5', price: '94900', timeInForce: 'IOC', postOnly: false })
}

async function placed(a: App, kind: 'stop-limit' | 'stop-market') {
  const [leg] = await a.conditional.create(stop(a.venueId, kind))
  const clientOrderId = leg!.clientOrderId as string
  const algoId = a.orders.manager.get(clientOrderId)!.venueOrderId as string
  return { leg: leg!, clientOrderId, algoId }
}

describe('OKX: native stop orders held as algo orders', () => {
  it('goes out as a cash (spot) conditional algo with our client id, stays open through reconciliation, and is canceled', async () => {
    const a = await app()
    const { leg, clientOrderId, algoId } = await placed(a, 'stop-limit')
    const sent = fx.server.faults.requests.find((r) => r.path === '/api/v5/trade/order-algo')?.params as Record<string, string>
    expect(sent).toMatchObject({ ordType: 'conditional', tdMode: 'cash', algoClOrdId: clientOrderId, slTriggerPx: '94900', slOrdPx: '94890' })
    expect(fx.server.algos.get(algoId)?.state).toBe('live')
    // The stream's resync (200 ms after it opened) looks at the algo orders; a reconcile queued after it finds
    // the stop too, with nothing to look at again ("not found" would recheck it, then call it lost): still open, leg armed.
    const placedAt = fx.server.faults.requests.findIndex((r) => r.path === '/api/v5/trade/order-algo')
    await waitFor(() => fx.server.faults.requests.slice(placedAt).some((r) => r.path === '/api/v5/trade/orders-algo-pending'), 'the resync after the stream opened')
    expect(await a.orders.manager.reconcile(a.venueId)).toMatchObject({ rechecking: [], skipped: [] })
    expect(a.orders.manager.get(clientOrderId)).toMatchObject({ status: 'open', error: null })
    expect(legOf(a, leg.id)).toMatchObject({ status: 'armed' })
    await a.conditional.cancel(leg.id)
    expect(fx.server.algos.get(algoId)?.state).toBe('canceled')
    expect(a.orders.manager.get(clientOrderId)?.status).toBe('canceled')
    expect(legOf(a, leg.id)).toMatchObject({ status: 'canceled', reason: 'canceled by you' })
  })

  it('is canceled by the kill switch (every open order canceled)', async () => {
    const a = await app()
    const { clientOrderId, algoId } = await placed(a, 'stop-market')
    await a.orders.manager.cancelAll()
    expect(fx.server.algos.get(algoId)?.state).toBe('canceled')
    expect(a.orders.manager.get(clientOrderId)?.status).toBe('canceled')
  })

  it('triggers on the exchange: the fill of the order it places is the stop\'s own, and the leg is done', async () => {
    const a = await app()
    const { leg, clientOrderId, algoId } = await placed(a, 'stop-market')
    marketFallsTo94900()
    await waitFor(() => fx.server.algos.get(algoId)?.ordId || undefined, 'the algo to place its order')
    const order = await waitFor(() => {
      const o = a.orders.manager.get(clientOrderId)
      return o?.status === 'filled' ? o : undefined
    }, 'the stop order to be filled')
    expect(order.filled).toBe('0.01')
    const fills = a.orders.manager.fills({ venueId: a.venueId, limit: 10 })
    expect(fills).toHaveLength(1)
    expect(fills[0]).toMatchObject({ clientOrderId, amount: '0.01', side: 'sell' })
    await waitFor(() => legOf(a, leg.id)?.status === 'done', 'the leg to be done')
    // A later reconciliation pass changes nothing.
    await a.orders.manager.reconcile(a.venueId)
    expect(a.orders.manager.fills({ venueId: a.venueId, limit: 10 })).toHaveLength(1)
    expect(a.orders.manager.get(clientOrderId)?.status).toBe('filled')
  })

  it('triggered and filled while the app was closed: at the next start the order is filled and the fill is the stop\'s', async () => {
    const first = await app()
    const { leg, clientOrderId, algoId } = await placed(first, 'stop-market')
    await first.close()
    marketFallsTo94900()
    await waitFor(() => fx.server.algos.get(algoId)?.ordId || undefined, 'the algo to place its order')
    const childId = fx.server.algos.get(algoId)!.ordId
    await waitFor(() => fx.engine.fills('alice', { symbol: 'BTC/USDT' }).some((f) => f.venueOrderId === childId), 'the order it placed to fill')
    const again = await app()
    const order = await waitFor(() => {
      const o = again.orders.manager.get(clientOrderId)
      return o?.status === 'filled' ? o : undefined
    }, 'the stop order to be filled after the restart')
    expect(order).toMatchObject({ filled: '0.01', venueOrderId: algoId })
    const fills = again.orders.manager.fills({ venueId: again.venueId, limit: 10 })
    expect(fills).toHaveLength(1)
    expect(fills[0]).toMatchObject({ clientOrderId, venueOrderId: algoId, amount: '0.01' })
    await waitFor(() => legOf(again, leg.id)?.status === 'done', 'the leg to be done')
  })
})
