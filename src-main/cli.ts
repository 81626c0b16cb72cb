import path from 'node:path'
import { defaultDataDir, sourceMigrationsDir } from './config/paths'
import { consoleLogger } from './log'
import { backupArgs, backupTarget, formatBackup, runBackup } from './cli/backup-command'
import { formatImport, importArgs, readImport, runImport } from './cli/import-command'
import { formatImports, importsArgs, runImports } from './cli/imports-command'
import type { LedgerContext } from './cli/ledger-context'
import { withLedger as withLedgerAt, type CliAct } from './cli/with-ledger'
import { formatPnl, pnlArgs, runPnl } from './cli/pnl-command'
import { formatTax, runTax, taxArgs } from './cli/tax-command'
import { formatRates, ratesArgs, runRates } from './cli/rates-command'
import { describeRateChanges } from './portfolio/rate-changes'
import { auditArgs, formatAudit, runAudit } from './cli/audit-command'
import { formatRestore, restoreArgs, runRestore } from './cli/restore-command'
import { usage, UsageError } from './cli/usage'

// The command-line door for power users and scripts: `npm run cli -- <command> [options]`, or the package's
// bin (bin/cryptoorchestrator.mjs). stdout carries the result (text, or JSON with --json); messages go to
// stderr. Exit status: 0 done, 1 failed, 2 bad command line.
const projectRoot = path.resolve(__dirname, '..')
const migrationsDir = sourceMigrationsDir(projectRoot)
const dataDirOf = (dir: string | undefined) => path.resolve(dir ?? defaultDataDir())
const print = (json: boolean, value: unknown, text: string) =>
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text)

/** The ledger of the data folder, for one command; a change's act is recorded in the audit log (cli/with-ledger.ts). */
const withLedger = <T>(dataDir: string | undefined, run: (ledger: LedgerContext) => T | Promise<T>, act?: CliAct<T>): Promise<T> =>
  withLedgerAt(dataDirOf(dataDir), migrationsDir, consoleLogger('cli'), run, act, (message) => process.stderr.write(`cli: warning: ${message}\n`))

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage)
    return command === undefined ? 2 : 0
  }
  if (rest.includes('--help')) {
    process.stdout.write(usage)
    return 0
  }
  switch (command) {
    case 'import': {
      const args = importArgs(rest)
      const act = { action: 'portfolio.import', detail: `account=${JSON.stringify(args.account)} format=${JSON.stringify(args.format)} fileName=${JSON.stringify(path.basename(args.file))}` }
      let input: Awaited<ReturnType<typeof readImport>>
      try {
        input = await readImport(args)
      } catch (err) {
        // The file is read before the ledger opens; a refused file is still in the audit log, with its reason.
        // Where the log cannot be written (no database there), the file's own error is still the one shown.
        await withLedger(args.dataDir, () => Promise.reject(err), act).catch(() => undefined)
        throw err
      }
      const result = await withLedger(args.dataDir, (ledger) => runImport(args, ledger, input), act)
      print(args.json, result, formatImport(result))
      return 0
    }
    case 'imports': {
      const args = importsArgs(rest)
      const act = args.kind === 'remove' ? { action: 'portfolio.removeImport', detail: `id=${args.id}` } : undefined
      const result = await withLedger(args.dataDir, (ledger) => runImports(args, ledger), act)
      print(args.json, result.kind === 'remove' ? result.removed : result.imports, formatImports(result))
      return 0
    }
    case 'pnl': {
      const args = pnlArgs(rest)
      const report = await withLedger(args.dataDir, (ledger) => runPnl(args, ledger))
      print(args.json, report, formatPnl(report))
      return 0
    }
    case 'rates': {
      const args = ratesArgs(rest)
      const result = await withLedger(args.dataDir, (ledger) => runRates(args, ledger), {
        action: 'portfolio.importRates',
        detail: `fileName=${JSON.stringify(path.basename(args.file))}`,
        made: describeRateChanges,
      })
      print(args.json, result, formatRates(result))
      return 0
    }
    case 'tax': {
      const args = taxArgs(rest)
      const result = await withLedger(args.dataDir, (ledger) => runTax(args, ledger.store.db, Date.now()))
      print(args.json, result.report, formatTax(result))
      return 0
    }
    case 'audit': {
      const args = auditArgs(rest)
      const result = await withLedger(args.dataDir, (ledger) => runAudit(args, ledger.store.db))
      print(args.json, result.kind === 'verify' ? result.verify : result.page, formatAudit(result))
      return result.kind === 'verify' && !result.verify.ok ? 1 : 0
    }
    case 'backup': {
      const args = backupArgs(rest)
      const at = Date.now()
      const target = backupTarget(args, dataDirOf(args.dataDir), at)
      // The database only (as every command): no engine module starts beside the running app.
      const result = await withLedger(args.dataDir, (ledger) => runBackup(ledger.store, target, at), { action: 'store.backup', detail: `out=${JSON.stringify(target)}` })
      process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : formatBackup(result))
      return 0
    }
    case 'restore': {
      const args = restoreArgs(rest)
      const dataDir = dataDirOf(args.dataDir)
      const result = await runRestore(args, dataDir, migrationsDir, Date.now())
      // Opening the restored database applies the migrations a backup from an older version lacks, and its
      // audit log records the act (the one replaced keeps its own log, in the copy named above).
      await withLedger(args.dataDir, () => undefined, { action: 'store.restore', detail: `from=${JSON.stringify(result.from)} previous=${JSON.stringify(result.previous)}${result.ignoredWal === null ? '' : ` ignoredWal=${JSON.stringify(result.ignoredWal)}`}` })
      print(args.json, result, formatRestore(result))
      return 0
    }
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

// Exit once stdout and stderr are flushed (on a pipe, process.exit could cut a long JSON reply short).
const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))

// `npm run cli` runs in the package's folder; the paths a user typed (FILE, --out, --data-dir) are meant
// from the folder npm was started in, which npm passes as INIT_CWD.
if (process.env.npm_lifecycle_event === 'cli' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD)

main(process.argv.slice(2)).then(exit, (err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`cli: ${err.message}\n\n${usage}`)
    return exit(2)
  }
  process.stderr.write(`cli: ${err instanceof Error ? err.message : String(err)}\n`)
  return exit(1)
})
