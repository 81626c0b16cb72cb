import { describe, expect, it } from 'vitest'
import { parseExport } from '../../src-main/portfolio/import'

// A trade paid with Kraken fee credits has a third ledger row: KFEE, amount 0, the fee in credits.
const HEADER = '"txid","refid","time","type","subtype","aclass","asset","wallet","amount","fee","balance"'
const FILE = [
  HEADER,
  '"LDEP01","QDEP1","2022-09-01 09:02:11","deposit","","currency","ZEUR","spot / main","1000.0000","0.0000","1000.0000"',
  '"LKF001","QKFEE1","2022-09-02 08:00:00","deposit","","currency","KFEE","spot / main","1000.00","0.00","1000.00"',
  '"LKF111","TKF001","2022-09-12 10:00:00","trade","","currency","ZEUR","spot / main","-600.0000","0","400.0000"',
  '"LKF112","TKF001","2022-09-12 10:00:00","trade","","currency","XXBT","spot / main","0.0300000000","0","0.0300000000"',
  '"LKF113","TKF001","2022-09-12 10:00:00","trade","","currency","KFEE","spot / main","0.00","156.00","844.00"',
].join('\n')

describe('Kraken ledgers.csv with fee credits', () => {
  it('reads a trade paid with fee credits, counting the KFEE row as a fee-credit row', () => {
    const result = parseExport('kraken', FILE, { account: 'kr' })
    const trades = result.entries.filter((e) => e.kind === 'trade')
    expect(trades).toHaveLength(1)
    expect(trades[0]).toMatchObject({ base: 'BTC', quote: 'EUR', side: 'buy', amount: '0.03', total: '600', externalId: 'TKF001' })
    expect(result.skipped).toEqual({ 'deposit of KFEE (fee credits)': 1, 'trade of KFEE (fee credits)': 1 })
  })
})
