// The portfolio module's vocabulary: what enters the ledger (fills, deposits, withdrawals — from a venue's
// history, a CSV export, or the app's own orders) and what comes out (lots, positions, P&L). Money is
// decimal strings; timestamps integer ms UTC. Shared by the ledger, the importers, the CLI and (later)
// tax reporting, so a field added here must stay backward compatible.

export type LedgerSource = 'venue' | 'csv' | 'app'
export type CostMethod = 'fifo' | 'average'

/** One fact for the ledger. A trade moves `amount` of `base` against `amount × price` (or its stated total) of `quote`. */
export type LedgerEntryInput = LedgerTradeInput | LedgerTransferInput

export interface LedgerTradeInput {
  kind: 'trade'
  /** Ledger account: a venue id ('sim', an exchange account id, 'paper:1') or a name given at import. */
  account: string
  timestamp: number
  symbol: string
  base: string
  quote: string
  side: 'buy' | 'sell'
  price: string
  amount: string
  /**
   * The quote amount exactly, when the source states both sides and `amount × price` would not give it
   * (a conversion: 0.3 ETH for 1,000 USDC has no finite price). The trade then moves this much quote, and
   * `price` (rounded) is only the rate shown and observed. Absent or null: amount × price.
   */
  total?: string | null
  /** Fee in any asset: the quote, the base, or a third asset (e.g. BNB); null when none. */
  fee: { asset: string; amount: string } | null
  source: LedgerSource
  /** The venue's trade id when known (dedup key with the account); null for files without one. */
  externalId: string | null
  /** What the source called it (a Coinbase report's type and ID); descriptive only, not part of the dedup key. */
  memo?: string | null
  /** See LedgerTransferInput.formerExternalId. */
  formerExternalId?: string | null
}

/**
 * Money moving in or out of an account. 'income' is an asset received as earnings (staking and other
 * rewards, interest, airdrops): it arrives like a deposit, but at its value then it is profit, not money
 * put in (realized P&L of that asset; a tax report's income).
 */
export interface LedgerTransferInput {
  kind: 'deposit' | 'withdrawal' | 'income'
  account: string
  timestamp: number
  asset: string
  amount: string
  fee: { asset: string; amount: string } | null
  source: LedgerSource
  externalId: string | null
  /**
   * What the source called it ("ETH 2.0 Staking", "Simple Earn Flexible Interest", "airdrop"), at most 120
   * characters; shown with income in tax reports. Descriptive only: not part of the dedup key.
   */
  memo?: string | null
  /**
   * The external id earlier versions stored this row under (a Coinbase report's ID, now deduplicated by
   * content): a stored row of the account with that id is this row, so it is not added again.
   */
  formerExternalId?: string | null
  /**
   * How earlier versions booked this row, when it differed (a Coinbase Send's network fee was a payment in
   * the quote currency): a stored row of the account with the content hash of that booking is this row, so
   * it is not added again. The stored row is left as it was; removing its import and importing again books
   * the row anew.
   */
  formerBooking?: { amount: string; fee: { asset: string; amount: string } | null } | null
}

/** An open lot: what is still held from one acquisition, and what it cost (fees included). */
export interface Lot {
  account: string
  asset: string
  acquiredAt: number
  amount: string
  cost: string
  /** Cost currency (the reporting currency the ledger values in). */
  costAsset: string
}

export interface PositionPnl {
  account: string
  asset: string
  amount: string
  /** Remaining cost of the open lots. */
  costBasis: string
  averageCost: string | null
  price: string | null
  value: string | null
  realized: string
  unrealized: string | null
  /** Sells beyond the known holdings: their cost basis is missing (warned, counted at zero cost). */
  missingCostBasis: string
  /** Realized P&L from the period's start on (computePortfolio's `since`); absent when no period was asked. */
  realizedInPeriod?: string
}

/** A problem with the data that does not stop the computation (shown to the user). */
export interface LedgerWarning {
  kind: 'missing-cost-basis' | 'unpriced-fee' | 'unpriced-asset' | 'unpriced-income' | 'stale-price'
  account: string
  asset: string
  timestamp: number
  message: string
  /** How many times it happened for this account and asset (warnings are grouped); absent = once. */
  count?: number
  /** The amount concerned in total (e.g. the units sold beyond the holdings), when there is one. */
  amount?: string
  /** When it last happened (grouped: `timestamp` is the first); absent = at `timestamp`. */
  lastAt?: number
  /** About coins received at zero cost (a deposit or income with no price): a lot, there while they are held. */
  zeroCostLot?: boolean
}
