import type { Fill } from '../../../port'
import { ema, rsi } from '../indicators'
import { CostBasis } from '../position'
import type { SimTraderProfile, TraderBot } from '../types'

/** Buys pullbacks below the 1-minute EMA (or an oversold RSI) with half the book; holds for a target, a stop or hours. */
export function swingTrader(profile: SimTraderProfile): TraderBot {
  const symbol = profile.symbols[0] as string
  const basis = new CostBasis(symbol)
  return {
    onFill(fill: Fill) {
      basis.apply(fill)
    },
    start(ctx) {
      const p = ctx.params
      const g = ctx.grid(symbol)
      ctx.every(p.checkMs ?? 60_000, () => {
        const t = ctx.top(symbol)
        if (!t) return
        const holding = ctx.total(g.base) * t.mid >= g.minNotional * 2
        if (!holding) {
          const closes = ctx.candles(symbol, '1m', 60).map((c) => c.close)
          if (closes.length < 6) return
          const e = ema(closes, p.emaPeriod ?? 20)
          const r = rsi(closes, 14)
          if (t.mid < e * (1 - (p.dipPct ?? 0.002)) || r < (p.rsiEntry ?? 40)) {
            const spend = ctx.free(g.quote) * (p.allocation ?? 0.5)
            if (ctx.buyWorth(symbol, spend)) ctx.note(`pullback entry (RSI ${Number.isNaN(r) ? '–' : r.toFixed(0)}): ${spend.toFixed(0)} ${g.quote}`)
          }
          return
        }
        const entry = basis.avgPrice > 0 ? basis.avgPrice : t.mid
        const change = t.mid / entry - 1
        let reason: string | null = null
        if (change >= (p.takeProfit ?? 0.025)) reason = 'take profit'
        else if (change <= -(p.stopLoss ?? 0.012)) reason = 'stop loss'
        else if (ctx.now() - basis.lastEntryAt > (p.maxHoldMs ?? 3 * 3_600_000)) reason = 'time exit'
        if (reason && ctx.market(symbol, 'sell', ctx.free(g.base))) ctx.note(`${reason} at ${(change * 100).toFixed(2)}%`)
      })
    },
  }
}
