// DOM ids the Portfolio page's actions focus (keys and palette reach these elements).
export const PORTFOLIO_PAGE = 'portfolio'

export const PORTFOLIO_IDS = {
  period: 'portfolio-period',
  account: 'portfolio-account',
  positions: 'portfolio-positions',
  accounts: 'portfolio-accounts',
  ledger: 'portfolio-ledger',
  warnings: 'portfolio-warnings',
  chart: 'portfolio-equity',
} as const
