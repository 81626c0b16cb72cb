import { describe, expect, it } from 'vitest'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxFile } from '../../src-main/tax/jobs'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { pdfText } from '../support/pdf-text'

// Account names and income memos are the user's own text, in any script: the PDF shows Latin, Greek and
// Cyrillic letters and signs as they are, and says so where a character (CJK here) cannot be shown.

const T = Date.parse

async function pdfOf(account: string, memo: string): Promise<string> {
  const entries: LedgerEntryInput[] = [
    { kind: 'trade', account, timestamp: T('2024-02-01T00:00:00Z'), symbol: 'SOL/USDT', base: 'SOL', quote: 'USDT', side: 'sell', price: '100', amount: '1', fee: null, source: 'csv', externalId: 's' },
    { kind: 'income', account, timestamp: T('2024-03-01T00:00:00Z'), asset: 'ETH', amount: '0.01', fee: null, source: 'csv', externalId: 'i', memo },
  ]
  const marks = [{ asset: 'ETH', quote: 'USDT', price: '3000', at: T('2024-03-01T00:00:00Z') }]
  const built = buildTaxReport({ entries, marks, query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2024 }), includes: () => true, now: 0 })
  const file = await taxFile(built.report, built.allLines(), 'pdf', built.incomeLines)
  return pdfText(Buffer.from(file.data, 'base64'))
}

describe('tax PDF: text beyond Latin-1', () => {
  it('shows Polish, German, Greek and Cyrillic names, dashes, € and ✓ as written', async () => {
    const text = await pdfOf('Łódź — Börse € Ελλάδα Москва', 'Staking reward (Kraken) ✓')
    expect(text).toContain('Łódź — Börse € Ελλάδα Москва')
    expect(text).toContain('Staking reward (Kraken) ✓')
    expect(text).not.toContain('could not be shown')
  })

  it('a character the font lacks shows as "?", and the PDF says some could not be shown', async () => {
    const text = await pdfOf('Łódź 钱包 — Börse €', 'Staking ✓ 質押')
    expect(text).toContain('Łódź ?? — Börse €')
    expect(text).toContain('Staking ✓ ??')
    expect(text).toContain('Some characters could not be shown in this PDF')
  })
})
