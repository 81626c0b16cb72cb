import Decimal from 'decimal.js'
import { z } from 'zod'
import { decimalStringSchema } from './venues'
import type { VALUATION_ASSET } from '../../venues/valuation'

// Copy trading: a follow relationship mirrors a leader's fills onto a follower account through the order
// manager (risk limits apply). Leaders are watched accounts: an exchange account (own, or a manager's
// read-only key), a paper account, or a simulated trader ("sim:trader:<id>"). Money is decimal strings.

const positiveDecimal = decimalStringSchema.refine((s) => !/^-/.test(s) && !/^0+(\.0+)?$/.test(s), 'must be greater than zero')
// Exact: 100.00000000000000001 is over 100, though it reads as 100 in floating point.
const percent = positiveDecimal.refine((s) => new Decimal(s).lte(100), 'must be at most 100 (%)')
const leaderId = z.string().min(1, 'choose a leader').max(100, 'a leader id of at most 100 characters')
const venueId = z.string().min(1, 'choose the follower account').max(100, 'an account id of at most 100 characters')
const symbol = z.string().max(40, 'a market such as BTC/USDT, at most 40 characters').regex(/^[A-Z0-9.\-_]+\/[A-Z0-9.\-_]+$/, 'a market such as BTC/USDT')
const markets = z.array(symbol).max(500, 'at most 500 markets')
/** A whole number in [min, max]; one sentence for every way it can be wrong (a string, a fraction, out of range). */
const wholeNumber = (min: number, max: number, message: string) => z.number({ error: message }).int(message).min(min, message).max(max, message)
const followId = z.string().min(1, 'give the relationship id').max(64, 'a relationship id of at most 64 characters')

/** How a copy is sized from the leader's fill. */
export const sizingSchema = z.discriminatedUnion('mode', [
  /** Leader amount × follower equity ÷ leader equity (both in the reporting currency at the fill's time). */
  z.object({ mode: z.literal('proportional') }).strict(),
  /** Leader amount × value; 0 or negative is refused. */
  z.object({ mode: z.literal('multiplier'), value: positiveDecimal }).strict(),
  /** This much per copied buy, in the valuation currency (USDT) whatever the market's quote, whatever the leader's size. */
  z.object({ mode: z.literal('fixed-quote'), value: positiveDecimal }).strict(),
])

export const symbolMapEntrySchema = z.object({ from: symbol, to: symbol }).strict()

export const priceGuardSchema = z
  .object({
    /** Worse than the leader's fill price by more than this (%) → the guard acts. */
    maxSlippagePct: positiveDecimal,
    /** skip: no copy; limit: a limit order at the leader's price ± the allowed slippage. */
    action: z.enum(['skip', 'limit']),
  })
  .strict()

export const followSettingsSchema = z
  .object({
    leaderId,
    followerVenueId: venueId,
    sizing: sizingSchema,
    /** % of the follower's equity this relationship may commit. */
    allocationPct: percent,
    /** Copies below the minimum are skipped, above the maximum are cut to it; valued in USDT (the valuation currency) whatever the follower market's quote. */
    minTradeQuote: positiveDecimal.nullable().default(null),
    maxTradeQuote: positiveDecimal.nullable().default(null),
    sides: z.enum(['both', 'buy', 'sell']).default('both'),
    /** Leader symbols; empty allow list = every market. Deny wins over allow. */
    allow: markets.default([]),
    deny: markets.default([]),
    /** Leader market → follower market, e.g. BTC/USDT → BTC/USDC on another exchange. */
    symbolMap: z.array(symbolMapEntrySchema).max(500, 'at most 500 entries').default([]),
    priceGuard: priceGuardSchema.nullable().default(null),
    maxOpenPositions: wholeNumber(1, 1000, 'must be a whole number from 1 to 1000 (empty: no limit)').nullable().default(null),
    /** Stop the relationship for the rest of the UTC day when its copies lost this much today (USDT, the valuation currency). */
    dailyLossStop: positiveDecimal.nullable().default(null),
    /** Stop the relationship when its copies lost this much in total (USDT, the valuation currency); copy.resume takes it up again once raised. */
    totalStopLoss: positiveDecimal.nullable().default(null),
    /** At start, buy into the leader's existing positions (sized like a copy) instead of waiting for new fills. */
    copyExisting: z.boolean().default(false),
    /** A leader fill older than this when seen (e.g. it happened while the app was down) is skipped as "too old". */
    maxAgeSec: wholeNumber(1, 86_400, 'must be a whole number of seconds from 1 to 86400').default(60),
  })
  .strict()

export const followStatusSchema = z.enum(['active', 'paused', 'stopped-daily', 'stopped'])

export const followViewSchema = z.object({
  id: z.string(),
  settings: followSettingsSchema,
  leaderLabel: z.string(),
  followerLabel: z.string(),
  status: followStatusSchema,
  /** Why it stopped (daily loss stop, total stop-loss, leader gone), in words. */
  statusReason: z.string().nullable(),
  /**
   * When it was unfollowed (or its account removed): over for good. Null while it lives — a relationship
   * stopped by its total stop-loss is not ended, and copy.resume takes it up again (once the loss is below
   * the stop-loss).
   */
  endedAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  copied: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** Realized + unrealized P&L of the copies, in the valuation currency (USDT). */
  pnl: decimalStringSchema,
})

/** One market of "unfollow and close positions": the market sell sent for what the copies hold, or why not. */
export const closeResultSchema = z.object({
  followerSymbol: z.string(),
  /** What the copies' fills hold there (base). */
  held: decimalStringSchema,
  /** The amount sent (held, or the account's free balance when less, rounded down to the market's step); null when nothing was sent. */
  amount: decimalStringSchema.nullable(),
  /** sent: the order manager took it (risk checks passed); refused: risk or the venue said no; dust: below the market's minimum. */
  outcome: z.enum(['sent', 'refused', 'dust']),
  /** The order's client id and status when sent. */
  clientOrderId: z.string().nullable(),
  orderStatus: z.string().nullable(),
  /** In words: what was sent and how it stands, the refusal, or the dust note. */
  message: z.string(),
})

export const unfollowResultSchema = followViewSchema.extend({
  /** Per market, when asked to close positions; empty otherwise. */
  closes: z.array(closeResultSchema),
})

export const copyRecordStatuses = ['pending', 'copied', 'partial', 'skipped', 'failed'] as const
/** The rule that skipped a copy (machine-readable; `reason` has the words). */
export const skipRules = [
  'paused',
  'stopped',
  'side',
  'deny-list',
  'not-allowed',
  'unmapped-market',
  'too-old',
  'below-min',
  'allocation',
  'max-positions',
  'price-guard',
  'no-position',
  'daily-loss',
  'total-loss',
  'risk',
  'market-rules',
  'no-equity',
  'same-order',
  'insufficient-balance',
  'leader-position',
] as const

export const copyRecordSchema = z.object({
  id: z.string(),
  followId: z.string(),
  leaderId: z.string(),
  leaderTradeId: z.string(),
  leaderSymbol: z.string(),
  side: z.enum(['buy', 'sell']),
  leaderAmount: decimalStringSchema,
  leaderPrice: decimalStringSchema,
  leaderAt: z.number().int(),
  followerVenueId: z.string(),
  followerSymbol: z.string().nullable(),
  /** What was sent (after sizing, caps and rounding); null when skipped before sizing. */
  followerAmount: decimalStringSchema.nullable(),
  /** What the follower order filled so far. */
  followerFilled: decimalStringSchema,
  followerAvgPrice: decimalStringSchema.nullable(),
  /** Derived from the relationship and the leader's trade id: the same fill can never be copied twice. */
  clientOrderId: z.string().nullable(),
  status: z.enum(copyRecordStatuses),
  rule: z.enum(skipRules).nullable(),
  reason: z.string().nullable(),
  /** The exchange's or the order manager's words for a failed copy. */
  error: z.string().nullable(),
  /** ms from the leader's fill: detection (seen by us), decision (sized/filtered), submission (order sent/acked). */
  detectedMs: z.number().nullable(),
  decidedMs: z.number().nullable(),
  submittedMs: z.number().nullable(),
  /** How the fill was seen. */
  via: z.enum(['stream', 'poll', 'start', 'sim']),
  createdAt: z.number().int(),
})

export const leaderViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['exchange', 'paper', 'sim-trader']),
  exchange: z.string(),
  /**
   * Closed trades, their win rate (0–100) and realized P&L in the reporting currency: the Leaderboard's
   * all-time figures when the leader has a ledger account; else from the leader's fills seen (no fees).
   */
  trades: z.number().int(),
  winRatePct: decimalStringSchema.nullable(),
  pnl: decimalStringSchema,
  followers: z.number().int(),
})

export const leaderFillSchema = z.object({
  leaderId: z.string(),
  tradeId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  price: decimalStringSchema,
  amount: decimalStringSchema,
  timestamp: z.number().int(),
})

/** Follower vs leader exposure per market of a relationship: what the follower holds against what it should. */
export const driftRowSchema = z.object({
  followId: z.string(),
  leaderSymbol: z.string(),
  followerSymbol: z.string(),
  /** Null: not known (the leader's balance of the coin could not be read when its position there was to start). */
  leaderPosition: decimalStringSchema.nullable(),
  followerPosition: decimalStringSchema,
  /** What the follower would hold if every copy had been exact under the sizing. */
  expectedPosition: decimalStringSchema,
  /** (follower − expected) ÷ expected in %, null when expected is 0. */
  driftPct: decimalStringSchema.nullable(),
  /**
   * The leader's P&L in this market since the relationship began (at its market's price now on its own
   * venue), in pnlAsset; null when its market's quote cannot be valued on the follower's venue.
   */
  leaderPnl: decimalStringSchema.nullable(),
  /** What leaderPnl values the leader at: its venue's price now, or (none to be had) its last fill price. */
  leaderPriced: z.enum(['live', 'last-fill']),
  /** The copies' P&L in this market, in pnlAsset (what the relationship's P&L adds up). */
  followerPnl: decimalStringSchema,
  /** The unit both P&Ls are in: the valuation currency (USDT), whatever the market's quote. */
  pnlAsset: z.string(),
})

export const copyStatsSchema = z.object({
  copiedTrades: z.number().int(),
  copyProfit: decimalStringSchema,
  activeRelationships: z.number().int(),
  leadersFollowed: z.number().int(),
})

export const copyCommands = {
  'copy.leaders': { input: z.object({}).strict(), output: z.array(leaderViewSchema) },
  'copy.leaderFills': {
    input: z.object({ leaderId, limit: wholeNumber(1, 500, 'must be a whole number from 1 to 500').default(100) }).strict(),
    output: z.array(leaderFillSchema),
  },
  'copy.follow': { input: followSettingsSchema, output: followViewSchema },
  'copy.update': { input: z.object({ id: followId, settings: followSettingsSchema }).strict(), output: followViewSchema },
  'copy.pause': { input: z.object({ id: followId }).strict(), output: followViewSchema },
  /** A paused or stopped relationship copies again (refused while the copies' loss reaches the total stop-loss). */
  'copy.resume': { input: z.object({ id: followId }).strict(), output: followViewSchema },
  /**
   * Ends the relationship (its records stay). The follower's positions are left as they are, unless
   * `closePositions`: then each market the copies hold gets a market sell for that amount, through the
   * order manager (risk checks apply); `closes` says per market what was sent or refused.
   */
  'copy.unfollow': {
    input: z.object({ id: followId, closePositions: z.boolean().default(false) }).strict(),
    output: unfollowResultSchema,
  },
  'copy.follows': { input: z.object({}).strict(), output: z.array(followViewSchema) },
  'copy.records': {
    input: z
      .object({ followId: followId.optional(), limit: wholeNumber(1, 1000, 'must be a whole number from 1 to 1000').default(200), before: z.number({ error: 'must be a time in ms' }).int('must be a time in ms').optional() })
      .strict(),
    output: z.array(copyRecordSchema),
  },
  'copy.drift': { input: z.object({ followId: followId.optional() }).strict(), output: z.array(driftRowSchema) },
  'copy.stats': { input: z.object({}).strict(), output: copyStatsSchema },
} as const

export const copyStreams = {
  /** Every new or changed copy record. */
  'copy.recorded': { params: z.object({}).strict(), payload: copyRecordSchema },
  /** A relationship's state or counters changed. */
  'copy.followChanged': { params: z.object({}).strict(), payload: followViewSchema },
  /** One leader's fills as they are seen. */
  'copy.leaderFill': { params: z.object({ leaderId }).strict(), payload: leaderFillSchema },
} as const

/** The currency every money setting (fixed amount, min/max trade, loss stops) and P&L is read in. */
export type CopyValuationAsset = typeof VALUATION_ASSET
export type Sizing = z.output<typeof sizingSchema>
export type FollowSettings = z.output<typeof followSettingsSchema>
export type FollowSettingsInput = z.input<typeof followSettingsSchema>
export type FollowStatus = z.output<typeof followStatusSchema>
export type FollowView = z.output<typeof followViewSchema>
export type CopyRecordView = z.output<typeof copyRecordSchema>
export type CopyRecordStatus = (typeof copyRecordStatuses)[number]
export type SkipRule = (typeof skipRules)[number]
export type LeaderView = z.output<typeof leaderViewSchema>
export type LeaderFill = z.output<typeof leaderFillSchema>
export type DriftRow = z.output<typeof driftRowSchema>
export type CloseResult = z.output<typeof closeResultSchema>
export type UnfollowResult = z.output<typeof unfollowResultSchema>
export type CopyStats = z.output<typeof copyStatsSchema>
