import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { appDataDir, cli, failing } from '../support/cli-process'
import { startHeadless, type HeadlessProcess } from '../support/headless-process'
import { projectRoot, tempDir } from '../support/temp-core'
import { DB_FILE_NAME } from '../../src-main/store/open'

// `restore FILE` as a user runs it after a bad day: last night's backup put back, what was there before
// kept, and every way it could make things worse refused with nothing changed.

const deposit = (id: string, amount: string) => ['timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id', `2024-01-01T00:00:00Z,deposit,USDT,,,,${amount},,,${id}`].join('\n')

async function importDeposit(dataDir: string, account: string, id: string, amount: string): Promise<void> {
  const file = path.join(tempDir('co-restore-in-'), `${id}.csv`)
  fs.writeFileSync(file, deposit(id, amount))
  await cli(['import', file, '--format', 'generic', '--account', account, '--data-dir', dataDir])
}

const accountsIn = async (dataDir: string, account: string) => JSON.parse((await cli(['imports', '--account', account, '--json', '--data-dir', dataDir])).stdout) as unknown[]
const fingerprint = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')

let engine: HeadlessProcess | undefined
afterAll(async () => engine?.stop())

describe('cli restore', () => {
  it('puts a backup back, keeps the database it replaced, and records the act', async () => {
    const dataDir = appDataDir('co-restore-')
    await importDeposit(dataDir, 'cold', 'dep-1', '1000')
    const backup = path.join(tempDir('co-restore-bk-'), 'night.sqlite')
    await cli(['backup', '--out', backup, '--data-dir', dataDir])
    // After the backup: an import the user wants undone by going back to last night.
    await importDeposit(dataDir, 'cold', 'dep-2', '5')
    expect(await accountsIn(dataDir, 'cold')).toHaveLength(2)

    const { stdout } = await cli(['restore', backup, '--json', '--data-dir', dataDir])
    const result = JSON.parse(stdout) as { from: string; path: string; previous: string }
    expect(result.path).toBe(path.join(dataDir, DB_FILE_NAME))
    expect(result.previous).toMatch(new RegExp(`^${path.join(dataDir, 'backups').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/cryptoorchestrator-before-restore-.*\\.sqlite$`))
    expect(await accountsIn(dataDir, 'cold')).toHaveLength(1)

    // The database as it was (two imports) is kept whole, and can itself be restored.
    const kept = new Database(result.previous, { readonly: true })
    expect(kept.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((kept.prepare('SELECT count(*) AS n FROM ledger_imports').get() as { n: number }).n).toBe(2)
    kept.close()

    const audit = JSON.parse((await cli(['audit', '--search', 'store.restore', '--json', '--data-dir', dataDir])).stdout) as { entries: { action: string; outcome: string; detail: string }[] }
    expect(audit.entries).toHaveLength(1)
    expect(audit.entries[0]).toMatchObject({ action: 'store.restore', outcome: 'ok' })
    expect(audit.entries[0]!.detail).toContain('night.sqlite')
    expect((await cli(['audit', '--verify', '--data-dir', dataDir])).stdout).toMatch(/^Chain intact/)
  })

  it('refuses what is not a good backup of this app, and leaves the database as it was', async () => {
    const dataDir = appDataDir('co-restore-bad-')
    await importDeposit(dataDir, 'cold', 'dep-1', '1000')
    const dbFile = path.join(dataDir, DB_FILE_NAME)
    const dir = tempDir('co-restore-files-')
    const good = path.join(dir, 'good.sqlite')
    await cli(['backup', '--out', good, '--data-dir', dataDir])

    const notSqlite = path.join(dir, 'notes.sqlite')
    fs.writeFileSync(notSqlite, 'this is a text file, not a database\n')
    const foreign = path.join(dir, 'other-app.sqlite')
    const other = new Database(foreign)
    other.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)')
    other.close()
    const newer = path.join(dir, 'newer.sqlite')
    fs.copyFileSync(good, newer)
    const n = new Database(newer)
    n.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), 4102444800000)
    n.close()
    const damaged = path.join(dir, 'damaged.sqlite')
    const bytes = fs.readFileSync(good)
    // Page 2 onward overwritten: the header still reads, the tables do not.
    bytes.fill(0x5a, 4096, Math.min(bytes.length, 4096 * 4))
    fs.writeFileSync(damaged, bytes)

    const before = fingerprint(dbFile)
    const cases: [string, RegExp][] = [
      [path.join(dir, 'missing.sqlite'), /No file at .*missing\.sqlite/],
      [notSqlite, /notes\.sqlite .*(not a database|not a readable database|cannot be opened)/],
      [foreign, /other-app\.sqlite is a SQLite file but not a CryptoOrchestrator database/],
      [newer, /newer\.sqlite holds 1 migration\(s\) this version of CryptoOrchestrator does not know/],
      [damaged, /damaged\.sqlite (is damaged|is not a readable database)/],
      [dbFile, /is the data folder's own database/],
    ]
    for (const [file, message] of cases) {
      const refused = await failing(['restore', file, '--data-dir', dataDir])
      expect(refused.code, file).toBe(1)
      expect(refused.stderr, file).toMatch(message)
    }
    expect(fingerprint(dbFile)).toBe(before)
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.restoring'))).toEqual([])
    expect(fs.existsSync(path.join(dataDir, 'backups'))).toBe(false)
    expect(await accountsIn(dataDir, 'cold')).toHaveLength(1)
    expect((await failing(['restore', '--data-dir', dataDir])).stderr).toContain('restore: the backup FILE to restore is required')
  })

  it('refuses while the app runs on the folder', async () => {
    engine = await startHeadless()
    const backup = path.join(tempDir('co-restore-live-'), 'live.sqlite')
    await cli(['backup', '--out', backup, '--data-dir', engine.dataDir])
    const refused = await failing(['restore', backup, '--data-dir', engine.dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/The data folder .* is in use by the headless engine \(process \d+/)
    expect(fs.existsSync(path.join(engine.dataDir, 'backups'))).toBe(false)
  })
})

describe('cli restore over a damaged database', () => {
  it('puts the backup back and keeps the damaged file, byte for byte, in backups/', async () => {
    const dataDir = appDataDir('co-restore-dmg-')
    await importDeposit(dataDir, 'cold', 'dep-1', '1000')
    const backup = path.join(tempDir('co-restore-dmg-bk-'), 'good.sqlite')
    await cli(['backup', '--out', backup, '--data-dir', dataDir])
    const dbFile = path.join(dataDir, DB_FILE_NAME)
    const whole = fs.readFileSync(dbFile)
    const cut = whole.subarray(0, Math.floor(whole.length / 2))
    fs.writeFileSync(dbFile, cut)
    fs.rmSync(`${dbFile}-wal`, { force: true })
    fs.rmSync(`${dbFile}-shm`, { force: true })
    expect((await failing(['imports', '--account', 'cold', '--data-dir', dataDir])).stderr).toContain('cryptoorchestrator restore FILE --data-dir')

    const result = JSON.parse((await cli(['restore', backup, '--json', '--data-dir', dataDir])).stdout) as { previous: string }
    expect(fs.readFileSync(result.previous).equals(cut)).toBe(true)
    expect(await accountsIn(dataDir, 'cold')).toHaveLength(1)
  })
})

// A USB stick, a read-only mount, another user's folder: the backup can be read, nothing beside it written.
// Root ignores file permissions, so as root the restore runs as `nobody` (setpriv), as a user would.
const runAsUser = async (args: string[]) => {
  const command = [process.execPath, '--import', 'tsx', path.join(projectRoot, 'src-main', 'cli.ts'), ...args]
  if (process.getuid?.() !== 0) return cli(args)
  return promisify(execFile)('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp', ...command], { cwd: projectRoot })
}

describe('cli restore from a place it cannot write', () => {
  for (const [name, oldWalBackup] of [
    ['a backup the app writes', false],
    ['an older backup still in WAL mode', true],
  ] as const) {
    it(`restores ${name} from a read-only file in a read-only folder, leaving no side files`, async () => {
      const dataDir = appDataDir('co-restore-ro-')
      await importDeposit(dataDir, 'cold', 'dep-1', '1000')
      const stick = tempDir('co-restore-stick-')
      const backup = path.join(stick, 'night.sqlite')
      await cli(['backup', '--out', backup, '--data-dir', dataDir])
      if (oldWalBackup) {
        const old = new Database(backup)
        old.pragma('journal_mode = WAL')
        old.close()
        expect([...fs.readFileSync(backup).subarray(18, 20)]).toEqual([2, 2])
      }
      await importDeposit(dataDir, 'cold', 'dep-2', '5')
      fs.chmodSync(backup, 0o444)
      fs.chmodSync(stick, 0o555)
      if (process.getuid?.() === 0) for (const f of [dataDir, ...fs.readdirSync(dataDir).map((f) => path.join(dataDir, f))]) fs.chownSync(f, 65534, 65534)

      const { stdout } = await runAsUser(['restore', backup, '--data-dir', dataDir])
      expect(stdout).toContain(`Restored ${backup}`)
      expect(await accountsIn(dataDir, 'cold')).toHaveLength(1)
      expect(fs.readdirSync(stick)).toEqual(['night.sqlite'])
      expect(fs.readdirSync(dataDir).filter((f) => f.includes('.restoring'))).toEqual([])
      // Bytes 18/19 of the header: 1 = a rollback-journal file, complete by itself (other tools open it
      // read-only too); 2 = WAL mode.
      expect([...fs.readFileSync(backup).subarray(18, 20)]).toEqual(oldWalBackup ? [2, 2] : [1, 1])
    })
  }
})

// A "-wal" beside a backup is part of it only when the backup is in WAL mode (an older version's). Beside a
// self-contained backup it is a stray — left by copying another database's files, or a stale one — and
// SQLite would replay it into the copy: another database's pages restored as if they were the backup.
describe('cli restore with a -wal file beside the backup', () => {
  /** A WAL holding one more import ('dep-x'), written to `walOf` while a copy of `base` is open. */
  function walWithAnotherImport(base: string, walOf: string): void {
    const other = path.join(tempDir('co-restore-other-'), 'other.sqlite')
    fs.copyFileSync(base, other)
    const db = new Database(other)
    db.pragma('journal_mode = WAL')
    db.pragma('wal_autocheckpoint = 0')
    db.prepare("INSERT INTO ledger_imports (id, account, format, file_name, rows, inserted, created_at) VALUES (900, 'cold', 'generic', 'dep-x.csv', 1, 1, 0)").run()
    expect(fs.statSync(`${other}-wal`).size).toBeGreaterThan(0)
    fs.copyFileSync(`${other}-wal`, `${walOf}-wal`)
    db.close()
  }

  it('ignores a stray -wal beside a self-contained backup, and says so', async () => {
    const dataDir = appDataDir('co-restore-stray-')
    await importDeposit(dataDir, 'cold', 'dep-1', '1000')
    const backup = path.join(tempDir('co-restore-stray-bk-'), 'night.sqlite')
    await cli(['backup', '--out', backup, '--data-dir', dataDir])
    expect([...fs.readFileSync(backup).subarray(18, 20)]).toEqual([1, 1])
    walWithAnotherImport(backup, backup)

    const { stdout } = await cli(['restore', backup, '--data-dir', dataDir])
    expect(await accountsIn(dataDir, 'cold')).toHaveLength(1)
    expect(stdout).toContain(`A stray ${backup}-wal beside the backup was ignored`)
    const json = JSON.parse((await cli(['restore', backup, '--json', '--data-dir', dataDir])).stdout) as { ignoredWal: string | null }
    expect(json.ignoredWal).toBe(`${backup}-wal`)
    const audit = JSON.parse((await cli(['audit', '--search', 'store.restore', '--json', '--data-dir', dataDir])).stdout) as { entries: { detail: string }[] }
    expect(audit.entries[0]!.detail).toContain('ignoredWal=')
  })

  it('reads an older WAL-mode backup together with its -wal', async () => {
    const dataDir = appDataDir('co-restore-walbk-')
    await importDeposit(dataDir, 'cold', 'dep-1', '1000')
    const backup = path.join(tempDir('co-restore-walbk-bk-'), 'old.sqlite')
    await cli(['backup', '--out', backup, '--data-dir', dataDir])
    const old = new Database(backup)
    old.pragma('journal_mode = WAL')
    old.close()
    expect([...fs.readFileSync(backup).subarray(18, 20)]).toEqual([2, 2])
    walWithAnotherImport(backup, backup)

    const result = JSON.parse((await cli(['restore', backup, '--json', '--data-dir', dataDir])).stdout) as { ignoredWal: string | null }
    expect(result.ignoredWal).toBeNull()
    expect(await accountsIn(dataDir, 'cold')).toHaveLength(2)
  })
})
