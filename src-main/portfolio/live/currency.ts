import type { ReportingCurrency } from '../../api/schemas/portfolio'
import { DEFAULT_EQUIVALENTS } from '../prices'

// Reporting currencies of the P&L view. USD, USDT (and USDC, BUSD) are one currency here: each is worth 1
// of the others. EUR and GBP are valued through market prices — a EUR/USDT or GBP/USDT price (or the
// inverse, USDT/EUR) from the stored marks and live books; the ledger is replayed in that currency (cost
// basis and realized P&L at the rate of each trade's time).

/** The name the ledger values in, and the dollar equivalents that count as 1 of it. */
export function ledgerCurrency(currency: ReportingCurrency): { reporting: string; equivalents: readonly string[] } {
  return { reporting: currency, equivalents: DEFAULT_EQUIVALENTS }
}

/** True when the currency is priced through market rates (a missing rate leaves everything unpriced). */
export function needsRate(currency: ReportingCurrency): boolean {
  return !DEFAULT_EQUIVALENTS.includes(currency)
}
