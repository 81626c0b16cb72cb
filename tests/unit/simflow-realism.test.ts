import { describe, expect, it } from 'vitest'
import { FairPriceModel } from '../../src-main/venues/sim/flow/fair-price'
import { defaultSimMarkets } from '../../src-main/venues/sim/markets'
import { Rng } from '../../src-main/venues/sim/random'

// The simulated exchange should move like the markets it imitates: a trader rehearsing a stop distance or
// reading a 24 h change on it should see the size of move they would see on a real exchange. Reference:
// the realized daily volatility of the real spot markets over recent years, roughly BTC 2.7 %, ETH 3.6 %,
// SOL and XRP 5 %, ETH/BTC 2.7 %, with altcoins' daily returns correlated about 0.6–0.85 with BTC's. The
// bands are wide (0.7×–1.35×): the model should be the right size, not fitted to one year.
//
// Measured on the fair-price model (what makers quote around) over 8 seeds × 60 days, 1-minute steps.

const REFERENCE: Record<string, number> = { 'BTC/USDT': 0.027, 'ETH/USDT': 0.036, 'SOL/USDT': 0.05, 'XRP/USDT': 0.048, 'ETH/BTC': 0.027 }

function dailyReturns(): Map<string, number[]> {
  const out = new Map<string, number[]>()
  for (let seed = 1; seed <= 8; seed++) {
    const start = Date.UTC(2026, 0, 1)
    const model = new FairPriceModel(defaultSimMarkets, new Rng(seed).fork('fair'), start)
    const last = new Map(model.symbols().map((s) => [s, Math.log(model.price(s))]))
    for (let day = 1; day <= 60; day++) {
      for (let minute = 1; minute <= 1440; minute++) model.step(start + ((day - 1) * 1440 + minute) * 60_000)
      for (const [s, before] of last) {
        const now = Math.log(model.price(s))
        out.set(s, [...(out.get(s) ?? []), now - before])
        last.set(s, now)
      }
    }
  }
  return out
}

function sd(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)
}

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((x, y) => x + y, 0) / a.length
  const mb = b.reduce((x, y) => x + y, 0) / b.length
  let c = 0
  let va = 0
  let vb = 0
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] as number) - ma
    const db = (b[i] as number) - mb
    c += da * db
    va += da * da
    vb += db * db
  }
  return c / Math.sqrt(va * vb)
}

describe('the simulated markets move like real ones', () => {
  const returns = dailyReturns()

  it('a day moves each market by about what the real market moves in a day', () => {
    expect([...returns.keys()].sort()).toEqual(Object.keys(REFERENCE).sort())
    for (const [symbol, reference] of Object.entries(REFERENCE)) {
      const daily = sd(returns.get(symbol) as number[])
      expect(daily, symbol).toBeGreaterThan(0.7 * reference)
      expect(daily, symbol).toBeLessThan(1.35 * reference)
    }
    // Ordered as the real ones are: BTC the calmest of the USDT markets, the small caps the wildest.
    const of = (s: string) => sd(returns.get(s) as number[])
    expect(of('BTC/USDT')).toBeLessThan(of('ETH/USDT'))
    expect(of('ETH/USDT')).toBeLessThan(Math.min(of('SOL/USDT'), of('XRP/USDT')))
  })

  it('altcoins move with BTC from day to day', () => {
    const btc = returns.get('BTC/USDT') as number[]
    for (const symbol of ['ETH/USDT', 'SOL/USDT', 'XRP/USDT']) {
      const c = correlation(btc, returns.get(symbol) as number[])
      expect(c, symbol).toBeGreaterThan(0.55)
      expect(c, symbol).toBeLessThan(0.9)
    }
  })
})
