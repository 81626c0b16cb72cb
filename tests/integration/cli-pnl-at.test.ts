import path from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { appDataDir, cli } from '../support/cli-process'
import { DB_FILE_NAME } from '../../src-main/store/open'

// `pnl --at`: the ledger up to that moment, valued at the prices stored at or before it — not today's.
//   2024-01-10  deposit 10000 USDT, buy 0.1 BTC at 40000 (4000 USDT)
//   2024-01-20  mark BTC/USDT 42000
//   2024-02-10  sell 0.05 BTC at 50000 → realized 2500 − 2000 = 500
//   2024-03-01  mark BTC/USDT 60000
// --at 2024-01-31: 0.1 BTC at cost 4000, stored price 42000 → unrealized 200, realized 0
// --at 2024-02-29: 0.05 BTC at cost 2000, stored price 50000 (the sell, newer than the mark) → unrealized 500
// now: price 60000 → unrealized 1000; --price BTC=30000 overrides → −500

const dataDir = appDataDir('co-cli-pnl-at-')

interface Report {
  at: string | null
  reportingCurrency: string
  prices: Record<string, { price: string; source: string }>
  accounts: { account: string; realized: string; unrealized: string; assets: { asset: string; amount: string; costBasis: string; price: string | null; unrealized: string | null }[] }[]
}
const pnl = async (...args: string[]) => JSON.parse((await cli(['pnl', '--json', '--data-dir', dataDir, ...args])).stdout) as Report
const btc = (r: Report) => r.accounts[0]?.assets.find((x) => x.asset === 'BTC')

describe('cli pnl --at', () => {
  beforeAll(async () => {
    // A first run creates the database (migrations); then the ledger and marks are written directly.
    await pnl()
    const db = new Database(path.join(dataDir, DB_FILE_NAME))
    const insert = db.prepare(
      `insert into ledger_entries (account, kind, timestamp, symbol, base, quote, side, price, amount, source, external_id, created_at)
       values ('acct', ?, ?, ?, ?, ?, ?, ?, ?, 'csv', ?, 0)`,
    )
    insert.run('deposit', Date.UTC(2024, 0, 10), null, 'USDT', null, null, null, '10000', 'd1')
    insert.run('trade', Date.UTC(2024, 0, 10, 1), 'BTC/USDT', 'BTC', 'USDT', 'buy', '40000', '0.1', 't1')
    insert.run('trade', Date.UTC(2024, 1, 10), 'BTC/USDT', 'BTC', 'USDT', 'sell', '50000', '0.05', 't2')
    const mark = db.prepare('insert into price_marks (asset, quote, price, at) values (?, ?, ?, ?)')
    mark.run('BTC', 'USDT', '42000', Date.UTC(2024, 0, 20))
    mark.run('BTC', 'USDT', '60000', Date.UTC(2024, 2, 1))
    db.close()
  })

  it('values at the prices stored as of the date', async () => {
    const jan = await pnl('--at', '2024-01-31')
    expect(jan.at).toBe('2024-01-31T23:59:59.999Z')
    expect(jan.prices.BTC).toEqual({ price: '42000', source: 'stored' })
    expect(btc(jan)).toMatchObject({ amount: '0.1', costBasis: '4000', price: '42000', unrealized: '200' })
    expect(jan.accounts[0]?.realized).toBe('0')

    const feb = await pnl('--at', '2024-02-29')
    expect(btc(feb)).toMatchObject({ amount: '0.05', costBasis: '2000', price: '50000', unrealized: '500' })
    expect(feb.accounts[0]?.realized).toBe('500')

    const now = await pnl()
    expect(btc(now)).toMatchObject({ price: '60000', unrealized: '1000' })
  })

  it('--price still overrides the stored price as of the date; --method and --currency apply', async () => {
    const r = await pnl('--at', '2024-01-31', '--price', 'BTC=30000')
    expect(r.prices.BTC).toEqual({ price: '30000', source: 'given' })
    expect(btc(r)?.unrealized).toBe('-1000')
    const avg = await pnl('--at', '2024-02-29', '--method', 'average', '--currency', 'USD')
    expect(avg.reportingCurrency).toBe('USD')
    expect(btc(avg)).toMatchObject({ costBasis: '2000', unrealized: '500' })
  })

  it('before the first mark, a held asset is valued at its last trade before the date', async () => {
    const r = await pnl('--at', '2024-01-15')
    expect(btc(r)).toMatchObject({ price: '40000', unrealized: '0' })
  })
})
