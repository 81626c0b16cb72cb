import type { RemovedImport } from '../portfolio/ledger'
import { findImport, listImports, type ImportRecord } from '../portfolio/imports'
import { isManagedAccount, managedRemoveRefusal, storedExchangeIds } from '../portfolio/sync/ledger-accounts'
import type { LedgerContext } from './ledger-context'
import { parseCommand, UsageError } from './usage'

// `imports --account NAME`: the files imported into an account, newest first, each with the id that
// `imports --remove ID` takes back out (its entries and its record, in one transaction) — the same rules as
// the app's Imports dialog: an account the app keeps itself (an exchange, paper or simulated) is refused.

export type ParsedImportsArgs =
  | { kind: 'list'; account: string; dataDir: string | undefined; json: boolean }
  | { kind: 'remove'; id: number; dataDir: string | undefined; json: boolean }

export function importsArgs(args: string[]): ParsedImportsArgs {
  const { values, positionals } = parseCommand('imports', args, {
    account: { type: 'string' },
    remove: { type: 'string' },
  })
  if (positionals.length > 0) throw new UsageError(`imports: unexpected argument "${positionals[0]}"`)
  const common = { dataDir: values['data-dir'], json: values.json }
  if (values.remove !== undefined) {
    if (values.account !== undefined) throw new UsageError('imports: --remove ID names the import on its own; it takes no --account')
    const id = /^\d{1,15}$/.test(values.remove.trim()) ? Number(values.remove.trim()) : NaN
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`imports: --remove wants an import's id (a whole number from 1, as listed), got "${values.remove}"`)
    return { kind: 'remove', id, ...common }
  }
  const account = values.account?.trim()
  if (!account) throw new UsageError('imports: --account NAME is required (or --remove ID)')
  return { kind: 'list', account, ...common }
}

export type ImportsResult = { kind: 'list'; account: string; imports: ImportRecord[] } | { kind: 'remove'; id: number; removed: RemovedImport }

export function runImports(args: ParsedImportsArgs, ledger: LedgerContext): ImportsResult {
  if (args.kind === 'list') return { kind: 'list', account: args.account, imports: listImports(ledger.store.db, args.account) }
  const gone = () => new Error(`there is no import ${args.id} (it may have been removed already); nothing was changed`)
  const record = findImport(ledger.store.db, args.id)
  if (!record) throw gone()
  if (isManagedAccount(record.account, storedExchangeIds(ledger.store.db))) throw new Error(`${managedRemoveRefusal(record.account)}; nothing was changed`)
  const removed = ledger.portfolio.removeImport(args.id)
  if (!removed) throw gone()
  return { kind: 'remove', id: args.id, removed }
}

export function formatImports(r: ImportsResult): string {
  if (r.kind === 'remove') {
    const { account, fileName, removed } = r.removed
    return `Removed import ${r.id} (${fileName ?? 'no file name'}) from account "${account}": ${removed} ${removed === 1 ? 'entry' : 'entries'} taken out of the ledger\n`
  }
  if (r.imports.length === 0) return `No imports into account "${r.account}"\n`
  const rows = r.imports.map(
    (i) => `${String(i.id).padStart(6)}  ${new Date(i.at).toISOString()}  ${i.format.padEnd(14)} ${`${i.inserted} of ${i.rows} new`.padEnd(18)} ${i.fileName ?? '-'}`,
  )
  return `${'id'.padStart(6)}  ${'imported at (UTC)'.padEnd(24)}  ${'format'.padEnd(14)} ${'entries'.padEnd(18)} file\n${rows.join('\n')}\n`
}
