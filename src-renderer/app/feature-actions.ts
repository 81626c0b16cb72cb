import { registerAction } from './hotkeys/registry'
import { accountActions } from '../features/accounts/accountActions'
import { marketActions } from '../features/markets/marketBrowser'
import { balanceActions, registerSimResetAction } from '../features/balances/balanceActions'
import { traderActions } from '../features/traders/traderActions'
import { leaderboardActions } from '../features/leaderboard/leaderboardActions'
import { tradeActions } from '../features/trade/tradeActions'
import { tradingActions } from '../features/trading/tradingActions'
import { portfolioActions } from '../features/portfolio/portfolioActions'
import { copyActions } from '../features/copy/copyActions'
import { alertActions } from '../features/alerts/alertActions'
import { taxActions } from '../features/tax/taxActions'
import { lockActions } from '../features/lock/lockActions'
import { auditActions } from '../features/audit/auditActions'

/** The features' app-wide actions (palette and keys); returns the function that removes them. */
export function registerFeatureActions(): () => void {
  const offs = [...accountActions(), ...marketActions(), ...balanceActions(), ...traderActions(), ...leaderboardActions(), ...tradeActions(), ...tradingActions(), ...portfolioActions(), ...copyActions(), ...alertActions(), ...taxActions(), ...lockActions(), ...auditActions()].map(registerAction)
  offs.push(registerSimResetAction())
  return () => offs.forEach((off) => off())
}
