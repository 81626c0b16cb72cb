import { describe, expect, it } from 'vitest'
import { baseOf, positionLine, positionOn, samePosition } from '../../src-renderer/features/trade/marketPosition'
import type { PortfolioView, PositionView } from '../../src-renderer/features/portfolio/portfolioModel'

const position = (account: string, asset: string, patch: Partial<PositionView> = {}): PositionView => ({
  account,
  asset,
  amount: '0.5',
  costBasis: '47000',
  averageCost: '94000',
  price: '95000',
  value: '47500',
  unrealized: '500',
  realized: '0',
  realizedInPeriod: '0',
  changePct: null,
  missingCostBasis: '0',
  ...patch,
})

const viewOf = (positions: PositionView[], account: string | null = 'sim'): PortfolioView => ({
  at: 1,
  account,
  scope: account === null ? 'mine' : null,
  period: '24h',
  periodStart: 0,
  method: 'fifo',
  currency: 'USD',
  totals: { value: '0', costBasis: '0', realized: '0', realizedInPeriod: '0', unrealized: '0', change: '0', changePct: null, netDeposits: '0', pnl: '0', pnlPct: null },
  accounts: [],
  positions,
  assets: [],
  allocation: [],
  warnings: [],
})

describe('the position a My orders view shows', () => {
  it('is the account’s position in the market’s base asset, with the reporting currency', () => {
    const view = viewOf([position('sim', 'USDT', { amount: '9000' }), position('sim', 'BTC'), position('sim', 'ETH', { amount: '2' })])
    expect(baseOf('BTC/USDT')).toBe('BTC')
    expect(baseOf('ETH/BTC')).toBe('ETH')
    const reading = positionOn(view, baseOf('BTC/USDT'))
    expect(reading.currency).toBe('USD')
    expect(reading.position?.amount).toBe('0.5')
    expect(reading.position?.unrealized).toBe('500')
    expect(positionOn(view, 'SOL')).toEqual({ asset: 'SOL', currency: 'USD', position: null })
  })

  it('is never another account’s position', () => {
    const view = viewOf([position('paper:1', 'BTC', { amount: '3' })], 'sim')
    expect(positionOn(view, 'BTC').position).toBeNull()
  })

  it('counts as unchanged only when every figure shown is the same', () => {
    const a = positionOn(viewOf([position('sim', 'BTC')]), 'BTC')
    expect(samePosition(a, positionOn(viewOf([position('sim', 'BTC')]), 'BTC'))).toBe(true)
    expect(samePosition(a, positionOn(viewOf([position('sim', 'BTC', { unrealized: '501' })]), 'BTC'))).toBe(false)
    expect(samePosition(a, positionOn(viewOf([position('sim', 'BTC', { amount: '0.6' })]), 'BTC'))).toBe(false)
    expect(samePosition(a, positionOn(viewOf([]), 'BTC'))).toBe(false)
    expect(samePosition(null, null)).toBe(true)
    expect(samePosition(a, null)).toBe(false)
  })
})

describe('the position line on the chart', () => {
  it('is at the average cost when the market is quoted in the reporting currency (USD, USDT and USDC count as one)', () => {
    const reading = positionOn(viewOf([position('sim', 'BTC', { amount: '0.002', averageCost: '95104.95' })]), 'BTC')
    expect(positionLine(reading, 'USDT')).toEqual({ price: 95104.95, title: 'Position 0.002' })
    expect(positionLine(reading, 'USD')).toEqual({ price: 95104.95, title: 'Position 0.002' })
    // ETH/BTC: the average cost is in USD, not on the chart's BTC scale.
    expect(positionLine(positionOn(viewOf([position('sim', 'ETH')]), 'ETH'), 'BTC')).toBeNull()
  })

  it('is not drawn for a flat position, an unknown cost or before the first reading', () => {
    expect(positionLine(positionOn(viewOf([position('sim', 'BTC', { amount: '0' })]), 'BTC'), 'USDT')).toBeNull()
    expect(positionLine(positionOn(viewOf([position('sim', 'BTC', { averageCost: null })]), 'BTC'), 'USDT')).toBeNull()
    expect(positionLine(positionOn(viewOf([]), 'BTC'), 'USDT')).toBeNull()
    expect(positionLine(null, 'USDT')).toBeNull()
  })
})
