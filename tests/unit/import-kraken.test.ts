import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { parseExport } from '../../src-main/portfolio/import'
import { krakenLedgerAsset } from '../../src-main/portfolio/import/kraken-ledger'
import { splitKrakenPair } from '../../src-main/portfolio/import/pairs'
import { PortfolioService } from '../../src-main/portfolio/service'
import { openStore } from '../../src-main/store/open'
import { importError, readCsvFixture } from '../support/import-fixtures'
import { migrationsDir, tempDir } from '../support/temp-core'

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

  it('rejects a file that is neither export, naming both layouts and what is missing', () => {
    const err = importError('kraken', '"txid","refid","time","type","asset","amount"\n')
    expect(err.message).toContain('expected the columns txid,pair,time,type,price,fee,vol (trades) or txid,refid,time,type,asset,amount,fee (ledgers)')
    expect(err.message).toContain('missing fee')
  })
})

const LEDGER_HEADER = '"txid","refid","time","type","subtype","aclass","asset","wallet","amount","fee","balance"'

describe('Kraken ledgers.csv import', () => {
  it('reads deposits, withdrawals, rewards, trades and Buy Crypto purchases under plain asset codes; wallet moves and fee credits are counted as skipped', () => {
    const result = parseExport('kraken', readCsvFixture('kraken-ledgers.csv'), { account: 'kr' })
    expect([result.layout, result.rows]).toEqual(['ledgers', 16])
    const rows = result.entries.map((e) => e.kind !== 'trade' && [e.externalId, e.kind, e.asset, e.amount, e.fee, e.timestamp])
    expect(rows).toEqual([
      ['LDEP01-AAAAA-BBBBBB', 'deposit', 'USD', '5000', null, Date.parse('2024-01-05T09:02:11Z')],
      ['LDEP02-AAAAA-BBBBBB', 'deposit', 'DOT', '100', null, Date.parse('2024-01-12T10:00:00Z')],
      ['LSTK01-AAAAA-BBBBBB', 'income', 'DOT', '0.256734', null, Date.parse('2024-01-19T01:00:00Z')],
      ['LERN01-AAAAA-BBBBBB', 'income', 'USDC', '1.1234', null, Date.parse('2024-02-01T00:10:00Z')],
      ['LSTK02-AAAAA-BBBBBB', 'income', 'ETH', '0.0012', null, Date.parse('2024-02-02T03:00:00Z')],
      ['LWDR01-AAAAA-BBBBBB', 'withdrawal', 'BTC', '0.05', { asset: 'BTC', amount: '0.00015' }, Date.parse('2024-02-10T12:00:00Z')],
      false,
      false,
    ])
    // Each reward keeps Kraken's own words for it, for the tax report's income lines.
    expect(result.entries.filter((e) => e.kind === 'income').map((e) => e.kind !== 'trade' && e.memo)).toEqual(['staking', 'earn (reward)', 'staking'])
    // The trade's two rows (4,100 USD + 10.66 fee out, 0.1 BTC in) under its trade id, as trades.csv has it.
    expect(result.entries[6]).toEqual({
      kind: 'trade', account: 'kr', timestamp: Date.parse('2024-01-10T14:05:01.123Z'), symbol: 'BTC/USD', base: 'BTC', quote: 'USD', side: 'buy',
      price: '41106.6', amount: '0.1', total: '4110.66', fee: null, source: 'csv', externalId: 'TQ5LZB-ABCDE-FGHIJK',
    })
    // The spend (50 USD + 0.99 fee) and the receive (0.49 SOL) sharing a refid: one purchase, both sides exact.
    expect(result.entries[7]).toEqual({
      kind: 'trade', account: 'kr', timestamp: Date.parse('2024-02-12T15:00:00Z'), symbol: 'SOL/USD', base: 'SOL', quote: 'USD', side: 'buy',
      price: '104.061224489795918367', amount: '0.49', total: '50.99', fee: null, source: 'csv', externalId: 'LRCV01-AAAAA-BBBBBB',
    })
    expect(result.skipped).toEqual({
      'deposit, pending (no ledger id)': 1,
      'transfer (spottostaking)': 1,
      'transfer (stakingfromspot)': 1,
      'earn (allocation)': 2,
      'deposit of KFEE (fee credits)': 1,
    })
    expect(result.entries.every((e) => e.account === 'kr' && e.source === 'csv')).toBe(true)
  })

  it('drops the staking and rewards wallet suffixes and maps legacy codes', () => {
    const cases: Record<string, string> = { 'DOT.S': 'DOT', 'USDC.M': 'USDC', 'XBT.M': 'BTC', 'ETH2.S': 'ETH', ETH2: 'ETH', XXBT: 'BTC', ZEUR: 'EUR', 'KSM.P': 'KSM', 'USD.HOLD': 'USD', 'SOL.F': 'SOL', SOL: 'SOL' }
    for (const [code, asset] of Object.entries(cases)) expect(krakenLedgerAsset(code), code).toBe(asset)
  })

  it('a spend or receive without its other half is skipped; one with the wrong sign is refused', () => {
    const leg = (txid: string, refid: string, type: string, asset: string, amount: string, fee = '0') =>
      `"${txid}","${refid}","2024-02-12 15:00:00","${type}","","currency","${asset}","spot / main","${amount}","${fee}",""`
    const parsed = parseExport('kraken', [LEDGER_HEADER, leg('L1', 'T1', 'spend', 'ZEUR', '-20'), leg('L2', 'T2', 'receive', 'XXBT', '0.0003'), leg('L3', 'T3', 'spend', 'ZEUR', '-10'), leg('L4', 'T3', 'spend', 'ZEUR', '-10'), leg('L5', 'T3', 'receive', 'XETH', '0.01')].join('\n'), { account: 'kr' })
    expect(parsed.entries).toEqual([])
    expect(parsed.skipped).toEqual({ 'spend (unpaired)': 3, 'receive (unpaired)': 2 })
    // A trade's rows pair by sign; one alone is not read as a trade.
    const trades = parseExport('kraken', [LEDGER_HEADER, leg('L1', 'T9', 'trade', 'XXBT', '-0.01'), leg('L2', 'T9', 'trade', 'ZEUR', '400', '0.64'), leg('L3', 'T8', 'trade', 'ZEUR', '-5')].join('\n'), { account: 'kr' })
    expect(trades.entries).toEqual([expect.objectContaining({ symbol: 'BTC/EUR', side: 'sell', amount: '0.01', total: '399.36', externalId: 'T9' })])
    expect(trades.skipped).toEqual({ 'trade (unpaired)': 1 })
    expect(importError('kraken', [LEDGER_HEADER, leg('L1', 'T1', 'spend', 'ZEUR', '20'), leg('L2', 'T1', 'receive', 'XXBT', '0.0003')].join('\n'))).toMatchObject({ line: 2, column: 'amount' })
    expect(importError('kraken', [LEDGER_HEADER, leg('L1', 'T1', 'spend', 'ZEUR', '-20'), leg('L2', 'T1', 'receive', 'XXBT', '0.0003', '0.0003')].join('\n'))).toMatchObject({ line: 3, column: 'fee' })
    // A purchase paid in a coin, received in money: a sale of the coin.
    const sale = parseExport('kraken', [LEDGER_HEADER, leg('L1', 'T1', 'spend', 'XETH', '-0.3'), leg('L2', 'T1', 'receive', 'USDC', '1000', '1')].join('\n'), { account: 'kr' })
    expect(sale.entries).toEqual([expect.objectContaining({ symbol: 'ETH/USDC', side: 'sell', amount: '0.3', total: '999', price: '3330' })])
    // Every digit of a large amount is kept, with its fee folded in (21 significant digits and more).
    const pepe = parseExport('kraken', [LEDGER_HEADER, leg('L1', 'T1', 'trade', 'ZUSD', '-150000.0000'), leg('L2', 'T1', 'trade', 'PEPE', '12345678901.1234567891', '0.0000000002')].join('\n'), { account: 'kr' })
    expect(pepe.entries).toEqual([expect.objectContaining({ symbol: 'PEPE/USD', side: 'buy', amount: '12345678901.1234567889', total: '150000' })])
    const whole = parseExport('kraken', [LEDGER_HEADER, leg('L1', 'T1', 'trade', 'ZUSD', '-150000.0000'), leg('L2', 'T1', 'trade', 'PEPE', '12345678901.1234567891')].join('\n'), { account: 'kr' })
    expect(whole.entries).toEqual([expect.objectContaining({ amount: '12345678901.1234567891' })])
  })

  it('rejects a withdrawal credited, a deposit debited, a bad amount, asset or time on their lines; a reward paid back is skipped', () => {
    const row = (type: string, amount: string, extra: Partial<{ asset: string; time: string }> = {}) =>
      `"L1","R1","${extra.time ?? '2024-01-05 09:00:00'}","${type}","","currency","${extra.asset ?? 'XXBT'}","spot / main","${amount}","0",""`
    const file = (...rows: string[]) => [LEDGER_HEADER, row('deposit', '1'), ...rows].join('\n')
    expect(importError('kraken', file(row('withdrawal', '0.5')))).toMatchObject({ line: 3, column: 'amount', message: expect.stringContaining('should be negative (money leaving) on a withdrawal row') })
    expect(importError('kraken', file(row('deposit', '-0.5')))).toMatchObject({ line: 3, column: 'amount', message: expect.stringContaining('should be positive') })
    expect(importError('kraken', file(row('deposit', '0')))).toMatchObject({ line: 3, column: 'amount' })
    expect(importError('kraken', file(row('deposit', '1.2.3')))).toMatchObject({ line: 3, column: 'amount', value: '1.2.3' })
    expect(importError('kraken', file(row('staking', '1', { asset: 'DOT S' })))).toMatchObject({ line: 3, column: 'asset' })
    expect(importError('kraken', file(row('staking', '1', { time: '1704445200' })))).toMatchObject({ line: 3, column: 'time' })
    expect(importError('kraken', file(row('', '1')))).toMatchObject({ line: 3, column: 'type' })
    expect(parseExport('kraken', file(row('staking', '-0.1')), { account: 'kr' }).skipped).toEqual({ 'staking, outgoing': 1 })
  })

  it('alone holds what Kraken holds across its wallets; trades.csv into the same account adds no trade twice', async () => {
    const dir = tempDir('co-kraken-ledger-')
    const store = openStore(dir, migrationsDir)
    try {
      const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
      const load = (text: string, fileName: string) => {
        const parsed = parseExport('kraken', text, { account: 'kr' })
        return portfolio.importFile(parsed.entries, parsed.marks ?? [], { account: 'kr', format: 'kraken', fileName })
      }
      expect(await load(readCsvFixture('kraken-ledgers.csv'), 'ledgers.csv')).toMatchObject({ inserted: 8 })
      expect(await load(readCsvFixture('kraken-ledgers.csv'), 'ledgers.csv')).toMatchObject({ inserted: 0 })
      const held = () => Object.fromEntries(portfolio.compute({ account: 'kr' }).positions.filter((p) => p.amount !== '0').map((p) => [p.asset, p.amount]))
      // Kraken's own balances after the last row of each (spot + earn wallets): USD 5,000 − 4,110.66 −
      // 50.99 = 838.35; BTC 0.1 − 0.05 − 0.00015 (0.03985 spot + 0.01 earn); SOL as received.
      const kraken = { USD: '838.35', BTC: '0.04985', DOT: '100.256734', USDC: '1.1234', ETH: '0.0012', SOL: '0.49' }
      expect(held()).toEqual(kraken)
      // The same trade in trades.csv (its txid is the ledger's refid) is already there.
      const trades = readCsvFixture('kraken-trades.csv').split('\n').slice(0, 2).join('\n')
      expect(await load(trades, 'trades.csv')).toMatchObject({ inserted: 0, duplicates: 1 })
      expect(held()).toEqual(kraken)
      // The BTC left is 0.04985 of the 0.1 bought for 4,110.66: cost 2,049.16401.
      expect(portfolio.compute({ account: 'kr' }).positions.find((p) => p.asset === 'BTC')).toMatchObject({ costBasis: '2049.16401' })
    } finally {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
