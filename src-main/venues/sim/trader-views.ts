import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { SimTraderDetail, SimTraderView } from '../../api/schemas/venues'
import type { SimHost } from './host'
import { simTraderById } from './traders'
import { valueBalances, type PriceOf } from '../valuation'

const RECENT_FILLS = 50

// What the UI shows of the simulated traders (and later copy trading follows). Equity is exact: balances
// valued at the simulated exchange's last prices. P&L is measured against simply holding the trader's
// starting balances at today's prices, so it shows the trading itself, not the market's drift.

export async function simTraderViews(host: SimHost): Promise<SimTraderView[]> {
  return Promise.all(host.runtime.traders().map((status) => traderView(host, status.id)))
}

export async function simTraderDetail(host: SimHost, id: string): Promise<SimTraderDetail> {
  const trader = await traderView(host, id)
  const balances = (await valueBalances(host.engine.balances(trader.id), pricesOf(host))).rows
  const openOrders = host.engine.openOrders(trader.id).map((o) => ({
    venueOrderId: o.venueOrderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    price: o.price,
    amount: o.amount,
    filled: o.filled,
    status: o.status,
    createdAt: o.createdAt,
  }))
  const recentFills = host.engine
    .fills(trader.id, { limit: RECENT_FILLS })
    .slice(-RECENT_FILLS)
    .reverse()
    .map((f) => ({
      tradeId: f.tradeId,
      symbol: f.symbol,
      side: f.side,
      price: f.price,
      amount: f.amount,
      feeAsset: f.fee.asset,
      fee: f.fee.amount,
      liquidity: f.liquidity,
      timestamp: f.timestamp,
    }))
  return { trader, balances, openOrders, recentFills }
}

async function traderView(host: SimHost, id: string): Promise<SimTraderView> {
  const def = simTraderById(id)
  const status = host.runtime.traders().find((t) => t.id === def?.id)
  if (!def || !status) throw new AppError('NOT_FOUND', `No simulated trader "${id}"`)
  const prices = pricesOf(host)
  // Shown to the cent; P&L is the difference of the shown figures, so the row always adds up.
  const equity = new Decimal((await valueBalances(host.engine.balances(def.id), prices)).value ?? 0).toDecimalPlaces(2)
  const starting = Object.entries(def.startingBalances).map(([asset, amount]) => ({ asset, free: amount, used: '0', total: amount }))
  const startEquity = new Decimal((await valueBalances(starting, prices)).value ?? 0).toDecimalPlaces(2)
  const pnl = equity.minus(startEquity)
  return {
    id: def.id,
    name: def.name,
    style: def.style,
    description: def.description,
    symbols: [...def.symbols],
    equity: equity.toFixed(2),
    startEquity: startEquity.toFixed(2),
    pnl: pnl.toFixed(2),
    pnlPct: startEquity.isZero() ? '0' : pnl.div(startEquity).times(100).toDecimalPlaces(2).toFixed(2),
    ordersPlaced: status.ordersPlaced,
    fills: status.fills,
    lastAction: status.lastAction,
    lastActionAt: status.lastActionAt,
  }
}

function pricesOf(host: SimHost): PriceOf {
  const symbols = new Set(host.engine.markets().map((m) => m.symbol))
  return async (symbol) => (symbols.has(symbol) ? host.engine.ticker(symbol).last : null)
}
