import type { TaxWarning } from '../api/schemas/tax'
import type { LedgerWarning } from '../portfolio/model'

/** The book's warnings met one by one, grouped as it groups them (kind, account, asset): the first, and how many. */
export class WarningGroups {
  private readonly groups = new Map<string, TaxWarning>()

  add(w: LedgerWarning): void {
    const key = `${w.kind}\u0000${w.account}\u0000${w.asset}`
    const g = this.groups.get(key)
    if (g) g.count = (g.count ?? 1) + 1
    else this.groups.set(key, { kind: w.kind, account: w.account, asset: w.asset, timestamp: w.timestamp, message: w.message })
  }

  list(): TaxWarning[] {
    return [...this.groups.values()]
  }
}
