import fs from 'node:fs'
import path from 'node:path'
import type { RatesImportResult } from '../api/schemas/portfolio'
import { describeRateChanges } from '../portfolio/rate-changes'
import { importRatesFile } from '../portfolio/rates-import'
import type { LedgerContext } from './ledger-context'
import { parseCommand, UsageError } from './usage'

// `rates FILE`: daily exchange rates (date,base,quote,rate; the ECB's eurofxref-hist.csv; the Bank of
// England's XUDLUSS export) into the price marks, for P&L and tax in EUR or GBP.

export interface ParsedRatesArgs {
  file: string
  dataDir: string | undefined
  json: boolean
}

export function ratesArgs(args: string[]): ParsedRatesArgs {
  const { values, positionals } = parseCommand('rates', args, {})
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'rates: FILE is required' : `rates: one FILE only, got "${positionals[1]}" too`)
  return { file: positionals[0] as string, dataDir: values['data-dir'], json: values.json }
}

export function runRates(args: ParsedRatesArgs, ledger: LedgerContext): RatesImportResult {
  let text: string
  try {
    text = fs.readFileSync(args.file, 'utf8')
  } catch (err) {
    throw new Error(`cannot read ${args.file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  return importRatesFile(ledger.portfolio, path.basename(args.file), text)
}

export function formatRates(r: RatesImportResult): string {
  const day = (t: number | null) => (t === null ? '-' : new Date(t).toISOString().slice(0, 10))
  return `Imported ${r.rates} daily rates (${r.format}; ${r.pairs.join(', ') || 'no pair'}) from ${day(r.from)} to ${day(r.to)}: ${r.inserted} new, ${r.changed > 0 ? `${describeRateChanges(r)}, ` : ''}${r.rates - r.inserted - r.changed} already stored (${r.rows} rows read)\n`
}

