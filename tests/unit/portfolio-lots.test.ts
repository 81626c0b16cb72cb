import { describe, expect, it } from 'vitest'
import { computePortfolio, type ComputeOptions } from '../../src-main/portfolio/pnl'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'
import { PriceBook } from '../../src-main/portfolio/prices'
import { fixedArith } from '../../src-main/portfolio/arith'

// Hand-computed examples (the arithmetic is written out next to each figure). Both arithmetics — BigInt
// fixed point and decimal.js — must give these exact strings.

const run = (arithmetic: 'fixed' | 'decimal', entries: LedgerEntryInput[], more: Omit<ComputeOptions, 'entries'> = {}) =>
  computePortfolio({ entries, arithmetic, lots: true, ...more })

const pos = (r: ReturnType<typeof run>, asset: string, account = 'acct') => {
  const p = r.positions.find((x) => x.asset === asset && x.account === account)
  if (!p) throw new Error(`no ${asset} position`)
  return p
}

/** Buys at three prices with fees in the quote and in the base, then a partial sell. */
function threeBuysAndASell() {
  const l = ledger()
  return [
    l.deposit('USDT', '100000'),
    l.buy('BTC/USDT', '0.5', '30000', ['15', 'USDT']), //          lot 1: 0.5 BTC, cost 15000 + 15 = 15015
    l.buy('BTC/USDT', '0.3', '32000.5', ['9.60015', 'USDT']), //    lot 2: 0.3 BTC, cost 9600.15 + 9.60015 = 9609.75015
    l.buy('BTC/USDT', '0.2', '29999.99', ['0.0002', 'BTC']), //     lot 3: 0.2 − 0.0002 = 0.1998 BTC, cost 5999.998
    l.sell('BTC/USDT', '0.6', '35000', ['21', 'USDT']), //          proceeds 21000 − 21 = 20979
  ]
}

describe.each(['fixed', 'decimal'] as const)('lots and P&L, hand-computed (%s arithmetic)', (arithmetic) => {
  it('FIFO: oldest lots leave first; a lot split pro rata; fees in quote and base', () => {
    const r = run(arithmetic, threeBuysAndASell(), { prices: new Map([['BTC', '36000']]) })
    // sold 0.6: all of lot 1 (15015) + 0.1 of lot 2 (9609.75015 × 0.1 / 0.3 = 3203.25005) = 18218.25005
    // realized 20979 − 18218.25005 = 2760.74995
    // left: lot 2 0.2 BTC cost 6406.5001, lot 3 0.1998 BTC cost 5999.998 → 0.3998 BTC cost 12406.4981
    // unrealized at 36000: 0.3998 × 36000 = 14392.8 − 12406.4981 = 1986.3019
    expect(pos(r, 'BTC')).toEqual({
      account: 'acct',
      asset: 'BTC',
      amount: '0.3998',
      costBasis: '12406.4981',
      averageCost: '31031.761130565282641321', // 12406.4981 / 0.3998, 18 places, half-even
      price: '36000',
      value: '14392.8',
      realized: '2760.74995',
      unrealized: '1986.3019',
      missingCostBasis: '0',
    })
    expect(r.lots!.filter((l) => l.asset === 'BTC').map((l) => [l.amount, l.cost])).toEqual([
      ['0.2', '6406.5001'],
      ['0.1998', '5999.998'],
    ])
    // USDT: 100000 − 15015 − 9609.75015 − 5999.998 + 20979 = 90354.25185 (cash: no lots, no P&L)
    expect(pos(r, 'USDT')).toMatchObject({ amount: '90354.25185', costBasis: '90354.25185', realized: '0', unrealized: '0' })
    expect(r.totals).toMatchObject({ realized: '2760.74995', unrealized: '1986.3019', value: '104747.05185', netDeposits: '100000' })
    expect(r.warnings).toEqual([])
  })

  it('average cost: one pooled cost, the sell takes its share', () => {
    const r = run(arithmetic, threeBuysAndASell(), { method: 'average', prices: new Map([['BTC', '36000']]) })
    // pool after the buys: 0.9998 BTC for 15015 + 9609.75015 + 5999.998 = 30624.74815
    // the sell's share: 30624.74815 × 0.6 / 0.9998 = 18378.524594918983796759 (rounded at 18 places)
    // realized 20979 − 18378.524594918983796759 = 2600.475405081016203241
    expect(pos(r, 'BTC')).toMatchObject({
      amount: '0.3998',
      costBasis: '12246.223555081016203241',
      averageCost: '30630.8743248649729946',
      realized: '2600.475405081016203241',
      unrealized: '2146.576444918983796759',
    })
    expect(r.lots!.filter((l) => l.asset === 'BTC')).toEqual([
      { account: 'acct', asset: 'BTC', acquiredAt: threeBuysAndASell()[1]!.timestamp, amount: '0.3998', cost: '12246.223555081016203241', costAsset: 'USDT' },
    ])
  })

  it('a fee in a third asset (BNB) is valued at the trade time and disposes of BNB lots', () => {
    const l = ledger()
    const entries = [
      l.deposit('USDT', '10000'),
      l.buy('BNB/USDT', '10', '300', ['0.01', 'BNB']), // BNB lot 9.99 for 3000; BNB now 300
      l.buy('BTC/USDT', '0.1', '40000', ['0.0075', 'BNB']), // fee worth 0.0075 × 300 = 2.25 → BTC cost 4002.25
      l.sell('BTC/USDT', '0.1', '41000', ['0.008', 'BNB']), // BNB still 300 → fee 2.4; proceeds 4100 − 2.4 = 4097.6
    ]
    const r = run(arithmetic, entries, { prices: new Map([['BNB', '310']]) })
    // BTC realized 4097.6 − 4002.25 = 95.35
    expect(pos(r, 'BTC')).toMatchObject({ amount: '0', costBasis: '0', realized: '95.35', averageCost: null })
    // BNB disposals at cost: 3000 × 0.0075 / 9.99 = 2.252252252252252252 (proceeds 2.25), then
    // 2997.747747747747747748 × 0.008 / 9.9825 = 2.402402402402402402 (proceeds 2.4)
    // realized (2.25 − 2.252252252252252252) + (2.4 − 2.402402402402402402) = −0.004654654654654654
    expect(pos(r, 'BNB')).toMatchObject({
      amount: '9.9745',
      costBasis: '2995.345345345345345346',
      realized: '-0.004654654654654654',
      value: '3092.095', // 9.9745 × 310
      unrealized: '96.749654654654654654',
    })
    // cash: 10000 − 3000 − 4000 + 4100
    expect(pos(r, 'USDT')).toMatchObject({ amount: '7100' })
  })

  it('a third-asset fee priced by a stored mark between trades', () => {
    const l = ledger()
    const deposit = l.deposit('USDT', '10000')
    const bnb = l.buy('BNB/USDT', '10', '300')
    const buy = l.buy('BTC/USDT', '0.1', '40000')
    const markAt = l.now() + 500
    const sell = l.sell('BTC/USDT', '0.1', '41000', ['0.008', 'BNB']) // BNB marked at 320 → fee 2.56
    const r = run(arithmetic, [deposit, bnb, buy, sell], { marks: [{ asset: 'BNB', quote: 'USDT', price: '320', at: markAt }] })
    expect(pos(r, 'BTC').realized).toBe('97.44') // 4100 − 2.56 − 4000
    // BNB: 3000 × 0.008 / 10 = 2.4 left at cost; proceeds 2.56 → +0.16
    expect(pos(r, 'BNB')).toMatchObject({ amount: '9.992', costBasis: '2997.6', realized: '0.16' })
  })

  it('an unpriced third-asset fee warns and counts as 0 (its lots still leave)', () => {
    const l = ledger()
    const r = run(arithmetic, [l.deposit('USDT', '1000'), l.deposit('XYZ', '5'), l.buy('BTC/USDT', '0.01', '30000', ['1', 'XYZ'])], {
      prices: new Map([['BTC', '30000']]),
    })
    expect(r.warnings.map((w) => [w.kind, w.asset])).toEqual([
      ['unpriced-asset', 'XYZ'], // held, and no price given to value it
      ['missing-cost-basis', 'XYZ'], // deposited with no known price: zero cost
      ['unpriced-fee', 'XYZ'],
    ])
    expect(pos(r, 'BTC').costBasis).toBe('300')
    expect(pos(r, 'XYZ')).toMatchObject({ amount: '4', costBasis: '0', realized: '0' })
  })

  it('a position closed and reopened starts from its new lots', () => {
    const l = ledger()
    const first = l.buy('ETH/USDT', '1', '2000')
    const close = l.sell('ETH/USDT', '1', '2100') // +100
    const reopen = l.buy('ETH/USDT', '2', '1900')
    const partial = l.sell('ETH/USDT', '0.5', '2000') // 1000 − 2 × 1900 × 0.25 = +50
    for (const method of ['fifo', 'average'] as const) {
      const r = run(arithmetic, [l.deposit('USDT', '5000', { timestamp: 0 }), first, close, reopen, partial], { method })
      expect(pos(r, 'ETH')).toMatchObject({ amount: '1.5', costBasis: '2850', averageCost: '1900', realized: '150' })
      expect(r.lots!.filter((x) => x.asset === 'ETH')).toEqual([
        { account: 'acct', asset: 'ETH', acquiredAt: reopen.timestamp, amount: '1.5', cost: '2850', costAsset: 'USDT' },
      ])
    }
  })

  it('a sell larger than the holdings: missing-cost-basis warning, excess at zero cost, no crash', () => {
    const l = ledger()
    const r = run(arithmetic, [l.buy('SOL/USDT', '2', '100'), l.sell('SOL/USDT', '3', '120', ['0.36', 'USDT']), l.sell('SOL/USDT', '1', '130')])
    // first sell: 2 at cost 200 + 1 at cost 0; proceeds 360 − 0.36 → realized 159.64; then 1 more at 0 cost → +130
    expect(pos(r, 'SOL')).toMatchObject({ amount: '0', costBasis: '0', realized: '289.64', missingCostBasis: '2' })
    const w = r.warnings.filter((x) => x.kind === 'missing-cost-basis')
    expect(w).toHaveLength(1)
    expect(w[0]).toMatchObject({ account: 'acct', asset: 'SOL', count: 2, amount: '2' })
    // cash was never deposited: it goes negative and back (−200 + 359.64 + 130)
    expect(pos(r, 'USDT').amount).toBe('289.64')
  })

  it('crypto-quoted trades are valued through the quote\'s price at the time (ETH/BTC × BTC/USDT)', () => {
    const l = ledger()
    const entries = [
      l.deposit('USDT', '100000'),
      l.buy('BTC/USDT', '1', '40000'),
      l.buy('ETH/BTC', '10', '0.05'), // 0.5 BTC, worth 0.5 × 40000 = 20000: BTC realized 0, ETH cost 20000
      l.sell('BTC/USDT', '0.1', '50000'), // BTC now 50000: realized 5000 − 0.1 × 40000 = 1000
      l.sell('ETH/BTC', '5', '0.06'), // 0.3 BTC worth 15000; ETH cost 10000 → +5000; BTC lot 0.3 at 15000
    ]
    const r = run(arithmetic, entries, { prices: new Map([['BTC', '50000'], ['ETH', '3000']]) })
    expect(pos(r, 'ETH')).toMatchObject({ amount: '5', costBasis: '10000', realized: '5000', unrealized: '5000' })
    // BTC lots: 0.4 of the first at 16000, then 0.3 at 15000
    expect(pos(r, 'BTC')).toMatchObject({ amount: '0.7', costBasis: '31000', realized: '1000', value: '35000', unrealized: '4000' })
  })

  it('deposits create lots at the market price then; withdrawals leave at their value then, the gain realized', () => {
    const l = ledger()
    const entries = [
      l.deposit('USDT', '1000'),
      l.buy('ETH/USDT', '0.1', '2000'),
      l.deposit('ETH', '1'), // ETH last traded at 2000: a lot of 1 at 2000
      l.buy('ETH/USDT', '0.1', '3000'), // ETH now at 3000
      // FIFO: 0.1 at 200, then 0.5 of the deposit lot at 1000 → cost 1200 leaves; worth 0.6 × 3000 = 1800:
      // 600 realized (gained while held here), and net deposits fall by the 1800 that left.
      l.withdraw('ETH', '0.6'),
    ]
    const r = run(arithmetic, entries, { prices: new Map([['ETH', '2500']]) })
    // Left: 0.5 of the deposit lot (1000) and the 0.1 at 300; at 2500 worth 1500.
    expect(pos(r, 'ETH')).toMatchObject({ amount: '0.6', costBasis: '1300', realized: '600', unrealized: '200' })
    // value 1500 + 500 USDT; net deposits 1000 + 2000 − 1800; realized + unrealized = value − net deposits.
    expect(r.totals).toMatchObject({ netDeposits: '1200', realized: '600', unrealized: '200', value: '2000' })
  })

  it('a conversion with a stated total moves exactly that much quote, though its price has no finite decimal', () => {
    const l = ledger()
    const r = run(arithmetic, [
      l.deposit('USDC', '1000'),
      // 1000 USDC for 0.3 ETH: 3333.33… USDC per ETH, shown rounded; the total is what moved.
      l.buy('ETH/USDC', '0.3', '3333.333333333333333333', null, { total: '1000' }),
      // 0.1 ETH back for 350 USDC: the lot's cost share is 1000 × 0.1 / 0.3 = 333.333333333333333333 (18
      // places, half-even), realized 350 − that = 16.666666666666666667.
      l.sell('ETH/USDC', '0.1', '3500', null, { total: '350' }),
    ])
    expect(pos(r, 'USDC')).toMatchObject({ amount: '350' }) // 1000 − 1000 + 350: not 0.000000000000000001 off
    expect(pos(r, 'ETH')).toMatchObject({ amount: '0.2', costBasis: '666.666666666666666667', realized: '16.666666666666666667' })
    // Without the total the same price would have moved 999.9999999999999999999 USDC, rounded to 18 places.
    const unstated = run(arithmetic, [l.deposit('USDC', '1000'), l.buy('ETH/USDC', '0.3', '3333.333333333333333333')])
    expect(pos(unstated, 'ETH').costBasis).toBe('1000')
    expect(pos(run(arithmetic, [l.deposit('USDC', '1000'), l.buy('ETH/USDC', '3', '333.333333333333333333')]), 'USDC').amount).toBe('0.000000000000000001')
  })

  it('as of a time: later entries are ignored; realized in a period', () => {
    const entries = threeBuysAndASell()
    const before = run(arithmetic, entries, { at: entries[3]!.timestamp })
    expect(pos(before, 'BTC')).toMatchObject({ amount: '0.9998', realized: '0' })
    const period = run(arithmetic, entries, { since: entries[4]!.timestamp })
    expect(period.totals.realizedInPeriod).toBe('2760.74995')
    expect(run(arithmetic, entries, { since: entries[4]!.timestamp + 1 }).totals.realizedInPeriod).toBe('0')
  })
})

describe('reporting currency', () => {
  it('USDT, USD and USDC are one cash by default; without the equivalence USDC is an asset of its own', () => {
    const l = ledger()
    const entries = [l.deposit('USDC', '1000'), l.buy('BTC/USDC', '0.01', '30000')]
    const prices = new Map([['BTC', '30000']])
    const same = computePortfolio({ entries, prices })
    expect(same.positions.find((p) => p.asset === 'BTC')).toMatchObject({ costBasis: '300' })
    expect(same.warnings).toEqual([])
    const apart = computePortfolio({ entries, prices, equivalents: [] })
    // USDC never priced in USDT: deposited at zero cost (warned), the BTC valued at 0 (warned)
    expect(apart.warnings.map((w) => [w.kind, w.asset])).toEqual([
      ['missing-cost-basis', 'USDC'],
      ['unpriced-asset', 'USDC'],
    ])
  })

  it('EUR through market prices: USDT is then an asset with its own P&L', () => {
    const l = ledger()
    const entries = [
      l.buy('USDT/EUR', '1000', '0.9'), // 1000 USDT for 900 EUR
      l.buy('BTC/USDT', '0.01', '30000'), // 300 USDT worth 300 × 0.9 = 270 EUR
      l.sell('USDT/EUR', '500', '0.95'), // 475 EUR for USDT that cost 0.9 each (FIFO: 450) → +25
    ]
    const r = computePortfolio({ entries, reportingCurrency: 'EUR', prices: new Map([['BTC', '28000'], ['USDT', '0.95']]) })
    expect(r.positions.find((p) => p.asset === 'BTC')).toMatchObject({ costBasis: '270', value: '280', unrealized: '10' })
    expect(r.positions.find((p) => p.asset === 'USDT')).toMatchObject({ amount: '200', costBasis: '180', realized: '25', unrealized: '10' })
    expect(r.totals.reportingCurrency).toBe('EUR')
  })
})

describe('PriceBook: which observation prices an asset', () => {
  it('the newest against the reporting currency or an equivalent (or inverse); on a tie, the currency itself', () => {
    const DAY = 86_400_000
    const book = () => new PriceBook(fixedArith, 'USD', new Set(['USD', 'USDT', 'USDC']))
    const value = (b: PriceBook<bigint>, asset: string) => {
      const v = b.valueOf(asset)
      return v === null ? null : fixedArith.format(v)
    }
    // A BTC/USD fill of last year does not outweigh BTC/USDT trading now, nor the other way round.
    const a = book()
    a.observe('BTC', 'USD', fixedArith.parse('20000'), 0)
    a.observe('BTC', 'USDT', fixedArith.parse('65000'), 300 * DAY)
    expect(value(a, 'BTC')).toBe('65000')
    a.observe('BTC', 'USD', fixedArith.parse('66000'), 301 * DAY)
    expect(value(a, 'BTC')).toBe('66000')
    // Same moment: the reporting currency's own quote.
    const b = book()
    b.observe('ETH', 'USDC', fixedArith.parse('3001'), DAY)
    b.observe('ETH', 'USD', fixedArith.parse('3000'), DAY)
    expect(value(b, 'ETH')).toBe('3000')
    // An inverse quote (USDT/EUR style) counts by its time too.
    const c = book()
    c.observe('EUR', 'USDT', fixedArith.parse('1.05'), 0)
    c.observe('USDT', 'EUR', fixedArith.parse('0.8'), DAY)
    expect(value(c, 'EUR')).toBe('1.25')
  })
})

