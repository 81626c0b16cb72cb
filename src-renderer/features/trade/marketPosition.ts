import type { PortfolioView, PositionView } from '../portfolio/portfolioModel'

// What the workspace's My orders view says about the position on its market: the view's account (its
// venue is its ledger account: the app's fills are entered under the venue id) and the market's base
// asset, as the engine's portfolio values them (amount, average cost, value, unrealized and realized
// P&L in the reporting currency). Pure, so it is tested in Node.

export interface MarketPosition {
  asset: string
  /** The reporting currency the value and P&L are in. */
  currency: string
  /** null: the account never held the asset. */
  position: PositionView | null
}

/** The base asset of a BASE/QUOTE symbol. */
export const baseOf = (symbol: string): string => symbol.slice(0, Math.max(0, symbol.indexOf('/'))) || symbol

/** The account's position in `asset` from one portfolio view of that account. */
export function positionOn(view: PortfolioView, asset: string): MarketPosition {
  const position = view.positions.find((p) => p.asset === asset && (view.account === null || p.account === view.account)) ?? null
  return { asset, currency: view.currency, position }
}

/** Whether two readings show the same figures (the stream sends the whole account several times a second). */
export function samePosition(a: MarketPosition | null, b: MarketPosition | null): boolean {
  if (a === null || b === null) return a === b
  if (a.asset !== b.asset || a.currency !== b.currency) return false
  const p = a.position
  const q = b.position
  if (p === null || q === null) return p === q
  return (
    p.amount === q.amount &&
    p.averageCost === q.averageCost &&
    p.value === q.value &&
    p.unrealized === q.unrealized &&
    p.realized === q.realized &&
    p.missingCostBasis === q.missingCostBasis
  )
}

/** Currencies the portfolio counts as one (USD ≈ USDT ≈ USDC). */
const DOLLARS = new Set(['USD', 'USDT', 'USDC'])
const sameMoney = (a: string, b: string) => a === b || (DOLLARS.has(a) && DOLLARS.has(b))

export interface PositionLine {
  /** The average cost, on the chart's price scale (the market's quote). */
  price: number
  /** 'Position 0.002 @ avg' on the price axis. */
  title: string
}

/**
 * The chart line at the position's average cost, when the market's quote is the reporting currency (the
 * average cost is kept in it): none for a flat position, an unknown cost, or a cross market (ETH/BTC).
 */
export function positionLine(reading: MarketPosition | null, quote: string): PositionLine | null {
  const p = reading?.position
  if (!reading || !p || p.averageCost === null || !sameMoney(reading.currency, quote)) return null
  const amount = Number(p.amount)
  const price = Number(p.averageCost)
  if (!(amount > 0) || !(price > 0)) return null
  return { price, title: `Position ${p.amount}` }
}
