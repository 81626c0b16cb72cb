import type { Db } from '../store/open'
import { EventBus } from '../bus'
import { AuditLog, type AuditRecord } from '../audit/log'
import type { AuditPage, AuditVerify } from '../api/schemas/audit'
import { parseCommand, UsageError } from './usage'

// `audit`: the audit log from the command line — the newest entries (optionally matching a text), or
// with --verify the hash chain checked (exit status 1 when it is broken, for scripts). The CLI's own
// changes (import, rates) are recorded there too, with the door "cli".

export interface ParsedAuditArgs {
  verify: boolean
  search: string | undefined
  limit: number
  dataDir: string | undefined
  json: boolean
}

export function auditArgs(args: string[]): ParsedAuditArgs {
  const { values, positionals } = parseCommand('audit', args, {
    verify: { type: 'boolean', default: false },
    search: { type: 'string' },
    limit: { type: 'string' },
  })
  if (positionals.length > 0) throw new UsageError(`audit: unexpected argument "${positionals[0]}"`)
  const limit = values.limit === undefined ? 50 : Number(values.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`audit: --limit wants a whole number from 1 to 1000, got "${values.limit}"`)
  if (values.verify && (values.search !== undefined || values.limit !== undefined)) throw new UsageError('audit: --verify checks the whole log; it takes no --search or --limit')
  return { verify: values.verify, search: values.search?.trim() || undefined, limit, dataDir: values['data-dir'], json: values.json }
}

export type AuditResult = { kind: 'verify'; verify: AuditVerify } | { kind: 'list'; page: AuditPage }

export function runAudit(args: ParsedAuditArgs, db: Db): AuditResult {
  const audit = new AuditLog(db, new EventBus())
  if (args.verify) return { kind: 'verify', verify: audit.verify() }
  return { kind: 'list', page: audit.list({ limit: args.limit, ...(args.search ? { search: args.search } : {}) }) }
}

export function formatAudit(r: AuditResult): string {
  if (r.kind === 'verify') {
    const v = r.verify
    return v.ok
      ? `Chain intact: ${v.checked} entries checked. Newest #${v.headId}, hash ${v.headHash}\n`
      : `Chain broken at entry ${v.brokenAt}: ${v.problem}. The ${v.checked} entries before it are intact.\n`
  }
  const rows = [...r.page.entries].reverse().map((e) => `${new Date(e.at).toISOString()}  #${e.id}  ${e.door.padEnd(8)} ${e.action.padEnd(22)} ${e.outcome.padEnd(10)} ${e.detail}`)
  return `${rows.join('\n')}${rows.length ? '\n' : ''}${r.page.entries.length} of ${r.page.total} entries shown (oldest first)\n`
}

/** Appends one CLI act to the audit log of the opened database. */
export function recordCliAct(db: Db, record: Omit<AuditRecord, 'door'>): void {
  new AuditLog(db, new EventBus()).append({ door: 'cli', ...record })
}
