import type { ReactNode } from 'react'
import { WorkspacePage } from '../features/workspace/WorkspacePage'
import { SettingsPage } from '../features/settings/SettingsPage'
import { AccountsPage } from '../features/accounts/AccountsPage'
import { MarketsPage } from '../features/markets/MarketsPage'
import { BalancesPage } from '../features/balances/BalancesPage'
import { TradersPage } from '../features/traders/TradersPage'
import { TradePage } from '../features/trade/TradePage'
import { OrdersPage } from '../features/trading/OrdersPage'
import { PortfolioPage } from '../features/portfolio/PortfolioPage'
import { CopyPage } from '../features/copy/CopyPage'
import { AlertsPage } from '../features/alerts/AlertsPage'
import { TaxPage } from '../features/tax/TaxPage'
import { LeaderboardPage } from '../features/leaderboard/LeaderboardPage'
import { AuditPage } from '../features/audit/AuditPage'

// The pages of the app, in sidebar order. A feature adds a page by adding an entry here; the sidebar,
// the router and the "Go to …" actions all follow.
export interface PageDef {
  id: string
  title: string
  /** Two-letter mark shown in the sidebar. */
  mark: string
  keys: string[]
  render: () => ReactNode
}

export const pages: readonly PageDef[] = [
  { id: 'workspace', title: 'Workspace', mark: 'WS', keys: ['Mod+1'], render: () => <WorkspacePage /> },
  { id: 'accounts', title: 'Accounts', mark: 'AC', keys: ['Mod+2'], render: () => <AccountsPage /> },
  { id: 'markets', title: 'Markets', mark: 'MK', keys: ['Mod+3'], render: () => <MarketsPage /> },
  { id: 'balances', title: 'Balances', mark: 'BL', keys: ['Mod+4'], render: () => <BalancesPage /> },
  { id: 'traders', title: 'Traders', mark: 'TR', keys: ['Mod+5'], render: () => <TradersPage /> },
  { id: 'trade', title: 'Trade', mark: 'TD', keys: ['Mod+6'], render: () => <TradePage /> },
  { id: 'orders', title: 'Orders', mark: 'OR', keys: ['Mod+7'], render: () => <OrdersPage /> },
  { id: 'portfolio', title: 'Portfolio', mark: 'PF', keys: ['Mod+8'], render: () => <PortfolioPage /> },
  { id: 'copy', title: 'Copy trading', mark: 'CP', keys: ['Mod+9'], render: () => <CopyPage /> },
  { id: 'alerts', title: 'Alerts', mark: 'AL', keys: ['Mod+0'], render: () => <AlertsPage /> },
  { id: 'leaderboard', title: 'Leaderboard', mark: 'LB', keys: ['Mod+Shift+L'], render: () => <LeaderboardPage /> },
  { id: 'tax', title: 'Tax', mark: 'TX', keys: ['Mod+Shift+G'], render: () => <TaxPage /> },
  { id: 'audit', title: 'Audit log', mark: 'AU', keys: ['Mod+Shift+E'], render: () => <AuditPage /> },
  { id: 'settings', title: 'Settings', mark: 'ST', keys: ['Mod+,'], render: () => <SettingsPage /> },
]

export const pageById = (id: string): PageDef => pages.find((p) => p.id === id) ?? pages[0]!
