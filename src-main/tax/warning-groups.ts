import type { TaxWarning } from '../api/schemas/tax'
import type { LedgerWarning } from '../portfolio/model'
import type { KeepWarning } from './disposals'

/**
 * The book's warnings met one by one, grouped as it groups them (kind, account, asset): the first, and how
 * many. With `each`, each is kept as met, so that a report can group only those it keeps (`keep`);
 * without, they are grouped as they come (a ledger can raise one for every trade).
 */
export class WarningGroups {
  private readonly raw: LedgerWarning[] | null
  private readonly groups = new Map<string, TaxWarning>()

  constructor(options: { each?: boolean } = {}) {
    this.raw = options.each ? [] : null
  }

  add(w: LedgerWarning): void {
    if (this.raw) this.raw.push(w)
    else group(this.groups, w)
  }

  /** The warnings `keep` keeps (all by default; choosing needs `each`), grouped. */
  list(keep?: KeepWarning): TaxWarning[] {
    if (!this.raw) {
      if (keep !== undefined) throw new Error('WarningGroups: choosing among warnings needs them kept each (each: true)')
      return [...this.groups.values()]
    }
    const groups = new Map<string, TaxWarning>()
    for (const w of this.raw) if (keep === undefined || keep(w)) group(groups, w)
    return [...groups.values()]
  }
}

function group(groups: Map<string, TaxWarning>, w: LedgerWarning): void {
  const key = `${w.kind}\u0000${w.account}\u0000${w.asset}`
  const g = groups.get(key)
  if (g) g.count = (g.count ?? 1) + 1
  else groups.set(key, { kind: w.kind, account: w.account, asset: w.asset, timestamp: w.timestamp, message: w.message })
}
