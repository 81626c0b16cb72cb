import type { Fill } from '../../../port'
import { CostBasis } from '../position'
import type { SimTraderProfile, TraderBot } from '../types'

/** Small, frequent post-only orders at the top of the book: improve the bid by a tick, flip at the ask, quick stop. */
export function scalper(profile: SimTraderProfile): TraderBot {
  const symbol = profile.symbols[0] as string
  const basis = new CostBasis(symbol)
  let restUntil = 0
  return {
    onFill(fill: Fill) {
      basis.apply(fill)
    },
    start(ctx) {
      const p = ctx.params
      const g = ctx.grid(symbol)
      ctx.every(p.tickMs ?? 3_000, () => {
        const t = ctx.top(symbol)
        if (!t) return
        const tick = g.tick
        const long = ctx.total(g.base) * t.mid >= g.minNotional
        const open = ctx.openOrders(symbol)
        if (!long) {
          if (ctx.now() < restUntil) return
          const bid = open.find((o) => o.side === 'buy')
          if (bid) {
            if (bid.price >= t.bid && ctx.now() - bid.createdAt < (p.requoteMs ?? 8_000)) return
            ctx.cancel(symbol, bid.venueOrderId)
          }
          for (const o of open) if (o.side === 'sell') ctx.cancel(symbol, o.venueOrderId)
          // Skip when the book leans hard against a long.
          const d = ctx.depth(symbol, 5)
          const bidQty = d.bids.reduce((s, [, a]) => s + a, 0)
          const askQty = d.asks.reduce((s, [, a]) => s + a, 0)
          if (bidQty / Math.max(bidQty + askQty, 1e-12) < (p.minImbalance ?? 0.5)) return
          const price = t.spread > 2 * tick ? t.bid + tick : t.bid
          if (ctx.limit(symbol, 'buy', price, (p.orderUsd ?? 600) / ctx.usdPrice(g.base), { postOnly: true })) {
            ctx.note(`bidding ${price} at the top`)
          }
          return
        }
        const entry = basis.avgPrice > 0 ? basis.avgPrice : t.mid
        const heldFor = ctx.now() - basis.lastEntryAt
        if (t.mid < entry * (1 - (p.stopPct ?? 0.0015)) || heldFor > (p.maxHoldMs ?? 300_000)) {
          ctx.cancelAll(symbol)
          if (ctx.market(symbol, 'sell', ctx.free(g.base))) ctx.note(t.mid < entry ? 'stopped out' : 'time exit')
          restUntil = ctx.now() + (p.cooldownMs ?? 45_000)
          return
        }
        const target = Math.max(entry * (1 + (p.minEdgePct ?? 0.0025)), t.spread > 2 * tick ? t.ask - tick : t.ask)
        const ask = open.find((o) => o.side === 'sell')
        if (ask && Math.abs(ask.price - target) <= tick) return
        if (ask) ctx.cancel(symbol, ask.venueOrderId)
        for (const o of open) if (o.side === 'buy') ctx.cancel(symbol, o.venueOrderId)
        if (ctx.limit(symbol, 'sell', Math.max(target, t.bid + tick), ctx.free(g.base), { postOnly: true })) {
          ctx.note(`offering at ${target.toFixed(2)}`)
        }
      })
    },
  }
}
