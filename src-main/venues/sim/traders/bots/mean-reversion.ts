import { mean, stdev, Window } from '../indicators'
import type { SimTraderProfile, TraderBot } from '../types'

/** Z-score of the mid against a rolling window sets a target exposure; rebalances with passive limit orders. */
export function meanReverter(profile: SimTraderProfile): TraderBot {
  const symbol = profile.symbols[0] as string
  return {
    start(ctx) {
      const p = ctx.params
      const g = ctx.grid(symbol)
      const samples = new Window(p.window ?? 60)
      ctx.every(p.sampleMs ?? 15_000, () => {
        const t = ctx.top(symbol)
        if (!t) return
        samples.push(t.mid)
        // Stale passive orders are pulled; the next sample decides again.
        const ttl = p.orderTtlMs ?? 45_000
        let open = 0
        for (const o of ctx.openOrders(symbol)) {
          if (ctx.now() - o.createdAt > ttl) ctx.cancel(symbol, o.venueOrderId)
          else open++
        }
        if (open > 0 || samples.length < 12) return
        const values = samples.values()
        const sd = stdev(values)
        if (!(sd > 0)) return
        const z = (t.mid - mean(values)) / sd
        const target = Math.min(p.maxExposure ?? 0.95, Math.max(p.minExposure ?? 0.05, 0.5 - (p.slope ?? 0.3) * z))
        const baseValue = ctx.total(g.base) * t.mid
        const equity = ctx.total(g.quote) + baseValue
        if (!(equity > 0)) return
        const delta = target - baseValue / equity
        if (Math.abs(delta) < (p.band ?? 0.15)) return
        const amount = (Math.abs(delta) * equity) / t.mid
        // Far from the mean it takes the spread; otherwise it waits at the touch.
        const urgent = Math.abs(z) > (p.urgentZ ?? 2.2)
        if (delta > 0) {
          const price = urgent ? t.ask : t.bid
          if (ctx.limit(symbol, 'buy', price, amount)) ctx.note(`z=${z.toFixed(2)}: buying ${g.base} toward ${(target * 100).toFixed(0)}% exposure`)
        } else {
          const price = urgent ? t.bid : t.ask
          if (ctx.limit(symbol, 'sell', price, amount)) ctx.note(`z=${z.toFixed(2)}: selling ${g.base} toward ${(target * 100).toFixed(0)}% exposure`)
        }
      })
    },
  }
}
