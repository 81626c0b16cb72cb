import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'
import { splitKrakenPair } from '../../src-main/portfolio/import/pairs'
import { importError, readCsvFixture } from '../support/import-fixtures'

const HEADER = 'txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers'

describe('Kraken trades.csv import', () => {
  it('reads trades with txids, legacy pair codes, fractional seconds and fees in the quote; skips margin trades', () => {
    const result = parseExport('kraken', readCsvFixture('kraken-trades.csv'), { account: 'kr' })
    expect(result.rows).toBe(6)
    expect(result.skipped).toEqual({ 'margin trade': 1 })
    expect(result.entries.map((e) => e.kind === 'trade' && [e.externalId, e.symbol, e.side, e.price, e.amount, e.fee, e.timestamp])).toEqual([
      ['TQ5LZB-ABCDE-FGHIJK', 'BTC/USD', 'buy', '41000', '0.1', { asset: 'USD', amount: '10.66' }, Date.parse('2024-01-10T14:05:01.123Z')],
      ['TR6MNB-BCDEF-GHIJKL', 'ETH/EUR', 'sell', '2300.5', '0.5', { asset: 'EUR', amount: '2.99065' }, Date.parse('2024-01-11T09:00:00.500Z')],
      ['TS7PQR-CDEFG-HIJKLM', 'SOL/USD', 'buy', '95.1234', '10', { asset: 'USD', amount: '2.47321' }, Date.parse('2024-01-12T18:30:45Z')],
      ['TT8STU-DEFGH-IJKLMN', 'DOGE/USD', 'buy', '0.0812', '1000', { asset: 'USD', amount: '0.21112' }, Date.parse('2024-01-13T07:00:00Z')],
      ['TU9VWX-EFGHI-JKLMNO', 'BTC/USDT', 'sell', '42500.1', '0.1', { asset: 'USDT', amount: '11.050026' }, Date.parse('2024-01-14T20:00:00.999Z')],
    ])
    expect(result.entries.every((e) => e.account === 'kr' && e.source === 'csv')).toBe(true)
  })

  it('maps legacy X/Z codes and splits pairs with and without separators', () => {
    const cases: Record<string, string> = {
      XXBTZUSD: 'BTC/USD', XETHZEUR: 'ETH/EUR', XXDGZUSD: 'DOGE/USD', XLTCZGBP: 'LTC/GBP', XETHXXBT: 'ETH/BTC',
      SOLUSD: 'SOL/USD', XTZUSD: 'XTZ/USD', USDTZUSD: 'USDT/USD', DOTXBT: 'DOT/BTC', 'XBT/USDC': 'BTC/USDC', ADAEUR: 'ADA/EUR',
    }
    for (const [pair, expected] of Object.entries(cases)) {
      const split = splitKrakenPair(pair)
      expect(split && `${split.base}/${split.quote}`, pair).toBe(expected)
    }
    expect(splitKrakenPair('FOOBAR')).toBeNull()
  })

  it('rejects an unknown pair, a bad number and a bad time on their lines', () => {
    const good = '"T1","O1","XXBTZUSD","2024-01-10 14:05:01.1234","buy","limit","41000","4100","10.66","0.1","0","",""'
    expect(importError('kraken', `${HEADER}\n${good}\n"T2","O2","FOOBAR","2024-01-10 14:05:01","buy","limit","1","1","0","1","0","",""\n`)).toMatchObject({ line: 3, column: 'pair' })
    expect(importError('kraken', `${HEADER}\n${good}\n"T2","O2","SOLUSD","2024-01-10 14:05:01","buy","limit","1","1","0","1e","0","",""\n`)).toMatchObject({ line: 3, column: 'vol', value: '1e' })
    expect(importError('kraken', `${HEADER}\n${good}\n"T2","O2","SOLUSD","1704895501","buy","limit","1","1","0","1","0","",""\n`)).toMatchObject({ line: 3, column: 'time', value: '1704895501' })
    expect(importError('kraken', `${HEADER}\n${good}\n"","O2","SOLUSD","2024-01-10 14:05:01","buy","limit","1","1","0","1","0","",""\n`)).toMatchObject({ line: 3, column: 'txid' })
  })

  it('rejects a ledgers export passed as trades, naming the missing columns', () => {
    const err = importError('kraken', '"txid","refid","time","type","subtype","aclass","asset","amount","fee","balance"\n')
    expect(err.message).toContain('expected the columns txid,pair,time,type,price,fee,vol')
    expect(err.message).toContain('missing pair, price, vol')
  })
})
