import path from 'node:path'
import { parseArgs } from 'node:util'
import { createCore } from './core'
import { consoleLogger } from './log'
import { defaultDataDir, sourceMigrationsDir } from './config/paths'
import { packageVersion } from './config/version'

// The command-line door for power users and scripts: `npm run cli -- <command> [options]`.
const projectRoot = path.resolve(__dirname, '..')

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  backup [--out FILE]   write a consistent copy of the database (safe while the app runs)

Options:
  --data-dir DIR        the data directory (default: the app's platform data folder)
  --json                print the result as JSON
`

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  })
  const [command] = positionals
  if (values.help || !command) {
    process.stdout.write(usage)
    return command || values.help ? 0 : 2
  }
  if (command !== 'backup') {
    process.stderr.write(`cli: unknown command "${command}"\n\n${usage}`)
    return 2
  }
  const core = createCore({
    dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()),
    migrationsDir: sourceMigrationsDir(projectRoot),
    door: 'cli',
    sim: { mode: 'manual', persist: false },
    version: packageVersion(projectRoot),
    log: consoleLogger('cli'),
  })
  try {
    const result = await core.backup(values.out ? path.resolve(values.out) : undefined)
    process.stdout.write(
      values.json ? `${JSON.stringify(result)}\n` : `Backup written: ${result.path} (${result.bytes} bytes, ${result.pages} pages)\n`,
    )
    return 0
  } finally {
    await core.stop()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cli: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  },
)
