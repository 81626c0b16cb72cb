import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { appDataDir, cli, failing } from '../support/cli-process'
import { DB_FILE_NAME } from '../../src-main/store/open'
import { csvFixture } from '../support/import-fixtures'

// The audit log entry for a CLI change is written after the change committed. When that write fails (a full
// disk, a write lock held past the busy timeout — simulated here by a trigger that refuses the CLI's
// entries), the change is still saved: the command reports its own result and exit status, with a warning
// on stderr, and never "failed" (exit 1 means nothing was imported).

describe('cli when the audit log cannot be written', () => {
  it('reports a saved import as done (exit 0) with a warning, and a refused file with its own error', async () => {
    const dataDir = appDataDir('co-cli-audit-fails-')
    const db = new Database(path.join(dataDir, DB_FILE_NAME))
    db.exec(`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log WHEN NEW.door = 'cli' BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`)
    db.close()

    const done = await cli(['import', csvFixture('binance-cli.csv'), '--format', 'binance', '--account', 'main', '--data-dir', dataDir])
    expect(done.stdout).toMatch(/into account "main": 4 new/)
    expect(done.stderr).toMatch(/warning: the change was saved, but the audit log entry for it \(portfolio\.import ok\) could not be written: disk I\/O error \(simulated\)/)
    const listed = JSON.parse((await cli(['imports', '--account', 'main', '--json', '--data-dir', dataDir])).stdout) as { id: number }[]
    expect(listed).toHaveLength(1)

    const removed = await cli(['imports', '--remove', String(listed[0]!.id), '--data-dir', dataDir])
    expect(removed.stderr).toMatch(/warning: the change was saved, but the audit log entry for it \(portfolio\.removeImport ok\)/)
    expect(JSON.parse((await cli(['imports', '--account', 'main', '--json', '--data-dir', dataDir])).stdout)).toEqual([])

    // A command that failed still fails with its own reason; the audit log's failure is only a warning.
    const refused = await failing(['import', csvFixture('binance-cli.csv'), '--format', 'kraken', '--account', 'main', '--data-dir', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/warning: the command failed, but the audit log entry for it \(portfolio\.import FAILED\) could not be written/)
    expect(refused.stderr).toMatch(/^cli: .*wrong header for a Kraken file.*nothing was imported$/m)
  }, 90_000)
})
