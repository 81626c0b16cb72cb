import Database from 'better-sqlite3'
import { openStore } from '../../src-main/store/open'
import { migrationsDir } from './temp-core'

// Another process opening a data folder's store (argv: dataDir): prints "opening" just before, then "ok" or
// the error's message (exit status 1). When the store asks for the write lock to migrate (BEGIN IMMEDIATE,
// after its plain read found migrations due) it prints "locking" first: a test holding the lock can let go
// from then on, knowing this process read the database before the other one's migrations were committed.
const dataDir = process.argv[2]!
const exec = Database.prototype.exec
Database.prototype.exec = function (this: Database.Database, sql: string) {
  if (sql.trim().toUpperCase() === 'BEGIN IMMEDIATE') process.stdout.write('locking\n')
  return exec.call(this, sql)
}
process.stdout.write('opening\n')
try {
  openStore(dataDir, migrationsDir).close()
  process.stdout.write('ok\n')
} catch (err) {
  process.stdout.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
}
