import type { SimTraderProfile, TraderBot } from '../types'

/** Donchian breakout on 1-minute candles: buys a new channel high, exits on a trailing stop or a breakdown. */
export function breakoutTrader(profile: SimTraderProfile): TraderBot {
  const symbol = profile.symbols[0] as string
  return {
    start(ctx) {
      const p = ctx.params
      const g = ctx.grid(symbol)
      let peak = 0
      let stop = 0
      ctx.every(p.checkMs ?? 20_000, () => {
        const t = ctx.top(symbol)
        if (!t) return
        const channel = p.channel ?? 12
        const closed = ctx.candles(symbol, '1m', channel + 1).slice(0, -1)
        if (closed.length < Math.min(6, channel)) return
        const hi = Math.max(...closed.map((c) => c.high))
        const lo = Math.min(...closed.map((c) => c.low))
        const holding = ctx.total(g.base) * t.mid >= g.minNotional * 2
        if (!holding) {
          if (t.mid > hi * (1 + (p.buffer ?? 0.0002))) {
            const spend = ctx.free(g.quote) * (p.allocation ?? 0.4)
            if (ctx.buyWorth(symbol, spend)) {
              peak = t.mid
              stop = (hi + lo) / 2
              ctx.note(`breakout above ${hi.toFixed(2)}: long`)
            }
          }
          return
        }
        peak = Math.max(peak, t.mid)
        const trail = peak * (1 - (p.trailingStop ?? 0.006))
        if (t.mid < Math.max(trail, stop) || t.mid < lo) {
          if (ctx.market(symbol, 'sell', ctx.free(g.base))) ctx.note(t.mid < lo ? 'breakdown: out' : 'trailing stop: out')
        }
      })
    },
  }
}
