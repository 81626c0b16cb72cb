import type { TaxWarning } from '../api/schemas/tax'
import type { LedgerWarning } from '../portfolio/model'
import type { KeepWarning } from './disposals'

/**
 * The book's warnings met one by one, grouped as it groups them (kind, account, asset): the first, and how
 * many. Each is kept as met, so that a report can group only those it keeps (`keep`).
 */
export class WarningGroups {
  private readonly raw: LedgerWarning[] = []

  add(w: LedgerWarning): void {
    this.raw.push(w)
  }

  list(keep: KeepWarning = () => true): TaxWarning[] {
    const groups = new Map<string, TaxWarning>()
    for (const w of this.raw) {
      if (!keep(w)) continue
      const key = `${w.kind}\u0000${w.account}\u0000${w.asset}`
      const g = groups.get(key)
      if (g) g.count = (g.count ?? 1) + 1
      else groups.set(key, { kind: w.kind, account: w.account, asset: w.asset, timestamp: w.timestamp, message: w.message })
    }
    return [...groups.values()]
  }
}
