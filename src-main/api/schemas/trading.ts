import { z } from 'zod'
import { decimalStringSchema } from './venues'

// Trading: the order ticket, orders and fills, conditional orders held by the engine, risk limits and the
// kill switch. Money is carried as decimal strings. Every order is known by its client order id (ours,
// written to SQLite before it is sent); the venue's id comes later and may never come.

export const positiveDecimal = decimalStringSchema.refine((s) => !/^-/.test(s) && !/^0+(\.0+)?$/.test(s), 'must be greater than zero')

/**
 * Whether a decimal has at most 20 digits before the point and 18 after it (zeros that carry nothing not
 * counted): more than any market prices or sizes in, so more is a typing slip. Text that is not a plain
 * positive decimal passes here, being refused by the schema it refines, once.
 */
export function withinMarketDigits(s: string): boolean {
  if (s.length > 120 || !/^\d+(\.\d+)?$/.test(s)) return true
  const [whole = '', fraction = ''] = s.split('.')
  return whole.replace(/^0+/, '').length <= 20 && fraction.replace(/0+$/, '').length <= 18
}

/** A ticket's price or amount: positive, and of a length a market can have. */
const marketNumber = positiveDecimal.refine(withinMarketDigits, 'must have at most 20 digits before the point and 18 after it')
const venueId = z.string().min(1).max(100)
const symbol = z.string().min(3).max(40)
const clientOrderId = z.string().min(1).max(64)
const side = z.enum(['buy', 'sell'])

export const orderStatuses = [
  'pending', // intent written, not yet sent
  'submitting', // sent, no answer yet (a retry reuses the same client id)
  'open',
  'partially-filled',
  'filled',
  'canceling',
  'canceled',
  'rejected',
  'expired',
  'lost', // the venue does not know it after a second look; shown, never silently dropped
  // Its account was removed while it was unfinished: it may still be live on the exchange, but the app can
  // no longer see or cancel it (no key). Not 'canceled': nothing canceled it.
  'left-on-exchange',
] as const
export const orderStatusSchema = z.enum(orderStatuses)
export const terminalOrderStatuses = ['filled', 'canceled', 'rejected', 'expired', 'lost', 'left-on-exchange'] as const

/** Where an order came from: the ticket, a conditional order's trigger, or a copy relationship. */
export const orderOriginSchema = z.object({
  kind: z.enum(['manual', 'conditional', 'copy', 'flatten']),
  ref: z.string().nullable(),
})

/** Size of a ticket: in base units, in quote (spend/receive this much), or a % of the available balance. */
export const sizeSchema = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('base'), value: marketNumber }).strict(),
  z.object({ unit: z.literal('quote'), value: marketNumber }).strict(),
  z
    .object({
      unit: z.literal('percent'),
      value: positiveDecimal.refine((s) => Number(s) <= 100, 'a percentage of the balance must be at most 100'),
    })
    .strict(),
])

const ticketFields = z
  .object({
    venueId,
    symbol,
    side,
    type: z.enum(['market', 'limit']),
    /** Limit only: refuse to take liquidity. */
    postOnly: z.boolean().default(false),
    timeInForce: z.enum(['GTC', 'IOC', 'FOK']).default('GTC'),
    size: sizeSchema,
    /** Limit only; rounded to the tick before anything is sent (a price off the tick is refused). */
    price: marketNumber.optional(),
  })
  .strict()

type TicketShape = Pick<z.output<typeof ticketFields>, 'type' | 'price' | 'postOnly' | 'timeInForce'>
function checkTicket(t: TicketShape, ctx: z.RefinementCtx): void {
    if (t.type === 'limit' && t.price === undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: 'a limit order needs a price' })
    if (t.type === 'market' && t.price !== undefined) ctx.addIssue({ code: 'custom', path: ['price'], message: 'a market order takes no price' })
    if (t.type === 'market' && t.postOnly) ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'post-only applies to limit orders only' })
    if (t.postOnly && t.timeInForce !== 'GTC') ctx.addIssue({ code: 'custom', path: ['timeInForce'], message: 'a post-only order rests on the book: use GTC' })
}

export const ticketSchema = ticketFields.superRefine(checkTicket)

/**
 * The ticket's own id for one order it means to place (made when it is first sent, kept while the form is
 * unchanged): a resend with it after a lost answer gets that order back, never a second one. Per account,
 * remembered for a day.
 */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, "-" or "_"')

export const ticketSubmitSchema = ticketFields.extend({ idempotencyKey: idempotencyKeySchema.optional() }).superRefine(checkTicket)

export const ticketProblemSchema = z.object({
  field: z.enum(['size', 'price', 'timeInForce', 'market', 'balance', 'risk', 'book']),
  message: z.string(),
})

/** What the ticket would send, checked against the market's rules, the risk limits and the live book. */
export const ticketPreviewSchema = z.object({
  venueId: z.string(),
  symbol: z.string(),
  side,
  type: z.enum(['market', 'limit']),
  /** Base amount after rounding down to the step. */
  amount: decimalStringSchema.nullable(),
  /** Limit price as sent, or null for market orders. */
  price: decimalStringSchema.nullable(),
  notional: decimalStringSchema.nullable(),
  /** From walking the live book; null when the book is not live or too thin. */
  estimatedAvgPrice: decimalStringSchema.nullable(),
  /** Versus the touch (best ask for buys, best bid for sells), in percent. */
  slippagePct: decimalStringSchema.nullable(),
  estimatedFee: decimalStringSchema.nullable(),
  feeAsset: z.string().nullable(),
  bookStatus: z.enum(['live', 'resyncing', 'stale', 'none']),
  problems: z.array(ticketProblemSchema),
  /** True when nothing in `problems` stops the order. */
  ok: z.boolean(),
})

export const orderViewSchema = z.object({
  clientOrderId: z.string(),
  venueOrderId: z.string().nullable(),
  venueId: z.string(),
  venueLabel: z.string(),
  symbol: z.string(),
  side,
  type: z.enum(['market', 'limit']),
  timeInForce: z.enum(['GTC', 'IOC', 'FOK']),
  postOnly: z.boolean(),
  amount: decimalStringSchema,
  price: decimalStringSchema.nullable(),
  filled: decimalStringSchema,
  /** Average fill price, null before the first fill. */
  avgPrice: decimalStringSchema.nullable(),
  status: orderStatusSchema,
  origin: orderOriginSchema,
  /** The last thing that went wrong (venue's words), or null. */
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** A stop / take-profit held on the exchange until its price trades ("on exchange"); absent otherwise. */
  trigger: z.object({ kind: z.enum(['stop-loss', 'take-profit']), price: decimalStringSchema }).optional(),
})

export const fillViewSchema = z.object({
  venueId: z.string(),
  tradeId: z.string(),
  clientOrderId: z.string().nullable(),
  venueOrderId: z.string(),
  symbol: z.string(),
  side,
  price: decimalStringSchema,
  amount: decimalStringSchema,
  feeAsset: z.string(),
  feeAmount: decimalStringSchema,
  liquidity: z.enum(['maker', 'taker']),
  timestamp: z.number().int(),
})

// ── conditional orders (held by the engine, or placed natively "on exchange") ─────────────────────────

export const triggerSourceSchema = z.enum(['last', 'bid', 'ask', 'mid'])
export const conditionalKinds = ['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'] as const
export const conditionalStatuses = [
  'armed', // watching its trigger
  'waiting', // armed but not able to trigger now (stale book, trailing not yet activated, leg of an unfilled entry)
  'triggered', // its order was submitted
  'done', // its order filled
  'canceled',
  'failed', // its order was refused (reason in `reason`)
  'left-on-exchange', // its order was out when its account was removed: it may still be live there, unseen by the app
] as const

const legBase = {
  side,
  amount: positiveDecimal,
  trigger: triggerSourceSchema.default('last'),
}
/** One conditional leg, as entered. */
export const conditionalLegSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stop-market'), ...legBase, triggerPrice: positiveDecimal }).strict(),
  z.object({ kind: z.literal('stop-limit'), ...legBase, triggerPrice: positiveDecimal, limitPrice: positiveDecimal }).strict(),
  z.object({ kind: z.literal('take-profit-market'), ...legBase, triggerPrice: positiveDecimal }).strict(),
  z.object({ kind: z.literal('take-profit-limit'), ...legBase, triggerPrice: positiveDecimal, limitPrice: positiveDecimal }).strict(),
  z
    .object({
      kind: z.literal('trailing-stop'),
      ...legBase,
      distance: z.discriminatedUnion('unit', [
        z.object({ unit: z.literal('percent'), value: positiveDecimal.refine((s) => Number(s) < 100, 'a trailing distance must be under 100%') }).strict(),
        z.object({ unit: z.literal('price'), value: positiveDecimal }).strict(),
      ]),
      /** The trail starts only once the trigger source reaches this price. */
      activationPrice: positiveDecimal.optional(),
    })
    .strict(),
])

export const conditionalAmendSchema = z
  .object({
    id: z.string().min(1),
    triggerPrice: positiveDecimal.optional(),
    limitPrice: positiveDecimal.optional(),
    /** A trailing stop's new distance, in its own unit (percent or price). */
    trailingValue: positiveDecimal.optional(),
    /**
     * The terms the editor showed when the user began (a stale window's view): when the stored ones differ
     * (another window amended it meanwhile) the amendment is refused with CONFLICT instead of mixing the two.
     */
    expected: z
      .object({ triggerPrice: positiveDecimal.nullable().optional(), limitPrice: positiveDecimal.nullable().optional(), trailingValue: positiveDecimal.nullable().optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((a) => a.triggerPrice !== undefined || a.limitPrice !== undefined || a.trailingValue !== undefined, 'give a new trigger price, limit price or trailing distance')

/** Every conditional order may carry the ticket's idempotency key (as orders.submit does). */
const idempotencyKey = idempotencyKeySchema.optional()

export const conditionalCreateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('single'), venueId, symbol, placement: z.enum(['app', 'exchange']).default('app'), leg: conditionalLegSchema, idempotencyKey }).strict(),
  /** Two legs on the same side of the position (both sells or both buys); one filling cancels the other. */
  z.object({ type: z.literal('oco'), venueId, symbol, legs: z.tuple([conditionalLegSchema, conditionalLegSchema]), idempotencyKey }).strict(),
  /** An entry order; take-profit and stop-loss arm when it fills, sized to the filled amount. */
  z
    .object({
      type: z.literal('bracket'),
      venueId,
      symbol,
      entry: ticketFields.omit({ venueId: true, symbol: true }).superRefine(checkTicket),
      takeProfit: z.object({ triggerPrice: positiveDecimal, limitPrice: positiveDecimal.optional(), trigger: triggerSourceSchema.default('last') }).strict(),
      stopLoss: z.object({ triggerPrice: positiveDecimal, limitPrice: positiveDecimal.optional(), trigger: triggerSourceSchema.default('last') }).strict(),
      idempotencyKey,
    })
    .strict(),
])

export const conditionalViewSchema = z.object({
  id: z.string(),
  /** OCO / bracket: the id shared by the legs (and the bracket's entry). */
  groupId: z.string().nullable(),
  groupType: z.enum(['single', 'oco', 'bracket']),
  venueId: z.string(),
  venueLabel: z.string(),
  symbol: z.string(),
  kind: z.enum(conditionalKinds),
  side,
  amount: decimalStringSchema,
  trigger: triggerSourceSchema,
  placement: z.enum(['app', 'exchange']),
  triggerPrice: decimalStringSchema.nullable(),
  limitPrice: decimalStringSchema.nullable(),
  trailing: z
    .object({
      unit: z.enum(['percent', 'price']),
      value: decimalStringSchema,
      activationPrice: decimalStringSchema.nullable(),
      activated: z.boolean(),
      /** The best price seen since activation; the trigger follows it. */
      reference: decimalStringSchema.nullable(),
    })
    .nullable(),
  status: z.enum(conditionalStatuses),
  /** Why it waits or failed, in words ("book stale: no message since 14:03:21 UTC"). */
  reason: z.string().nullable(),
  /** Live: the trigger source's current price and the distance to the trigger in percent. */
  currentPrice: decimalStringSchema.nullable(),
  distancePct: decimalStringSchema.nullable(),
  /** The order it submitted once triggered. */
  clientOrderId: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
})

/**
 * What moves with the market in a conditional order's view (conditional.live): its trigger source's current
 * price, the distance to what happens next, and a trailing stop's reference and the trigger that follows it.
 */
export const conditionalLiveFigureSchema = z.object({
  id: z.string(),
  currentPrice: decimalStringSchema.nullable(),
  distancePct: decimalStringSchema.nullable(),
  triggerPrice: decimalStringSchema.nullable(),
  /** A trailing stop's reference; null for other kinds (and a trail not started yet). */
  reference: decimalStringSchema.nullable(),
})

// ── risk ──────────────────────────────────────────────────────────────────────────────────────────────

/** Null means "no limit". Notional and loss limits are in the valuation asset (USDT). */
export const riskLimitsSchema = z
  .object({
    maxOrderNotional: positiveDecimal.nullable(),
    maxPositionNotional: positiveDecimal.nullable(),
    /** Refuse limit prices further than this from the mid, in percent (fat-finger guard). */
    priceBandPct: positiveDecimal.nullable(),
    /** Refuse new orders for the rest of the UTC day once an account's equity fell this much since the day began. */
    dailyLossLimit: positiveDecimal.nullable(),
  })
  .strict()

/**
 * risk.set's input: the limits and the version of them the caller read (risk.get's or risk.changed's
 * `version`). When the limits were saved since (another window), the save is refused with CONFLICT rather
 * than silently undoing that window's change.
 */
export const riskSetSchema = riskLimitsSchema.extend({
  expectedVersion: z
    .number({ error: 'give the version of the limits this save was made from (risk.get’s version)' })
    .int()
    .nonnegative(),
})

export const riskViewSchema = riskLimitsSchema.extend({
  /** Set by the kill switch; new orders are refused until the user re-enables trading. */
  halted: z.boolean(),
  haltedAt: z.number().int().nullable(),
  /** The limits' version: grows with each save of them (0: never saved). The kill switch leaves it. */
  version: z.number().int().nonnegative(),
})

/** Each account's day against the daily loss limit: equity at the day's start (00:00 UTC), money moved since, and now. */
export const riskTodaySchema = z.object({
  /** The UTC day, YYYY-MM-DD. */
  day: z.string(),
  dailyLossLimit: decimalStringSchema.nullable(),
  accounts: z.array(
    z.object({
      venueId: z.string(),
      label: z.string(),
      /** Equity in USDT when the day was started for this account (null: not taken yet). */
      startEquity: decimalStringSchema.nullable(),
      startedAt: z.number().int().nullable(),
      /** Equity in USDT now (null when it cannot be valued: see error). */
      equity: decimalStringSchema.nullable(),
      /**
       * Deposits − withdrawals since the day started, in USDT at their value when they came in or left (null:
       * not started yet, or the venue cannot report them: see transfersNote).
       */
      netTransfers: decimalStringSchema.nullable(),
      /** Why transfers are not taken out of the loss ("deposits and withdrawals not known for Kraken"), or null. */
      transfersNote: z.string().nullable(),
      /** startEquity + netTransfers − equity: positive is a loss. */
      loss: decimalStringSchema.nullable(),
      /** When the loss reached the limit: only sells until 00:00 UTC. */
      breachedAt: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
})

/**
 * Orders whose cancel the venue accepted but has not confirmed yet (OKX, Bybit): they may still fill.
 * updatedAt: their 'canceling' row's; a row of the order newer than that tells how the cancel ended.
 */
const awaitingCancelSchema = z.array(z.object({ clientOrderId: z.string(), venueId: z.string(), updatedAt: z.number().int() }))

/** Orders that ended on their own (filled, expired, rejected) before their cancel reached them, and how: no failure. */
const endedBeforeCancelSchema = z.array(z.object({ clientOrderId: z.string(), venueId: z.string(), status: z.enum(['filled', 'expired', 'rejected']), how: z.string() }))

/**
 * Of the orders canceled, those that had partly filled first: what filled stays bought or sold. filled and amount
 * are the order's decimal strings (base asset), never numbers.
 */
const partlyFilledSchema = z.array(z.object({ clientOrderId: z.string(), venueId: z.string(), symbol: z.string(), filled: z.string(), amount: z.string() }))

export const killSwitchResultSchema = z.object({
  disarmed: z.number().int(),
  /** Orders the venue confirmed canceled. */
  canceled: z.number().int(),
  partlyFilled: partlyFilledSchema,
  awaiting: awaitingCancelSchema,
  ended: endedBeforeCancelSchema,
  /** Orders that may still be open: the venue would not cancel them, with its words. */
  failed: z.array(z.object({ clientOrderId: z.string(), venueId: z.string(), error: z.string() })),
  at: z.number().int(),
})

/** Where a page of order history starts: just after this order, in the history's order. */
export const historyCursorSchema = z
  .object({
    updatedAt: z.number().int().min(0),
    clientOrderId,
  })
  .strict()
export type HistoryCursor = z.infer<typeof historyCursorSchema>

/**
 * Where a page of fills starts: just after this fill, in the fills' order. Its time alone cannot say where in
 * a millisecond the page ended, so the fill is named too (a trade id is unique within an account's market:
 * Binance and OKX number each market's trades on their own).
 */
export const fillCursorSchema = z
  .object({
    timestamp: z.number().int().min(0),
    venueId,
    symbol,
    tradeId: z.string().min(1).max(256),
  })
  .strict()
export type FillCursor = z.infer<typeof fillCursorSchema>

const orderScope = z.object({
  venueId: venueId.optional(),
  symbol: symbol.optional(),
})

export const tradingCommands = {
  'orders.preview': { input: ticketSchema, output: ticketPreviewSchema },
  'orders.submit': { input: ticketSubmitSchema, output: orderViewSchema },
  'orders.cancel': { input: z.object({ clientOrderId }).strict(), output: orderViewSchema },
  'orders.cancelAll': {
    input: orderScope.strict(),
    output: z.object({ canceled: z.number().int(), partlyFilled: partlyFilledSchema, awaiting: awaitingCancelSchema, ended: endedBeforeCancelSchema, failed: killSwitchResultSchema.shape.failed }),
  },
  /** Cancel-replace with a new price and/or amount (same side, type and market). */
  'orders.amend': {
    input: z
      .object({ clientOrderId, price: marketNumber.optional(), amount: marketNumber.optional() })
      .strict()
      .refine((a) => a.price !== undefined || a.amount !== undefined, 'give a new price or a new amount'),
    output: orderViewSchema,
  },
  /**
   * Open orders (newest placed first), or finished ones ('history': the most recently finished first, those
   * of one millisecond by client id descending); with `before` (the last listed order's updatedAt and
   * client id), the history page after it.
   */
  'orders.list': {
    input: orderScope
      .extend({
        scope: z.enum(['open', 'history']).default('open'),
        limit: z.number().int().min(1).max(1000).default(200),
        before: historyCursorSchema.optional(),
      })
      .strict()
      .refine((q) => q.before === undefined || q.scope === 'history', {
        path: ['before'],
        message: 'pages back through order history (scope "history"); open orders are listed whole',
      }),
    output: z.array(orderViewSchema),
  },
  /**
   * Fills, newest first (those of one millisecond by account, then trade id, descending); with `before` (the
   * last listed fill's timestamp, account and trade id), the page after it.
   */
  'fills.list': {
    input: orderScope.extend({ limit: z.number().int().min(1).max(1000).default(200), before: fillCursorSchema.optional() }).strict(),
    output: z.array(fillViewSchema),
  },
  /** Market order that closes the spot position: sells the free base balance (buys back a short paper position). */
  'positions.flatten': { input: z.object({ venueId, symbol }).strict(), output: orderViewSchema },
  'conditional.create': { input: conditionalCreateSchema, output: z.array(conditionalViewSchema) },
  'conditional.cancel': { input: z.object({ id: z.string().min(1) }).strict(), output: z.array(conditionalViewSchema) },
  /** Moves an armed conditional order held in the app: trigger and (limit kinds) limit price, or a trailing stop's distance. */
  'conditional.amend': { input: conditionalAmendSchema, output: z.array(conditionalViewSchema) },
  'conditional.list': {
    input: orderScope.extend({ scope: z.enum(['active', 'history']).default('active'), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(conditionalViewSchema),
  },
  'risk.get': { input: z.object({}).strict(), output: riskViewSchema },
  /** Refused with CONFLICT, nothing saved, when expectedVersion is not the stored limits' version. */
  'risk.set': { input: riskSetSchema, output: riskViewSchema },
  'risk.today': { input: z.object({}).strict(), output: riskTodaySchema },
  /** Disarms every conditional order, cancels every open order on every account, halts new orders. */
  'trading.killSwitch': { input: z.object({}).strict(), output: killSwitchResultSchema },
  'trading.resume': { input: z.object({}).strict(), output: riskViewSchema },
} as const

export const tradingStreams = {
  /** Every change of an order (status, fills), as it happens. */
  'orders.changed': { params: z.object({}).strict(), payload: orderViewSchema },
  /** Each new fill; again (same venue and trade id) when a fill seen before its order's venue id gets that order. */
  'fills.recorded': { params: z.object({}).strict(), payload: fillViewSchema },
  /** Conditional orders: every state change, at once (the whole view). */
  'conditional.changed': { params: z.object({}).strict(), payload: conditionalViewSchema },
  /**
   * Live figures of the active conditional orders whose market moved, at most 4 times a second: one batch
   * for all of them (an order's live price changes with every tick; one message per order would not scale).
   */
  'conditional.live': { params: z.object({}).strict(), payload: z.object({ figures: z.array(conditionalLiveFigureSchema) }) },
  'risk.changed': { params: z.object({}).strict(), payload: riskViewSchema },
} as const

export type OrderStatus = z.output<typeof orderStatusSchema>
export type OrderOrigin = z.output<typeof orderOriginSchema>
export type Ticket = z.output<typeof ticketSchema>
export type TicketInput = z.input<typeof ticketSchema>
export type TicketSubmit = z.output<typeof ticketSubmitSchema>
export type TicketPreview = z.output<typeof ticketPreviewSchema>
export type TicketProblem = z.output<typeof ticketProblemSchema>
export type OrderView = z.output<typeof orderViewSchema>
export type FillView = z.output<typeof fillViewSchema>
export type TriggerSource = z.output<typeof triggerSourceSchema>
export type ConditionalLeg = z.output<typeof conditionalLegSchema>
export type ConditionalCreate = z.output<typeof conditionalCreateSchema>
export type ConditionalAmend = z.output<typeof conditionalAmendSchema>
export type ConditionalView = z.output<typeof conditionalViewSchema>
export type ConditionalLiveFigure = z.output<typeof conditionalLiveFigureSchema>
export type ConditionalKind = (typeof conditionalKinds)[number]
export type ConditionalStatus = (typeof conditionalStatuses)[number]
export type RiskLimits = z.output<typeof riskLimitsSchema>
export type RiskSet = z.output<typeof riskSetSchema>
export type RiskView = z.output<typeof riskViewSchema>
export type KillSwitchResult = z.output<typeof killSwitchResultSchema>
export type RiskToday = z.output<typeof riskTodaySchema>
