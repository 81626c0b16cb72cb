import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { rulesFor } from '../../src-main/tax/rules'
import { taxReportInputSchema, type TaxReport, type TaxReportInput } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import type { PriceMarkInput } from '../../src-main/portfolio/pnl'
import { ledger } from './portfolio-support'
import { thrown } from '../support/thrown'
import { AppError } from '../../src-main/api/errors'
import { parseMoney } from '../../src-main/tax/money'
import { taxFile } from '../../src-main/tax/jobs'
import { parse } from 'csv-parse/sync'

// The tax engine over hand-made ledgers, each figure worked out by hand in the comments.

/** A time in a zone's wall clock, given as an ISO string with its offset. */
const at = (iso: string) => Date.parse(iso)

function report(entries: LedgerEntryInput[], input: Omit<TaxReportInput, 'lineLimit'>, marks: PriceMarkInput[] = []): TaxReport {
  return buildTaxReport({ entries, marks, query: taxReportInputSchema.parse(input), includes: () => true, now: 0 }).report
}

/** A trade at a given moment. */
function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string, fee: [string, string] | null = null, account = 'acct'): LedgerEntryInput {
  const l = ledger(account)
  const e = side === 'buy' ? l.buy(symbol, amount, price, fee) : l.sell(symbol, amount, price, fee)
  return { ...e, timestamp: at(iso) }
}

const lineView = (r: TaxReport) => r.lines.map((l) => [l.amount, l.proceeds, l.cost, l.gain, l.term, l.rule])

describe('tax report: US lot methods', () => {
  // Three BTC bought at 20,000, 30,000 and 25,000; 1.5 sold at 40,000 (proceeds 60,000) on 1 May 2024.
  const entries = [
    trade('buy', 'BTC/USDT', '1', '20000', '2023-01-10T15:00:00-05:00'),
    trade('buy', 'BTC/USDT', '1', '30000', '2023-06-01T15:00:00-04:00'),
    trade('buy', 'BTC/USDT', '1', '25000', '2024-03-01T15:00:00-05:00'),
    trade('sell', 'BTC/USDT', '1.5', '40000', '2024-05-01T15:00:00-04:00'),
  ]

  it('FIFO: the oldest lot (long term) then half the second (short term)', () => {
    const r = report(entries, { jurisdiction: 'us', year: 2024, method: 'fifo' })
    expect(lineView(r)).toEqual([
      ['1', '40000.00', '20000.00', '20000.00', 'long', 'fifo'],
      ['0.5', '20000.00', '15000.00', '5000.00', 'short', 'fifo'],
    ])
    expect(r.summary.long).toEqual({ disposals: 1, proceeds: '40000.00', cost: '20000.00', gain: '20000.00' })
    expect(r.summary.short).toEqual({ disposals: 1, proceeds: '20000.00', cost: '15000.00', gain: '5000.00' })
    expect(r.summary.all).toEqual({ disposals: 1, proceeds: '60000.00', cost: '35000.00', gain: '25000.00' })
    expect([r.summary.net, r.summary.taxable, r.currency, r.timeZone, r.yearLabel]).toEqual(['25000.00', '25000.00', 'USD', 'America/New_York', '2024'])
  })

  it('LIFO: the newest lot, then half the one before', () => {
    const r = report(entries, { jurisdiction: 'us', year: 2024, method: 'lifo' })
    expect(lineView(r)).toEqual([
      ['1', '40000.00', '25000.00', '15000.00', 'short', 'lifo'],
      ['0.5', '20000.00', '15000.00', '5000.00', 'short', 'lifo'],
    ])
    expect(r.summary.all.gain).toBe('20000.00')
  })

  it('HIFO: the dearest lot (30,000), then half the next dearest (25,000)', () => {
    const r = report(entries, { jurisdiction: 'us', year: 2024, method: 'hifo' })
    expect(lineView(r)).toEqual([
      ['1', '40000.00', '30000.00', '10000.00', 'short', 'hifo'],
      ['0.5', '20000.00', '12500.00', '7500.00', 'short', 'hifo'],
    ])
  })

  it('average cost is refused, saying why (crypto is no mutual fund share)', () => {
    const err = thrown(() => report(entries, { jurisdiction: 'us', year: 2024, method: 'average' }), AppError)
    expect(err.message).toBe(
      'United States reports use FIFO, LIFO, HIFO; "average" does not apply there: US rules allow average cost for mutual fund shares only (Treas. Reg. § 1.1012-1(e)), not for digital assets',
    )
  })

  it('average cost (where allowed, Germany): 25,000 a unit, the units dated oldest first (1 long, 0.5 short)', () => {
    const r = report(entries, { jurisdiction: 'de', year: 2024, method: 'average' }, [{ asset: 'EUR', quote: 'USDT', price: '1', at: at('2022-01-01T00:00:00Z') }])
    // (USDT is no cash in euro: its own disposals are lines too; the BTC ones are the point here.)
    expect(lineView({ ...r, lines: r.lines.filter((l) => l.asset === 'BTC') })).toEqual([
      ['1', '40000.00', '25000.00', '15000.00', 'long', 'average'],
      ['0.5', '20000.00', '12500.00', '7500.00', 'short', 'average'],
    ])
    expect(r.summary.notes.some((n) => n.startsWith('German tax offices'))).toBe(false)
    expect(report(entries, { jurisdiction: 'de', year: 2024, method: 'lifo' }, [{ asset: 'EUR', quote: 'USDT', price: '1', at: at('2022-01-01T00:00:00Z') }]).summary.notes).toContainEqual(
      expect.stringMatching(/^German tax offices take the oldest coins as sold first \(FIFO/),
    )
  })

  it('a year without the sale has no line, and the sale is not in the year before', () => {
    expect(report(entries, { jurisdiction: 'us', year: 2023 }).lines).toEqual([])
    expect(report(entries, { jurisdiction: 'us', year: 2023 }).summary.notes).toContain('No disposal in this tax year.')
  })
})

describe('tax report: what a disposal is worth', () => {
  it('a sale matched to many lots shares its proceeds without a negative line, adding up to the cent', () => {
    // Ten buys of 0.33 ADA and one of 0.001, then all 3.301 sold at 1.50 USD: proceeds 4.9515 → 4.95.
    // Each 0.33 lot's share is 0.495 (4.95 × 0.33 / 3.301 = 0.49485...), the 0.001 lot's 0.0015: the
    // lines take 0.49 each, and the 8 cents left go to the largest remainders.
    const buys = Array.from({ length: 10 }, (_, i) => trade('buy', 'ADA/USDT', '0.33', '1.4', `2024-01-${String(i + 1).padStart(2, '0')}T12:00:00Z`))
    const r = report([...buys, trade('buy', 'ADA/USDT', '0.001', '1.4', '2024-01-12T12:00:00Z'), trade('sell', 'ADA/USDT', '3.301', '1.5', '2024-01-20T12:00:00Z')], {
      jurisdiction: 'us',
      year: 2024,
    })
    const proceeds = r.lines.map((l) => l.proceeds)
    expect(proceeds).toHaveLength(11)
    expect(proceeds.filter((p) => p.startsWith('-'))).toEqual([])
    expect(proceeds.reduce((n, p) => n + parseMoney(p), 0n)).toBe(495n)
    expect(r.summary.all.proceeds).toBe('4.95')
    // No line is more than a cent away from its exact share.
    expect(proceeds.slice(0, 10).every((p) => p === '0.49' || p === '0.50')).toBe(true)
    expect(['0.00', '0.01']).toContain(proceeds[10])
  })

  it('fees: a buy fee adds to the cost, a sell fee takes from the proceeds', () => {
    const r = report(
      [trade('buy', 'ETH/USDT', '1', '2000', '2024-02-01T12:00:00Z', ['2', 'USDT']), trade('sell', 'ETH/USDT', '1', '2500', '2024-03-01T12:00:00Z', ['2.5', 'USDT'])],
      { jurisdiction: 'us', year: 2024 },
    )
    expect(lineView(r)).toEqual([['1', '2497.50', '2002.00', '495.50', 'short', 'fifo']])
  })

  it('a fee paid in a third asset (BNB) is a disposal of it at its value then', () => {
    const r = report(
      [
        trade('buy', 'BNB/USDT', '1', '300', '2024-01-02T12:00:00Z'),
        trade('buy', 'BTC/USDT', '1', '40000', '2024-02-01T12:00:00Z', ['0.1', 'BNB']),
        trade('buy', 'BNB/USDT', '0.1', '350', '2024-02-01T12:00:01Z'),
      ],
      { jurisdiction: 'us', year: 2024 },
    )
    // 0.1 BNB valued at the last BNB price then (300): proceeds 30, cost 30 (a tenth of the 300 lot).
    expect(r.lines.map((l) => [l.asset, l.amount, l.proceeds, l.cost, l.cause])).toEqual([['BNB', '0.1', '30.00', '30.00', 'fee']])
  })

  it('a fee worth more than the sale: proceeds 0.00 (never below zero), the excess fee added to the cost, the loss unchanged', async () => {
    // 5 CMD bought in two lots (2.5 at 1.00, 2.5 at 1.20), sold for 10 USDT with a 0.1 BNB fee worth 30:
    // net proceeds −20. Each line (2.5 units) takes half the 20 on its cost: 2.50 + 10 and 3.00 + 10.
    const entries = [
      trade('buy', 'BNB/USDT', '1', '300', '2024-01-02T12:00:00Z'),
      trade('buy', 'CMD/USDT', '2.5', '1', '2024-01-05T12:00:00Z'),
      trade('buy', 'CMD/USDT', '2.5', '1.2', '2024-01-06T12:00:00Z'),
      trade('sell', 'CMD/USDT', '5', '2', '2024-03-05T12:00:00Z', ['0.1', 'BNB']),
    ]
    const built = buildTaxReport({ entries, marks: [], query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024 }), includes: () => true, now: 0 })
    const cmd = built.report.lines.filter((l) => l.asset === 'CMD').map((l) => [l.amount, l.proceeds, l.cost, l.gain])
    expect(cmd).toEqual([
      ['2.5', '0.00', '12.50', '-12.50'],
      ['2.5', '0.00', '13.00', '-13.00'],
    ])
    // The BNB fee is its own disposal (30 for 30); the year's figures add up from the lines.
    expect(built.report.summary.all).toEqual({ disposals: 2, proceeds: '30.00', cost: '55.50', gain: '-25.50' })
    const file = await taxFile(built.report, built.allLines(), 'csv')
    const rows = parse(file.data, { columns: true, bom: true }) as Record<string, string>[]
    expect(rows.filter((r) => r['Asset'] === 'CMD').map((r) => [r['Proceeds'], r['Cost or other basis'], r['Gain or (loss)']])).toEqual([
      ['0.00', '12.50', '-12.50'],
      ['0.00', '13.00', '-13.00'],
    ])
  })

  it('held more than a year starts the day after the anniversary, in the report’s zone', () => {
    const entries = [
      trade('buy', 'BTC/USDT', '1', '10000', '2023-03-15T10:00:00-04:00'),
      trade('buy', 'BTC/USDT', '1', '10000', '2023-03-15T11:00:00-04:00'),
      trade('sell', 'BTC/USDT', '1', '20000', '2024-03-15T23:59:00-04:00'),
      trade('sell', 'BTC/USDT', '1', '20000', '2024-03-16T00:01:00-04:00'),
    ]
    expect(report(entries, { jurisdiction: 'us', year: 2024 }).lines.map((l) => l.term)).toEqual(['short', 'long'])
  })

  it('US: a lot bought on a month’s last day is held a year on that month’s last day a year later (Rev. Rul. 66-7)', () => {
    // Bought 28 February 2023 (February's last day): the year runs to 29 February 2024, so a sale that day
    // is short term and one on 1 March 2024 long term. Germany counts the year to 28 February 2024
    // (§ 188 Abs. 2 BGB): the 29 February sale is already past it.
    const entries = [
      trade('buy', 'BTC/USDT', '1', '10000', '2023-02-28T12:00:00-05:00'),
      trade('buy', 'BTC/USDT', '1', '10000', '2023-02-28T13:00:00-05:00'),
      trade('buy', 'BTC/USDT', '1', '10000', '2024-01-31T12:00:00-05:00'),
      trade('sell', 'BTC/USDT', '1', '20000', '2024-02-29T12:00:00-05:00'),
      trade('sell', 'BTC/USDT', '1', '20000', '2024-03-01T12:00:00-05:00'),
    ]
    expect(report(entries, { jurisdiction: 'us', year: 2024 }).lines.map((l) => l.term)).toEqual(['short', 'long'])
    const eur = [{ asset: 'EUR', quote: 'USDT', price: '1', at: at('2022-01-01T00:00:00Z') }]
    const de = report(entries, { jurisdiction: 'de', year: 2024, timeZone: 'America/New_York' }, eur)
    expect(de.lines.filter((l) => l.asset === 'BTC').map((l) => l.term)).toEqual(['long', 'long'])
    // Any other day keeps its anniversary: bought 31 January 2024, held a year on 31 January 2025.
    const jan = [trade('buy', 'BTC/USDT', '1', '10000', '2024-01-31T12:00:00-05:00'), trade('sell', 'BTC/USDT', '1', '20000', '2025-01-31T12:00:00-05:00'), trade('buy', 'BTC/USDT', '1', '10000', '2024-01-31T13:00:00-05:00'), trade('sell', 'BTC/USDT', '1', '20000', '2025-02-01T12:00:00-05:00')]
    expect(report(jan, { jurisdiction: 'us', year: 2025 }).lines.map((l) => l.term)).toEqual(['short', 'long'])
  })

  it('the tax year is the zone’s: 23:30 on 31 December in New York is still that year', () => {
    const entries = [trade('buy', 'BTC/USDT', '1', '10000', '2024-06-01T12:00:00Z'), trade('sell', 'BTC/USDT', '1', '12000', '2024-12-31T23:30:00-05:00')]
    expect(report(entries, { jurisdiction: 'us', year: 2024 }).lines).toHaveLength(1)
    expect(report(entries, { jurisdiction: 'us', year: 2025 }).lines).toHaveLength(0)
    // In Berlin it is already 2025.
    expect(report(entries, { jurisdiction: 'us', year: 2025, timeZone: 'Europe/Berlin' }).lines).toHaveLength(1)
  })

  it('coins sent to another account keep their cost and date; a deposit with no withdrawal is warned', () => {
    const a = ledger('binance')
    const b = ledger('kraken')
    const entries: LedgerEntryInput[] = [
      trade('buy', 'BTC/USDT', '1', '20000', '2022-05-01T12:00:00Z', null, 'binance'),
      { ...a.withdraw('BTC', '1'), timestamp: at('2024-01-10T12:00:00Z') },
      { ...b.deposit('BTC', '1.2'), timestamp: at('2024-01-11T12:00:00Z') },
      trade('sell', 'BTC/USDT', '1', '50000', '2024-02-01T12:00:00Z', null, 'kraken'),
    ]
    // The unmatched 0.2 BTC came in at the last BTC price known (20,000: the only trade before it, from 2022,
    // so that is warned too).
    const r = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(lineView(r)).toEqual([['1', '50000.00', '20000.00', '30000.00', 'long', 'fifo']])
    expect(r.lines[0]?.account).toBe('kraken')
    expect(r.warnings.map((w) => [w.kind, w.asset, w.amount])).toEqual([
      ['unmatched-deposit', 'BTC', '0.2'],
      ['stale-price', 'BTC', undefined],
    ])
  })

  it('a network fee paid in coins is a disposal of them at their value then, on a withdrawal and on a deposit', () => {
    // 1 BTC bought for 10,000; BTC at 50,000 when moved. Withdrawn with a 0.001 BTC fee: the fee coins are
    // disposed of for 50 (0.001 × 50,000) against 10 of cost (HMRC CRYPTO22280; US: fair market value).
    const a = ledger('A')
    const b = ledger('B')
    const marks = [{ asset: 'BTC', quote: 'USD', price: '50000', at: at('2024-06-01T00:00:00Z') }]
    const withdrawn = report(
      [
        trade('buy', 'BTC/USD', '1', '10000', '2024-01-05T12:00:00Z', null, 'A'),
        { ...a.withdraw('BTC', '0.5', { fee: { asset: 'BTC', amount: '0.001' } }), timestamp: at('2024-06-01T12:00:00Z') },
        { ...b.deposit('BTC', '0.5'), timestamp: at('2024-06-01T13:00:00Z') },
      ],
      { jurisdiction: 'us', year: 2024 },
      marks,
    )
    expect(withdrawn.lines.map((l) => [l.account, l.amount, l.proceeds, l.cost, l.gain, l.cause])).toEqual([['A', '0.001', '50.00', '10.00', '40.00', 'fee']])
    // A deposit charged 0.001 BTC of the 1 BTC that arrived: that 0.001 is disposed of the same way, and the
    // later sale of the 0.999 left takes 0.999 of the cost — every unit is accounted for once.
    const deposited = report(
      [
        trade('buy', 'BTC/USD', '1', '10000', '2024-01-05T12:00:00Z', null, 'A'),
        { ...a.withdraw('BTC', '1'), timestamp: at('2024-06-01T12:00:00Z') },
        { ...b.deposit('BTC', '1', { fee: { asset: 'BTC', amount: '0.001' } }), timestamp: at('2024-06-01T13:00:00Z') },
        trade('sell', 'BTC/USD', '0.999', '60000', '2024-07-01T12:00:00Z', null, 'B'),
      ],
      { jurisdiction: 'us', year: 2024 },
      marks,
    )
    expect(deposited.lines.map((l) => [l.account, l.amount, l.proceeds, l.cost, l.cause])).toEqual([
      ['B', '0.001', '50.00', '10.00', 'fee'],
      ['B', '0.999', '59940.00', '9990.00', 'trade'],
    ])
    expect(deposited.warnings).toEqual([])
  })

  it('selling more than was bought: the excess at zero cost, warned', () => {
    const r = report([trade('buy', 'SOL/USDT', '2', '100', '2024-01-05T12:00:00Z'), trade('sell', 'SOL/USDT', '3', '150', '2024-02-05T12:00:00Z')], {
      jurisdiction: 'us',
      year: 2024,
    })
    expect(lineView(r)).toEqual([
      ['2', '300.00', '200.00', '100.00', 'short', 'fifo'],
      ['1', '150.00', '0.00', '150.00', 'short', 'no-cost-basis'],
    ])
    expect(r.warnings.map((w) => w.kind)).toEqual(['missing-cost-basis'])
  })

  it('proceeds are shared among a disposal’s lines so that they add up to the cent', () => {
    // Three lots of 1; 3 sold for 100 in total: 33.33 each and the cent left to the first (equal remainders).
    const entries = [
      trade('buy', 'XRP/USDT', '1', '10', '2024-01-01T12:00:00Z'),
      trade('buy', 'XRP/USDT', '1', '11', '2024-01-02T12:00:00Z'),
      trade('buy', 'XRP/USDT', '1', '12', '2024-01-03T12:00:00Z'),
      trade('sell', 'XRP/USDT', '3', '33.33333333', '2024-01-04T12:00:00Z'),
    ]
    const r = report(entries, { jurisdiction: 'us', year: 2024 })
    expect(r.lines.map((l) => l.proceeds)).toEqual(['33.34', '33.33', '33.33'])
    expect(r.summary.all.proceeds).toBe('100.00')
  })

  it('a method the jurisdiction does not use is refused by name', () => {
    const err = thrown(() => report([], { jurisdiction: 'uk', year: 2024, method: 'fifo' }), AppError)
    expect(err.code).toBe('BAD_INPUT')
    expect(err.message).toBe('United Kingdom reports use HMRC share pooling; "fifo" does not apply there')
  })
})

describe('tax report: UK (HMRC matching)', () => {
  const uk = (iso: string) => `${iso}T12:00:00+01:00`
  // 10 ETH for £10,000 and 5 for £7,500 (pool: 15 ETH, £17,500). On 1 July 4 ETH sold for £8,000 and 1
  // bought for £1,900; on 15 July 2 bought for £3,600. The 4 sold: 1 same day (£1,900), 2 within 30 days
  // (£3,600), 1 from the pool (£17,500 / 15 = £1,166.67). On 1 March 2025 the remaining 14 (pool: 14 ETH,
  // £16,333.33) are sold for £35,000.
  const entries = [
    trade('buy', 'ETH/GBP', '10', '1000', uk('2024-05-01')),
    trade('buy', 'ETH/GBP', '5', '1500', uk('2024-06-01')),
    trade('sell', 'ETH/GBP', '4', '2000', uk('2024-07-01')),
    trade('buy', 'ETH/GBP', '1', '1900', uk('2024-07-01')),
    trade('buy', 'ETH/GBP', '2', '1800', uk('2024-07-15')),
    trade('sell', 'ETH/GBP', '14', '2500', '2025-03-01T12:00:00Z'),
  ]

  it('same day, then bed and breakfast, then the Section 104 pool', () => {
    const r = report(entries, { jurisdiction: 'uk', year: 2024 })
    expect(lineView(r)).toEqual([
      ['1', '2000.00', '1900.00', '100.00', null, 'same-day'],
      ['2', '4000.00', '3600.00', '400.00', null, 'bed-and-breakfast'],
      ['1', '2000.00', '1166.67', '833.33', null, 'section-104'],
      ['14', '35000.00', '16333.33', '18666.67', null, 'section-104'],
    ])
    expect(r.method).toBe('hmrc')
    expect(r.yearLabel).toBe('2024/25')
    expect(r.summary.gains).toBe('20000.00')
    expect(r.summary.allowance).toEqual({ label: 'Annual exempt amount', amount: '3000.00' })
    expect([r.summary.net, r.summary.taxable]).toEqual(['20000.00', '17000.00'])
    expect(r.summary.all.disposals).toBe(2)
  })

  it('all disposals of an asset on one day are one disposal (TCGA 1992 s.105(1)(a)), matched as one', () => {
    // HMRC-style example, worked by hand (2024/25, days counted from 1 May 2024):
    //   day 1  (1 May):  buy 100 @ £1    = £100         pool 100 units, £100
    //   day 10 (10 May): sell 30 @ £3    = £90  ┐
    //                    buy  50 @ £2    = £100 │ one disposal of 30 + 40 + 20 = 90 units,
    //                    sell 40 @ £3.50 = £140 │ proceeds £90 + £140 + £80 = £310 (other account)
    //                    sell 20 @ £4    = £80  ┘
    //   day 20 (20 May): buy 20 @ £2.50  = £50
    //   day 40 (9 June): sell 80 @ £4    = £320
    // The day-10 disposal of 90:
    //   1. same day: 50 against the day's 50 bought, cost £100;
    //   2. 30 days: 20 against the 20 bought on day 20, cost £50 (those never enter the pool);
    //   3. pool: the last 20 of the pool's 100 for £100: cost 100 × 20 / 100 = £20 (pool left: 80, £80).
    //   cost £170, gain £310 − £170 = £140. Proceeds shared by units: 310 × 50/90 = 172.222...,
    //   310 × 20/90 = 68.888... twice; 172.22 + 68.88 + 68.88 leaves 2p, to the two largest remainders.
    // Day 40: 80 from the pool at £80, proceeds £320, gain £240.
    // Two disposals (the SA108 count), proceeds £630, cost £250, gain £380.
    const entries = [
      trade('buy', 'ADA/GBP', '100', '1', uk('2024-05-01')),
      trade('sell', 'ADA/GBP', '30', '3', '2024-05-10T09:00:00+01:00'),
      trade('buy', 'ADA/GBP', '50', '2', '2024-05-10T10:00:00+01:00'),
      trade('sell', 'ADA/GBP', '40', '3.5', '2024-05-10T11:00:00+01:00'),
      trade('sell', 'ADA/GBP', '20', '4', '2024-05-10T23:30:00+01:00', null, 'other'),
      trade('buy', 'ADA/GBP', '20', '2.5', uk('2024-05-20')),
      trade('sell', 'ADA/GBP', '80', '4', uk('2024-06-09')),
    ]
    const r = report(entries, { jurisdiction: 'uk', year: 2024 })
    expect(lineView(r)).toEqual([
      ['50', '172.22', '100.00', '72.22', null, 'same-day'],
      ['20', '68.89', '50.00', '18.89', null, 'bed-and-breakfast'],
      ['20', '68.89', '20.00', '48.89', null, 'section-104'],
      ['80', '320.00', '80.00', '240.00', null, 'section-104'],
    ])
    // The day's three lines are one disposal, dated on that day, naming both accounts it came from.
    const day = r.lines.slice(0, 3)
    expect(new Set(day.map((l) => l.disposal)).size).toBe(1)
    expect(day.map((l) => l.account)).toEqual(['acct, other', 'acct, other', 'acct, other'])
    expect(r.lines[3]?.disposal).not.toBe(r.lines[0]?.disposal)
    expect(r.summary.all).toEqual({ disposals: 2, proceeds: '630.00', cost: '250.00', gain: '380.00' })
    expect([r.summary.gains, r.summary.losses]).toEqual(['380.00', '0.00'])
    expect(r.summary.notes).toContainEqual(expect.stringMatching(/^All disposals of an asset on one day are one disposal/))
  })

  it('one day’s gain and loss net inside the one disposal; the next day is another disposal', () => {
    // Pool 2 BTC for £60,000 (£30,000 each). 1 June: sell 1 @ £40,000 (gain) and 1 @ £25,000 (loss) in
    // one disposal: proceeds £65,000, cost £60,000, gain £5,000 (not a £10,000 gain and a £5,000 loss).
    const r = report(
      [
        trade('buy', 'BTC/GBP', '2', '30000', uk('2024-05-01')),
        trade('sell', 'BTC/GBP', '1', '40000', '2024-06-01T09:00:00+01:00'),
        trade('sell', 'BTC/GBP', '1', '25000', '2024-06-01T18:00:00+01:00'),
        trade('buy', 'BTC/GBP', '1', '30000', uk('2024-09-01')),
        trade('sell', 'BTC/GBP', '0.5', '30000', '2024-09-02T00:30:00+01:00'),
      ],
      { jurisdiction: 'uk', year: 2024 },
    )
    expect(lineView(r)).toEqual([
      ['2', '65000.00', '60000.00', '5000.00', null, 'section-104'],
      ['0.5', '15000.00', '15000.00', '0.00', null, 'section-104'],
    ])
    expect([r.summary.all.disposals, r.summary.gains, r.summary.losses]).toEqual([2, '5000.00', '0.00'])
  })

  it('the 30-day rule reaches past the tax year’s end (5 April)', () => {
    const r = report(
      [
        trade('buy', 'BTC/GBP', '1', '30000', uk('2024-06-01')),
        trade('sell', 'BTC/GBP', '1', '50000', uk('2025-04-01')),
        trade('buy', 'BTC/GBP', '1', '49000', uk('2025-04-20')),
      ],
      { jurisdiction: 'uk', year: 2024 },
    )
    expect(lineView(r)).toEqual([['1', '50000.00', '49000.00', '1000.00', null, 'bed-and-breakfast']])
    // 2023/24's annual exempt amount is £6,000; the gain is under it.
    const before = report([trade('buy', 'BTC/GBP', '1', '30000', uk('2023-06-01')), trade('sell', 'BTC/GBP', '1', '35000', uk('2023-09-01'))], { jurisdiction: 'uk', year: 2023 })
    expect([before.summary.allowance?.amount, before.summary.net, before.summary.taxable]).toEqual(['6000.00', '5000.00', '0.00'])
  })

  it('a loss and a gain in a year: gains and losses apart, net between them', () => {
    const r = report(
      [
        trade('buy', 'BTC/GBP', '1', '30000', uk('2024-05-01')),
        trade('buy', 'ETH/GBP', '1', '3000', uk('2024-05-01')),
        trade('sell', 'BTC/GBP', '1', '40000', uk('2024-09-01')),
        trade('sell', 'ETH/GBP', '1', '2000', uk('2024-09-01')),
      ],
      { jurisdiction: 'uk', year: 2024 },
    )
    expect([r.summary.gains, r.summary.losses, r.summary.net, r.summary.taxable]).toEqual(['10000.00', '-1000.00', '9000.00', '6000.00'])
  })
})

describe('tax report: Germany (§ 23 EStG)', () => {
  const de = (iso: string) => `${iso}T12:00:00+01:00`
  const year = (gain: string) =>
    report(
      [
        trade('buy', 'BTC/EUR', '1', '10000', de('2022-01-10')),
        trade('buy', 'ETH/EUR', '1', '1000', de('2024-01-10')),
        // Held more than a year: tax-free, whatever the gain.
        trade('sell', 'BTC/EUR', '1', '60000', de('2024-02-10')),
        trade('sell', 'ETH/EUR', '1', String(1000 + Number(gain)), de('2024-03-10')),
      ],
      { jurisdiction: 'de', year: 2024 },
    )

  it('under the 1,000 € Freigrenze the year’s short-term gain is tax-free; at it, taxable in full', () => {
    const under = year('999.99')
    expect(under.summary.long?.gain).toBe('50000.00')
    expect([under.summary.net, under.summary.allowance?.amount, under.summary.taxable]).toEqual(['999.99', '1000.00', '0.00'])
    const atLimit = year('1000')
    expect([atLimit.summary.net, atLimit.summary.taxable]).toEqual(['1000.00', '1000.00'])
  })

  it('valued in EUR through a EUR/USDT rate; USDT is an asset there, its own disposals reported', () => {
    const wallet = ledger('acct')
    const r = report(
      [
        { ...wallet.deposit('USDT', '44000'), timestamp: at('2024-01-05T12:00:00Z') },
        trade('buy', 'BTC/USDT', '1', '44000', '2024-01-10T12:00:00Z'),
        trade('sell', 'BTC/USDT', '1', '55000', '2024-06-10T12:00:00Z'),
      ],
      { jurisdiction: 'de', year: 2024 },
      [
        { asset: 'EUR', quote: 'USDT', price: '1.1', at: at('2024-01-01T00:00:00Z') },
        { asset: 'EUR', quote: 'USDT', price: '1.1', at: at('2024-01-10T00:00:00Z') },
        { asset: 'EUR', quote: 'USDT', price: '1.25', at: at('2024-06-10T00:00:00Z') },
      ],
    )
    // 44,000 USDT arrive worth 40,000 € (1.1) and buy the BTC at 40,000 € (no gain on the USDT); the BTC
    // sells for 55,000 USDT = 44,000 € (1.25).
    expect(r.lines.map((l) => [l.asset, l.amount, l.proceeds, l.cost, l.gain])).toEqual([
      ['USDT', '44000', '40000.00', '40000.00', '0.00'],
      ['BTC', '1', '44000.00', '40000.00', '4000.00'],
    ])
    expect(r.currency).toBe('EUR')
    expect(r.warnings.map((w) => [w.kind, w.asset])).toEqual([['unmatched-deposit', 'USDT']])
    expect(r.summary.incomplete).toBeNull()
  })

  it('without any EUR rate, the trades are unpriced and the report says so', () => {
    const r = report([trade('buy', 'BTC/USDT', '1', '44000', '2024-01-10T12:00:00Z'), trade('sell', 'BTC/USDT', '1', '55000', '2024-06-10T12:00:00Z')], {
      jurisdiction: 'de',
      year: 2024,
    })
    expect(r.warnings.some((w) => w.kind === 'unpriced-asset' && w.asset === 'USDT')).toBe(true)
    expect(r.summary.incomplete).toMatch(/^Incomplete: 2 trades could not be valued in EUR \(no EUR price for USDT at the time\)/)
  })
})

describe('tax rules: the year’s allowance in force', () => {
  it('UK annual exempt amount and the German Freigrenze by year', () => {
    const uk = rulesFor('uk')
    expect([2012, 2019, 2022, 2023, 2024, 2030].map((y) => uk.allowance(y)?.amount)).toEqual(['10600', '12000', '12300', '6000', '3000', '3000'])
    const de = rulesFor('de')
    expect([2015, 2023, 2024].map((y) => de.allowance(y)?.amount)).toEqual(['600', '600', '1000'])
    expect(rulesFor('us').allowance(2024)).toBeNull()
  })
})

describe('tax report: US per-account basis (Rev. Proc. 2024-28)', () => {
  // 1 BTC at 10,000 in Binance (Jan 2024), 1 at 30,000 in Kraken (Jun 2024); Kraken sells 1 at 50,000 in 2025.
  const buys = [
    trade('buy', 'BTC/USDT', '1', '10000', '2024-01-10T12:00:00Z', null, 'binance'),
    trade('buy', 'BTC/USDT', '1', '30000', '2024-06-10T12:00:00Z', null, 'kraken'),
  ]

  it('from 2025 a sale takes its cost from its own account; one pool when asked, and before 2025', () => {
    const entries = [...buys, trade('sell', 'BTC/USDT', '1', '50000', '2025-03-01T12:00:00Z', null, 'kraken')]
    const own = report(entries, { jurisdiction: 'us', year: 2025 })
    expect(own.pooling).toBe('per-account')
    expect(lineView(own)).toEqual([['1', '50000.00', '30000.00', '20000.00', 'short', 'fifo']])
    const pooled = report(entries, { jurisdiction: 'us', year: 2025, pooling: 'universal' })
    expect(lineView(pooled)).toEqual([['1', '50000.00', '10000.00', '40000.00', 'long', 'fifo']])
    expect(pooled.summary.notes).toContain('From 2025 US rules (Rev. Proc. 2024-28) track basis wallet by wallet: this report pools all accounts as you asked.')
    expect(report(entries, { jurisdiction: 'us', year: 2024 }).pooling).toBe('universal')
  })

  it('coins moved between accounts take their lots with them, in acquisition order', () => {
    const binance = ledger('binance')
    const kraken = ledger('kraken')
    const entries: LedgerEntryInput[] = [
      ...buys,
      { ...binance.withdraw('BTC', '1'), timestamp: at('2025-01-05T12:00:00Z') },
      { ...kraken.deposit('BTC', '1'), timestamp: at('2025-01-06T12:00:00Z') },
      trade('sell', 'BTC/USDT', '1.5', '50000', '2025-03-01T12:00:00Z', null, 'kraken'),
    ]
    // Kraken now holds the moved January lot (older) and its own June lot: FIFO takes January's first.
    expect(lineView(report(entries, { jurisdiction: 'us', year: 2025 }))).toEqual([
      ['1', '50000.00', '10000.00', '40000.00', 'long', 'fifo'],
      ['0.5', '25000.00', '15000.00', '10000.00', 'short', 'fifo'],
    ])
    expect(report(entries, { jurisdiction: 'us', year: 2025 }).warnings).toEqual([])
  })

  it('coins that left an account with no record of buying them arrive without a cost basis, sold last and warned', () => {
    const binance = ledger('binance')
    const kraken = ledger('kraken')
    const entries: LedgerEntryInput[] = [
      ...buys,
      // Binance holds 1 BTC on record but sends 1.5: the 0.5 beyond it has no cost basis in the ledger.
      { ...binance.withdraw('BTC', '1.5'), timestamp: at('2025-01-05T12:00:00Z') },
      { ...kraken.deposit('BTC', '1.5'), timestamp: at('2025-01-06T12:00:00Z') },
      trade('sell', 'BTC/USDT', '2.5', '50000', '2025-03-01T12:00:00Z', null, 'kraken'),
    ]
    // Kraken: the January lot (10,000), its own June lot (30,000), then the 0.5 nobody knows the cost of —
    // reported as one pool reports it: at zero cost, no date, and named in the warnings.
    const r = report(entries, { jurisdiction: 'us', year: 2025 })
    expect(lineView(r)).toEqual([
      ['1', '50000.00', '10000.00', '40000.00', 'long', 'fifo'],
      ['1', '50000.00', '30000.00', '20000.00', 'short', 'fifo'],
      ['0.5', '25000.00', '0.00', '25000.00', 'short', 'no-cost-basis'],
    ])
    expect(r.lines.at(-1)?.acquiredAt).toBeNull()
    expect(r.warnings.map((w) => [w.kind, w.asset, w.amount])).toEqual([['missing-cost-basis', 'BTC', '0.5']])
    // The same ledger as one pool: the same three lines and warning.
    const pooled = report(entries, { jurisdiction: 'us', year: 2025, pooling: 'universal' })
    expect(lineView(pooled)).toEqual(lineView(r))
    expect(pooled.warnings.map((w) => [w.kind, w.asset, w.amount])).toEqual([['missing-cost-basis', 'BTC', '0.5']])
  })

  it('moving to per account in 2025 uses only the basis the 2024 report left: no lot counts twice', () => {
    const entries = [
      trade('buy', 'BTC/USD', '1', '10000', '2024-01-10T12:00:00Z', null, 'A'),
      trade('buy', 'BTC/USD', '1', '50000', '2024-02-10T12:00:00Z', null, 'B'),
      // 2024, one pool: B's sale takes the oldest lot, the 10,000 bought in A.
      trade('sell', 'BTC/USD', '1', '50000', '2024-06-10T12:00:00Z', null, 'B'),
      trade('sell', 'BTC/USD', '1', '60000', '2025-06-10T12:00:00Z', null, 'A'),
    ]
    expect(lineView(report(entries, { jurisdiction: 'us', year: 2024 }))).toEqual([['1', '50000.00', '10000.00', '40000.00', 'short', 'fifo']])
    // 1 January 2025: the pool's unused lot (50,000, bought in B) goes to the one coin held, in A. Matching A
    // on its own history would have used the 10,000 lot a second time (gain 50,000) and the 50,000 never.
    const r2025 = report(entries, { jurisdiction: 'us', year: 2025 })
    expect(r2025.pooling).toBe('per-account')
    expect(lineView(r2025)).toEqual([['1', '60000.00', '50000.00', '10000.00', 'long', 'fifo']])
    expect(r2025.warnings).toEqual([])
  })

  it('at the move, an account keeps the unused lots bought in it; the rest go to coins in transit, then by account', () => {
    const cold = ledger('A')
    const entries: LedgerEntryInput[] = [
      trade('buy', 'ETH/USD', '2', '1000', '2023-01-10T12:00:00Z', null, 'A'), // 2,000
      trade('buy', 'ETH/USD', '1', '3000', '2024-03-10T12:00:00Z', null, 'B'),
      trade('buy', 'ETH/USD', '1', '2000', '2024-04-10T12:00:00Z', null, 'C'),
      // A sends 1 ETH to a wallet the ledger does not see; it comes back to C in 2025.
      { ...cold.withdraw('ETH', '1'), timestamp: at('2024-05-01T12:00:00Z') },
      { ...ledger('C').deposit('ETH', '1'), timestamp: at('2025-02-01T12:00:00Z') },
      trade('sell', 'ETH/USD', '1', '4000', '2025-03-01T12:00:00Z', null, 'A'),
      trade('sell', 'ETH/USD', '1', '4000', '2025-03-02T12:00:00Z', null, 'B'),
      trade('sell', 'ETH/USD', '2', '4000', '2025-03-03T12:00:00Z', null, 'C'),
    ]
    // At the move: A holds 1 of its 2023 lot (1,000 a coin), B its own (3,000), C its own (2,000); the other
    // 2023 coin (1,000) went out with the withdrawal and comes back with the deposit to C.
    expect(lineView(report(entries, { jurisdiction: 'us', year: 2025 }))).toEqual([
      ['1', '4000.00', '1000.00', '3000.00', 'long', 'fifo'],
      ['1', '4000.00', '3000.00', '1000.00', 'short', 'fifo'],
      ['1', '4000.00', '1000.00', '3000.00', 'long', 'fifo'],
      ['1', '4000.00', '2000.00', '2000.00', 'short', 'fifo'],
    ])
  })

  it('the UK pools every account: per account is refused by name', () => {
    expect(thrown(() => report([], { jurisdiction: 'uk', year: 2025, pooling: 'per-account' }), AppError).message).toBe(
      'United Kingdom reports pool cost across all accounts; "per-account" does not apply there',
    )
  })
})

describe('holding period: a year and a day', () => {
  it('the quick test on the time between agrees with the calendar, across zones and summer time', async () => {
    const { dayOf, heldOverAYear, heldOverAYearAt } = await import('../../src-main/tax/calendar')
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const zones = ['America/New_York', 'Europe/London', 'Europe/Berlin', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']
    for (let i = 0; i < 3000; i++) {
      const zone = zones[i % zones.length]!
      const acquiredAt = Date.UTC(2019, 0, 1) + Math.floor(rand() * 5 * 365 * 86_400_000)
      // Mostly around the anniversary, some far from it.
      const span = (i % 3 === 0 ? 200 + rand() * 400 : 362 + rand() * 8) * 86_400_000
      const disposedAt = acquiredAt + Math.floor(span)
      for (const monthEnd of ['date', 'month-end'] as const) {
        expect(heldOverAYearAt(acquiredAt, disposedAt, zone, monthEnd), `${zone} ${monthEnd} ${new Date(acquiredAt).toISOString()} → ${new Date(disposedAt).toISOString()}`).toBe(
          heldOverAYear(dayOf(acquiredAt, zone), dayOf(disposedAt, zone), monthEnd),
        )
      }
    }
  })
})
