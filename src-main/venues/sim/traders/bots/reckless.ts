import type { Fill } from '../../../port'
import { CostBasis } from '../position'
import type { SimTraderProfile, TraderBot } from '../types'

/** Chases whatever just moved, all in, with market orders; panics on drawdowns and now and then blows up. */
export function recklessTrader(profile: SimTraderProfile): TraderBot {
  const symbols = profile.symbols
  const bases = new Map(symbols.map((s) => [s, new CostBasis(s)]))
  let reference = 0
  let coolOffUntil = 0
  let blowUps = 0
  return {
    onFill(fill: Fill) {
      bases.get(fill.symbol)?.apply(fill)
    },
    start(ctx) {
      const p = ctx.params
      ctx.every(p.checkMs ?? 8_000, () => {
        const now = ctx.now()
        if (now < coolOffUntil) return
        const equity = ctx.equityUsd()
        if (reference === 0) reference = equity
        if (equity < reference * (p.blowUpLevel ?? 0.5)) {
          blowUps++
          ctx.cancelAll()
          for (const s of symbols) ctx.market(s, 'sell', ctx.free(ctx.grid(s).base))
          ctx.note(`blew up (#${blowUps}): equity ${equity.toFixed(0)} USD, sitting out`)
          coolOffUntil = now + (p.coolOffMs ?? 20 * 60_000)
          reference = 0
          return
        }
        // In a position: panic out on a loss, bank a quick pop.
        for (const s of symbols) {
          const g = ctx.grid(s)
          const t = ctx.top(s)
          if (!t || ctx.total(g.base) * t.mid < g.minNotional * 2) continue
          const basis = bases.get(s)
          const entry = basis && basis.avgPrice > 0 ? basis.avgPrice : t.mid
          const change = t.mid / entry - 1
          const bored = basis !== undefined && now - basis.lastEntryAt > (p.maxHoldMs ?? 10 * 60_000)
          if (change < -(p.panicLoss ?? 0.004) || change > (p.takeProfit ?? 0.008) || bored) {
            const why = change < 0 ? `panic sold ${g.base} at ${(change * 100).toFixed(2)}%` : `took ${(change * 100).toFixed(2)}% on ${g.base}`
            if (ctx.market(s, 'sell', ctx.free(g.base))) ctx.note(bored ? `bored: dumped ${g.base} at ${(change * 100).toFixed(2)}%` : why)
          }
          return
        }
        // Flat: chase the biggest recent move, or just YOLO.
        let best: { symbol: string; move: number } | null = null
        for (const s of symbols) {
          const trades = ctx.trades(s, 400)
          const since = now - (p.lookbackMs ?? 90_000)
          const first = trades.find((tr) => tr.timestamp >= since)
          const last = trades[trades.length - 1]
          if (!first || !last) continue
          const move = last.price / first.price - 1
          if (!best || move > best.move) best = { symbol: s, move }
        }
        const fomo = ctx.rng.next() < (p.fomoProb ?? 0.02)
        if (!best || (best.move < (p.chaseThreshold ?? 0.0015) && !fomo)) return
        const g = ctx.grid(best.symbol)
        const spend = ctx.free(g.quote) * (p.allIn ?? 0.95)
        if (ctx.buyWorth(best.symbol, spend)) {
          ctx.note(fomo && best.move < (p.chaseThreshold ?? 0.0015) ? `FOMO into ${g.base}` : `chasing ${g.base} +${(best.move * 100).toFixed(2)}%: all in`)
        }
      })
    },
  }
}
