import type { SimTraderProfile, TraderBot } from '../types'
import { fixed } from '../note-format'

/**
 * Quotes both sides a fixed edge away from the mid (wide enough to beat two fees when both sides fill), leans
 * the quotes against inventory, and requotes when the mid drifts.
 */
export function smallMaker(profile: SimTraderProfile): TraderBot {
  const symbol = profile.symbols[0] as string
  let startBase = -1
  return {
    start(ctx) {
      const p = ctx.params
      const g = ctx.grid(symbol)
      ctx.every(p.tickMs ?? 2_500, () => {
        const t = ctx.top(symbol)
        if (!t) {
          // A one-sided book: no reliable mid, so no quotes.
          if (ctx.cancelAll(symbol) > 0) ctx.note('book one-sided: pulled quotes')
          return
        }
        if (startBase < 0) startBase = ctx.total(g.base)
        const size = p.size ?? 0.25
        const clips = (ctx.total(g.base) - startBase) / size
        const edge = (p.edgeBps ?? 5) / 1e4
        const lean = Math.max(-1, Math.min(1, clips / (p.maxInventory ?? 10))) * edge * (p.skew ?? 0.6)
        const wanted: Record<'buy' | 'sell', number> = {
          buy: Math.min(t.mid * (1 - edge - lean), t.bid),
          sell: Math.max(t.mid * (1 + edge - lean), t.ask),
        }
        const tolerance = t.mid * (p.requoteBps ?? 3) / 1e4
        for (const side of ['buy', 'sell'] as const) {
          const mine = ctx.openOrders(symbol, side)
          const keep = mine.find((o) => Math.abs(o.price - wanted[side]) <= tolerance && o.remaining > size * 0.2)
          for (const o of mine) if (o !== keep) ctx.cancel(symbol, o.venueOrderId)
          if (keep) continue
          if (side === 'buy' && clips > (p.maxInventory ?? 10)) continue
          if (side === 'sell' && clips < -(p.maxInventory ?? 10)) continue
          ctx.limit(symbol, side, wanted[side], size, { postOnly: true })
        }
        ctx.note(`quoting ${wanted.buy.toPrecision(5)} / ${wanted.sell.toPrecision(5)} (inventory ${fixed(clips, 1)} clips)`)
      })
    },
  }
}
