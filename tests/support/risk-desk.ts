// The risk tests' desk: the real risk gate, order manager and conditional engine over a hand-made venue,
// wired as core.ts wires them (the engine asks the gate at arming and fire; the gate sees open orders and
// armed buys), with scripted ticks.
import type { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { Store } from '../../src-main/store/open'
import { ConditionalEngine } from '../../src-main/trading/conditional/engine'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { RiskService } from '../../src-main/trading/risk/service'
import { MarketRules } from '../../src-main/trading/ticket/markets'
import { ScriptedTicks } from '../unit/conditional-harness'
import { fakeVenues, type FakeVenue } from './desk-fakes'

export interface RiskDesk {
  risk: RiskService
  orders: OrderManager
  conditional: ConditionalEngine
  ticks: ScriptedTicks
}

/** Builds and starts the desk; the caller stops it (conditional.stop(), await orders.stop()). */
export async function riskDesk(store: Store, bus: EventBus, venue: FakeVenue, now: () => number): Promise<RiskDesk> {
  const venues = fakeVenues(venue)
  const risk = new RiskService({ db: store.db, bus, venues, log: silentLogger, now })
  const orders = new OrderManager({ db: store.db, bus, log: silentLogger, venues, risk, reconcileEveryMs: 0, retryDelaysMs: [] })
  const rules = new MarketRules(venues)
  const ticks = new ScriptedTicks()
  const conditional = new ConditionalEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now: Date.now,
    halted: () => risk.haltMessage(),
    checkArm: (arm) => risk.checkArm(arm),
    gateway: orders,
    ticks,
    markets: (venueId, symbol) => rules.resolve(venueId, symbol).then((r) => r.market),
    labelOf: (venueId) => rules.label(venueId),
    every: () => () => {},
  })
  await orders.start()
  await conditional.start()
  risk.bindOpenOrders((filter) => orders.open(filter))
  risk.bindArmedBuys((filter) => conditional.armedBuys(filter))
  return { risk, orders, conditional, ticks }
}
