import path from 'node:path'
import { parseArgs } from 'node:util'
import { createCore } from './core'
import { EngineLockedError } from './store/engine-lock'
import { consoleLogger } from './log'
import { defaultDataDir, sourceMigrationsDir } from './config/paths'
import { packageVersion } from './config/version'
import { startHeadlessServer } from './server/headless-server'
import { headlessToken } from './server/token-store'

// The headless door: the same engine as the desktop app, served to a browser on 127.0.0.1.
// `npm run headless -- [--port N] [--host H] [--data-dir DIR] [--new-token]`; prints the URL (with its token) on stdout.
const projectRoot = path.resolve(__dirname, '..')

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      'new-token': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write('Usage: npm run headless -- [--port N] [--host 127.0.0.1] [--data-dir DIR] [--new-token]\n')
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`)
  const log = consoleLogger('headless')
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir())
  const core = createCore({
    dataDir,
    migrationsDir: sourceMigrationsDir(projectRoot),
    door: 'headless',
    version: packageVersion(projectRoot),
    log,
  })
  const server = await startHeadlessServer({
    core,
    rendererDir: values['renderer-dir'] ?? path.join(projectRoot, 'out', 'renderer'),
    host: values.host,
    port,
    // Kept in the data folder: tabs left open across a restart reconnect with the token in their address.
    token: headlessToken(dataDir, { rotate: values['new-token'] }),
    log,
  })
  log.info(`data dir ${dataDir}`)
  process.stdout.write(`${server.url}\n`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await server.close()
    await core.stop()
    process.exit(0)
  }
  // A stray rejection inside a library (seen: ccxt's WebSocket client sending on a socket that had
  // been dropped, after its account was removed) must not take the whole engine down with it.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection (engine keeps running)', reason))
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  // A refusal that explains itself (another engine on this data folder) needs no stack.
  const known = err instanceof EngineLockedError
  process.stderr.write(`headless: ${err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err)}\n`)
  process.exit(1)
})
