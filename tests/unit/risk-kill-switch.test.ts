import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { RiskService } from '../../src-main/trading/risk/service'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import { MarketRules } from '../../src-main/trading/ticket/markets'
import type { OrderIntent } from '../../src-main/trading/model'
import { balance, btcUsdt, fakeVenue, fakeVenues, type FakeVenue } from '../support/desk-fakes'
import { migrationsDir, tempDir } from '../support/temp-core'
import { VenueError } from '../../src-main/venues/port'
import { commands } from '../../src-main/api/contract'

// The kill switch with the real order manager and conditional engine over two hand-made venues: every
// conditional order is disarmed, every open order on both venues canceled, the halt is stored first, and
// nothing new goes out afterwards.

let store: Store
let bus: EventBus
let a: FakeVenue
let b: FakeVenue
let risk: RiskService
let orders: OrderManager
let conditional: ConditionalEngine

beforeEach(async () => {
  store = openStore(tempDir('co-kill-'), migrationsDir)
  bus = new EventBus()
  a = fakeVenue('a')
  b = fakeVenue('b')
  for (const v of [a, b]) {
    v.books.set('BTC/USDT', { bids: [['99.90', '5']], asks: [['100.00', '5']] })
    v.tickers.set('BTC/USDT', '100')
    v.balances = [balance('USDT', '100000')]
  }
  const venues = fakeVenues(a, b)
  risk = new RiskService({ db: store.db, bus, venues, log: silentLogger, now: () => Date.UTC(2025, 0, 1, 14, 2, 11) })
  orders = new OrderManager({ db: store.db, bus, log: silentLogger, venues, risk, reconcileEveryMs: 0, retryDelaysMs: [] })
  const rules = new MarketRules(venues)
  conditional = new ConditionalEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now: Date.now,
    halted: () => risk.haltMessage(),
    gateway: orders,
    // One live price at 100 (a creation checks its trigger against it), then no prices move: nothing triggers.
    ticks: {
      watch: (venueId, symbol, onTick) => {
        onTick({ venueId, symbol, last: '100', bid: '99.90', ask: '100.00', at: 0, health: 'live', reason: null })
        return () => {}
      },
    },
    markets: (venueId, symbol) => rules.resolve(venueId, symbol).then((r) => r.market),
    labelOf: (venueId) => rules.label(venueId),
    every: () => () => {},
  })
  await orders.start()
  await conditional.start()
  risk.bindKillTargets({ disarmAll: () => conditional.disarmAll(), cancelAll: () => orders.cancelAll() })
})
afterEach(async () => {
  conditional.stop()
  await orders.stop()
  store.close()
})

const buy = (venueId: string, price: string): OrderIntent => ({
  venueId,
  symbol: btcUsdt.symbol,
  side: 'buy',
  type: 'limit',
  timeInForce: 'GTC',
  postOnly: false,
  amount: '0.1',
  price,
  origin: { kind: 'manual', ref: null },
})

describe('kill switch', () => {
  it('halts first, disarms conditional orders, cancels every open order on every venue', async () => {
    for (const venueId of ['a', 'b']) {
      await conditional.create({ type: 'single', venueId, symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.1', triggerPrice: '80.00', trigger: 'last' } })
    }
    expect(conditional.list({ scope: 'active', limit: 10 })).toHaveLength(2)
    await orders.submit(buy('a', '90.00'))
    await orders.submit(buy('a', '91.00'))
    await orders.submit(buy('b', '92.00'))
    expect(orders.open()).toHaveLength(3)
    const order: string[] = []
    bus.on('killSwitchEngaged', () => order.push(`engaged, halted=${risk.view().halted}`))
    bus.on('orderChanged', (e) => e.order.status === 'canceled' && order.push(`canceled ${e.order.venueId}`))

    const result = await risk.killSwitch()

    expect(result).toEqual({ disarmed: 2, canceled: 3, partlyFilled: [], awaiting: [], ended: [], failed: [], at: Date.UTC(2025, 0, 1, 14, 2, 11) })
    expect(order[0]).toBe('engaged, halted=true')
    expect(conditional.list({ scope: 'active', limit: 10 })).toEqual([])
    const disarmed = conditional.list({ scope: 'history', limit: 10 }).map((c) => `${c.venueId} ${c.status}: ${c.reason}`)
    expect(disarmed.sort()).toEqual(['a canceled: disarmed by the kill switch', 'b canceled: disarmed by the kill switch'])
    expect(orders.open()).toEqual([])
    expect(a.orders.map((o) => o.status)).toEqual(['canceled', 'canceled'])
    expect(b.orders.map((o) => o.status)).toEqual(['canceled'])
    // Nothing new goes out, and nothing is stored for it.
    await expect(orders.submit(buy('b', '93.00'))).rejects.toThrow('Trading is halted by the kill switch since 14:02:11 UTC; resume it in Risk')
    expect(b.orders).toHaveLength(1)
    expect(orders.list({ scope: 'history', limit: 10 })).toHaveLength(3)
  })

  it('names an order it canceled after part of it filled, with what filled as the order row has it', async () => {
    const part = await orders.submit(buy('a', '90.00'))
    await orders.submit(buy('b', '92.00'))
    // 0.04 of a's 0.1 bought on the exchange before the switch was pulled; the cancel's answer says so.
    Object.assign(a.orders[0]!, { filled: '0.04', cost: '3.6' })
    const result = await risk.killSwitch()
    expect(orders.get(part.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0.04', amount: '0.1' })
    expect(result.canceled).toBe(2)
    expect(result.partlyFilled).toEqual([{ clientOrderId: part.clientOrderId, venueId: 'a', symbol: 'BTC/USDT', filled: '0.04', amount: '0.1' }])
    expect(commands['trading.killSwitch'].output.parse(result)).toEqual(result) // the contract carries it to the screen
  })

  it('reports the orders a venue would not cancel, with its words and that they are asked again, and still halts', async () => {
    await orders.submit(buy('a', '90.00'))
    await orders.submit(buy('b', '92.00'))
    b.refuseCancel.add('b-1')
    const result = await risk.killSwitch()
    expect(result.canceled).toBe(1)
    expect(result.failed).toEqual([{ clientOrderId: expect.any(String), venueId: 'b', error: 'not canceled yet: Order b-1 cannot be canceled now; it is asked again while trading stays halted' }])
    expect(risk.view().halted).toBe(true)
  })

  it('orders whose cancel waits for a rate hold stop saying so the moment trading is resumed, and are not canceled', async () => {
    const first = await orders.submit(buy('a', '90.00'))
    const second = await orders.submit(buy('a', '91.00'))
    a.cancelOrder = async (_symbol, venueOrderId) => {
      a.calls.push(`cancelOrder ${venueOrderId}`)
      throw new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too much request weight used"}', undefined, 60_000)
    }
    const result = await risk.killSwitch()
    expect(result.failed).toHaveLength(2)
    for (const o of [first, second]) expect(orders.get(o.clientOrderId)?.error).toMatch(/kill switch: the cancel waits for/)
    risk.resume()
    for (const o of [first, second]) expect(orders.get(o.clientOrderId)).toMatchObject({ status: 'open', error: null })
    expect(a.calls.filter((c) => c.startsWith('cancelOrder'))).toHaveLength(1)
  })

  it('an order whose checks were still reading when the kill switch was engaged is refused, and nothing reaches the venue', async () => {
    risk.set({ maxOrderNotional: null, maxPositionNotional: '1000000', priceBandPct: null, dailyLossLimit: null })
    // The max position reads the balances: on an exchange a REST call, here held until released.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const read = a.fetchBalances
    a.fetchBalances = async () => {
      await held
      return read()
    }
    const submitted = orders.submit(buy('a', '90.00'))
    await new Promise((r) => setTimeout(r, 10))
    const kill = await risk.killSwitch()
    expect(kill.canceled).toBe(0)
    release()
    await expect(submitted).rejects.toThrow('Trading is halted by the kill switch since 14:02:11 UTC; resume it in Risk')
    expect(a.orders).toEqual([])
    expect(orders.open()).toEqual([])
  })

  it('no conditional order is armed while trading is halted: it would be shown protecting a position and be refused when it fires', async () => {
    await risk.killSwitch()
    const stop = { type: 'single' as const, venueId: 'a', symbol: 'BTC/USDT', placement: 'app' as const, leg: { kind: 'stop-market' as const, side: 'sell' as const, amount: '0.1', triggerPrice: '80.00', trigger: 'last' as const } }
    await expect(conditional.create(stop)).rejects.toThrow(
      'Trading is halted by the kill switch since 14:02:11 UTC; resume it in Risk (no conditional order is armed while trading is halted)',
    )
    expect(conditional.list({ scope: 'active', limit: 10 })).toEqual([])
    expect(conditional.list({ scope: 'history', limit: 10 })).toEqual([])
    risk.resume()
    await conditional.create(stop)
    expect(conditional.list({ scope: 'active', limit: 10 })).toHaveLength(1)
  })
})
