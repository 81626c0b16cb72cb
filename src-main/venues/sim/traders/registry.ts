import { crossArbitrageur } from './bots/arbitrage'
import { breakoutTrader } from './bots/breakout'
import { dcaAccumulator } from './bots/dca'
import { gridTrader } from './bots/grid'
import { smallMaker } from './bots/maker'
import { meanReverter } from './bots/mean-reversion'
import { recklessTrader } from './bots/reckless'
import { scalper } from './bots/scalper'
import { swingTrader } from './bots/swing'
import { trendFollower } from './bots/trend'
import type { SimTraderDefinition, SimTraderProfile, TraderBot } from './types'

type Def = Omit<SimTraderProfile, 'id'> & { factory: (profile: SimTraderProfile) => TraderBot }

const defs: Def[] = [
  {
    slug: 'trend-tom',
    name: 'Trend Tom',
    style: 'trend-following',
    description: 'Rides moving-average crossovers on BTC with most of his cash and a trailing stop.',
    symbols: ['BTC/USDT'],
    params: { sampleMs: 15_000, fast: 8, slow: 34, band: 0.0002, allocation: 0.6, trailingStop: 0.015 },
    startingBalances: { USDT: '30000' },
    factory: trendFollower,
  },
  {
    slug: 'mean-mia',
    name: 'Mean Mia',
    style: 'mean-reversion',
    description: 'Fades ETH moves by z-score: sells rallies, buys dips, mostly with passive orders.',
    symbols: ['ETH/USDT'],
    params: { sampleMs: 15_000, window: 60, slope: 0.3, band: 0.15, minExposure: 0.05, maxExposure: 0.95, urgentZ: 2.2, orderTtlMs: 45_000 },
    startingBalances: { USDT: '20000', ETH: '6' },
    factory: meanReverter,
  },
  {
    slug: 'scalper-sam',
    name: 'Scalper Sam',
    style: 'scalping',
    description: 'Pennies in front of the BTC bid, offers just past fees, out within a few minutes either way.',
    symbols: ['BTC/USDT'],
    params: { tickMs: 3_000, orderUsd: 600, requoteMs: 8_000, minImbalance: 0.5, stopPct: 0.0015, maxHoldMs: 300_000, minEdgePct: 0.0025, cooldownMs: 45_000 },
    startingBalances: { USDT: '5000' },
    factory: scalper,
  },
  {
    slug: 'swing-sofia',
    name: 'Swing Sofia',
    style: 'swing',
    description: 'Buys SOL pullbacks with half her book and holds for hours toward a 2.5% target.',
    symbols: ['SOL/USDT'],
    params: { checkMs: 60_000, emaPeriod: 20, dipPct: 0.002, rsiEntry: 40, allocation: 0.5, takeProfit: 0.025, stopLoss: 0.012, maxHoldMs: 3 * 3_600_000 },
    startingBalances: { USDT: '40000' },
    factory: swingTrader,
  },
  {
    slug: 'breakout-ben',
    name: 'Breakout Ben',
    style: 'breakout',
    description: 'Buys ETH when it clears its 10-minute high; trailing stop, out on a breakdown.',
    symbols: ['ETH/USDT'],
    params: { checkMs: 15_000, channel: 10, buffer: 0.0002, allocation: 0.4, trailingStop: 0.006 },
    startingBalances: { USDT: '25000' },
    factory: breakoutTrader,
  },
  {
    slug: 'grid-greta',
    name: 'Grid Greta',
    style: 'grid',
    description: 'Keeps a ladder of XRP buys and sells 0.25% apart and harvests the chop.',
    symbols: ['XRP/USDT'],
    params: { levels: 5, spacingPct: 0.0025, orderUsd: 500, checkMs: 30_000, recenterAfterMs: 10 * 60_000, startDelayMs: 5_000, reactMs: 250 },
    startingBalances: { USDT: '10000', XRP: '4000' },
    factory: gridTrader,
  },
  {
    slug: 'yolo-yuri',
    name: 'YOLO Yuri',
    style: 'reckless',
    description: 'Chases whatever just pumped, all in with market orders; panics fast and blows up now and then.',
    symbols: ['SOL/USDT', 'XRP/USDT'],
    params: { checkMs: 8_000, lookbackMs: 90_000, chaseThreshold: 0.0012, fomoProb: 0.02, allIn: 0.95, panicLoss: 0.004, takeProfit: 0.008, maxHoldMs: 10 * 60_000, blowUpLevel: 0.7, coolOffMs: 20 * 60_000 },
    startingBalances: { USDT: '15000' },
    factory: recklessTrader,
  },
  {
    slug: 'dca-dana',
    name: 'DCA Dana',
    style: 'accumulation',
    description: 'Buys BTC and ETH every few minutes whatever the price, doubles up on dips, trims when well ahead.',
    symbols: ['BTC/USDT', 'ETH/USDT'],
    params: { intervalMs: 180_000, firstBudgetUsd: 150, otherBudgetUsd: 100, dipPct: 0.004, dipMult: 2, takeProfitPct: 0.03, trimFraction: 0.1 },
    startingBalances: { USDT: '60000' },
    factory: dcaAccumulator,
  },
  {
    slug: 'maker-max',
    name: 'Maker Max',
    style: 'market-making',
    description: 'Quotes both sides of ETH/BTC near the touch, leaning against his inventory; retail fees eat most of the spread.',
    symbols: ['ETH/BTC'],
    params: { tickMs: 2_500, size: 0.25, edgeBps: 5, skew: 0.6, requoteBps: 3, maxInventory: 10 },
    startingBalances: { ETH: '5', BTC: '0.2' },
    factory: smallMaker,
  },
  {
    slug: 'arb-ari',
    name: 'Arb Ari',
    style: 'arbitrage',
    description: 'Sells ETH/BTC above the rate implied by ETH/USDT ÷ BTC/USDT and buys it below.',
    symbols: ['ETH/BTC', 'ETH/USDT', 'BTC/USDT'],
    params: { tickMs: 2_000, thresholdPct: 0.0005, clip: 0.5, maxInventory: 4 },
    startingBalances: { ETH: '4', BTC: '0.15' },
    factory: crossArbitrageur,
  },
]

/** The simulated traders, with how to build each. */
export const simTraderDefinitions: readonly SimTraderDefinition[] = defs.map(({ factory, ...rest }) => {
  const profile: SimTraderProfile = { id: `trader:${rest.slug}`, ...rest }
  return { ...profile, create: () => factory(profile) }
})

/** The simulated traders as the UI lists them (and copy-trading follows them): plain data. */
export const simTraders: readonly SimTraderProfile[] = simTraderDefinitions.map(({ create: _create, ...profile }) => profile)

export function simTraderById(id: string): SimTraderDefinition | undefined {
  return simTraderDefinitions.find((d) => d.id === id || d.slug === id)
}
