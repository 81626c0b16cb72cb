import type { SimTraderProfile, TraderBot } from '../types'

/** Trades the cross (ETH/BTC) back toward the rate implied by its two USDT legs when the gap beats a threshold. */
export function crossArbitrageur(profile: SimTraderProfile): TraderBot {
  const [cross, numLeg, denLeg] = profile.symbols as [string, string, string]
  return {
    start(ctx) {
      const p = ctx.params
      const g = ctx.grid(cross)
      let startBase = -1
      ctx.every(p.tickMs ?? 2_000, () => {
        const c = ctx.top(cross)
        const a = ctx.top(numLeg)
        const b = ctx.top(denLeg)
        if (!c || !a || !b) return
        if (startBase < 0) startBase = ctx.total(g.base)
        const implied = a.mid / b.mid
        const threshold = p.thresholdPct ?? 0.0005
        const clip = p.clip ?? 0.5
        const inventory = ctx.total(g.base) - startBase
        const maxInv = p.maxInventory ?? 4
        if (c.ask < implied * (1 - threshold) && inventory < maxInv) {
          if (ctx.limit(cross, 'buy', c.ask, clip, { ioc: true })) {
            ctx.note(`${cross} ${((c.ask / implied - 1) * 1e4).toFixed(1)} bp under implied: bought`)
          }
        } else if (c.bid > implied * (1 + threshold) && inventory > -maxInv) {
          if (ctx.limit(cross, 'sell', c.bid, clip, { ioc: true })) {
            ctx.note(`${cross} ${((c.bid / implied - 1) * 1e4).toFixed(1)} bp over implied: sold`)
          }
        }
      })
    },
  }
}
