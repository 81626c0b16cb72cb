import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { importError, readCsvFixture } from '../support/import-fixtures'

const parse = (text: string) => parseExport('coinbase', text, { account: 'cb' })
const HEADER =
  'Timestamp,Transaction Type,Asset,Quantity Transacted,Spot Price Currency,Spot Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes'

describe('Coinbase transaction history import', () => {
  it('finds the table below the preamble; trades, transfers and income deduplicated by content, their ids kept as memos; other types counted as skipped', () => {
    const result = parse(readCsvFixture('coinbase-transactions.csv'))
    expect(result.layout).toBe('transaction history')
    expect(result.rows).toBe(10)
    expect(result.skipped).toEqual({})
    expect(result.entries).toEqual([
      { kind: 'deposit', account: 'cb', timestamp: Date.parse('2024-01-14T08:00:00Z'), asset: 'USD', amount: '1000', fee: null, source: 'csv', externalId: null, memo: 'Deposit 65a1b2c3d4e5f6a7b8c9d001', formerExternalId: '65a1b2c3d4e5f6a7b8c9d001' },
      {
        kind: 'trade', account: 'cb', timestamp: Date.parse('2024-01-15T10:23:45Z'), symbol: 'BTC/USD', base: 'BTC', quote: 'USD',
        side: 'buy', price: '42000', amount: '0.01', fee: { asset: 'USD', amount: '4.99' }, source: 'csv', externalId: null, memo: 'Buy 65a1b2c3d4e5f6a7b8c9d002', formerExternalId: '65a1b2c3d4e5f6a7b8c9d002',
      },
      {
        kind: 'trade', account: 'cb', timestamp: Date.parse('2024-01-16T11:00:00Z'), symbol: 'BTC/USD', base: 'BTC', quote: 'USD',
        side: 'sell', price: '43500.5', amount: '0.004', fee: { asset: 'USD', amount: '1.992' }, source: 'csv', externalId: null, memo: 'Sell 65a1b2c3d4e5f6a7b8c9d003', formerExternalId: '65a1b2c3d4e5f6a7b8c9d003',
      },
      { kind: 'deposit', account: 'cb', timestamp: Date.parse('2024-01-17T12:00:00Z'), asset: 'ETH', amount: '0.5', fee: null, source: 'csv', externalId: null, memo: 'Receive 65a1b2c3d4e5f6a7b8c9d004', formerExternalId: '65a1b2c3d4e5f6a7b8c9d004' },
      {
        kind: 'withdrawal', account: 'cb', timestamp: Date.parse('2024-01-18T13:00:00Z'), asset: 'BTC', amount: '0.001',
        // The $1.23 network fee left as 1.23 ÷ 41,000 = 0.00003 BTC, on top of the 0.001 sent (Total = Subtotal + Fees).
        fee: { asset: 'BTC', amount: '0.00003' }, source: 'csv', externalId: null, memo: 'Send 65a1b2c3d4e5f6a7b8c9d005', formerExternalId: '65a1b2c3d4e5f6a7b8c9d005',
        // How earlier versions booked it (the fee a USD payment), so a file they stored is not added again.
        formerBooking: { amount: '0.001', fee: { asset: 'USD', amount: '1.23' } },
      },
      {
        kind: 'trade', account: 'cb', timestamp: Date.parse('2024-01-19T14:00:00Z'), symbol: 'SOL/USDC', base: 'SOL', quote: 'USDC',
        side: 'buy', price: '100.5', amount: '2', fee: { asset: 'USDC', amount: '0.8' }, source: 'csv', externalId: null, memo: 'Advanced Trade Buy 65a1b2c3d4e5f6a7b8c9d006', formerExternalId: '65a1b2c3d4e5f6a7b8c9d006',
      },
      // Staking rewards are income, worth what Coinbase's spot price says (a price mark each).
      { kind: 'income', account: 'cb', timestamp: Date.parse('2024-01-20T15:00:00Z'), asset: 'ETH', amount: '0.001', fee: null, source: 'csv', externalId: null, formerExternalId: '65a1b2c3d4e5f6a7b8c9d007', memo: 'Staking Income' },
      // "Converted 0.1 ETH to 0.0059 BTC": BTC bought with exactly 0.1 ETH (the $3 spread is in the amounts).
      {
        kind: 'trade', account: 'cb', timestamp: Date.parse('2024-01-21T16:00:00Z'), symbol: 'BTC/ETH', base: 'BTC', quote: 'ETH',
        side: 'buy', price: '16.949152542372881356', amount: '0.0059', total: '0.1', fee: null, source: 'csv', externalId: null, memo: 'Convert 65a1b2c3d4e5f6a7b8c9d008', formerExternalId: '65a1b2c3d4e5f6a7b8c9d008',
      },
      { kind: 'income', account: 'cb', timestamp: Date.parse('2024-01-22T17:00:00Z'), asset: 'ETH', amount: '0.001', fee: null, source: 'csv', externalId: null, formerExternalId: '65a1b2c3d4e5f6a7b8c9d009', memo: 'Staking Income' },
      { kind: 'withdrawal', account: 'cb', timestamp: Date.parse('2024-01-23T18:00:00Z'), asset: 'USD', amount: '200', fee: null, source: 'csv', externalId: null, memo: 'Withdrawal 65a1b2c3d4e5f6a7b8c9d010', formerExternalId: '65a1b2c3d4e5f6a7b8c9d010' },
    ])
    expect(result.marks).toEqual([
      { asset: 'ETH', quote: 'USD', price: '2510', at: Date.parse('2024-01-20T15:00:00Z') },
      { asset: 'ETH', quote: 'USD', price: '2530', at: Date.parse('2024-01-22T17:00:00Z') },
    ])
  })

  it('reads the 2021 report (Spot Price columns, ISO timestamps, unquoted commas in the preamble, no ids)', () => {
    const result = parse(readCsvFixture('coinbase-transactions-2021.csv'))
    expect(result.skipped).toEqual({})
    expect(result.entries.map((e) => (e.kind === 'trade' ? [e.symbol, e.side, e.price, e.amount, e.fee?.amount, e.externalId] : [e.kind, e.asset, e.amount, e.fee]))).toEqual([
      ['ETH/EUR', 'buy', '2800.4', '0.25', '10.35', null],
      ['ETH/EUR', 'sell', '2900', '0.1', '4.33', null],
      ['income', 'XLM', '5', null],
    ])
    expect(result.marks).toEqual([{ asset: 'XLM', quote: 'EUR', price: '0.4', at: Date.parse('2021-05-05T12:00:00Z') }])
  })

  it('reads a Convert from its notes; one without them is skipped, one naming another asset refused', () => {
    const convert = (asset: string, notes: string) => `${HEADER}\n2024-03-01 10:00:00 UTC,Convert,${asset},-1000,USD,$1.00,"$1,000.00","$1,005.00",$5.00,"${notes}"\n`
    expect(parse(convert('USDC', 'Converted 1,000 USDC to 0.3 ETH')).entries).toMatchObject([{ symbol: 'ETH/USDC', side: 'buy', amount: '0.3', total: '1000', price: '3333.333333333333333333' }])
    expect(parse(convert('USDC', '')).skipped).toEqual({ 'Convert (no amounts in its Notes)': 1 })
    expect(importError('coinbase', convert('USDT', 'Converted 1,000 USDC to 0.3 ETH'))).toMatchObject({ line: 2, column: 'Notes' })
    expect(importError('coinbase', convert('USDC', 'Converted 1.0.0 USDC to 0.3 ETH'))).toMatchObject({ line: 2, column: 'Notes' })
  })

  it('counts rows typed like Object’s own members as skipped, like any unknown type', () => {
    const row = (type: string) => `2024-03-01 10:00:00 UTC,${type},BTC,1,USD,$100.00,$100.00,$100.00,$0.00,`
    const result = parse(`${HEADER}\n${['toString', '__proto__', 'constructor', 'toString'].map(row).join('\n')}\n`)
    expect(result.entries).toEqual([])
    // (A literal { __proto__: 1 } would set the prototype: the expected counts are built as own keys.)
    const counts = Object.fromEntries([['toString', 2], ['__proto__', 1], ['constructor', 1]])
    expect(Object.entries(result.skipped)).toEqual(Object.entries(counts))
    expect(Object.getPrototypeOf(result.skipped)).toBe(Object.prototype)
    expect(JSON.stringify(result.skipped)).toBe('{"toString":2,"__proto__":1,"constructor":1}')
  })

  it('reads the oldest USD-only report', () => {
    const text = `Transactions\nTimestamp,Transaction Type,Asset,Quantity Transacted,USD Spot Price at Transaction,USD Subtotal,USD Total (inclusive of fees),USD Fees,Notes\n2019-05-01T10:00:00Z,Buy,BTC,0.1,5300.12,530.01,545.01,15.00,\n`
    expect(parse(text).entries).toMatchObject([{ symbol: 'BTC/USD', price: '5300.12', amount: '0.1', fee: { asset: 'USD', amount: '15' } }])
  })

  it('reads the Coinbase Advanced fills export with its trade ids', () => {
    const result = parse(readCsvFixture('coinbase-fills.csv'))
    expect(result.layout).toBe('Advanced fills')
    expect(result.entries.map((e) => e.kind === 'trade' && [e.externalId, e.symbol, e.side, e.price, e.amount, e.fee, e.timestamp])).toEqual([
      ['1001', 'BTC/USD', 'buy', '43000', '0.02', { asset: 'USD', amount: '3.44' }, Date.parse('2024-02-01T09:00:00.123Z')],
      ['1002', 'BTC/USD', 'sell', '44000', '0.01', { asset: 'USD', amount: '1.76' }, Date.parse('2024-02-02T10:00:00Z')],
      ['1003', 'ETH/USDC', 'buy', '2300.1', '1.5', null, Date.parse('2024-02-03T11:00:00Z')],
    ])
  })

  it('rejects a fills row sized in the quote asset (the base amount would need an inexact division)', () => {
    const text = 'portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit\ndefault,7,BTC-USD,BUY,2024-02-01T09:00:00Z,100,USD,43000,0.5,-100.5,USD\n'
    expect(importError('coinbase', text)).toMatchObject({ line: 2, column: 'size unit', message: expect.stringContaining('size in USD is not supported') })
  })

  it('rejects a missing table header, naming the expected columns and the closest row found', () => {
    const err = importError('coinbase', 'Transactions\nUser,x,y\nTimestamp,Type,Asset,Quantity,Price\n2024-01-01T00:00:00Z,Buy,BTC,1,1\n')
    expect(err.line).toBe(3)
    expect(err.message).toContain('Timestamp,Transaction Type,Asset,Quantity Transacted,Spot Price at Transaction,Fees and/or Spread (transaction history)')
    expect(err.message).toContain('missing Transaction Type, Quantity Transacted, Spot Price at Transaction, Fees and/or Spread')
    expect(err.message).toContain('found Timestamp,Type,Asset,Quantity,Price')
  })

  it('rejects a positive-looking sell quantity only when its sign contradicts the type', () => {
    const ok = parse(`${HEADER}\n2024-01-16T11:00:00Z,Sell,BTC,0.004,USD,43500,174,172,2,\n2024-01-16T11:00:00Z,Sell,BTC,-0.004,USD,43500,174,172,2,\n`)
    expect(ok.entries.map((e) => e.amount)).toEqual(['0.004', '0.004'])
    expect(importError('coinbase', `${HEADER}\n2024-01-16T11:00:00Z,Buy,BTC,-0.004,USD,43500,174,176,2,\n`)).toMatchObject({
      line: 2, column: 'Quantity Transacted', message: expect.stringContaining('negative on an incoming transaction'),
    })
  })

  it('rejects a non-numeric price and an unknown date on their lines, even after other rows', () => {
    const rows = (bad: string) => `${HEADER}\n2024-01-20T15:00:00Z,Staking Income,ETH,0.001,USD,2510,2.51,2.51,0,\n${bad}\n`
    expect(importError('coinbase', rows('2024-01-16T11:00:00Z,Buy,BTC,0.004,USD,n/a,174,176,2,'))).toMatchObject({ line: 3, column: 'Spot Price at Transaction', value: 'n/a' })
    expect(importError('coinbase', rows('16.01.2024 11:00,Buy,BTC,0.004,USD,43500,174,176,2,'))).toMatchObject({ line: 3, column: 'Timestamp', value: '16.01.2024 11:00' })
  })
})
