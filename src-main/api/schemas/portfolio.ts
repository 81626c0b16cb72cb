import { z } from 'zod'
import { decimalStringSchema } from './venues'

// Portfolio: the ledger's view for screens — positions, realized and unrealized P&L, equity history and
// allocation, valued in the reporting currency; history sync from exchanges and CSV import. Money travels as
// decimal strings (exact, from the engine); only chart points are plain numbers (drawing, not accounting).

const account = z.string().min(1).max(100)
const nullableDecimal = decimalStringSchema.nullable()

/** Period filters of the P&L view: "realized in period", "% change" and the equity chart's span. */
export const portfolioPeriods = ['24h', '7d', '30d', 'year', 'all'] as const
export const portfolioPeriodSchema = z.enum(portfolioPeriods)
export const costMethodSchema = z.enum(['fifo', 'average'])
/** Reporting currencies; USD and USDT are priced through the equivalence USD ≈ USDT ≈ USDC, EUR and GBP via market prices. */
export const reportingCurrencies = ['USD', 'USDT', 'EUR', 'GBP'] as const
export const reportingCurrencySchema = z.enum(reportingCurrencies)

/**
 * Which accounts a view sums when no single account is asked for: the user's own ('mine': exchange, paper and
 * imported accounts), the simulated exchange's traders ('traders': their books, not the user's money), or both.
 */
export const portfolioScopes = ['mine', 'traders', 'all'] as const
export const portfolioScopeSchema = z.enum(portfolioScopes)

/** What to value: one ledger account, or a scope (default: the user's own accounts); period; cost method and currency default to the settings. */
export const portfolioQuerySchema = z
  .object({
    account: account.optional(),
    scope: portfolioScopeSchema.optional(),
    period: portfolioPeriodSchema.default('24h'),
    method: costMethodSchema.optional(),
    currency: reportingCurrencySchema.optional(),
  })
  .strict()
  .refine((q) => q.account === undefined || q.scope === undefined, { message: 'Ask for one account or for a scope, not both', path: ['scope'] })

export const portfolioWarningSchema = z.object({
  kind: z.enum(['missing-cost-basis', 'unpriced-fee', 'unpriced-asset', 'unpriced-income', 'stale-price']),
  account: z.string(),
  asset: z.string(),
  timestamp: z.number().int(),
  message: z.string(),
  count: z.number().int().optional(),
  amount: decimalStringSchema.optional(),
  /** When it last happened (grouped: timestamp is the first). */
  lastAt: z.number().int().optional(),
  /** About coins received at zero cost (a deposit or income with no price), there while they are held. */
  zeroCostLot: z.boolean().optional(),
})

export const positionViewSchema = z.object({
  account: z.string(),
  asset: z.string(),
  amount: decimalStringSchema,
  costBasis: decimalStringSchema,
  averageCost: nullableDecimal,
  /** Live price in the reporting currency; null when none is known (then value and unrealized are null too). */
  price: nullableDecimal,
  value: nullableDecimal,
  unrealized: nullableDecimal,
  realized: decimalStringSchema,
  realizedInPeriod: decimalStringSchema,
  /** Price change over the period, in % (null when no price at the period's start is stored). */
  changePct: nullableDecimal,
  missingCostBasis: decimalStringSchema,
})

/**
 * One asset across the shown accounts: the positions' sums (average cost = cost ÷ amount). Value and
 * unrealized sum the priced holdings only (null when none is priced); price is theirs (value ÷ priced amount).
 */
export const assetPnlViewSchema = positionViewSchema.omit({ account: true }).extend({
  /** How many accounts hold or held it in this view. */
  accounts: z.number().int(),
  /** The part of `amount` held where it has no price: not in value, unrealized, the totals or the allocation. */
  unpricedAmount: decimalStringSchema,
})

export const accountPnlViewSchema = z.object({
  account: z.string(),
  /** "Simulated exchange", an exchange account's label, "Trader: Grid Gus", an import name. */
  label: z.string(),
  value: decimalStringSchema,
  costBasis: decimalStringSchema,
  realized: decimalStringSchema,
  realizedInPeriod: decimalStringSchema,
  unrealized: decimalStringSchema,
})

export const portfolioTotalsSchema = z.object({
  value: decimalStringSchema,
  costBasis: decimalStringSchema,
  realized: decimalStringSchema,
  realizedInPeriod: decimalStringSchema,
  unrealized: decimalStringSchema,
  /** Equity change over the period in the currency, and in % of equity at the period's start (null if it was 0). */
  change: decimalStringSchema,
  changePct: nullableDecimal,
  /** Net deposits (deposits − withdrawals, valued when they happened) inside the period. */
  netDeposits: decimalStringSchema,
  /**
   * P&L over the period: the change less the net deposits; in % of equity at the start plus the net
   * deposits (null when that is not positive).
   */
  pnl: decimalStringSchema,
  pnlPct: nullableDecimal,
})

export const allocationSliceSchema = z.object({
  asset: z.string(),
  value: decimalStringSchema,
  /** Share of the total value in % (two decimals). */
  share: decimalStringSchema,
})

export const portfolioViewSchema = z.object({
  at: z.number().int(),
  account: z.string().nullable(),
  /** The accounts summed when `account` is null; null when one account is shown. */
  scope: portfolioScopeSchema.nullable(),
  period: portfolioPeriodSchema,
  periodStart: z.number().int().nullable(),
  method: costMethodSchema,
  currency: reportingCurrencySchema,
  totals: portfolioTotalsSchema,
  accounts: z.array(accountPnlViewSchema),
  /** Per account and asset. */
  positions: z.array(positionViewSchema),
  /** Per asset, summed over the accounts shown. */
  assets: z.array(assetPnlViewSchema),
  allocation: z.array(allocationSliceSchema),
  warnings: z.array(portfolioWarningSchema),
})

/** Equity curve: daily points over the period, finer points (hour / 5 min) for the last day or two. */
export const equityPointSchema = z.object({
  time: z.number().int(),
  value: z.number(),
  /** Cumulative net deposits up to this point (so the chart can show gains apart from money moved in). */
  netDeposits: z.number(),
  /** Cumulative money put in up to this point, withdrawals not taken off (the capital of a step that ends emptied). */
  deposited: z.number(),
})

export const equityViewSchema = z.object({
  account: z.string().nullable(),
  scope: portfolioScopeSchema.nullable(),
  period: portfolioPeriodSchema,
  currency: reportingCurrencySchema,
  /** 'day' for daily points, 'hour' / '5m' when the whole period is intraday. */
  resolution: z.enum(['5m', 'hour', 'day']),
  points: z.array(equityPointSchema),
})

/** One open lot: what is still held from one acquisition (FIFO), or the pooled position (average cost). */
export const lotViewSchema = z.object({
  account: z.string(),
  asset: z.string(),
  acquiredAt: z.number().int(),
  amount: decimalStringSchema,
  /** Cost of what is left of the lot, fees included, in the reporting currency. */
  cost: decimalStringSchema,
  unitCost: decimalStringSchema,
  currency: reportingCurrencySchema,
})

export const lotsQuerySchema = z
  .object({
    account: account,
    asset: z.string().min(1).max(40),
    method: costMethodSchema.optional(),
    currency: reportingCurrencySchema.optional(),
  })
  .strict()

export const syncStates = ['idle', 'running', 'done', 'failed', 'interrupted'] as const
/** One account's history sync from its exchange: where it is, how far, and where it resumes. */
export const syncStatusSchema = z.object({
  account: z.string(),
  state: z.enum(syncStates),
  phase: z.enum(['markets', 'trades', 'deposits', 'withdrawals', 'conversions', 'purchases', 'rewards', 'done']).nullable(),
  /** Steps done / total for the progress bar (time windows of each history, then markets × pages). */
  done: z.number().int(),
  total: z.number().int(),
  fetched: z.number().int(),
  inserted: z.number().int(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  /** The last completed sync: the next one fetches only what came after. */
  lastSyncedAt: z.number().int().nullable(),
  error: z.string().nullable(),
  /** Where the account's history starts for the sync (chosen at its first sync); null: everything the exchange keeps. */
  historyFrom: z.number().int().nullable(),
  /** What the run did not read, by reason (a token swap in the reward record is no income), counted. */
  skipped: z.record(z.string(), z.number().int()),
})

export const ledgerAccountViewSchema = z.object({
  account: z.string(),
  label: z.string(),
  kind: z.enum(['exchange', 'paper', 'sim', 'trader', 'import']),
  entries: z.number().int(),
  firstAt: z.number().int().nullable(),
  lastAt: z.number().int().nullable(),
  /** Only exchange accounts sync from their venue. */
  canSync: z.boolean(),
  sync: syncStatusSchema.nullable(),
  /** Where a first sync reads from when no day is chosen (the exchange's history start); null: no sync. */
  historyStart: z.number().int().nullable(),
})

export const importFormats = ['binance', 'coinbase', 'kraken', 'generic'] as const
export const importResultSchema = z.object({
  account: z.string(),
  format: z.enum(importFormats),
  /** Which of the format's exports the file is, e.g. "trade history" or "ledgers". */
  layout: z.string(),
  rows: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int(),
  /** Rows not read, by reason (a kind the ledger does not hold, or one read from another export). */
  skipped: z.record(z.string(), z.number().int()),
})

export const entryKinds = ['trade', 'deposit', 'withdrawal', 'income'] as const
/** One stored ledger entry, as it is in the ledger (portfolio/entries.ts). */
export const ledgerEntryViewSchema = z.object({
  id: z.number().int(),
  kind: z.enum(entryKinds),
  timestamp: z.number().int(),
  symbol: z.string().nullable(),
  base: z.string(),
  quote: z.string().nullable(),
  side: z.enum(['buy', 'sell']).nullable(),
  price: nullableDecimal,
  amount: decimalStringSchema,
  total: nullableDecimal,
  /** What a trade moved of its quote (its stated total, else amount × price, exact); null for transfers. */
  quoteAmount: nullableDecimal,
  fee: z.object({ asset: z.string(), amount: decimalStringSchema }).nullable(),
  source: z.enum(['venue', 'csv', 'app']),
  externalId: z.string().nullable(),
  memo: z.string().nullable(),
  importId: z.number().int().nullable(),
})

/** A file (or sync) that added entries to a ledger account. */
export const importRecordSchema = z.object({
  id: z.number().int(),
  account: z.string(),
  format: z.string(),
  fileName: z.string().nullable(),
  rows: z.number().int(),
  inserted: z.number().int(),
  at: z.number().int(),
})

export const ratesImportResultSchema = z.object({
  format: z.enum(['rates', 'ecb', 'boe']),
  /** Data rows read, and the daily rates among them (an ECB "N/A" day has none). */
  rows: z.number().int(),
  rates: z.number().int(),
  /** How many were new, and how many replaced a different rate stored for that pair and day. */
  inserted: z.number().int(),
  changed: z.number().int(),
  /** The replaced rates (the first 20): pair, day (ms, UTC), the stored rate and the file's. */
  changes: z.array(z.object({ pair: z.string(), at: z.number().int(), from: z.string(), to: z.string() })),
  /** The pairs the file holds, as BASE/QUOTE, and the days it spans (ms, UTC; null when it held none). */
  pairs: z.array(z.string()),
  from: z.number().int().nullable(),
  to: z.number().int().nullable(),
})

export const portfolioCommands = {
  'portfolio.summary': { input: portfolioQuerySchema, output: portfolioViewSchema },
  'portfolio.equity': { input: portfolioQuerySchema, output: equityViewSchema },
  /** The open lots of one position, oldest first. */
  'portfolio.lots': { input: lotsQuerySchema, output: z.array(lotViewSchema) },
  'portfolio.accounts': { input: z.object({}).strict(), output: z.array(ledgerAccountViewSchema) },
  /** Starts (or resumes) syncing an exchange account's history; returns at once, progress on portfolio.sync. */
  'portfolio.sync': {
    input: z
      .object({
        account,
        /**
         * Markets to read besides those found automatically (both assets held now, or ever in the ledger —
         * deposits, withdrawals, earlier fills — and the markets synced before), e.g. ["SOL/USDT"].
         */
        markets: z.array(z.string().regex(/^[A-Za-z0-9]{1,20}[/_-][A-Za-z0-9]{1,20}$/, 'a market like "SOL/USDT"')).max(500).optional(),
        /**
         * Where a first sync starts (ms UTC) instead of the exchange's history start: an account opened in
         * 2023 needs no windows from 2017. Histories already synced go on from where they stopped; on an
         * account synced from a day, an earlier day reads every history again from there (the ledger keeps
         * each entry once), a later one (or any, once synced from the exchange's start) is BAD_INPUT.
         */
        since: z
          .number()
          .int()
          .min(Date.UTC(2009, 0, 3), 'a time after 2009-01-03 (ms UTC)')
          .refine((t) => t <= Date.now(), 'a time not in the future')
          .optional(),
      })
      .strict(),
    output: syncStatusSchema,
  },
  'portfolio.syncCancel': { input: z.object({ account }).strict(), output: syncStatusSchema },
  /** A trade-history export file's text; all rows or none (line-numbered error). */
  'portfolio.import': {
    input: z
      .object({
        account: account.regex(/^[\w .:@-]+$/, 'letters, digits, spaces and . : @ - only'),
        format: z.enum(importFormats),
        fileName: z.string().min(1).max(260),
        // The doors accept 15 MiB for this command (api/session.ts); larger files go through the CLI.
        text: z.string().min(1).max(15 * 1024 * 1024),
      })
      .strict(),
    output: importResultSchema,
  },
  /**
   * Before an import: the import accounts holding files of this format (not `account`), and how many of the
   * file's rows each already has, most first (then the newest). Reads only; a bad file is refused as by import.
   */
  'portfolio.importCheck': {
    input: z
      .object({
        account: account.optional(),
        format: z.enum(importFormats),
        fileName: z.string().min(1).max(260),
        text: z.string().min(1).max(15 * 1024 * 1024),
      })
      .strict(),
    output: z.array(z.object({ account: z.string(), rows: z.number().int(), sampled: z.number().int(), already: z.number().int() })),
  },
  /** The files imported into an account, newest first. */
  'portfolio.imports': { input: z.object({ account }).strict(), output: z.array(importRecordSchema) },
  /** An account's stored entries, newest first, a page at a time (`before`: the previous page's last one). */
  'portfolio.entries': {
    input: z
      .object({
        account,
        kind: z.enum(entryKinds).optional(),
        asset: z.string().regex(/^[A-Za-z0-9.]{1,20}$/, 'an asset code like "ETH"').optional(),
        before: z.object({ timestamp: z.number().int().nonnegative(), id: z.number().int().positive() }).strict().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({ entries: z.array(ledgerEntryViewSchema), more: z.boolean() }),
  },
  /**
   * Takes an imported file back out of the ledger: the entries it added, in one transaction. Refused for
   * the accounts the app keeps itself (an exchange's synced history, paper, simulated).
   */
  'portfolio.removeImport': {
    // `account`: the account the caller showed the import under; another account's import is refused.
    input: z.object({ id: z.number().int().positive(), account: z.string().min(1).max(200).optional() }).strict(),
    output: z.object({ account: z.string(), fileName: z.string().nullable(), removed: z.number().int() }),
  },
  /**
   * Daily exchange rates from a CSV file (date,base,quote,rate; the ECB's euro reference rates; the Bank of
   * England's XUDLUSS), stored as price marks: they value USD, USDT and USDC in EUR or GBP on each day.
   */
  'portfolio.importRates': {
    input: z.object({ fileName: z.string().min(1).max(260), text: z.string().min(1).max(15 * 1024 * 1024) }).strict(),
    output: ratesImportResultSchema,
  },
} as const

export const portfolioStreams = {
  /** The P&L view, recomputed as prices move and fills arrive, at most 4 times a second. */
  'portfolio.live': { params: portfolioQuerySchema, payload: portfolioViewSchema },
  /** Sync progress of every account, as it moves. */
  'portfolio.syncProgress': { params: z.object({}).strict(), payload: syncStatusSchema },
} as const

export type RatesImportResult = z.output<typeof ratesImportResultSchema>
export type PortfolioPeriod = z.output<typeof portfolioPeriodSchema>
export type ReportingCurrency = z.output<typeof reportingCurrencySchema>
export type PortfolioScope = z.output<typeof portfolioScopeSchema>
export type PortfolioQuery = z.output<typeof portfolioQuerySchema>
export type PortfolioView = z.output<typeof portfolioViewSchema>
export type PositionView = z.output<typeof positionViewSchema>
export type AccountPnlView = z.output<typeof accountPnlViewSchema>
export type AssetPnlView = z.output<typeof assetPnlViewSchema>
export type EquityView = z.output<typeof equityViewSchema>
export type EquityPoint = z.output<typeof equityPointSchema>
export type SyncStatus = z.output<typeof syncStatusSchema>
export type LotView = z.output<typeof lotViewSchema>
export type LotsQuery = z.output<typeof lotsQuerySchema>
export type LedgerAccountView = z.output<typeof ledgerAccountViewSchema>
export type ImportResultView = z.output<typeof importResultSchema>
export type ImportRecordView = z.output<typeof importRecordSchema>
export type LedgerEntryView = z.output<typeof ledgerEntryViewSchema>
