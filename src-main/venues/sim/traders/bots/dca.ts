import type { Fill } from '../../../port'
import { ema } from '../indicators'
import { CostBasis } from '../position'
import type { SimTraderProfile, TraderBot } from '../types'

/** Buys a fixed amount on a schedule (more on dips), trims a slice when well above its average cost. */
export function dcaAccumulator(profile: SimTraderProfile): TraderBot {
  const symbols = profile.symbols
  const bases = new Map(symbols.map((s) => [s, new CostBasis(s)]))
  return {
    onFill(fill: Fill) {
      bases.get(fill.symbol)?.apply(fill)
    },
    start(ctx) {
      const p = ctx.params
      symbols.forEach((symbol, i) => {
        const g = ctx.grid(symbol)
        const budget = (i === 0 ? p.firstBudgetUsd : p.otherBudgetUsd) ?? 150
        ctx.every(p.intervalMs ?? 180_000, () => {
          const t = ctx.top(symbol)
          if (!t) return
          const closes = ctx.candles(symbol, '1m', 60).map((c) => c.close)
          const e = closes.length >= 5 ? ema(closes, 30) : t.mid
          const dip = t.mid < e * (1 - (p.dipPct ?? 0.004))
          const usd = budget * (dip ? (p.dipMult ?? 2) : 1)
          const spend = usd / ctx.usdPrice(g.quote)
          const basis = bases.get(symbol)
          if (basis && basis.avgPrice > 0 && t.mid > basis.avgPrice * (1 + (p.takeProfitPct ?? 0.03))) {
            const amount = ctx.total(g.base) * (p.trimFraction ?? 0.1)
            if (ctx.market(symbol, 'sell', amount)) ctx.note(`trimmed ${(p.trimFraction ?? 0.1) * 100}% of ${g.base} above cost`)
            return
          }
          if (ctx.free(g.quote) < spend) {
            ctx.note(`out of ${g.quote}: skipping the ${g.base} buy`)
            return
          }
          // A marketable limit a few ticks through the ask: fills now, never far from the touch.
          if (ctx.limit(symbol, 'buy', t.ask * 1.0005, spend / t.ask, { ioc: true })) {
            ctx.note(`${dip ? 'dip ' : ''}DCA buy: ${usd.toFixed(0)} USD of ${g.base}`)
          }
        })
      })
    },
  }
}
