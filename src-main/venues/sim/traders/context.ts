import type { MatchingEngine } from '../engine-api'
import type { Rng } from '../random'
import type { AgentAccount } from '../flow/agent'
import type { MarketGrid } from '../flow/quant'
import type { Scheduler } from '../flow/scheduler'
import type { NumCandle, TraderContext, Top } from './types'

export interface TraderContextDeps {
  id: string
  rng: Rng
  params: Readonly<Record<string, number>>
  engine: MatchingEngine
  scheduler: Scheduler
  account: AgentAccount
  grids: ReadonlyMap<string, MarketGrid>
  usdPrice: (asset: string) => number
  isActive: () => boolean
  onNote: (action: string, at: number) => void
}

/** Slack kept on buys so a market order's reservation never exceeds the free balance. */
const BUY_SLACK = 1.03

export function createTraderContext(deps: TraderContextDeps): TraderContext {
  const { engine, scheduler, account, grids, rng } = deps

  const grid = (symbol: string): MarketGrid => {
    const g = grids.get(symbol)
    if (!g) throw new RangeError(`${deps.id}: no market ${symbol}`)
    return g
  }

  const top = (symbol: string): Top | null => {
    const book = engine.book(symbol, 1)
    const bid = book.bids[0]
    const ask = book.asks[0]
    if (!bid || !ask) return null
    const b = Number(bid[0])
    const a = Number(ask[0])
    return { bid: b, ask: a, mid: (a + b) / 2, spread: a - b }
  }

  const guarded = (fn: () => void) => () => {
    if (!deps.isActive()) return
    fn()
  }

  const ctx: TraderContext = {
    id: deps.id,
    rng,
    params: deps.params,
    now: () => scheduler.now(),

    every(intervalMs, fn, jitter = 0.2) {
      const run = guarded(fn)
      const loop = () => {
        // Re-arm first: a decision that throws must not end the trader.
        scheduler.after(Math.max(1, intervalMs * (1 + jitter * (2 * rng.next() - 1))), loop)
        run()
      }
      scheduler.after(Math.max(1, intervalMs * rng.next()), loop)
    },

    after(delayMs, fn) {
      scheduler.after(delayMs, guarded(fn))
    },

    grid,
    top,

    depth(symbol, levels) {
      const book = engine.book(symbol, levels)
      return {
        bids: book.bids.map(([p, a]) => [Number(p), Number(a)] as [number, number]),
        asks: book.asks.map(([p, a]) => [Number(p), Number(a)] as [number, number]),
      }
    },

    candles(symbol, timeframe, limit) {
      return engine.candles(symbol, timeframe, { limit }).map(
        (c): NumCandle => ({
          time: c.time,
          open: Number(c.open),
          high: Number(c.high),
          low: Number(c.low),
          close: Number(c.close),
          volume: Number(c.volume),
        }),
      )
    },

    trades(symbol, limit) {
      return engine.trades(symbol, limit).map((t) => ({
        price: Number(t.price),
        amount: Number(t.amount),
        side: t.side,
        timestamp: t.timestamp,
      }))
    },

    free: (asset) => account.free(asset),
    total: (asset) => account.total(asset),
    usdPrice: (asset) => deps.usdPrice(asset),

    equityUsd() {
      let sum = 0
      for (const b of engine.balances(deps.id)) sum += Number(b.total) * deps.usdPrice(b.asset)
      return sum
    },

    limit(symbol, side, price, amount, options = {}) {
      const g = grid(symbol)
      const priceUnits = side === 'buy' ? g.price.floor(price) : g.price.ceil(price)
      const p = g.price.value(priceUnits)
      let units = g.amountUnits(amount, p)
      if (side === 'buy') units = Math.min(units, g.amount.floor(account.free(g.quote) / (p * 1.000001)))
      else units = Math.min(units, g.amount.floor(account.free(g.base)))
      if (units < g.minUnitsAt(p)) return null
      const result = account.limit(g, side, priceUnits, units, {
        postOnly: options.postOnly ?? false,
        timeInForce: options.ioc ? 'IOC' : 'GTC',
      })
      return result?.order ?? null
    },

    market(symbol, side, amount) {
      const g = grid(symbol)
      const t = top(symbol)
      if (!t) return null
      let units = g.amount.floor(amount)
      if (side === 'buy') units = Math.min(units, g.amount.floor(account.free(g.quote) / (t.ask * BUY_SLACK)))
      else units = Math.min(units, g.amount.floor(account.free(g.base)))
      const ref = side === 'buy' ? t.ask : t.bid
      if (units < g.minUnitsAt(ref)) return null
      return account.market(g, side, units)?.order ?? null
    },

    buyWorth(symbol, quoteAmount) {
      const t = top(symbol)
      if (!t) return null
      return ctx.market(symbol, 'buy', quoteAmount / t.ask)
    },

    cancel: (symbol, venueOrderId) => account.cancel(symbol, venueOrderId),
    cancelAll: (symbol) => account.cancelAll(symbol),
    openOrders: (symbol, side) => account.openOrders(symbol, side),

    note(action) {
      deps.onNote(action, scheduler.now())
    },
  }
  return ctx
}

