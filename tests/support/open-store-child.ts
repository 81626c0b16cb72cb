import { openStore } from '../../src-main/store/open'
import { migrationsDir } from './temp-core'

// Another process opening a data folder's store (argv: dataDir): prints "opening" just before, then "ok" or
// the error's message (exit status 1).
const dataDir = process.argv[2]!
process.stdout.write('opening\n')
try {
  openStore(dataDir, migrationsDir).close()
  process.stdout.write('ok\n')
} catch (err) {
  process.stdout.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
}
