import Decimal from 'decimal.js'
import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import { AppError } from '../errors'
import type { FillView, OrderView } from '../schemas/trading'
import type { FillRecord, OrderRecord } from '../../trading/model'
import type { OrderManager } from '../../trading/orders/order-manager'
import type { ConditionalEngine } from '../../trading/conditional/engine'
import type { RiskService } from '../../trading/risk/service'
import type { TicketService } from '../../trading/ticket/service'

/** The trading modules the commands reach. */
export interface TradingModules {
  ticket: TicketService
  orders: OrderManager
  conditional: ConditionalEngine
  risk: RiskService
  /** Names a venue for the screen ("Binance main"); the VenueRegistry's label. */
  venueLabel: (venueId: string) => string
  /** Whether the venue is there now (not a closed paper account, a removed exchange account, a typo). */
  venueExists: (venueId: string) => boolean
  /** What a venue that is gone was: a removed exchange account or a closed paper account (undefined: never seen). */
  formerKind: (venueId: string) => 'exchange' | 'paper' | undefined
}

type TradingCommand =
  | 'orders.preview'
  | 'orders.submit'
  | 'orders.cancel'
  | 'orders.cancelAll'
  | 'orders.amend'
  | 'orders.list'
  | 'fills.list'
  | 'positions.flatten'
  | 'conditional.create'
  | 'conditional.cancel'
  | 'conditional.amend'
  | 'conditional.list'
  | 'risk.get'
  | 'risk.set'
  | 'risk.today'
  | 'trading.killSwitch'
  | 'trading.resume'

export function tradingHandlers(m: TradingModules): HandlerSlice<TradingCommand> {
  const view = (order: OrderRecord) => orderView(order, m.venueLabel(order.venueId))
  return {
    'orders.preview': (ticket) => m.ticket.preview(ticket),
    'orders.submit': async (ticket) => view(await m.ticket.submit(ticket)),
    'orders.cancel': async ({ clientOrderId }) => view(await m.orders.cancelByTrader(clientOrderId)),
    'orders.cancelAll': ({ venueId, symbol }) => {
      // "Canceled 0" on an account that is gone would read as done; say it is gone instead.
      if (venueId !== undefined && !m.venueExists(venueId)) throw goneVenue(venueId, m.venueLabel(venueId), m.formerKind(venueId))
      return m.orders.cancelAll(scope(venueId, symbol))
    },
    'orders.amend': async ({ clientOrderId, price, amount }) => {
      if (m.orders.get(clientOrderId) === undefined) throw new AppError('NOT_FOUND', `No order ${JSON.stringify(clientOrderId)}`)
      const asked = { ...(price === undefined ? {} : { price }), ...(amount === undefined ? {} : { amount }) }
      // Checked once an amend of the same order from another window has ended (the order may be replaced).
      const check = async (order: OrderRecord) => {
        const checked = await m.ticket.checkAmend(order, { price, amount })
        return { ...(price === undefined ? {} : { price: checked.price }), ...(amount === undefined ? {} : { amount: checked.amount }) }
      }
      return view(await m.orders.amend(clientOrderId, asked, check))
    },
    'orders.list': ({ venueId, symbol, scope: which, limit, before }) =>
      m.orders.list({ ...scope(venueId, symbol), scope: which, limit, ...(before === undefined ? {} : { before }) }).map(view),
    'fills.list': ({ venueId, symbol, limit, before }) =>
      m.orders.fills({ ...scope(venueId, symbol), limit, ...(before === undefined ? {} : { before }) }).map(fillView),
    'positions.flatten': async ({ venueId, symbol }) => view(await m.ticket.flatten(venueId, symbol)),
    'conditional.create': (input) => m.conditional.create(input),
    'conditional.cancel': ({ id }) => m.conditional.cancel(id),
    'conditional.amend': (input) => m.conditional.amend(input),
    'conditional.list': ({ venueId, symbol, scope: which, limit }) => m.conditional.list({ ...scope(venueId, symbol), scope: which, limit }),
    'risk.get': () => m.risk.view(),
    'risk.set': ({ expectedVersion, ...limits }) => m.risk.set(limits, expectedVersion),
    'risk.today': () => m.risk.today(),
    'trading.killSwitch': () => m.risk.killSwitch(),
    'trading.resume': () => m.risk.resume(),
  }
}

/**
 * NOT_FOUND for a venue that is not there: by the name it had when it was closed or removed, else its id. A
 * closed paper account's orders went with it; a removed exchange account's are still live on the exchange.
 */
function goneVenue(venueId: string, label: string, kind: 'exchange' | 'paper' | undefined): AppError {
  if (kind === 'exchange') return new AppError('NOT_FOUND', `${label} was removed; its orders left on the exchange must be canceled there`)
  return new AppError('NOT_FOUND', label === venueId ? `No venue "${venueId}"` : `${label} was closed: it has no orders to cancel`)
}

/** Trading streams: each forwards its bus event, as the screen shows it. */
export function tradingSources(
  bus: EventBus,
  venueLabel: (venueId: string) => string,
): Pick<StreamSources, 'orders.changed' | 'fills.recorded' | 'conditional.changed' | 'conditional.live' | 'risk.changed'> {
  return {
    'orders.changed': (emit) => bus.on('orderChanged', (e) => emit(orderView(e.order, venueLabel(e.order.venueId)))),
    'fills.recorded': (emit) => {
      const offs = [
        bus.on('orderFilled', (e) => emit(fillView(e.fill))),
        // A fill seen before its order's venue id was known, now tied to the order: the same fill again.
        bus.on('fillsLinked', (e) => e.fills.forEach((f) => emit(fillView(f)))),
      ]
      return () => offs.forEach((off) => off())
    },
    'conditional.changed': (emit) => bus.on('conditionalChanged', (e) => emit(e.view)),
    'conditional.live': (emit) => bus.on('conditionalLive', (e) => emit({ figures: e.figures })),
    'risk.changed': (emit) => bus.on('riskChanged', (e) => emit(e.view)),
  }
}

function scope(venueId: string | undefined, symbol: string | undefined): { venueId?: string; symbol?: string } {
  return { ...(venueId === undefined ? {} : { venueId }), ...(symbol === undefined ? {} : { symbol }) }
}

export function orderView(o: OrderRecord, venueLabel: string): OrderView {
  const filled = new Decimal(o.filled)
  return {
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId,
    venueId: o.venueId,
    venueLabel,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    postOnly: o.postOnly,
    amount: o.amount,
    price: o.price,
    filled: o.filled,
    // Exact quotient, cut at 12 decimals (a repeating average cannot be written out in full).
    avgPrice: filled.isZero() ? null : new Decimal(o.cost).div(filled).toDecimalPlaces(12).toFixed(),
    status: o.status,
    origin: o.origin,
    error: o.error,
    attempts: o.attempts,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    ...(o.trigger !== undefined ? { trigger: o.trigger } : {}),
  }
}

export function fillView(f: FillRecord): FillView {
  return {
    venueId: f.venueId,
    tradeId: f.tradeId,
    clientOrderId: f.clientOrderId,
    venueOrderId: f.venueOrderId,
    symbol: f.symbol,
    side: f.side,
    price: f.price,
    amount: f.amount,
    feeAsset: f.fee.asset,
    feeAmount: f.fee.amount,
    liquidity: f.liquidity,
    timestamp: Math.trunc(f.timestamp),
  }
}
