import { describe, expect, it } from 'vitest'
import { BINANCE_DATE_HEADER, guessFormat } from '../../src-renderer/features/portfolio/portfolioModel'
import { parseExport } from '../../src-main/portfolio/import'
import { ZONED_DATE_HEADER } from '../../src-main/portfolio/import/header-zone'

// A Binance trade history exported in another time zone heads its date column "Date(UTC+1)": the engine
// reads it, but the dialog did not recognise it, chose the generic format and the import failed. The
// dialog now knows every header the engine's Binance parser takes.

const row = '2024-03-01 00:30:00,BTCUSDT,BUY,"42,000.00",0.50000000BTC,"21,000.00000000USDT",0.00050000BTC'

describe('import dialog: Binance exports in any time zone', () => {
  it('recognises each date header the engine reads as Binance', () => {
    for (const date of ['Date(UTC)', 'Date(UTC+1)', 'Date(UTC-5)', 'Date(UTC+05:30)', '"Date(UTC+8)"', 'date (UTC)']) {
      const text = `${date},Pair,Side,Price,Executed,Amount,Fee\n${row}\n`
      expect(guessFormat(text), date).toBe('binance')
      // The engine reads the very same file as Binance's trade history.
      expect(parseExport('binance', text, { account: 'a' }).entries, date).toHaveLength(1)
    }
  })

  it('the dialog’s pattern is the engine’s', () => {
    expect(BINANCE_DATE_HEADER.source).toBe(ZONED_DATE_HEADER.source)
    expect(BINANCE_DATE_HEADER.flags).toBe(ZONED_DATE_HEADER.flags)
  })

  it('does not take another export’s date column for Binance', () => {
    expect(guessFormat('timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id\n')).toBe('generic')
    expect(guessFormat('Updated,Date of purchase,Amount\n')).toBeNull()
  })
})
