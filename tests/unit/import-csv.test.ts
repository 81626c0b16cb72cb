import { describe, expect, it } from 'vitest'
import { dateCell, decimalCell } from '../../src-main/portfolio/import/values'
import { importError, readCsvFixture } from '../support/import-fixtures'

const at = { line: 7, column: 'x' }
const UTC = { noZone: 'utc', expected: 'a date' } as const

describe('CSV cells to exact values', () => {
  it('keeps numbers exact and normalised, never through a float', () => {
    expect(decimalCell('0.1', at)).toBe('0.1')
    expect(decimalCell('1.50000000', at)).toBe('1.5')
    expect(decimalCell('12345678901234567890.123456789012345678', at)).toBe('12345678901234567890.123456789012345678')
    expect(decimalCell('1e-8', at)).toBe('0.00000001')
    expect(decimalCell('.5', at)).toBe('0.5')
    expect(decimalCell('1,234,567.891', at, { thousands: true })).toBe('1234567.891')
    expect(decimalCell('$42,000.00', at, { thousands: true, currencySign: true })).toBe('42000')
    expect(decimalCell('0', at, { sign: 'non-negative' })).toBe('0')
  })

  it('rejects what is not a plain number, naming line, column and value', () => {
    for (const bad of ['abc', '1,234.5', '1.2.3', '0x10', 'NaN', 'Infinity', '1 000', '']) {
      expect(() => decimalCell(bad, at), bad).toThrow(/^line 7, column "x": /)
    }
    // Thousands separators only in groups of three.
    expect(() => decimalCell('12,34', at, { thousands: true })).toThrow('is not a number')
    expect(() => decimalCell('-1', at)).toThrow('is negative')
    expect(() => decimalCell('0', at)).toThrow('must be above zero')
  })

  it('reads the date layouts of the exports, in UTC unless a zone says otherwise', () => {
    expect(dateCell('2024-01-02 09:00:00', at, UTC)).toBe(Date.parse('2024-01-02T09:00:00Z'))
    expect(dateCell('2024-01-02T09:00:00.1234', at, UTC)).toBe(Date.parse('2024-01-02T09:00:00.123Z'))
    expect(dateCell('2024-01-02 09:00:00 UTC', at, UTC)).toBe(Date.parse('2024-01-02T09:00:00Z'))
    expect(dateCell('2024-01-02T09:00:00+02:00', at, UTC)).toBe(Date.parse('2024-01-02T07:00:00Z'))
    expect(dateCell('2024-01-02T09:00:00-0330', at, UTC)).toBe(Date.parse('2024-01-02T12:30:00Z'))
    expect(dateCell('2024-02-29 23:59:59', at, UTC)).toBe(Date.parse('2024-02-29T23:59:59Z'))
  })

  it('rejects dates it cannot read exactly', () => {
    for (const bad of ['2023-02-29 00:00:00', '2024-13-01 00:00:00', '02/01/2024 09:00', '2024-01-02', 'yesterday', '24-01-02 09:00:00']) {
      expect(() => dateCell(bad, at, UTC), bad).toThrow(/^line 7, column "x": /)
    }
  })

  it('reports CSV syntax errors (an unclosed quote) with the line', () => {
    const err = importError('generic', 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id\n2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,,,\n2024-01-02T09:00:00Z,"trade,BTC\n')
    expect(err.message).toMatch(/not valid CSV/)
    expect(err.line).toBe(3)
  })

  it('counts lines as an editor does: blank preamble lines and quoted line breaks included', () => {
    // Coinbase's preamble has blank lines; the Buy row is line 9 of the file.
    const coinbase = readCsvFixture('coinbase-transactions.csv').replace('$4.99', '$4.x9')
    expect(importError('coinbase', coinbase)).toMatchObject({ line: 9, column: 'Fees and/or Spread', value: '$4.x9' })
    const multiline = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id\n2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,,,"id\nwith a line break"\n2024-01-02T09:00:00Z,trade,BTC,USDT,buy,x,0.1,,,\n'
    expect(importError('generic', multiline)).toMatchObject({ line: 4, column: 'price' })
  })

  it('rejects an empty file', () => {
    expect(importError('kraken', '\n\n').message).toContain('the file is empty')
  })
})
