import Decimal from 'decimal.js'
import type { BalancesView, VenueBalances } from '../api/schemas/venues'

/**
 * Each asset summed over the accounts and valued in USDT, and the total value. An account that cannot
 * price an asset leaves only its own amount out (notValued, and the asset named in unvalued): the euros
 * another account values still count.
 */
export function totalBalances(venues: VenueBalances[]): Pick<BalancesView, 'totals' | 'totalValue' | 'unvalued'> {
  const totals = new Map<string, { total: Decimal; value: Decimal | null; notValued: Decimal }>()
  for (const vb of venues) {
    for (const b of vb.balances) {
      const t = totals.get(b.asset) ?? { total: new Decimal(0), value: null, notValued: new Decimal(0) }
      t.total = t.total.plus(b.total)
      if (b.value === null) t.notValued = t.notValued.plus(b.total)
      else t.value = (t.value ?? new Decimal(0)).plus(b.value)
      totals.set(b.asset, t)
    }
  }
  let totalValue = new Decimal(0)
  const unvalued: string[] = []
  const rows = [...totals.entries()].map(([asset, t]) => {
    if (!t.notValued.isZero()) unvalued.push(asset)
    if (t.value !== null) totalValue = totalValue.plus(t.value)
    return { asset, total: t.total.toFixed(), value: t.value === null ? null : t.value.toFixed(), notValued: t.notValued.toFixed() }
  })
  rows.sort((a, b) => new Decimal(b.value ?? -1).cmp(a.value ?? -1) || a.asset.localeCompare(b.asset))
  return { totals: rows, totalValue: totalValue.toFixed(), unvalued: unvalued.sort() }
}
