import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { importError, readCsvFixture } from '../support/import-fixtures'

const HEADER = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id'

describe('generic CSV import', () => {
  it('reads trades and transfers, ISO-8601 with zones and epoch milliseconds, ids when given', () => {
    const result = parseExport('generic', readCsvFixture('generic.csv'), { account: 'ledger-x' })
    expect(result.entries).toEqual([
      { kind: 'deposit', account: 'ledger-x', timestamp: Date.parse('2024-01-01T00:00:00Z'), asset: 'USDT', amount: '10000', fee: null, source: 'csv', externalId: 'dep-1' },
      {
        kind: 'trade', account: 'ledger-x', timestamp: Date.parse('2024-01-02T08:00:00Z'), symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT',
        side: 'buy', price: '40000', amount: '0.1', fee: { asset: 'USDT', amount: '4' }, source: 'csv', externalId: 't-1',
      },
      {
        kind: 'trade', account: 'ledger-x', timestamp: 1704448800000, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT',
        side: 'sell', price: '45000', amount: '0.05', fee: { asset: 'BTC', amount: '0.00005' }, source: 'csv', externalId: null,
      },
      {
        kind: 'withdrawal', account: 'ledger-x', timestamp: Date.parse('2024-01-06T12:00:00.250Z'), asset: 'BTC', amount: '0.01',
        fee: { asset: 'BTC', amount: '0.0005' }, source: 'csv', externalId: 'w-1',
      },
      {
        kind: 'trade', account: 'ledger-x', timestamp: Date.parse('2024-01-07T05:30:00Z'), symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC',
        side: 'buy', price: '0.055', amount: '1', fee: { asset: 'BNB', amount: '0.001' }, source: 'csv', externalId: 't-2',
      },
    ])
  })

  it('reads income (staking, rewards, airdrops, interest), its stated price as a mark', () => {
    const text = `${HEADER}\n2025-02-01T00:00:00Z,staking,ETH,USDT,,3200,0.1,,,s-1\n2025-02-02T00:00:00Z,Airdrop,XYZ,,,,50,,,\n`
    const result = parseExport('generic', text, { account: 'a' })
    expect(result.entries.map((e) => [e.kind, e.kind === 'trade' ? e.base : e.asset, e.amount, e.externalId, e.kind === 'trade' ? null : e.memo])).toEqual([
      ['income', 'ETH', '0.1', 's-1', 'staking'],
      ['income', 'XYZ', '50', null, 'airdrop'],
    ])
    expect(result.marks).toEqual([{ asset: 'ETH', quote: 'USDT', price: '3200', at: Date.parse('2025-02-01T00:00:00Z') }])
    // A price needs its currency.
    expect(importError('generic', `${HEADER}\n2025-02-01T00:00:00Z,reward,ETH,,,3200,0.1,,,\n`)).toMatchObject({ line: 2, column: 'quote' })
  })

  it('accepts the header without trade_id', () => {
    const text = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset\n2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,,\n'
    expect(parseExport('generic', text, { account: 'a' }).entries).toMatchObject([{ externalId: null, fee: null }])
  })

  it('rejects times without a zone, epoch seconds and unknown types, each on its line', () => {
    const rows = (bad: string) => `${HEADER}\n2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,,,\n${bad}\n`
    expect(importError('generic', rows('2024-01-02T09:00:00,trade,BTC,USDT,buy,40000,0.1,,,'))).toMatchObject({
      line: 3, column: 'timestamp', message: expect.stringContaining('has no time zone'),
    })
    expect(importError('generic', rows('1704448800,trade,BTC,USDT,buy,40000,0.1,,,'))).toMatchObject({
      line: 3, column: 'timestamp', message: expect.stringContaining('epoch seconds'),
    })
    expect(importError('generic', rows('2024-01-02T09:00:00Z,transfer,BTC,,,,0.1,,,'))).toMatchObject({ line: 3, column: 'type', message: expect.stringContaining('income: staking, reward, airdrop, interest') })
    for (const type of ['constructor', '__proto__', 'toString']) {
      expect(importError('generic', rows(`2024-01-02T09:00:00Z,${type},BTC,,,,0.1,,,`)), type).toMatchObject({ line: 3, column: 'type', message: expect.stringContaining(`"${type}" is not a type (expected trade`) })
    }
  })

  it('rejects a trade without its quote, price or side, and a fee without its asset', () => {
    const rows = (bad: string) => `${HEADER}\n${bad}\n`
    expect(importError('generic', rows('2024-01-02T09:00:00Z,trade,BTC,,buy,40000,0.1,,,'))).toMatchObject({ line: 2, column: 'quote' })
    expect(importError('generic', rows('2024-01-02T09:00:00Z,trade,BTC,USDT,buy,,0.1,,,'))).toMatchObject({ line: 2, column: 'price' })
    expect(importError('generic', rows('2024-01-02T09:00:00Z,trade,BTC,USDT,,40000,0.1,,,'))).toMatchObject({ line: 2, column: 'side' })
    expect(importError('generic', rows('2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,0.5,,'))).toMatchObject({ line: 2, column: 'fee_asset' })
    expect(importError('generic', rows('2024-01-02T09:00:00Z,trade,BTC,USDT,buy,40000,0.1,-0.5,USDT,'))).toMatchObject({ line: 2, column: 'fee' })
  })

  it('a trade may state its total exactly (a conversion): the price is then optional, the ratio rounded', () => {
    const text = `${HEADER},total\n2024-02-01T00:00:00Z,trade,ETH,USDC,buy,,0.3,,,c-1,1000\n2024-02-02T00:00:00Z,trade,ETH,USDC,sell,3500,0.1,,,c-2,350\n2024-02-03T00:00:00Z,trade,ETH,USDC,sell,3500,0.1,,,c-3,\n`
    const [first, second, third] = parseExport('generic', text, { account: 'x' }).entries
    expect(first).toMatchObject({ price: '3333.333333333333333333', amount: '0.3', total: '1000' })
    expect(second).toMatchObject({ price: '3500', total: '350' })
    expect(third).not.toHaveProperty('total')
    expect(importError('generic', `${HEADER},total\n2024-02-01T00:00:00Z,trade,ETH,USDC,buy,,0.3,,,c-1,-5\n`)).toMatchObject({ line: 2, column: 'total' })
    expect(importError('generic', `${HEADER},total\n2024-02-01T00:00:00Z,trade,ETH,USDC,buy,,0.3,,,c-1,\n`)).toMatchObject({ line: 2, column: 'price' })
  })

  it('rejects a header in another order only when a column is missing', () => {
    const shuffled = 'trade_id,amount,price,side,quote,base,type,timestamp,fee_asset,fee\nx,0.1,40000,buy,USDT,BTC,trade,2024-01-02T09:00:00Z,,\n'
    expect(parseExport('generic', shuffled, { account: 'a' }).entries).toMatchObject([{ externalId: 'x', amount: '0.1', price: '40000' }])
    const err = importError('generic', 'timestamp,type,asset,amount\n')
    expect(err.message).toContain('expected the columns timestamp,type,base,quote,side,price,amount,fee,fee_asset (generic)')
    expect(err.message).toContain('found timestamp,type,asset,amount')
  })
})
