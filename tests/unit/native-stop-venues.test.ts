import ccxt from 'ccxt'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConditionalCreate } from '../../src-main/api/schemas/trading'
import type { VenueView } from '../../src-main/api/contract'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import type { OrderIntent } from '../../src-main/trading/model'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { nativeStopExchanges, nativeStopSupport } from '../../src-main/venues/ccxt/native-stop-exchanges'
import { nativeSupportOf } from '../../src-main/venues/native-support'
import type { OrderTrigger } from '../../src-main/venues/port'
import { exchangePlacement } from '../../src-renderer/features/trading/nativePlacement'
import { closeStores, harness, input, VENUE } from './conditional-harness'
import { migrationsDir, tempDir } from '../support/temp-core'

// "On exchange" is offered only for the stop orders ccxt can place on an exchange's spot market: none on
// Bitget (ccxt: spot stops unsupported), stop-limit / take-profit-limit only on Coinbase (ccxt: "only stop
// limit orders"). What is not offered is refused before anything is sent, naming the venue and why; a
// refusal ccxt makes itself is worded as this app's limit, not as the exchange refusing.

const stores: Store[] = []
afterEach(() => {
  closeStores()
  for (const s of stores.splice(0)) s.close()
})

const marketIds: Record<string, string> = { bitget: 'BTCUSDT', coinbase: 'BTC-USDT', gate: 'BTC_USDT', bybit: 'BTCUSDT' }

/** A venue whose ccxt HTTP is stubbed: every request is recorded and answered "order not found". */
function stubbed(exchange: 'bitget' | 'coinbase' | 'gate' | 'bybit'): { venue: CcxtVenue; sent: string[]; ex: Record<string, unknown> } {
  const venue = new CcxtVenue({ accountId: exchange, exchange, sandbox: false, apiBaseUrl: null, credentials: { apiKey: 'k'.repeat(16), secret: 's'.repeat(32), password: 'p' } })
  const ex = (venue as unknown as { ex: Record<string, unknown> & { setMarkets(m: unknown[]): void; markets: unknown } }).ex
  ex.setMarkets([
    { id: marketIds[exchange], symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', baseId: 'BTC', quoteId: 'USDT', type: 'spot', spot: true, margin: false, swap: false, future: false, option: false, contract: false, active: true, precision: { amount: 0.00001, price: 0.01 }, limits: { amount: {}, price: {}, cost: {} }, info: {} },
  ])
  const sent: string[] = []
  ex.fetch = async (url: string, method: string) => {
    sent.push(`${method} ${new URL(url).pathname}`)
    throw new ccxt.OrderNotFound('not found')
  }
  ex.loadMarkets = async () => ex.markets
  return { venue, sent, ex }
}

async function manager(venue: CcxtVenue): Promise<OrderManager> {
  const store = openStore(tempDir('co-native-venues-'), migrationsDir)
  stores.push(store)
  const m = new OrderManager({ db: store.db, bus: new EventBus(() => {}), log: silentLogger, venues: { open: async () => venue }, risk: { check: async () => {} }, reconcileEveryMs: 0, retryDelaysMs: [10, 10], venueLabel: (id) => `${id} main` })
  await m.start()
  return m
}

const stopOrder = (venueId: string, type: 'limit' | 'market', trigger: OrderTrigger = { kind: 'stop-loss', price: '94900' }): OrderIntent => ({
  venueId,
  symbol: 'BTC/USDT',
  side: 'sell' as const,
  type,
  ...(type === 'limit' ? { price: '94890' as string } : {}),
  amount: '0.01',
  timeInForce: 'GTC' as const,
  postOnly: false,
  origin: { kind: 'manual', ref: null },
  trigger,
})

describe('Bitget: no stop orders on exchange', () => {
  it('its venue and the venue list do not offer it, and a stop is refused before anything is sent', async () => {
    const { venue, sent } = stubbed('bitget')
    expect(venue.capabilities.nativeStops).toBe(false)
    expect(nativeStopExchanges.bitget).toBe(false)
    const m = await manager(venue)
    for (const type of ['limit', 'market'] as const) {
      await expect(m.submit(stopOrder('bitget', type))).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: 'bitget main cannot hold this order natively (ccxt places stop and take-profit orders on Bitget swaps only, not on its spot markets); choose in app',
      })
    }
    expect(sent).toEqual([])
    await m.stop()
  })
})

describe('Gate and Bybit: no stop orders on exchange', () => {
  // ccxt places their spot stops apart from regular orders (Gate: spot/price_orders; Bybit: a stop order
  // filter), and the app's later look-ups and cancels through the regular calls would not find them.
  it('their venues do not offer it, and a stop is refused before anything is sent, naming the venue', async () => {
    for (const [exchange, name] of [['gate', 'Gate'], ['bybit', 'Bybit']] as const) {
      const { venue, sent } = stubbed(exchange)
      expect(venue.capabilities.nativeStops, exchange).toBe(false)
      expect(nativeStopExchanges[exchange], exchange).toBe(false)
      const m = await manager(venue)
      await expect(m.submit(stopOrder(exchange, 'limit'))).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringMatching(new RegExp(`^${exchange} main cannot hold this order natively \\(${name} keeps stop orders apart from its regular orders`)),
      })
      expect(sent).toEqual([])
      await m.stop()
    }
  })
})

describe('Coinbase: stop-limit and take-profit-limit only', () => {
  it('its capabilities name the kinds; a market stop is refused before anything is sent, a stop-limit goes out', async () => {
    const { venue, sent } = stubbed('coinbase')
    expect(venue.capabilities.nativeStops).toBe(true)
    expect(venue.capabilities.nativeStopKinds).toEqual(['stop-limit', 'take-profit-limit'])
    const m = await manager(venue)
    await expect(m.submit(stopOrder('coinbase', 'market'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^coinbase main cannot hold a stop-market order natively \(Coinbase takes stop-limit and take-profit-limit orders only/),
    })
    await expect(m.submit(stopOrder('coinbase', 'market', { kind: 'take-profit', price: '96000' }))).rejects.toMatchObject({
      message: expect.stringContaining('cannot hold a take-profit-market order natively'),
    })
    expect(sent).toEqual([])
    // A stop-limit is sent (the stub answers nothing useful; what matters is that it went out).
    await m.submit(stopOrder('coinbase', 'limit')).catch(() => undefined)
    expect(sent).toContain('POST /api/v3/brokerage/orders')
    await m.stop()
  })

  it('the conditional engine refuses an "on exchange" stop-market with the venue and the reason', async () => {
    const { venue } = stubbed('coinbase')
    const h = await harness({ nativeStops: nativeSupportOf(venue.capabilities) })
    h.ticks.price('100')
    const leg = (kind: string) => input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', placement: 'exchange', leg: { kind, side: 'sell', amount: '1', triggerPrice: '95', ...(kind.endsWith('limit') ? { limitPrice: '94.5' } : {}) } }) as ConditionalCreate
    await expect(h.engine.create(leg('stop-market'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'Sim cannot hold a stop-market order natively (Coinbase takes stop-limit and take-profit-limit orders only (ccxt places no market stops there)); choose in app',
    })
    await expect(h.engine.create(leg('stop-limit'))).resolves.toHaveLength(1)
  })

  it('the ticket offers "on exchange" for the limit kinds only, saying why not for the others', () => {
    const support = nativeStopSupport.coinbase
    const view: VenueView = { id: 'cb', exchange: 'coinbase', label: 'Coinbase main', kind: 'exchange', accountId: 'cb', connection: 'live', reason: null, marketCount: 1, nativeStops: true, nativeStopKinds: [...support.kinds], nativeStopsNote: support.note as string }
    expect(exchangePlacement(view, 'stop-limit', 'last')).toEqual({ exchange: true, why: null })
    expect(exchangePlacement(view, 'take-profit-limit', 'last')).toEqual({ exchange: true, why: null })
    expect(exchangePlacement(view, 'stop-market', 'last')).toEqual({
      exchange: false,
      why: 'Coinbase main cannot hold a stop-market order natively: Coinbase takes stop-limit and take-profit-limit orders only (ccxt places no market stops there)',
    })
  })
})

describe('a stop ccxt refuses itself', () => {
  it('is worded as this app not being able to place it, not as the exchange refusing', async () => {
    const { venue, ex } = stubbed('coinbase')
    ex.createOrder = async () => {
      throw new ccxt.NotSupported('coinbase createOrder() only stop limit orders are supported')
    }
    const m = await manager(venue)
    await expect(m.submit(stopOrder('coinbase', 'limit'))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This app cannot place a stop-limit order on Coinbase Advanced Trade (ccxt: coinbase createOrder() only stop limit orders are supported); choose in app',
    })
    await m.stop()
  })
})
