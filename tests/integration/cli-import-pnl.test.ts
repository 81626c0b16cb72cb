import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import path from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { appDataDir, cli, failing } from '../support/cli-process'
import { DB_FILE_NAME } from '../../src-main/store/open'
import { projectRoot, tempDir } from '../support/temp-core'
import { csvFixture } from '../support/import-fixtures'

// The CLI as a user runs it: a child process on a temp data folder, results read from stdout (JSON) and
// the database file itself. Expected P&L is worked out by hand in the comments (FIFO, fees included,
// 18 decimal places rounded half-even where a lot is split).


interface Position {
  asset: string
  amount: string
  costBasis: string
  price: string | null
  realized: string
  unrealized: string | null
  missingCostBasis: string
}
interface Report {
  method: string
  reportingCurrency: string
  prices: Record<string, { price: string; source: string }>
  accounts: { account: string; realized: string; unrealized: string; assets: Position[] }[]
  warnings: { kind: string; asset: string }[]
}

const dataDir = appDataDir('co-cli-import-')
const ledgerCounts = () => {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true })
  const counts = {
    entries: (db.prepare('select count(*) as n from ledger_entries').get() as { n: number }).n,
    imports: (db.prepare('select count(*) as n from ledger_imports').get() as { n: number }).n,
  }
  db.close()
  return counts
}
const pnl = async (...args: string[]) => JSON.parse((await cli(['pnl', '--json', '--data-dir', dataDir, ...args])).stdout) as Report
const asset = (report: Report, account: string, name: string) =>
  report.accounts.find((a) => a.account === account)?.assets.find((a) => a.asset === name)

describe('cli import and pnl', () => {
  beforeAll(async () => {
    const { stdout } = await cli(['import', csvFixture('binance-cli.csv'), '--format', 'binance', '--account', 'binance-main', '--data-dir', dataDir, '--json'])
    expect(JSON.parse(stdout)).toMatchObject({ format: 'binance', account: 'binance-main', rows: 4, inserted: 4, duplicates: 0, skipped: 0 })
  })

  it('imports the same file again without adding anything', async () => {
    const before = ledgerCounts()
    expect(before.entries).toBe(4)
    const { stdout } = await cli(['import', csvFixture('binance-cli.csv'), '--format', 'binance', '--account', 'binance-main', '--data-dir', dataDir])
    expect(stdout).toContain('0 new, 4 already in the ledger, 0 skipped')
    expect(ledgerCounts()).toEqual(before)
  })

  it('rejects a malformed file whole: non-zero exit, the line named, the ledger unchanged', async () => {
    const before = ledgerCounts()
    const err = await failing(['import', csvFixture('binance-cli-malformed.csv'), '--format', 'binance', '--account', 'binance-main', '--data-dir', dataDir])
    expect(err.code).toBe(1)
    expect(err.stderr).toContain('line 4, column "Executed": "0.O1000000" is not a number')
    expect(err.stderr).toContain('nothing was imported')
    // Lines 2 and 3 were fine, and still nothing of them was stored.
    expect(ledgerCounts()).toEqual(before)
  })

  it('reports FIFO P&L to the last digit, unrealized at the last stored prices', async () => {
    const report = await pnl('--account', 'binance-main')
    expect(report.method).toBe('fifo')
    expect(report.reportingCurrency).toBe('USDT')
    // Lot 1: 0.1 BTC for 6000 + 6 USDT fee = 6006. Lot 2: 0.1 − 0.0001 (fee in BTC) = 0.0999 BTC for 6200.
    // Sell 0.15 at 65000, 9.75 USDT fee: proceeds 9740.25; cost 6006 + 6200 × 0.05 / 0.0999
    // (= 3103.103103103103103103) → realized 631.146896896896896897. Left: 0.0499 BTC costing
    // 3096.896896896896896897, at the last price 65000 worth 3243.5 → unrealized 146.603103103103103103.
    expect(asset(report, 'binance-main', 'BTC')).toMatchObject({
      amount: '0.0499', costBasis: '3096.896896896896896897', price: '65000', realized: '631.146896896896896897',
      unrealized: '146.603103103103103103', missingCostBasis: '0',
    })
    // 1 ETH for 3500 + 3.5 fee, worth 3500 → −3.5.
    expect(asset(report, 'binance-main', 'ETH')).toMatchObject({ amount: '1', costBasis: '3503.5', price: '3500', realized: '0', unrealized: '-3.5' })
    expect(report.accounts[0]).toMatchObject({ account: 'binance-main', realized: '631.146896896896896897', unrealized: '143.103103103103103103' })
    expect(report.prices).toEqual({ BTC: { price: '65000', source: 'stored' }, ETH: { price: '3500', source: 'stored' } })
    expect(report.warnings).toEqual([])
  })

  it('values at --price where given, and computes average cost with --method average', async () => {
    const report = await pnl('--account', 'binance-main', '--price', 'BTC=70000', '--price', 'eth=3400.5', '--method', 'average')
    // Pool 0.1999 BTC costing 12206; selling 0.15 takes 12206 × 0.15 / 0.1999 = 9159.079539769884942471 →
    // realized 581.170460230115057529; left 3046.920460230115057529, worth 0.0499 × 70000 = 3493.
    expect(asset(report, 'binance-main', 'BTC')).toMatchObject({
      costBasis: '3046.920460230115057529', price: '70000', realized: '581.170460230115057529', unrealized: '446.079539769884942471',
    })
    expect(asset(report, 'binance-main', 'ETH')).toMatchObject({ price: '3400.5', unrealized: '-103' })
    expect(report.prices).toEqual({ BTC: { price: '70000', source: 'given' }, ETH: { price: '3400.5', source: 'given' } })
  })

  it('computes as of a date with --at: later trades are left out', async () => {
    // By the end of 2 March only the two buys: 0.1999 BTC costing 12206, nothing realized, no ETH.
    const report = await pnl('--account', 'binance-main', '--at', '2024-03-02', '--price', 'BTC=61000')
    expect(asset(report, 'binance-main', 'BTC')).toMatchObject({ amount: '0.1999', costBasis: '12206', realized: '0', unrealized: '-12.1' })
    expect(asset(report, 'binance-main', 'ETH')).toBeUndefined()
  })

  const refuses = async (cases: [string[], string][]) => {
    for (const [args, message] of cases) {
      const err = await failing([...args, '--data-dir', dataDir])
      expect(err.code, args.join(' ')).toBe(2)
      expect(err.stderr).toContain(message)
    }
  }

  it('refuses bad import flags with exit status 2 and a clear message', async () => {
    await refuses([
      [['import', csvFixture('binance-cli.csv'), '--format', 'bitstamp', '--account', 'x'], '--format must be one of binance, coinbase, kraken, generic, got "bitstamp"'],
      [['import', csvFixture('binance-cli.csv'), '--format', 'binance'], '--account NAME is required'],
      [['import', '--format', 'binance', '--account', 'x'], 'the FILE to import is required'],
    ])
  })

  it('refuses bad pnl flags with exit status 2 and a clear message', async () => {
    await refuses([
      [['pnl', '--price', 'BTC=-5'], '--price wants ASSET=PRICE'],
      [['pnl', '--method', 'lifo'], '--method must be one of fifo, average'],
      [['pnl', '--at', '31/01/2024'], '--at wants an ISO-8601 date'],
      [['pnl', '--acount', 'x'], "Unknown option '--acount'"],
    ])
  })

  it("runs as the package's bin from another folder", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(projectRoot, 'bin', 'cryptoorchestrator.mjs'), 'pnl', '--json', '--data-dir', dataDir, '--account', 'binance-main'], {
      cwd: tempDir(),
    })
    expect(asset(JSON.parse(stdout) as Report, 'binance-main', 'BTC')?.realized).toBe('631.146896896896896897')
  })
})
