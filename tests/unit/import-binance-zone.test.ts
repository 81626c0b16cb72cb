import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { importError } from '../support/import-fixtures'

// Binance lets the user pick the time zone of a trade history export, and names it in the date column's
// header: Date(UTC), Date(UTC+1), Date(UTC-5), Date(UTC+05:30). The times are that zone's wall clock; the
// ledger keeps UTC.

const rows = (dateHeader: string, date = '2024-03-01 00:30:00') =>
  `${dateHeader},Pair,Side,Price,Executed,Amount,Fee\n${date},BTCUSDT,BUY,40000,0.5BTC,20000USDT,0.0005BTC\n`
const timeOf = (dateHeader: string, date?: string) => parseExport('binance', rows(dateHeader, date), { account: 'binance-main' }).entries[0]!.timestamp
const withCoin = (dateHeader: string) =>
  `${dateHeader},Market,Type,Price,Amount,Total,Fee,Fee Coin\n2024-03-01 00:30:00,BTCUSDT,SELL,40000,0.5,20000,0.02,BNB\n`

describe('Binance trade history in a chosen time zone', () => {
  it('reads a plain Date(UTC) header as UTC', () => {
    expect(timeOf('Date(UTC)')).toBe(Date.parse('2024-03-01T00:30:00Z'))
  })

  it('converts times under a zoned header to UTC, across a day, a month and a leap day', () => {
    expect(new Date(timeOf('Date(UTC+1)')).toISOString()).toBe('2024-02-29T23:30:00.000Z')
    expect(new Date(timeOf('Date(UTC-5)')).toISOString()).toBe('2024-03-01T05:30:00.000Z')
    expect(new Date(timeOf('Date(UTC+05:30)')).toISOString()).toBe('2024-02-29T19:00:00.000Z')
    expect(new Date(timeOf('Date(UTC+8)', '2024-01-01 07:59:59')).toISOString()).toBe('2023-12-31T23:59:59.000Z')
    expect(timeOf('Date(UTC+0)')).toBe(Date.parse('2024-03-01T00:30:00Z'))
    const fee = parseExport('binance', withCoin('Date(UTC-5)'), { account: 'binance-main' })
    expect(fee.layout).toBe('trade history with fee coin')
    expect(new Date(fee.entries[0]!.timestamp).toISOString()).toBe('2024-03-01T05:30:00.000Z')
  })

  it('refuses a zone it cannot read, naming the header', () => {
    for (const header of ['Date(UTC+abc)', 'Date(UTC+25)', 'Date(UTC+05:75)', 'Date(CET)']) {
      const err = importError('binance', rows(header))
      expect(err.line).toBe(1)
      expect(err.message).toContain(`"${header}"`)
      expect(err.message).toMatch(/Date\(UTC\+1\)/)
    }
  })
})
