import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, DB_FILE_NAME } from '../../src-main/store/open'
import { migrationsDir, tempDir } from '../support/temp-core'

// A database that cannot be opened says which file and what to do — not SQLite's bare "file is not a
// database" with no path — and is left as it was.

function withDatabase(rows: number): Buffer {
  const dir = tempDir()
  const store = openStore(dir, migrationsDir)
  const insert = store.sqlite.prepare("INSERT INTO activity (at, kind, message) VALUES (1, 'test', ?)")
  for (let i = 0; i < rows; i++) insert.run('m'.repeat(200))
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  store.close()
  return fs.readFileSync(path.join(dir, DB_FILE_NAME))
}

function refusal(dir: string): string {
  try {
    openStore(dir, migrationsDir).close()
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected the store to be refused')
}

const damaged = (file: string, reason: string) =>
  `The database at ${file} is damaged (${reason}); nothing was changed. Restore a backup (from ${path.join(path.dirname(file), 'backups')}, ` +
  `or your own) with the app closed: cryptoorchestrator restore FILE --data-dir ${JSON.stringify(path.dirname(file))} (the damaged file is kept in backups/).`

describe('opening a database that cannot be opened', () => {
  it('a truncated file: names it as damaged and points to the backups', () => {
    const whole = withDatabase(3000)
    const dir = tempDir()
    const file = path.join(dir, DB_FILE_NAME)
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)))
    expect(refusal(dir)).toBe(damaged(file, 'database disk image is malformed'))
    expect(fs.statSync(file).size).toBe(Math.floor(whole.length / 2))
  })

  it('a file that is not a database: the same', () => {
    const dir = tempDir()
    const file = path.join(dir, DB_FILE_NAME)
    fs.writeFileSync(file, Buffer.alloc(100_000, 'garbage!'))
    expect(refusal(dir)).toBe(damaged(file, 'file is not a database'))
  })

  it('a folder the database cannot write its side files in: names the file and the folder', () => {
    const whole = withDatabase(1)
    const dir = tempDir()
    const file = path.join(dir, DB_FILE_NAME)
    fs.writeFileSync(file, whole)
    // As a read-only folder does (and a test running as root cannot make one): the -wal file cannot be created.
    fs.mkdirSync(`${file}-wal`)
    expect(refusal(dir)).toBe(
      `Cannot open the database at ${file} (unable to open database file). Check that the folder ${dir} is writable by you ` +
        `(SQLite writes ${DB_FILE_NAME}-wal and ${DB_FILE_NAME}-shm beside the database) and that nothing in it is in the way.`,
    )
  })
})
