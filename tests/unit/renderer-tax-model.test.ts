import { describe, expect, it } from 'vitest'
import { acquiredLabel, ownAccounts, reportDay, yearOptions } from '../../src-renderer/features/tax/taxModel'
import type { TaxLine } from '../../src-main/api/contract'

const line = (over: Partial<TaxLine>): TaxLine => ({
  asset: 'BTC',
  amount: '1',
  acquiredAt: null,
  disposedAt: 0,
  proceeds: '0.00',
  cost: '0.00',
  gain: '0.00',
  term: null,
  rule: 'fifo',
  cause: 'trade',
  account: 'a',
  disposal: 1,
  ...over,
})

describe('tax page model', () => {
  it('offers this tax year and the ten before, UK years named by both calendar years', () => {
    const now = new Date(Date.UTC(2026, 5, 1))
    expect(yearOptions('us', now).slice(0, 2)).toEqual([
      { year: 2026, label: '2026' },
      { year: 2025, label: '2025' },
    ])
    expect(yearOptions('uk', now).map((y) => y.label).slice(0, 2)).toEqual(['2026/27', '2025/26'])
    expect(yearOptions('uk', new Date(Date.UTC(2099, 5, 1)))[0]?.label).toBe('2099/00')
    expect(yearOptions('de', now)).toHaveLength(11)
  })

  it('lists only the user’s own ledger accounts for the filter', () => {
    const base = { entries: 1, firstAt: null, lastAt: null, canSync: false, sync: null, historyStart: null }
    const accounts = [
      { ...base, account: 'sim', label: 'Paper (simulated exchange)', kind: 'sim' as const },
      { ...base, account: 'sim:trader:maker-max', label: 'Maker Max', kind: 'trader' as const },
      { ...base, account: 'binance-csv', label: 'binance-csv', kind: 'import' as const },
    ]
    expect(ownAccounts(accounts).map((a) => a.account)).toEqual(['sim', 'binance-csv'])
  })

  it('shows days in the report’s zone, and says why a line has no acquisition day', () => {
    const t = Date.parse('2024-12-31T23:30:00-05:00')
    expect(reportDay(t, 'America/New_York')).toBe('2024-12-31')
    expect(reportDay(t, 'Europe/Berlin')).toBe('2025-01-01')
    expect(acquiredLabel(line({ acquiredAt: t }), 'America/New_York')).toBe('2024-12-31')
    expect(acquiredLabel(line({ rule: 'section-104' }), 'Europe/London')).toBe('pool')
    expect(acquiredLabel(line({ rule: 'no-cost-basis' }), 'Europe/London')).toBe('unknown')
  })
})
