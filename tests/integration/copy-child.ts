import { consoleLogger } from '../../src-main/log'
import { fileKeychain } from '../support/file-keychain'
import { tempCore } from '../support/temp-core'
import { keychainFileOf } from './orders-engine'

// A whole engine in its own process, for the copy crash test: opens the data dir (accounts and the follow
// relationship were stored by the test; the master key is in a keychain FILE both processes read), starts
// (the copier watches the leader at once) and says so on stdout: {"event":"started"}. It runs until killed.
// Usage: node --import tsx tests/integration/copy-child.ts <dataDir>

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: copy-child.ts <dataDir>')
const core = tempCore({
  dataDir,
  keychain: fileKeychain(keychainFileOf(dataDir)),
  log: consoleLogger('copy-child'),
  checkOutputs: false,
  sim: { mode: 'manual', seed: 7, persist: false },
  copy: { pollEveryMs: 300 },
})
process.stdout.write(`${JSON.stringify({ event: 'started', follows: core.copy.store.follows().length })}\n`)
setInterval(() => undefined, 60_000)
