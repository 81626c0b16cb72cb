import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { computePortfolio, type PriceMarkInput } from '../../src-main/portfolio/pnl'
import { mulberry32 } from '../support/seeded'

// The property from the issue: for random sequences of fills, deposits and income (several markets, a crypto quote,
// fees in the quote, the base and BNB), at every step
//     realized + unrealized P&L = portfolio value − net deposits
// where the right-hand side is computed here independently of the engine: holdings are summed from the
// entries, valued at the current market prices, and deposits are valued at the pair's last observed price
// (the ledger's definition of "the price at that time"; ETH through ETH/BTC × BTC/USDT when that product is
// newer, dated by its older leg; BTC likewise through ETH/USDT ÷ ETH/BTC). Both arithmetics must agree to the last digit.
// fast-check is not installed: a seeded generator, every failure names its seed.

const D = Decimal.clone({ precision: 100 })
type Dec = InstanceType<typeof D>

const PAIRS = [
  { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', start: 30000, dp: 2 },
  { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', start: 2000, dp: 2 },
  { symbol: 'BNB/USDT', base: 'BNB', quote: 'USDT', start: 300, dp: 2 },
  { symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', start: 0.066, dp: 5 },
] as const
const ASSETS = ['USDT', 'BTC', 'ETH', 'BNB']
const ACCOUNTS = ['a', 'b']

interface Step {
  entries: LedgerEntryInput[]
  marks: PriceMarkInput[]
  /** Market prices in USDT now (the valuation prices). */
  prices: Map<string, string>
  holdings: Map<string, Map<string, Dec>>
  netDeposits: Map<string, Dec>
}

function* sequence(seed: number, steps: number): Generator<Step> {
  const rand = mulberry32(seed)
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const amount = (max: number, dp = 4) => new D(Math.max(1, Math.floor(rand() * max * 10 ** dp))).div(10 ** dp)
  const market = new Map<string, Dec>(PAIRS.map((p) => [p.symbol, new D(p.start)]))
  const lastSeen = new Map<string, { price: Dec; at: number }>() // pair → last observed price (marks and trades)
  const holdings = new Map(ACCOUNTS.map((a) => [a, new Map(ASSETS.map((x) => [x, new D(0)]))]))
  const netDeposits = new Map(ACCOUNTS.map((a) => [a, new D(0)]))
  const entries: LedgerEntryInput[] = []
  const marks: PriceMarkInput[] = []
  let t = 1_700_000_000_000
  const usdtPrice = (asset: string): Dec | null => {
    if (asset === 'USDT') return new D(1)
    const direct = lastSeen.get(`${asset}/USDT`)
    const cross = lastSeen.get('ETH/BTC')
    const other = lastSeen.get(asset === 'ETH' ? 'BTC/USDT' : 'ETH/USDT')
    // ETH: ETH/BTC × BTC/USDT; BTC: ETH/USDT ÷ ETH/BTC (a quotient rounded half-even to 18 places, as the ledger does)
    const price = !cross || !other ? null : asset === 'ETH' ? cross.price.times(other.price) : asset === 'BTC' ? other.price.div(cross.price).toDecimalPlaces(18, Decimal.ROUND_HALF_EVEN) : null
    const hop = price !== null ? { price, at: Math.min(cross!.at, other!.at) } : undefined
    return (hop && (!direct || hop.at > direct.at) ? hop : direct)?.price ?? null
  }
  const add = (account: string, asset: string, x: Dec) => {
    const h = holdings.get(account)!
    h.set(asset, h.get(asset)!.plus(x))
  }
  const held = (account: string, asset: string) => holdings.get(account)!.get(asset)!

  for (let step = 0; step < steps; step++) {
    t += 1 + Math.floor(rand() * 60_000)
    for (const p of PAIRS) {
      const m = market.get(p.symbol)!
      const moved = m.times(1 + (rand() - 0.5) * 0.1).toDecimalPlaces(p.dp)
      market.set(p.symbol, moved.gt(0) ? moved : m)
      if (step === 0 || rand() < 0.2) {
        marks.push({ asset: p.base, quote: p.quote, price: market.get(p.symbol)!.toFixed(), at: t })
        lastSeen.set(p.symbol, { price: market.get(p.symbol)!, at: t })
      }
    }
    t += 1
    const account = pick(ACCOUNTS)
    const roll = rand()
    if (roll < 0.25 || step < 2) {
      const asset = pick(ASSETS)
      const x = asset === 'USDT' ? amount(20000, 2) : amount(asset === 'BTC' ? 2 : 20)
      // Income arrives like a deposit but is profit: it adds to holdings, not to net deposits.
      const kind = rand() < 0.3 ? 'income' : 'deposit'
      entries.push({ kind, account, timestamp: t, asset, amount: x.toFixed(), fee: null, source: 'csv', externalId: null })
      add(account, asset, x)
      const p = usdtPrice(asset)
      if (kind === 'deposit') netDeposits.set(account, netDeposits.get(account)!.plus(p ? x.times(p).toDecimalPlaces(18, Decimal.ROUND_HALF_EVEN) : 0))
    } else {
      const pair = pick(PAIRS)
      const side = rand() < 0.5 ? 'buy' : 'sell'
      // trade near the market price
      const price = market.get(pair.symbol)!.times(1 + (rand() - 0.5) * 0.01).toDecimalPlaces(pair.dp)
      let x = amount(pair.base === 'BTC' ? 1 : 10)
      const feeKind = pick(['none', 'quote', 'base', 'bnb'] as const)
      const value = x.times(price)
      let fee: { asset: string; amount: Dec } | null =
        feeKind === 'quote' ? { asset: pair.quote, amount: value.times('0.001').toDecimalPlaces(8) }
        : feeKind === 'base' ? { asset: pair.base, amount: x.times('0.001').toDecimalPlaces(8) }
        : feeKind === 'bnb' ? { asset: 'BNB', amount: amount(0.05, 6) }
        : null
      if (fee && fee.amount.isZero()) fee = null
      if (fee?.asset === 'BNB' && (pair.base === 'BNB' || held(account, 'BNB').lt(fee.amount))) fee = null
      const feeIn = (asset: string) => (fee && fee.asset === asset ? fee.amount : new D(0))
      // never dispose of more than is held (cash may go negative): shrink the sell, skip a buy with BTC we lack
      if (side === 'sell') {
        const room = held(account, pair.base).minus(feeIn(pair.base))
        if (room.lte(0)) continue
        if (x.gt(room)) x = room.toDecimalPlaces(4, Decimal.ROUND_DOWN)
        if (x.lte(0)) continue
      } else if (pair.quote !== 'USDT' && held(account, pair.quote).lt(x.times(price).plus(feeIn(pair.quote)))) {
        continue
      }
      entries.push({
        kind: 'trade',
        account,
        timestamp: t,
        symbol: pair.symbol,
        base: pair.base,
        quote: pair.quote,
        side,
        price: price.toFixed(),
        amount: x.toFixed(),
        fee: fee ? { asset: fee.asset, amount: fee.amount.toFixed() } : null,
        source: 'csv',
        externalId: null,
      })
      lastSeen.set(pair.symbol, { price, at: t })
      const q = x.times(price)
      if (side === 'buy') {
        add(account, pair.base, x.minus(feeIn(pair.base)))
        add(account, pair.quote, q.plus(feeIn(pair.quote)).negated())
      } else {
        add(account, pair.base, x.plus(feeIn(pair.base)).negated())
        add(account, pair.quote, q.minus(feeIn(pair.quote)))
      }
      if (fee?.asset === 'BNB') add(account, 'BNB', fee.amount.negated())
    }
    const prices = new Map(PAIRS.filter((p) => p.quote === 'USDT').map((p) => [p.base, market.get(p.symbol)!.toFixed()]))
    yield { entries: [...entries], marks: [...marks], prices, holdings, netDeposits }
  }
}

function valueOf(holdings: Map<string, Dec>, prices: Map<string, string>): Dec {
  let v = new D(0)
  for (const [asset, amount] of holdings) v = v.plus(amount.times(asset === 'USDT' ? 1 : prices.get(asset)!))
  return v
}

describe('P&L property: realized + unrealized = value − net deposits, at every step', () => {
  for (const method of ['fifo', 'average'] as const) {
    it(`${method}: 100 random sequences of 40 steps, two accounts, four markets`, () => {
      let checked = 0
      for (let seed = 1; seed <= 100; seed++) {
        for (const step of sequence(seed * 7919 + (method === 'fifo' ? 0 : 1), 40)) {
          const fixed = computePortfolio({ entries: step.entries, marks: step.marks, prices: step.prices, method, at: Number.MAX_SAFE_INTEGER })
          const exact = computePortfolio({ entries: step.entries, marks: step.marks, prices: step.prices, method, at: Number.MAX_SAFE_INTEGER, arithmetic: 'decimal' })
          expect(fixed, `seed ${seed}`).toEqual(exact)
          expect(fixed.warnings, `seed ${seed}`).toEqual([])
          for (const account of ACCOUNTS) {
            const totals = fixed.accounts.find((a) => a.account === account)
            if (!totals) continue
            const pnl = new D(totals.realized).plus(totals.unrealized)
            const expected = valueOf(step.holdings.get(account)!, step.prices).minus(step.netDeposits.get(account)!)
            expect(pnl.toFixed(), `seed ${seed} account ${account} after ${step.entries.length} entries`).toBe(expected.toFixed())
            // and the engine's holdings are the entries' sums
            for (const p of fixed.positions.filter((x) => x.account === account)) {
              expect(p.amount, `seed ${seed} ${account} ${p.asset}`).toBe(step.holdings.get(account)!.get(p.asset)!.toFixed())
            }
          }
          checked++
        }
      }
      expect(checked).toBeGreaterThan(100 * 30)
    })
  }
})
