import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { importError } from '../support/import-fixtures'

// A generic file whose trade_id repeats (an order id put there for each of its fills): the ledger keeps one
// entry per id, so the other rows were dropped as "already in the ledger" and their trades were lost. The
// file is refused instead, naming both lines. Rows without an id are matched by content, and identical
// ones both count (as Binance's identical fills do).

const HEADER = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id'

describe('generic CSV: a trade_id on two rows', () => {
  it('refuses rows that share an id but differ, naming both lines', () => {
    const text = [
      HEADER,
      '2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,4,USDT,ORD-1',
      '2024-01-02T09:00:01Z,trade,BTC,USDT,buy,40010,0.2,8,USDT,ORD-1',
      '2024-01-03T09:00:00Z,deposit,USDT,,,,1000,,,ORD-1',
    ].join('\n')
    const err = importError('generic', text)
    expect(err).toMatchObject({ line: 3, column: 'trade_id', value: 'ORD-1' })
    expect(err.message).toBe('line 3, column "trade_id": "ORD-1" is also the trade_id of line 2, which differs; a trade_id names one trade — give each row its own, or leave trade_id empty')
  })

  it('refuses a row repeated with its id: one trade listed twice, or two fills given one id', () => {
    const row = '2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,4,USDT,T-7'
    const err = importError('generic', [HEADER, row, row].join('\n'))
    expect(err).toMatchObject({ line: 3, column: 'trade_id', value: 'T-7' })
    expect(err.message).toContain('"T-7" is also the trade_id of line 2, the same row repeated')
  })

  it('identical rows without an id both count, and distinct ids are read as before', () => {
    const row = '2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,4,USDT,'
    expect(parseExport('generic', [HEADER, row, row].join('\n'), { account: 'a' }).entries).toHaveLength(2)
    const ids = [HEADER, `${row}a-1`, `${row}a-2`].join('\n')
    expect(parseExport('generic', ids, { account: 'a' }).entries.map((e) => e.externalId)).toEqual(['a-1', 'a-2'])
  })
})
