import { createCore } from '../../src-main/core'
import { silentLogger } from '../../src-main/log'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { migrationsDir } from './temp-core'

// Another process running an engine on a data folder (argv: dataDir) until it is killed; prints "running"
// once started, or the error that stopped it.
try {
  createCore({ dataDir: process.argv[2]!, migrationsDir, door: 'headless', version: '0.0.0-test', log: silentLogger, sim: { mode: 'manual', seed: 7 }, keychain: memoryKeychain() })
  process.stdout.write('running\n')
  setInterval(() => undefined, 60_000)
} catch (err) {
  process.stdout.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
}
