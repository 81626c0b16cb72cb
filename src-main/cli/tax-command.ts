import path from 'node:path'
import { taxReportInputSchema, type TaxReport } from '../api/schemas/tax'
import { formatIssues } from '../api/format-issues'
import type { LedgerDb } from '../portfolio/sqlite'
import { buildUserTaxReport, taxFile } from '../tax/jobs'
import { METHOD_NAMES, POOLING_NAMES } from '../tax/report'
import { dayOf, isoDay } from '../tax/calendar'
import { unknownAccount } from '../tax/report-accounts'
import { counted } from '../tax/words'
import { paperLeftOutText } from '../tax/paper-accounts'
import { checkTarget, writeNewFile } from './out-file'
import { parseCommand, UsageError } from './usage'

// `tax`: a tax year's capital gains from the ledger (the same engine as the Tax page). Prints the summary
// (or the whole report with --json); --out FILE.csv / FILE.pdf writes the report's file as well.

export interface ParsedTaxArgs {
  query: { jurisdiction: string; year: number; method?: string; pooling?: string; timeZone?: string; account?: string }
  out: string | undefined
  dataDir: string | undefined
  json: boolean
}

export function taxArgs(args: string[]): ParsedTaxArgs {
  const { values, positionals } = parseCommand('tax', args, {
    jurisdiction: { type: 'string' },
    year: { type: 'string' },
    method: { type: 'string' },
    pooling: { type: 'string' },
    zone: { type: 'string' },
    account: { type: 'string' },
    out: { type: 'string' },
  })
  if (positionals.length > 0) throw new UsageError(`tax: unexpected argument "${positionals[0]}"`)
  if (values.jurisdiction === undefined) throw new UsageError('tax: --jurisdiction us|uk|de is required')
  if (values.year === undefined || !/^\d{4}$/.test(values.year.trim())) throw new UsageError(`tax: --year wants a year such as 2024${values.year !== undefined ? `, got "${values.year}"` : ''}`)
  if (values.out !== undefined && !/\.(csv|pdf)$/i.test(values.out)) throw new UsageError(`tax: --out wants a file ending in .csv or .pdf, got "${values.out}"`)
  const query = {
    jurisdiction: values.jurisdiction.trim().toLowerCase(),
    year: Number(values.year.trim()),
    ...(values.method !== undefined ? { method: values.method.trim().toLowerCase() } : {}),
    ...(values.pooling !== undefined ? { pooling: values.pooling.trim().toLowerCase() } : {}),
    ...(values.zone !== undefined ? { timeZone: values.zone.trim() } : {}),
    ...(values.account !== undefined ? { account: values.account.trim() } : {}),
  }
  // The contract's own checks, worded for the command line (--zone is the contract's timeZone).
  const checked = taxReportInputSchema.safeParse(query)
  if (!checked.success) throw new UsageError(`tax: ${formatIssues(checked.error).replace(/\btimeZone\b/g, '--zone').replace(/\b(jurisdiction|year|method|pooling|account)\b:/g, '--$1:')}`)
  return { query, out: values.out, dataDir: values['data-dir'], json: values.json }
}

/**
 * One report for both the summary and the file (the CLI computes on its own thread: nothing else waits
 * on it). The JSON carries every line, not the contract's capped list.
 */
export async function runTax(args: ParsedTaxArgs, db: LedgerDb, now: number): Promise<{ report: TaxReport; written: string | null }> {
  const target = args.out === undefined ? undefined : path.resolve(args.out)
  if (target) checkTarget('tax', target)
  // A mistyped account would print an empty year as if it were one: refused, as a usage error (exit 2).
  const unknown = unknownAccount(db, args.query.account)
  if (unknown !== null) throw new UsageError(`tax: --account ${unknown}`)
  const built = buildUserTaxReport(db, taxReportInputSchema.parse(args.query), now)
  const lines = built.allLines()
  const report = { ...built.report, lines, income: { ...built.report.income, lines: built.incomeLines } }
  if (target === undefined) return { report, written: null }
  const file = await taxFile(built.report, lines, target.toLowerCase().endsWith('.pdf') ? 'pdf' : 'csv', built.incomeLines)
  writeNewFile('tax', target, file.encoding === 'base64' ? Buffer.from(file.data, 'base64') : file.data)
  return { report, written: target }
}

export function formatTax({ report: r, written }: { report: TaxReport; written: string | null }): string {
  const s = r.summary
  const ccy = r.currency
  const sums = (label: string, x: { disposals: number; proceeds: string; cost: string; gain: string }) =>
    `  ${label.padEnd(11)} ${String(x.disposals).padStart(5)} ${x.disposals === 1 ? 'disposal ' : 'disposals'}  proceeds ${x.proceeds}  cost ${x.cost}  gain ${x.gain}`
  const paper = r.paperAccount ? ' — a paper account: practice, not for a tax return' : ''
  const out = [`Capital gains ${r.yearLabel} (${r.jurisdiction.toUpperCase()}, ${METHOD_NAMES[r.method]} ${POOLING_NAMES[r.pooling]}, ${ccy}, ${r.timeZone})${r.account ? ` for ${r.account}${paper}` : ''}`]
  // Left out of a report over all accounts: said where it is read first, so their absence is no surprise.
  if (r.paperLeftOut.length > 0) out.push(`${paperLeftOutText(r.paperLeftOut)}: name one with --account to see it alone`)
  out.push('')
  out.push(sums('all', s.all))
  if (s.short) out.push(sums('short term', s.short))
  const de = r.jurisdiction === 'de'
  // Germany: sales held over a year are tax-free; gains, losses and net are the private sales'.
  if (s.long) out.push(sums(de ? 'over a year (tax-free)' : 'long term', s.long))
  out.push(`  ${de ? 'private sales (held up to one year): ' : ''}gains ${s.gains}  losses ${s.losses}  net ${s.net}`)
  if (s.allowance) out.push(`  ${s.allowance.label}: ${s.allowance.amount}`)
  if (s.carriedIn) out.push(`  losses brought in: ${s.carriedIn.total}`)
  if (s.deductible !== null && s.deductible !== '0.00') out.push(`  offsets other income: ${s.deductible}`)
  if (s.carriedOut) out.push(`  losses carried to the next year: ${s.carriedOut.total}`)
  out.push(`  taxable gain: ${s.taxable} ${ccy}`, '')
  if (r.income.count > 0) {
    out.push(`Income ${r.yearLabel}: ${r.income.count} received, ${r.income.total} ${ccy}${r.income.allowance ? ` (${r.income.allowance.label}: ${r.income.allowance.amount})` : ''}; taxable income: ${r.income.taxable} ${ccy}`, '')
  }
  if (s.incomplete) out.push(`warning: ${s.incomplete}`)
  for (const n of [...s.notes, ...r.income.notes]) out.push(`note: ${n}`)
  // From when (the first occurrence, in the report's zone) and how often: the entries to look up.
  const day = (t: number) => isoDay(dayOf(t, r.timeZone))
  for (const w of r.warnings) out.push(`warning: ${w.account} ${w.asset}: ${w.message} (from ${day(w.timestamp)}${w.count ? `, ${counted(w.count, 'time')}` : ''})`)
  if (written) out.push('', `wrote ${written} (${counted(r.lineCount, 'line')})`)
  return `${out.join('\n')}\n`
}
