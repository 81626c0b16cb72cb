import type { Side } from '../../../port'
import type { SimOrder } from '../../engine-api'
import type { SimTraderProfile, TraderBot, TraderContext } from '../types'

/** A symmetric grid of limit orders around a centre; each filled level is replaced by the opposite order one level over. */
export function gridTrader(profile: SimTraderProfile): TraderBot {
  const symbol = profile.symbols[0] as string
  let ctx: TraderContext | null = null
  let center = 0
  let outsideSince: number | null = null
  /** venueOrderId → grid level (negative below the centre). */
  const levels = new Map<string, number>()

  const priceOf = (c: TraderContext, level: number) => center * Math.pow(1 + (c.params.spacingPct ?? 0.0025), level)

  /** One order at a grid level (at most one per level). The centre level is only used by re-arms. */
  const placeAt = (c: TraderContext, level: number, side: Side): void => {
    if (Math.abs(level) > (c.params.levels ?? 5) + 1) return
    for (const l of levels.values()) if (l === level) return
    const price = priceOf(c, level)
    const amount = (c.params.orderUsd ?? 500) / c.usdPrice(c.grid(symbol).base)
    const top = c.top(symbol)
    // Never cross: a level on the wrong side of the touch waits for the next rebuild.
    if (top && ((side === 'buy' && price >= top.ask) || (side === 'sell' && price <= top.bid))) return
    const order = c.limit(symbol, side, price, amount, { postOnly: true })
    if (order) levels.set(order.venueOrderId, level)
  }

  const rebuild = (c: TraderContext): void => {
    const t = c.top(symbol)
    if (!t) return
    levels.clear()
    c.cancelAll(symbol)
    center = t.mid
    outsideSince = null
    const n = c.params.levels ?? 5
    for (let i = 1; i <= n; i++) {
      placeAt(c, -i, 'buy')
      placeAt(c, i, 'sell')
    }
    c.note(`grid of ${n}+${n} levels around ${center.toPrecision(6)}`)
  }

  return {
    onOrderDone(order: SimOrder) {
      const level = levels.get(order.venueOrderId)
      if (level === undefined) return
      levels.delete(order.venueOrderId)
      if (order.status !== 'closed' || !ctx) return
      const c = ctx
      const next = order.side === 'buy' ? level + 1 : level - 1
      const side: Side = order.side === 'buy' ? 'sell' : 'buy'
      // React a moment later, outside the engine call that reported the fill.
      c.after(c.params.reactMs ?? 250, () => {
        placeAt(c, next, side)
        c.note(`${order.side === 'buy' ? 'bought' : 'sold'} level ${level}, re-armed a ${side} at level ${next}`)
      })
    },
    start(c) {
      ctx = c
      c.after(c.params.startDelayMs ?? 5_000, () => rebuild(c))
      c.every(c.params.checkMs ?? 30_000, () => {
        const t = c.top(symbol)
        if (!t || center === 0) return
        const n = c.params.levels ?? 5
        const outside = t.mid > priceOf(c, n + 1) || t.mid < priceOf(c, -n - 1) || levels.size === 0
        if (!outside) {
          outsideSince = null
          return
        }
        outsideSince ??= c.now()
        if (c.now() - outsideSince >= (c.params.recenterAfterMs ?? 10 * 60_000)) rebuild(c)
      })
    },
  }
}
