import { z } from 'zod'
import { decimalStringSchema } from './venues'

// Market data for the screen: order books (one venue, and several venues merged), public trades, tickers
// and candles. Streams are opened with params (validated here) and are coalesced in the engine:
//   market.book       ≤ 60 frames/s per view, and only when the shown levels, status or reason changed
//   market.trades     the recent trades first (one batch, history: true), then live batches at ≤ 30/s
//   market.ticker     when a shown figure changed
//   market.candles.live  the forming candle, ≤ 4/s, when it changed
//   market.aggregate  ≤ 10/s, when anything shown changed
// Number formats (house rule 7): book levels, candles and the aggregate are plain numbers (ladders and
// charts); trades and tickers are decimal strings exactly as the venue sent them (text on screen).
//
// Errors: an unknown venue or an unknown symbol (when the venue's markets are known) fails the subscribe
// reply itself with NOT_FOUND. Problems found later (a venue that cannot be reached, a symbol an exchange
// does not list once its markets load) arrive on the stream as status 'stale' with the reason.

const venueIdSchema = z.string().min(1, 'venueId is required').max(100, 'venueId must be at most 100 characters')
export const marketSymbolSchema = z
  .string()
  .max(60, 'symbol must be at most 60 characters')
  .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)?$/, 'symbol must look like BASE/QUOTE, e.g. BTC/USDT')
const assetSchema = z
  .string()
  .min(1, 'asset is required')
  .max(20, 'asset must be at most 20 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'asset must be letters and digits, e.g. BTC')
export const timeframes = ['1m', '5m', '15m', '1h', '4h', '1d'] as const
export const timeframeSchema = z.enum(timeframes, { error: `timeframe must be one of ${timeframes.join(', ')}` })
const depthSchema = z.number().int('depth must be a whole number').min(1, 'depth must be at least 1').max(200, 'depth must be at most 200').default(25)
const positiveDecimal = decimalStringSchema.refine((v) => Number(v) > 0, 'must be more than 0')

export const bookStatusSchema = z.enum(['live', 'resyncing', 'stale'])
/** [price, size]; price levels merged into `group` steps when grouping is on. */
const levelSchema = z.tuple([z.number(), z.number()])

export const bookParamsSchema = z
  .object({
    venueId: venueIdSchema,
    symbol: marketSymbolSchema,
    /** Levels per side (1..200, default 25). */
    depth: depthSchema,
    /**
     * Price grouping step, a positive multiple of the market's tick (e.g. "10" for BTC/USDT); another is
     * refused. Asked before the venue's markets are known, the view waits for the tick and then groups at
     * the next multiple of it (the frame's `group` says which).
     */
    group: positiveDecimal.optional(),
  })
  .strict()

export const bookFrameSchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  status: bookStatusSchema,
  /** Why it is not live ("sequence gap", "no message since 14:03:21 UTC", "socket closed", "invalid data: …"), else null. */
  reason: z.string().nullable(),
  /**
   * Stale because its stream went silent: engine time (ms) of the last message, the time its reason names
   * (the screen shows the silence's age from it, counting on); else null.
   */
  silentSince: z.number().int().nullable(),
  /** Engine time (ms) of the last applied change; null before the first snapshot. */
  lastUpdateAt: z.number().int().nullable(),
  /**
   * Best first. While 'stale' these are the last known levels (grey them); while 'resyncing' they are the
   * levels before the gap, or empty after invalid data (nothing untrusted is ever shown).
   */
  bids: z.array(levelSchema),
  asks: z.array(levelSchema),
  /**
   * Grouped views: true when fewer buckets than `depth` could be built because the book the venue sends
   * ends inside them (it sends at most 1,000 levels a side; a dense book goes on beyond). The bucket the
   * sent book ends in is left out rather than shown short; false otherwise.
   */
  truncated: z.boolean(),
  /**
   * The market's best ask − best bid, exact from the venue's prices (grouped too: never the buckets'
   * edges); null when a side is empty.
   */
  spread: z.number().nullable(),
  /** (best bid + best ask) / 2 of the market, grouped or not; null when a side is empty. */
  mid: z.number().nullable(),
  /**
   * The market's price tick, as the venue states it; null until the venue's markets are known (a frame
   * follows at once when they are).
   */
  tick: decimalStringSchema.nullable(),
  /** The grouping step in effect (null = none). */
  group: decimalStringSchema.nullable(),
  /** Frame counter of this subscription, from 1. */
  seq: z.number().int(),
})

const venueSymbolParams = z.object({ venueId: venueIdSchema, symbol: marketSymbolSchema }).strict()

export const tradeRowSchema = z.object({
  id: z.string(),
  time: z.number().int(),
  price: decimalStringSchema,
  amount: decimalStringSchema,
  /** Taker side. */
  side: z.enum(['buy', 'sell']),
})

export const tradesBatchSchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  /** Oldest first. */
  trades: z.array(tradeRowSchema),
  /**
   * true on the batch a new view gets first: the market's recent trades (up to 100) from before it
   * subscribed — old trades, not news, so not to be animated as fresh. Absent on live batches.
   */
  history: z.boolean().optional(),
  /** Set on the last batch when the tape ended for good (its account was removed): why. Nothing more comes. */
  ended: z.string().optional(),
  /**
   * Trades may be missing (the refill after a reconnect hit its cap, failed, took too long, or the exchange gave
   * only its newest trades): which, by time. May come on a batch with no trades (nothing read, no live trade yet).
   * A view opened later gets the last note on its first batch (history) while the trades it concerns are among
   * the recent trades that batch holds.
   */
  note: z.string().optional(),
})

export const tickerFrameSchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  last: decimalStringSchema.nullable(),
  bid: decimalStringSchema.nullable(),
  ask: decimalStringSchema.nullable(),
  high24h: decimalStringSchema.nullable(),
  low24h: decimalStringSchema.nullable(),
  changePct24h: decimalStringSchema.nullable(),
  /** Base-asset volume over 24 h. */
  volume24h: decimalStringSchema.nullable(),
  time: z.number().int(),
})

export const candleSchema = z.object({
  /** Open time (ms). */
  time: z.number().int(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
})

export const candlesParamsSchema = z.object({ venueId: venueIdSchema, symbol: marketSymbolSchema, timeframe: timeframeSchema }).strict()

export const liveCandleSchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  timeframe: timeframeSchema,
  candle: candleSchema,
})

export const candlesHistorySchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  timeframe: timeframeSchema,
  /** Oldest first. */
  candles: z.array(candleSchema),
})

export const aggregateParamsSchema = z
  .object({
    base: assetSchema,
    /** USDT, USDC and USD count as the same quote. */
    quote: assetSchema,
    /** Default: every venue that lists the pair. */
    venueIds: z
      .array(venueIdSchema)
      .min(1, 'venueIds must name at least one venue')
      .max(20, 'at most 20 venues')
      // A venue named twice was merged twice and failed inside the engine ("venue … already added").
      .superRefine((ids, ctx) => {
        const twice = ids.find((id, i) => ids.indexOf(id) !== i)
        if (twice !== undefined) ctx.addIssue({ code: 'custom', message: `venueIds names ${twice} more than once` })
      })
      .optional(),
    depth: depthSchema,
  })
  .strict()

const mergedLevelSchema = z.object({
  price: z.number(),
  size: z.number(),
  /** Each venue's size at this level, in the order of `venues`; they sum to `size`. */
  shares: z.array(z.number()),
})

export const venueBestSchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  bid: z.number().nullable(),
  bidSize: z.number().nullable(),
  ask: z.number().nullable(),
  askSize: z.number().nullable(),
  status: bookStatusSchema,
  reason: z.string().nullable(),
})

export const arbitrageSchema = z.object({
  buyVenueId: z.string(),
  buyPrice: z.number(),
  sellVenueId: z.string(),
  sellPrice: z.number(),
  /** Edge before fees, basis points of the buy price. */
  grossBps: z.number(),
  /** Edge after both taker fees (> 0), basis points. */
  edgeBps: z.number(),
})

export const aggregateFrameSchema = z.object({
  base: z.string(),
  /** The canonical quote ("USD" for USDT/USDC/USD). */
  quote: z.string(),
  /** Venues in the merge, in the order of every level's `shares`. */
  venues: z.array(z.string()),
  bids: z.array(mergedLevelSchema),
  asks: z.array(mergedLevelSchema),
  best: z.array(venueBestSchema),
  arbitrage: arbitrageSchema.nullable(),
  /** Venues left out now (not live, unreachable, or without the pair), with why. */
  excluded: z.array(z.object({ venueId: z.string(), status: z.enum(['resyncing', 'stale', 'unavailable']), reason: z.string() })),
  at: z.number().int(),
})

export const bookHealthSchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  status: bookStatusSchema,
  reason: z.string().nullable(),
  lastUpdateAt: z.number().int().nullable(),
  lastMessageAt: z.number().int().nullable(),
  /** Open views (book streams and aggregates) on this book. */
  views: z.number().int(),
  counters: z.object({
    applied: z.number().int(),
    dropped: z.number().int(),
    gaps: z.number().int(),
    invalid: z.number().int(),
    checksumFailures: z.number().int(),
    staleEvents: z.number().int(),
    resyncs: z.number().int(),
    /** Times the watch loop was restarted (after errors, silence or a closed socket). */
    restarts: z.number().int(),
  }),
})

export const marketCommands = {
  'market.candles': {
    input: z
      .object({
        venueId: venueIdSchema,
        symbol: marketSymbolSchema,
        timeframe: timeframeSchema,
        limit: z.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(1000, 'limit must be at most 1000').default(500),
        /** Open time (ms) of the first candle wanted; default: the latest `limit` candles. */
        since: z.number().int().min(0).optional(),
        /**
         * Exclusive end (ms): only candles opened before it, the latest `limit` of them (the chart asks for
         * the candles before its oldest one when the user scrolls back).
         */
        until: z
          .number('until must be a time in milliseconds')
          .int('until must be a whole number of milliseconds')
          .min(1, 'until must be a time after 1970-01-01')
          .max(8_640_000_000_000_000, 'until must be a time before the year 275760')
          .optional(),
      })
      .strict()
      .refine((v) => v.since === undefined || v.until === undefined || v.since < v.until, { message: 'until must be after since', path: ['until'] }),
    output: candlesHistorySchema,
  },
  'market.health': { input: z.object({}).strict(), output: z.array(bookHealthSchema) },
} as const

export const marketStreams = {
  'market.book': { params: bookParamsSchema, payload: bookFrameSchema },
  'market.trades': { params: venueSymbolParams, payload: tradesBatchSchema },
  'market.ticker': { params: venueSymbolParams, payload: tickerFrameSchema },
  'market.candles.live': { params: candlesParamsSchema, payload: liveCandleSchema },
  'market.aggregate': { params: aggregateParamsSchema, payload: aggregateFrameSchema },
} as const

export type BookStatusView = z.output<typeof bookStatusSchema>
export type BookFrameView = z.output<typeof bookFrameSchema>
export type TradeRow = z.output<typeof tradeRowSchema>
export type TradesBatch = z.output<typeof tradesBatchSchema>
export type TickerFrame = z.output<typeof tickerFrameSchema>
export type CandleView = z.output<typeof candleSchema>
export type LiveCandle = z.output<typeof liveCandleSchema>
export type CandlesHistory = z.output<typeof candlesHistorySchema>
export type AggregateFrame = z.output<typeof aggregateFrameSchema>
export type VenueBestView = z.output<typeof venueBestSchema>
export type ArbitrageView = z.output<typeof arbitrageSchema>
export type BookHealthView = z.output<typeof bookHealthSchema>
export type MarketTimeframe = z.output<typeof timeframeSchema>
