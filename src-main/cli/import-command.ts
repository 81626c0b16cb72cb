import fs from 'node:fs'
import path from 'node:path'
import { importFormats, parseExportPaced } from '../portfolio/import'
import { importNameClash, isManagedAccount, labelClashRefusal, managedImportRefusal, storedAccountLabels, storedExchangeIds } from '../portfolio/sync/ledger-accounts'
import type { LedgerContext } from './ledger-context'
import { oneOf, parseCommand, required, UsageError } from './usage'

// `import FILE --format F --account NAME`: parse the whole file first (any bad row rejects it, naming the
// line), then hand every entry to the ledger (PortfolioService.importFile), which stores each fact once — a
// large file in short transactions, visible only once all of it is in, so the running app keeps trading.

export interface ImportCommandResult {
  file: string
  format: string
  layout: string
  account: string
  rows: number
  inserted: number
  duplicates: number
  skipped: number
  skippedByType: Record<string, number>
}

export interface ParsedImportArgs {
  file: string
  format: (typeof importFormats)[number]
  account: string
  dataDir: string | undefined
  json: boolean
}

export function importArgs(args: string[]): ParsedImportArgs {
  const { values, positionals } = parseCommand('import', args, {
    format: { type: 'string' },
    account: { type: 'string' },
  })
  if (positionals.length === 0) throw new UsageError('import: the FILE to import is required')
  if (positionals.length > 1) throw new UsageError(`import: one FILE at a time (got ${positionals.join(', ')})`)
  const format = oneOf('import', required('import', values.format, '--format', 'binance|coinbase|kraken|generic'), '--format', importFormats)
  const account = required('import', values.account, '--account', 'NAME')
  if (account.length > 200) throw new UsageError('import: --account NAME is longer than 200 characters')
  return { file: positionals[0]!, format, account, dataDir: values['data-dir'], json: values.json }
}

/** Reads and parses before the ledger is opened: a bad file never touches the database. */
export async function readImport(args: ParsedImportArgs) {
  const file = path.resolve(args.file)
  let text: string
  try {
    text = await fs.promises.readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new Error(`cannot read ${args.file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(err)}`)
  }
  try {
    return { file, parsed: await parseExportPaced(args.format, text, { account: args.account }) }
  } catch (err) {
    if (err instanceof Error) err.message = `${args.file}: ${err.message}; nothing was imported`
    throw err
  }
}

export async function runImport(args: ParsedImportArgs, ledger: LedgerContext, { file, parsed }: Awaited<ReturnType<typeof readImport>>): Promise<ImportCommandResult> {
  if (isManagedAccount(args.account, storedExchangeIds(ledger.store.db))) throw new Error(`${managedImportRefusal(args.account)}; nothing was imported`)
  const clash = importNameClash(args.account, storedAccountLabels(ledger.store.db))
  if (clash !== null) throw new Error(`${labelClashRefusal(clash)}; nothing was imported`)
  const result = await ledger.portfolio.importFile(parsed.entries, parsed.marks ?? [], { account: args.account, format: args.format, fileName: path.basename(file) })
  return {
    file,
    format: args.format,
    layout: parsed.layout,
    account: args.account,
    rows: parsed.rows,
    inserted: result.inserted,
    duplicates: result.duplicates,
    skipped: parsed.rows - parsed.entries.length,
    skippedByType: parsed.skipped,
  }
}

export function formatImport(r: ImportCommandResult): string {
  const lines = [
    `Imported ${path.basename(r.file)} (${r.format}, ${r.layout}) into account "${r.account}": ` +
      `${r.inserted} new, ${r.duplicates} already in the ledger, ${r.skipped} skipped (of ${r.rows} rows)`,
  ]
  for (const [type, n] of Object.entries(r.skippedByType)) lines.push(`  skipped ${n} × ${type}`)
  return `${lines.join('\n')}\n`
}
