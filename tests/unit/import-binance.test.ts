import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { importError, readCsvFixture } from '../support/import-fixtures'

const parse = (text: string) => parseExport('binance', text, { account: 'binance-main' })
const utc = (iso: string) => Date.parse(`${iso}Z`)
const HEADER = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee'

describe('Binance trade history import', () => {
  it('reads the suffixed layout with exact decimals and fees in the base, the quote and BNB', () => {
    const result = parse(readCsvFixture('binance-trade-history.csv'))
    expect(result.layout).toBe('trade history')
    expect(result.rows).toBe(4)
    expect(result.entries).toEqual([
      {
        kind: 'trade', account: 'binance-main', timestamp: utc('2024-01-02T09:00:00'), symbol: 'BTC/USDT', base: 'BTC',
        quote: 'USDT', side: 'buy', price: '40000', amount: '0.5', fee: { asset: 'BTC', amount: '0.0005' },
        source: 'csv', externalId: null,
      },
      {
        kind: 'trade', account: 'binance-main', timestamp: utc('2024-01-03T10:30:00'), symbol: 'BTC/USDT', base: 'BTC',
        quote: 'USDT', side: 'buy', price: '42000', amount: '0.25', fee: { asset: 'BNB', amount: '0.015' },
        source: 'csv', externalId: null,
      },
      {
        kind: 'trade', account: 'binance-main', timestamp: utc('2024-01-05T12:00:00'), symbol: 'BTC/USDT', base: 'BTC',
        quote: 'USDT', side: 'sell', price: '45000', amount: '0.6', fee: { asset: 'USDT', amount: '27' },
        source: 'csv', externalId: null,
      },
      {
        kind: 'trade', account: 'binance-main', timestamp: utc('2024-01-06T08:15:30'), symbol: 'ETH/BTC', base: 'ETH',
        quote: 'BTC', side: 'buy', price: '0.055', amount: '2', fee: { asset: 'ETH', amount: '0.002' },
        source: 'csv', externalId: null,
      },
    ])
  })

  it('reads the layout with a Fee Coin column (CRLF, thousands separators, two-digit years, zero fee)', () => {
    const result = parse(readCsvFixture('binance-fee-coin.csv'))
    expect(result.layout).toBe('trade history with fee coin')
    expect(result.entries.map((e) => e.kind === 'trade' && [e.symbol, e.side, e.price, e.amount, e.fee, e.timestamp])).toEqual([
      ['BNB/USDT', 'buy', '300.5', '10', { asset: 'BNB', amount: '0.0075' }, utc('2023-03-01T10:00:00')],
      ['ETH/BUSD', 'sell', '1650.25', '1.5', { asset: 'BUSD', amount: '2.475375' }, utc('2023-03-02T11:00:00')],
      ['SOL/FDUSD', 'buy', '20.1', '3', null, utc('2023-03-03T12:00:00')],
    ])
  })

  it('keeps digits a float would lose', () => {
    const text = `${HEADER}\n2024-01-02 09:00:00,SHIBUSDT,BUY,0.000012345678901234,123456789012.123456789SHIB,1524157.87USDT,0.000000000000000001BNB\n`
    const [entry] = parse(text).entries
    expect(entry).toMatchObject({
      base: 'SHIB', quote: 'USDT', price: '0.000012345678901234', amount: '123456789012.123456789',
      fee: { asset: 'BNB', amount: '0.000000000000000001' },
    })
  })

  it('splits pairs at the longest known quote', () => {
    const pairs = ['BTCFDUSD', 'ETHBUSD', 'USDCUSDT', 'BTCTUSD', 'ETHBTC', 'SOLBNB', 'BTCEUR', 'USDTTRY']
    const text = `Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin\n${pairs
      .map((pair) => `2024-01-02 09:00:00,${pair},BUY,1,1,1,0,BNB`)
      .join('\n')}\n`
    expect(parse(text).entries.map((e) => e.kind === 'trade' && `${e.base}/${e.quote}`)).toEqual([
      'BTC/FDUSD', 'ETH/BUSD', 'USDC/USDT', 'BTC/TUSD', 'ETH/BTC', 'SOL/BNB', 'BTC/EUR', 'USDT/TRY',
    ])
  })

  it('rejects a pair it cannot split, naming the line', () => {
    const err = importError('binance', `${HEADER}\n2024-01-02 09:00:00,BTCUSDT,BUY,1,1BTC,1USDT,\n2024-01-02 09:00:01,FOOBAR,BUY,1,1FOO,1BAR,\n`)
    expect(err.line).toBe(3)
    expect(err.column).toBe('Pair')
    expect(err.message).toMatch(/^line 3, column "Pair": cannot tell the base and quote assets of the pair "FOOBAR"/)
  })

  it('rejects a wrong header, naming the expected and the found columns', () => {
    const err = importError('binance', 'Time,Symbol,Side,Price,Qty\n2024-01-02 09:00:00,BTCUSDT,BUY,1,1\n')
    expect(err.line).toBe(1)
    expect(err.message).toContain('expected the columns Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin')
    expect(err.message).toContain('Date(UTC),Pair,Side,Price,Executed,Amount,Fee')
    expect(err.message).toContain('found Time,Symbol,Side,Price,Qty')
  })

  it('rejects a non-numeric, a negative and an empty amount with line and column', () => {
    const row = (executed: string) => `${HEADER}\n2024-01-02 09:00:00,BTCUSDT,BUY,40000,0.1BTC,4000USDT,\n2024-01-02 09:00:00,BTCUSDT,BUY,40000,${executed},4000USDT,\n`
    expect(importError('binance', row('abcBTC'))).toMatchObject({ line: 3, column: 'Executed', message: expect.stringContaining('"abc" is not a number') })
    expect(importError('binance', row('-0.1BTC'))).toMatchObject({ line: 3, column: 'Executed', message: expect.stringContaining('is negative') })
    expect(importError('binance', row('0.1ETH'))).toMatchObject({ line: 3, column: 'Executed', message: expect.stringContaining('amount of BTC') })
    expect(importError('binance', row('1.2.3BTC'))).toMatchObject({ line: 3, column: 'Executed' })
  })

  it('rejects a negative price and a date in an unknown format, with the value', () => {
    expect(importError('binance', `${HEADER}\n2024-01-02 09:00:00,BTCUSDT,BUY,-40000,0.1BTC,4000USDT,\n`)).toMatchObject({ line: 2, column: 'Price' })
    const err = importError('binance', `${HEADER}\n2024-01-02 09:00:00,BTCUSDT,BUY,40000,0.1BTC,4000USDT,\n02/01/2024 09:00,BTCUSDT,BUY,40000,0.1BTC,4000USDT,\n`)
    expect(err).toMatchObject({ line: 3, column: 'Date(UTC)', value: '02/01/2024 09:00' })
    expect(err.message).toContain('"02/01/2024 09:00" is not a date in a known format')
  })

  it('rejects an impossible date and an unknown side', () => {
    expect(importError('binance', `${HEADER}\n2024-02-30 09:00:00,BTCUSDT,BUY,1,1BTC,1USDT,\n`).message).toContain('is not a valid date')
    expect(importError('binance', `${HEADER}\n2024-02-03 09:00:00,BTCUSDT,HOLD,1,1BTC,1USDT,\n`)).toMatchObject({ line: 2, column: 'Side' })
  })
})

const STATEMENT_HEADER = '"User_ID","UTC_Time","Account","Operation","Coin","Change","Remark"'

describe('Binance transaction history (statement) import', () => {
  it('reads deposits, withdrawals, rewards and converts; trades, wallet moves and token swaps are counted as skipped', () => {
    const result = parse(readCsvFixture('binance-transaction-history.csv'))
    expect([result.layout, result.rows]).toEqual(['transaction history', 16])
    expect(result.entries.map((e) => e.kind !== 'trade' && [e.kind, e.asset, e.amount, e.fee, e.externalId, e.timestamp])).toEqual([
      ['deposit', 'USDT', '10000', null, null, utc('2024-01-02T08:00:00')],
      ['income', 'USDT', '0.1369863', null, null, utc('2024-01-04T00:00:01')],
      ['income', 'USDT', '0.00000015', null, null, utc('2024-01-05T00:00:01')],
      ['income', 'SXT', '7.02042298', null, null, utc('2024-01-06T03:12:00')],
      ['income', 'ETH', '0.00045', null, null, utc('2024-01-08T02:00:00')],
      ['withdrawal', 'BTC', '0.05', null, null, utc('2024-01-10T15:30:00')],
      false,
    ])
    // Each reward keeps Binance's operation, for the tax report's income lines.
    expect(result.entries.flatMap((e) => (e.kind === 'income' ? [e.memo] : []))).toEqual(['Simple Earn Flexible Interest', 'Simple Earn Flexible Interest', 'Airdrop Assets', 'Staking Rewards'])
    // The two Binance Convert rows at one time: 150 USDT for 0.5 BNB.
    expect(result.entries[6]).toEqual({
      kind: 'trade', account: 'binance-main', timestamp: utc('2024-01-09T12:00:00'), symbol: 'BNB/USDT', base: 'BNB', quote: 'USDT', side: 'buy',
      price: '300', amount: '0.5', total: '150', fee: null, source: 'csv', externalId: null,
    })
    expect(result.skipped).toEqual({
      'Transaction Buy': 1,
      'Transaction Spend': 1,
      'Transaction Fee': 1,
      'Simple Earn Flexible Subscription': 2,
      'Distribution, token swap': 2,
      'Transfer Between Main and Funding Wallet': 1,
    })
  })

  it('rejects a withdrawal credited, a deposit debited, a bad change, coin or time on their lines; a reward taken back is skipped', () => {
    const row = (operation: string, change: string, extra: Partial<{ coin: string; time: string }> = {}) =>
      `"1","${extra.time ?? '2024-01-02 08:00:00'}","Spot","${operation}","${extra.coin ?? 'BTC'}","${change}",""`
    const file = (...rows: string[]) => [STATEMENT_HEADER, row('Deposit', '1'), ...rows].join('\n')
    expect(importError('binance', file(row('Withdraw', '0.5')))).toMatchObject({ line: 3, column: 'Change', message: expect.stringContaining('should be negative (money leaving) on a Withdraw row') })
    expect(importError('binance', file(row('Deposit', '-0.5')))).toMatchObject({ line: 3, column: 'Change', message: expect.stringContaining('should be positive') })
    expect(importError('binance', file(row('Staking Rewards', 'abc')))).toMatchObject({ line: 3, column: 'Change', value: 'abc' })
    expect(importError('binance', file(row('Staking Rewards', '1', { coin: '' })))).toMatchObject({ line: 3, column: 'Coin' })
    expect(importError('binance', file(row('Staking Rewards', '1', { time: '02/01/2024 08:00' })))).toMatchObject({ line: 3, column: 'UTC_Time' })
    expect(importError('binance', file(row('', '1')))).toMatchObject({ line: 3, column: 'Operation' })
    expect(parse(file(row('Cash Voucher', '-2', { time: '2024-01-03 00:00:00' }))).skipped).toEqual({ 'Cash Voucher, outgoing': 1 })
    // A convert is two rows at one time, one out and one in; anything else is not read as one.
    const converts = parse(file(row('Binance Convert', '-1', { time: '2024-01-04 00:00:00' }), row('Binance Convert', '2', { coin: 'ETH', time: '2024-01-05 00:00:00' }), row('Binance Convert', '3', { coin: 'SOL', time: '2024-01-05 00:00:00' })))
    expect(converts.skipped).toEqual({ 'Binance Convert (unpaired)': 3 })
    expect(importError('binance', file(row('Binance Convert', '0')))).toMatchObject({ line: 3, column: 'Change' })
    // Into money, a convert reads as a sale: 0.3 ETH for 1,000 USDC, the price rounded, the total exact.
    const sale = parse(file(row('Binance Convert', '-0.3', { coin: 'ETH' }), row('Binance Convert', '1000', { coin: 'USDC' })))
    expect(sale.entries[1]).toMatchObject({ symbol: 'ETH/USDC', side: 'sell', amount: '0.3', total: '1000', price: '3333.333333333333333333' })
  })
})
