import type { SimMarketSpec } from '../../src-main/venues/sim/engine-api'

// The market tests' one simulated market, and the wait they use for the engine's promises.

/** BTC/USDT on the simulated exchange, opening at 100.00: tick 0.01, step 0.001, fees 0.1 %. */
export const BTC_SPEC: SimMarketSpec = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.01',
  stepSize: '0.001',
  minAmount: '0.001',
  minNotional: '0.01',
  makerFee: '0.001',
  takerFee: '0.001',
  initialPrice: '100.00',
}

/** Lets pending promise callbacks and zero-delay timers run (a few turns of the event loop). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}
