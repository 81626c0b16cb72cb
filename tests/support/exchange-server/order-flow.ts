import Decimal from 'decimal.js'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'

// Synthetic trading on the simulated engine, so streams have something to carry.

/**
 * Synthetic order flow on one market from its own account: every `everyMs` three limit orders within
 * -8..+31 `unit`s of `mid` on their own side (so about one in five crosses and trades) and cancels of the
 * oldest beyond 30 open. Deterministic (seeded). Client order ids are `<idPrefix>-<n>`. Returns stop().
 */
export function startFlow(engine: MatchingEngine, symbol: string, mid: string, unit: string, everyMs = 10, seed = 7, idPrefix = `flow-${seed}`): () => void {
  const account = `flow-${symbol}`
  const spec = engine.market(symbol)
  engine.deposit(account, spec.base, '1000000')
  engine.deposit(account, spec.quote, '1000000000')
  let state = seed
  const rnd = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
  let n = 0
  const timer = setInterval(() => {
    for (let k = 0; k < 3; k++) {
      n++
      const side = rnd() < 0.5 ? 'buy' : 'sell'
      const units = Math.floor(rnd() * 40) - 8
      const price = new Decimal(mid).plus(new Decimal(unit).times(units).times(side === 'buy' ? -1 : 1))
      const amount = new Decimal(spec.stepSize).times(1 + Math.floor(rnd() * 5000))
      try {
        engine.placeOrder({
          accountId: account,
          clientOrderId: `${idPrefix}-${n}`,
          symbol,
          side,
          type: 'limit',
          amount: Decimal.max(amount, spec.minAmount).toFixed(),
          price: price.toFixed(),
          timeInForce: 'GTC',
          postOnly: false,
        })
      } catch {
        // rejected (e.g. min notional): fine, the flow is noise
      }
    }
    const open = engine.openOrders(account, symbol)
    if (open.length > 30) {
      for (const o of open.slice(0, open.length - 30)) engine.cancelOrder(account, symbol, { venueOrderId: o.venueOrderId })
    }
  }, everyMs)
  return () => clearInterval(timer)
}
