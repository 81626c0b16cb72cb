import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxFile } from '../../src-main/tax/jobs'
import { parseMoney } from '../../src-main/tax/money'
import { formatTax } from '../../src-main/cli/tax-command'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { ledger } from './portfolio-support'
import { pdfText } from '../support/pdf-text'

// The summary as the PDF and the command line print it: its figures must add up as written.

function trade(side: 'buy' | 'sell', symbol: string, amount: string, price: string, iso: string): LedgerEntryInput {
  const l = ledger('Börse')
  return { ...(side === 'buy' ? l.buy(symbol, amount, price, null) : l.sell(symbol, amount, price, null)), timestamp: Date.parse(iso) }
}

/** "1,234.56" or "-250.00" as cents. */
const cents = (text: string) => parseMoney(text.replace(/,/g, ''))

// Germany 2024: a 20,000 EUR gain on coins held two years (tax-free), a 499.99 gain and a 250 loss held months.
const DE = [
  trade('buy', 'BTC/EUR', '1', '20000', '2022-01-10T12:00:00+01:00'),
  trade('sell', 'BTC/EUR', '1', '40000', '2024-03-01T12:00:00+01:00'),
  trade('buy', 'ETH/EUR', '1', '2000', '2024-02-01T12:00:00+01:00'),
  trade('sell', 'ETH/EUR', '0.5', '2999.98', '2024-06-01T12:00:00+02:00'),
  trade('sell', 'ETH/EUR', '0.5', '1500', '2024-07-01T12:00:00+02:00'),
]

function deReport() {
  return buildTaxReport({ entries: DE, marks: [], query: taxReportInputSchema.parse({ jurisdiction: 'de', year: 2024 }), includes: () => true, now: 0 })
}

describe('German summary: private sales apart from the tax-free ones', () => {
  it('the PDF’s gains, losses and net are the private sales’ and add up; the over-a-year sales are named tax-free', async () => {
    const built = deReport()
    const file = await taxFile(built.report, built.allLines(), 'pdf')
    const text = await pdfText(Buffer.from(file.data, 'base64'))
    const line = /Private sales \(held up to one year\): gains ([-\d,.]+) · losses ([-\d,.]+) · net ([-\d,.]+) EUR/.exec(text)
    expect(line).not.toBeNull()
    const [gains, losses, net] = line!.slice(1).map(cents) as [bigint, bigint, bigint]
    expect(gains + losses).toBe(net)
    expect([gains, losses, net]).toEqual([49999n, -25000n, 24999n])
    expect(text).toMatch(/Over a year \(tax-free\): 1 disposal/)
    expect(text).not.toMatch(/Long term \(held more than one year\)/)
  })

  it('the command line says the same', () => {
    const built = deReport()
    const out = formatTax({ report: built.report, written: null })
    expect(out).toContain('  private sales (held up to one year): gains 499.99  losses -250.00  net 249.99')
    expect(out).toMatch(/over a year \(tax-free\)\s+1 disposal/)
  })
})

describe('counts read as words', () => {
  // 2025: one ETH bought and sold (one disposal, one line) and one staking reward.
  const entries: LedgerEntryInput[] = [
    { ...ledger('acct').buy('ETH/USDT', '1', '3000'), timestamp: Date.parse('2025-01-01T12:00:00Z') },
    { kind: 'income', account: 'acct', timestamp: Date.parse('2025-02-01T12:00:00Z'), asset: 'ETH', amount: '0.1', fee: null, source: 'csv', externalId: null },
    { ...ledger('acct').sell('ETH/USDT', '1', '3500'), timestamp: Date.parse('2025-03-01T12:00:00Z') },
  ]
  const marks = [{ asset: 'ETH', quote: 'USDT', price: '3200', at: Date.parse('2025-02-01T12:00:00Z') }]

  it('one disposal, one line, received once: singular in the PDF and on the command line', async () => {
    const built = buildTaxReport({ entries, marks, query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2025 }), includes: () => true, now: 0 })
    const file = await taxFile(built.report, built.allLines(), 'pdf', built.incomeLines)
    const text = await pdfText(Buffer.from(file.data, 'base64'))
    for (const phrase of ['All: 1 disposal ·', 'Short term (held one year or less): 1 disposal ·', 'Received: 1 time ·', 'Disposals (1 line)', 'Income received (1 line)']) {
      expect({ phrase, found: text.includes(phrase) }).toEqual({ phrase, found: true })
    }
    expect(text).not.toMatch(/\b1 (disposals|times|lines)\b/)
    const out = formatTax({ report: built.report, written: 'report.pdf' })
    expect(out).not.toMatch(/\b1 (disposals|times|lines)\b/)
    expect(out).toMatch(/all\s+1 disposal /)
    expect(out).toContain('wrote report.pdf (1 line)')
  })
})
