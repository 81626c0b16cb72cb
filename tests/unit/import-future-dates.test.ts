import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { importError } from '../support/import-fixtures'

// A file exported with epoch microseconds was read as milliseconds: its trades landed in the year 55981
// and counted in today's holdings. A time after now (a day's grace for clocks and zones) is refused,
// naming its line and column, and a number that reads as micro- or nanoseconds says so.

const HEADER = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id'
const rows = (time: string) => `${HEADER}\n2024-01-02T09:00:00Z,deposit,USDT,,,,1000,,,d-1\n${time},trade,BTC,USDT,buy,40000,0.01,,,t-1\n`

describe('import: times after now', () => {
  it('names epoch microseconds and nanoseconds for what they are', () => {
    expect(importError('generic', rows('1704448800000000'))).toMatchObject({
      line: 3, column: 'timestamp', message: 'line 3, column "timestamp": "1704448800000000" looks like epoch microseconds (2024-01-05T10:00:00.000Z); this column takes epoch milliseconds',
    })
    expect(importError('generic', rows('1704448800000000000'))).toMatchObject({ line: 3, column: 'timestamp', message: expect.stringContaining('looks like epoch nanoseconds') })
  })

  it('an epoch-milliseconds time ahead of now is in the future, not microseconds of January 1970', () => {
    const ahead = Date.now() + 3 * 86_400_000
    const year2052 = Date.parse('2052-01-05T10:00:00Z')
    for (const ms of [ahead, year2052]) {
      const err = importError('generic', rows(String(ms)))
      expect(err).toMatchObject({ line: 3, column: 'timestamp' })
      expect(err.message).toContain(`is in the future (${new Date(ms).toISOString()})`)
      expect(err.message).not.toContain('microseconds')
    }
  })

  it('refuses a date in the future, naming the line and column', () => {
    const err = importError('generic', rows('2099-01-02T09:00:00Z'))
    expect(err).toMatchObject({ line: 3, column: 'timestamp' })
    expect(err.message).toBe('line 3, column "timestamp": "2099-01-02T09:00:00Z" is in the future (2099-01-02T09:00:00.000Z); an export holds what already happened — is the year or the time zone wrong?')
    // A Binance export's date column alike.
    const binance = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n2099-03-01 00:30:00,BTCUSDT,BUY,42000,0.5BTC,21000USDT,0.0005BTC\n'
    expect(importError('binance', binance)).toMatchObject({ line: 2, column: 'Date(UTC)', message: expect.stringContaining('is in the future') })
  })

  it('takes a time up to a day ahead (clocks and zones differ), and epoch milliseconds as before', () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString()
    expect(parseExport('generic', rows(soon), { account: 'a' }).entries).toHaveLength(2)
    expect(parseExport('generic', rows('1704448800000'), { account: 'a' }).entries[1]).toMatchObject({ timestamp: 1704448800000 })
  })
})
