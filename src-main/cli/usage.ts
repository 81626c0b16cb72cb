import { parseArgs, type ParseArgsConfig } from 'node:util'

// The command line's words: the usage text, and option parsing that turns every mistake in the flags into
// a UsageError (exit status 2, with the message and the usage), never a stack trace.

export const usage = `Usage: npm run cli -- <command> [options]     (or: cryptoorchestrator <command> [options])

Commands:
  import FILE --format binance|coinbase|kraken|generic --account NAME
                        import an exchange's trade-history CSV export into the ledger (all or nothing;
                        importing the same file again adds nothing). Formats: docs/import-formats.md
  imports --account NAME | imports --remove ID
                        the files imported into an account (newest first, with their ids), or one import
                        taken back out: the entries it added and its record, all or nothing
  pnl [--account NAME] [--at DATE] [--method fifo|average] [--price ASSET=PRICE]... [--currency CODE]
                        positions, cost basis, realized and unrealized P&L per account and asset, as exact
                        decimals; unrealized at the last stored price unless --price gives one (repeatable)
  rates FILE            daily exchange rates into the stored prices, for P&L and tax in EUR or GBP: a CSV
                        of date,base,quote,rate (2024-01-05,GBP,USD,1.2712), the ECB's eurofxref-hist.csv
                        or the Bank of England's XUDLUSS export (all or nothing)
  tax --jurisdiction us|uk|de --year YYYY [--method fifo|lifo|hifo|average|hmrc] [--zone TZ]
      [--pooling universal|per-account] [--account NAME] [--out FILE.csv|FILE.pdf]
                        a tax year's capital gains (UK: the year starting 6 April YYYY): the summary, and
                        with --out every disposal line as CSV (US: Form 8949 columns) or a PDF report
  audit [--search TEXT] [--limit N] | audit --verify
                        the audit log's newest entries (what was done through the app, the browser door and
                        this CLI), or its hash chain checked (exit status 1 when an entry was changed or removed)
  backup [--out FILE]   write a consistent copy of the database (safe while the app runs)
  restore FILE          put a backup back as the database, with the app closed: the backup is checked
                        first, and the database it replaces is kept in backups/

Options:
  --data-dir DIR        the data directory (default: the app's platform data folder)
  --json                print the result as JSON
  --help                this text

Exit status: 0 done, 1 failed (e.g. a malformed file: nothing was imported), 2 bad command line. A change
that was saved but could not be written to the audit log is still 0, with a warning on stderr.
`

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const commonOptions = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options']

/** parseArgs for one command, strict, with its errors as UsageErrors. */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...commonOptions, ...options }, allowPositionals: true, strict: true })
  } catch (err) {
    // node:util's messages are clear ("Unknown option '--formt'"), minus the advice about '--' we do not want.
    const message = err instanceof Error ? err.message.replace(/\. To specify a positional argument.*$/s, '') : String(err)
    throw new UsageError(`${command}: ${message}`)
  }
}

/** A required string option, or a UsageError naming it. */
export function required(command: string, value: string | undefined, flag: string, what: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${command}: ${flag} ${what} is required`)
  return value.trim()
}

export function oneOf<T extends string>(command: string, value: string, flag: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${command}: ${flag} must be one of ${allowed.join(', ')}, got "${value}"`)
  return value as T
}
