import { ema, Window } from '../indicators'
import type { SimTraderProfile, TraderBot } from '../types'

/** Moving-average crossover on sampled mid prices, all-in-ish on the cross up, out on the cross down or a trailing stop. */
export function trendFollower(profile: SimTraderProfile): TraderBot {
  const symbol = profile.symbols[0] as string
  return {
    start(ctx) {
      const p = ctx.params
      const g = ctx.grid(symbol)
      const samples = new Window(Math.max(p.slow ?? 34, 8) * 2)
      let prevDiff = Number.NaN
      let peak = 0
      ctx.every(p.sampleMs ?? 15_000, () => {
        const t = ctx.top(symbol)
        if (!t) return
        samples.push(t.mid)
        if (samples.length < (p.fast ?? 8) + 2) return
        const values = samples.values()
        const fast = ema(values, p.fast ?? 8)
        const slow = ema(values, p.slow ?? 34)
        const diff = (fast - slow) / slow
        const band = p.band ?? 0.0002
        const holding = ctx.total(g.base) * t.mid >= g.minNotional * 2
        if (holding) {
          peak = Math.max(peak, t.mid)
          if (t.mid < peak * (1 - (p.trailingStop ?? 0.015))) {
            if (ctx.market(symbol, 'sell', ctx.free(g.base))) ctx.note(`trailing stop: sold ${g.base} at ~${t.bid}`)
          } else if (diff < -band && prevDiff >= -band) {
            if (ctx.market(symbol, 'sell', ctx.free(g.base))) ctx.note(`fast MA crossed below slow: sold ${g.base}`)
          }
        } else if (diff > band && prevDiff <= band) {
          const spend = ctx.free(g.quote) * (p.allocation ?? 0.6)
          if (ctx.buyWorth(symbol, spend)) {
            peak = t.mid
            ctx.note(`fast MA crossed above slow: bought ${g.base} for ~${spend.toFixed(0)} ${g.quote}`)
          }
        }
        prevDiff = diff
      })
    },
  }
}
