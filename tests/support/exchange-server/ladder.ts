import Decimal from 'decimal.js'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../../src-main/venues/sim/matching/engine'
import { defaultSimMarkets } from '../../../src-main/venues/sim/markets'

// A market maker's resting orders on the simulated engine, so a fresh venue has books to trade against.

export const MAKER = 'maker'

/** Rests `levels` bids and asks around `mid`, `spacing` apart, `amount` each, for the maker account. */
export function seedLadder(engine: MatchingEngine, symbol: string, mid: string, spacing: string, amount: string, levels: number): void {
  for (let i = 1; i <= levels; i++) {
    const off = new Decimal(spacing).times(i)
    for (const side of ['buy', 'sell'] as const) {
      engine.placeOrder({
        accountId: MAKER,
        clientOrderId: `ladder-${symbol}-${side}-${i}`,
        symbol,
        side,
        type: 'limit',
        amount,
        price: (side === 'buy' ? new Decimal(mid).minus(off) : new Decimal(mid).plus(off)).toFixed(),
        timeInForce: 'GTC',
        postOnly: false,
      })
    }
  }
}

/** The engine with the default markets and a funded maker's ladder on BTC/USDT (95000 ± 10 × i) and ETH/USDT (3400 ± i). */
export function createLadderedEngine(): MatchingEngine {
  const engine = createMatchingEngine(defaultSimMarkets)
  engine.deposit(MAKER, 'BTC', '1000')
  engine.deposit(MAKER, 'ETH', '10000')
  engine.deposit(MAKER, 'USDT', '100000000')
  seedLadder(engine, 'BTC/USDT', '95000', '10', '0.5', 20)
  seedLadder(engine, 'ETH/USDT', '3400', '1', '5', 20)
  return engine
}
