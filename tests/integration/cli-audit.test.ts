import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { appDataDir, cli, failing } from '../support/cli-process'
import { tempDir } from '../support/temp-core'
import { DB_FILE_NAME } from '../../src-main/store/open'

// `audit` as a user runs it: the CLI's own changes recorded (an import done, a refused rates file with the reason), the
// entries listed and searched, and --verify's exit status a script can rely on: 0 for an intact chain, 1
// once an entry was edited in the file.


describe('cli audit', () => {
  it('records the CLI’s imports, lists and searches them, and --verify fails once the file was edited', async () => {
    const dataDir = appDataDir('co-cli-audit-')
    const work = tempDir('co-cli-audit-in-')
    const good = path.join(work, 'history.csv')
    fs.writeFileSync(good, ['timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id', '2024-01-01T00:00:00Z,deposit,USDT,,,,1000,,,dep-1'].join('\n'))
    const bad = path.join(work, 'broken.csv')
    fs.writeFileSync(bad, ['date,base,quote,rate', 'yesterday,GBP,USD,1.27'].join('\n'))
    await cli(['import', good, '--format', 'generic', '--account', 'cold', '--data-dir', dataDir])
    const refused = await failing(['rates', bad, '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    const listed = await cli(['audit', '--data-dir', dataDir])
    const lines = listed.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/#1 {2}cli {6}portfolio\.import {7}ok {9}account="cold" format="generic" fileName="history\.csv"$/)
    expect(lines[1]).toMatch(/#2 {2}cli {6}portfolio\.importRates {2}FAILED {5}fileName="broken\.csv" — .*yesterday/)
    expect(lines[2]).toBe('2 of 2 entries shown (oldest first)')
    const searched = JSON.parse((await cli(['audit', '--search', 'broken', '--json', '--data-dir', dataDir])).stdout)
    expect(searched.total).toBe(1)
    expect(searched.entries[0]).toMatchObject({ id: 2, door: 'cli', outcome: 'FAILED' })

    const intact = await cli(['audit', '--verify', '--data-dir', dataDir])
    expect(intact.stdout).toMatch(/^Chain intact: 2 entries checked\. Newest #2, hash [0-9a-f]{64}\n$/)
    const db = new Database(path.join(dataDir, DB_FILE_NAME))
    db.prepare(`UPDATE audit_log SET outcome = 'ok' WHERE id = 2`).run()
    db.close()
    const broken = await failing(['audit', '--verify', '--data-dir', dataDir])
    expect(broken.code).toBe(1)
    expect(broken.stdout).toBe('Chain broken at entry 2: entry 2 was changed after it was written. The 1 entries before it are intact.\n')

    const usage = await failing(['audit', '--verify', '--limit', '5', '--data-dir', dataDir])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('audit: --verify checks the whole log; it takes no --search or --limit')

    // A file the CLI refuses to import is recorded too, with the reason.
    const badTrades = path.join(work, 'trades.csv')
    fs.writeFileSync(badTrades, 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n2024-01-02 09:00:00,BTCUSDT,BUY,40000,0.O1BTC,400USDT,\n')
    expect((await failing(['import', badTrades, '--format', 'binance', '--account', 'cold', '--data-dir', dataDir])).code).toBe(1)
    const failedImport = JSON.parse((await cli(['audit', '--search', 'trades.csv', '--json', '--data-dir', dataDir])).stdout)
    expect(failedImport.entries).toMatchObject([{ door: 'cli', action: 'portfolio.import', outcome: 'FAILED', detail: expect.stringContaining('line 2, column "Executed"') }])

  }, 90_000)
})
