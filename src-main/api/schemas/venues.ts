import { z } from 'zod'
import { exchangeIds } from '../../accounts/exchanges'

// Venues (the simulated exchange and each connected account), their markets and balances, and the
// simulated traders. Money is carried as decimal strings; `null` means "not known", never zero.

// At most 120 characters: every exact figure the engine keeps fits (100 significant digits at most), and a
// number of thousands of digits sent to the door (a price, a grouping step) is refused, not stored or
// turned into Infinity.
export const decimalStringSchema = z
  .string()
  .max(120, 'must be a decimal number of at most 120 characters')
  .regex(/^-?\d+(\.\d+)?$/, 'must be a plain decimal number such as 10000 or 0.5')
const nullableDecimal = decimalStringSchema.nullable()

export const venueViewSchema = z.object({
  id: z.string(),
  exchange: z.string(),
  label: z.string(),
  kind: z.enum(['simulated', 'exchange', 'paper']),
  accountId: z.string().nullable(),
  /**
   * 'rest-only': an exchange account whose exchange answers (REST) but whose own order and fill streams are
   * not subscribed yet, or no longer: order updates come by polling until they are; `reason` says which.
   */
  connection: z.enum(['connecting', 'live', 'rest-only', 'degraded', 'down']),
  /** Why it is not live (e.g. "not connected yet", the last error). */
  reason: z.string().nullable(),
  marketCount: z.number().int().nullable(),
  /** The venue can hold stop / take-profit orders itself ("on exchange"); absent = it cannot. */
  nativeStops: z.boolean().optional(),
  /** Which stop orders it holds itself (the others are held in the app); absent = all when nativeStops. */
  nativeStopKinds: z.array(z.enum(['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit'])).optional(),
  /** Why it holds none, or not all, of them, in words. */
  nativeStopsNote: z.string().optional(),
  /** The venue is gone (a paper account was closed): lists drop it. Absent = it is still there. */
  closed: z.literal(true).optional(),
  /** The times in force its limit orders take; absent = GTC, IOC and FOK. */
  timeInForce: z.array(z.enum(['GTC', 'IOC', 'FOK'])).optional(),
  /** Why not all of them, in words. */
  timeInForceNote: z.string().optional(),
})

export const marketViewSchema = z.object({
  venueId: z.string(),
  venueLabel: z.string(),
  symbol: z.string(),
  base: z.string(),
  quote: z.string(),
  last: nullableDecimal,
  changePct24h: nullableDecimal,
  /** 24 h volume in the base asset. */
  volume24h: nullableDecimal,
  tickSize: decimalStringSchema,
  stepSize: decimalStringSchema,
  minNotional: decimalStringSchema,
})

export const balanceRowSchema = z.object({
  asset: z.string(),
  free: decimalStringSchema,
  used: decimalStringSchema,
  total: decimalStringSchema,
  /** In the valuation asset; null when no price is known. */
  value: nullableDecimal,
})

export const venueBalancesSchema = z.object({
  venueId: z.string(),
  label: z.string(),
  kind: z.enum(['simulated', 'exchange', 'paper']),
  balances: z.array(balanceRowSchema),
  value: nullableDecimal,
  /** Why these balances could not be fetched (the venue's own words), else null. */
  error: z.string().nullable(),
  updatedAt: z.number().int(),
  /** When the prices that valued them were read, if earlier than updatedAt (a kept ticker); absent: read live. */
  pricesAt: z.number().int().optional(),
})

export const balancesViewSchema = z.object({
  valuationAsset: z.string(),
  venues: z.array(venueBalancesSchema),
  /**
   * Per asset over the accounts: value sums the accounts that priced it (null: none did); notValued is the
   * amount held where no price is known ("0": all of it is in the value).
   */
  totals: z.array(z.object({ asset: z.string(), total: decimalStringSchema, value: nullableDecimal, notValued: decimalStringSchema })),
  totalValue: decimalStringSchema,
  /** Assets (all or part of them) left out of totalValue because no price is known for them. */
  unvalued: z.array(z.string()),
})

export const simTraderViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  style: z.string(),
  description: z.string(),
  symbols: z.array(z.string()),
  equity: decimalStringSchema,
  startEquity: decimalStringSchema,
  pnl: decimalStringSchema,
  pnlPct: decimalStringSchema,
  ordersPlaced: z.number().int(),
  fills: z.number().int(),
  lastAction: z.string().nullable(),
  lastActionAt: z.number().int().nullable(),
})

export const traderOrderViewSchema = z.object({
  venueOrderId: z.string(),
  clientOrderId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['limit', 'market']),
  price: nullableDecimal,
  amount: decimalStringSchema,
  filled: decimalStringSchema,
  status: z.string(),
  createdAt: z.number().int(),
})

export const traderFillViewSchema = z.object({
  tradeId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  price: decimalStringSchema,
  amount: decimalStringSchema,
  feeAsset: z.string(),
  fee: decimalStringSchema,
  liquidity: z.enum(['maker', 'taker']),
  timestamp: z.number().int(),
})

export const simTraderDetailSchema = z.object({
  trader: simTraderViewSchema,
  balances: z.array(balanceRowSchema),
  openOrders: z.array(traderOrderViewSchema),
  recentFills: z.array(traderFillViewSchema),
})

/** A venue that is gone (an exchange account removed, a paper account closed), by the name it had. */
export const formerVenueSchema = z.object({ id: z.string(), label: z.string(), kind: z.enum(['exchange', 'paper']) })

export const venueCommands = {
  'venues.list': { input: z.object({}).strict(), output: z.array(venueViewSchema) },
  /** The venues that are gone: views, tickets and lists still naming one say what it was. */
  'venues.former': { input: z.object({}).strict(), output: z.array(formerVenueSchema) },
  /**
   * Markets matching `query`, in the venues' order, at most `limit`. With `venueId`, a venue whose markets
   * could not be loaded fails with UNAVAILABLE ("Markets of X could not be loaded: …"), so [] always means
   * "no match"; over every venue such a venue is skipped (its status says why).
   */
  'markets.search': {
    input: z
      .object({
        query: z.string().max(40, 'query must be at most 40 characters').default(''),
        venueId: z.string().min(1).max(100).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.array(marketViewSchema),
  },
  'balances.list': { input: z.object({}).strict(), output: balancesViewSchema },
  /** One venue's balances (asks only that venue: the order ticket's "available"). */
  'balances.venue': { input: z.object({ venueId: z.string().min(1, 'venueId is required').max(100) }).strict(), output: venueBalancesSchema },
  /** Opens a paper account on a connected exchange account's live markets (no key needed to trade it). */
  'paper.open': {
    input: z
      .object({
        /** Whose live markets: a venue already here (an exchange account), or any exchange by its public data only. */
        source: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('venue'), venueId: z.string().min(1).max(100) }).strict(),
          z
            .object({
              kind: z.literal('exchange'),
              exchange: z.enum(exchangeIds),
              /** Another API origin (a regional host, or a local test server). */
              apiBaseUrl: z.string().url().optional(),
            })
            .strict(),
        ]),
        label: z.string().trim().min(1).max(60).optional(),
        balances: z
          .array(z.object({ asset: z.string().min(1).max(20), amount: decimalStringSchema }).strict())
          .max(50)
          .default([{ asset: 'USDT', amount: '10000' }]),
      })
      .strict(),
    output: venueViewSchema,
  },
  'paper.close': { input: z.object({ venueId: z.string().min(1).max(100) }).strict(), output: z.object({ venueId: z.string(), closed: z.literal(true) }) },
  'sim.traders': { input: z.object({}).strict(), output: z.array(simTraderViewSchema) },
  'sim.trader': {
    input: z.object({ id: z.string().min(1).max(100) }).strict(),
    output: simTraderDetailSchema,
  },
  'paper.reset': {
    input: z
      .object({
        amount: decimalStringSchema
          .refine((v) => Number(v) > 0 && Number(v) <= 1e12, 'must be more than 0 and at most 1000000000000')
          .default('10000'),
      })
      .strict(),
    output: venueBalancesSchema,
  },
} as const

export const venueStreams = {
  'venues.changed': { params: z.object({}).strict(), payload: venueViewSchema },
  /** One venue's balances after they changed (the paper account live; exchange accounts when refreshed). */
  'balances.changed': { params: z.object({}).strict(), payload: venueBalancesSchema },
} as const

export type VenueView = z.output<typeof venueViewSchema>
export type FormerVenue = z.output<typeof formerVenueSchema>
export type MarketView = z.output<typeof marketViewSchema>
export type BalanceRow = z.output<typeof balanceRowSchema>
export type VenueBalances = z.output<typeof venueBalancesSchema>
export type BalancesView = z.output<typeof balancesViewSchema>
export type SimTraderView = z.output<typeof simTraderViewSchema>
export type SimTraderDetail = z.output<typeof simTraderDetailSchema>
export type TraderOrderView = z.output<typeof traderOrderViewSchema>
export type TraderFillView = z.output<typeof traderFillViewSchema>
