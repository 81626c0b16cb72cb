import type { PortfolioQuery, PortfolioScope } from '../../api/schemas/portfolio'
import { isSimTraderAccount } from '../sim-feed'

// Which ledger accounts a portfolio view sums. One account when the query names it; otherwise a scope:
// the user's own accounts by default, because the simulated exchange's traders keep books in the same
// ledger (their P&L is shown for copy trading) and their money is not the user's.

export interface AccountSelection {
  /** The one account shown, or null. */
  account: string | null
  /** The scope summed when no account is named (null when one is). */
  scope: PortfolioScope | null
  includes(account: string): boolean
}

export function selectAccounts(query: Pick<PortfolioQuery, 'account' | 'scope'>): AccountSelection {
  const only = query.account ?? null
  if (only !== null) return { account: only, scope: null, includes: (a) => a === only }
  const scope = query.scope ?? 'mine'
  const includes = scope === 'all' ? () => true : scope === 'traders' ? isSimTraderAccount : (a: string) => !isSimTraderAccount(a)
  return { account: null, scope, includes }
}
