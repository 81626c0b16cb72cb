import { AppError } from '../api/errors'
import type { RatesImportResult } from '../api/schemas/portfolio'
import { parseRates } from './import/rates'
import type { PortfolioService } from './service'

/** The corrected rates named in the answer (and the audit log); `changed` counts them all. */
const MAX_CHANGES_LISTED = 20

/** A rates file into the price marks (the contract's portfolio.importRates and the CLI's `rates`): all or nothing. */
export function importRatesFile(portfolio: Pick<PortfolioService, 'importMarks'>, fileName: string, text: string): RatesImportResult {
  let parsed
  try {
    parsed = parseRates(text)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    throw new AppError(err instanceof AppError ? err.code : 'BAD_INPUT', `${fileName}: ${message}; nothing was imported`)
  }
  const marks = [...parsed.marks].sort((a, b) => a.at - b.at)
  const { inserted, changes } = marks.length > 0 ? portfolio.importMarks(marks) : { inserted: 0, changes: [] }
  return {
    format: parsed.format,
    rows: parsed.rows,
    rates: marks.length,
    inserted,
    changed: changes.length,
    changes: changes.slice(0, MAX_CHANGES_LISTED),
    pairs: [...new Set(marks.map((m) => `${m.asset}/${m.quote}`))].sort(),
    from: marks[0]?.at ?? null,
    to: marks.at(-1)?.at ?? null,
  }
}
