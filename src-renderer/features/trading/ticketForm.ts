import type { CommandInput, TicketPreview, TriggerSource } from '../../../src-main/api/contract'

// The order ticket's form as typed, and its mapping to the contract's inputs (orders.preview / submit,
// conditional.create). The engine checks and rounds everything; this only decides which fields a form
// sends and says which required field is still empty. Pure (no DOM), so it is tested in Node.

export type Side = 'buy' | 'sell'
export type OrderKind = 'market' | 'limit' | 'post-only'
export type TimeInForce = 'GTC' | 'IOC' | 'FOK'
export type SizeUnit = 'base' | 'quote' | 'percent'
export type ConditionalMode =
  | 'none'
  | 'stop-market'
  | 'stop-limit'
  | 'take-profit-market'
  | 'take-profit-limit'
  | 'trailing-stop'
  | 'oco'
  | 'bracket'

export interface ConditionalFields {
  mode: ConditionalMode
  trigger: TriggerSource
  placement: 'app' | 'exchange'
  /** Stop / take-profit: the trigger price; limit kinds also a limit price. */
  triggerPrice: string
  limitPrice: string
  trailUnit: 'percent' | 'price'
  trailValue: string
  /** Optional: the trail starts once the trigger source reaches it. */
  activationPrice: string
  /** OCO and bracket: take-profit and stop-loss legs (limit prices optional: empty = market). */
  tpTrigger: string
  tpLimit: string
  slTrigger: string
  slLimit: string
}

export interface TicketFields {
  side: Side
  kind: OrderKind
  timeInForce: TimeInForce
  size: string
  unit: SizeUnit
  price: string
  conditional: ConditionalFields
}

export interface MarketChoice {
  venueId: string
  symbol: string
}

/** Where a message belongs on the ticket. */
export type TicketField =
  | 'market'
  | 'size'
  | 'price'
  | 'timeInForce'
  | 'triggerPrice'
  | 'limitPrice'
  | 'trailValue'
  | 'activationPrice'
  | 'tpTrigger'
  | 'tpLimit'
  | 'slTrigger'
  | 'slLimit'
  | 'general'

export interface Missing {
  field: TicketField
  message: string
}

export const emptyConditional: ConditionalFields = {
  mode: 'none',
  trigger: 'last',
  placement: 'app',
  triggerPrice: '',
  limitPrice: '',
  trailUnit: 'percent',
  trailValue: '',
  activationPrice: '',
  tpTrigger: '',
  tpLimit: '',
  slTrigger: '',
  slLimit: '',
}

export const emptyTicket: TicketFields = {
  side: 'buy',
  kind: 'limit',
  timeInForce: 'GTC',
  size: '',
  unit: 'base',
  price: '',
  conditional: emptyConditional,
}

// The first group starts with 1-9: '0,500' is a decimal comma (0.5), never 500.
const GROUPED = /^[1-9]\d{0,2}(?:([, ])\d{3})(?:\1\d{3})*(?:\.\d*)?$/

/**
 * What a number field holds, trimmed, with thousands separators taken out only where they really group
 * thousands ('95,000.50' → '95000.50', '1 000' → '1000'). Anything else is left as typed for the engine to
 * refuse: '0,5' must never become 5, nor '0,500' 500.
 */
export function cleanNumber(text: string): string {
  const t = text.trim()
  return GROUPED.test(t) ? t.replace(/[, ]/g, '') : t
}

/** The conditional kinds that are one leg (stop, take-profit, trailing). */
export const singleModes = ['stop-market', 'stop-limit', 'take-profit-market', 'take-profit-limit', 'trailing-stop'] as const
export type SingleMode = (typeof singleModes)[number]
export const isSingleMode = (mode: ConditionalMode): mode is SingleMode => (singleModes as readonly string[]).includes(mode)

/** Conditional legs are sized in the base asset only (the engine sizes a bracket's legs to the entry's fill). */
export const legsNeedBase = (mode: ConditionalMode): boolean => isSingleMode(mode) || mode === 'oco'

/** Whether the ticket shows the plain order's type, time in force and price (a plain order or a bracket's entry). */
export const showsOrderFields = (mode: ConditionalMode): boolean => mode === 'none' || mode === 'bracket'

type TicketInput = CommandInput<'orders.preview'>
type ConditionalInput = CommandInput<'conditional.create'>
export type Built<T> = { ok: true; input: T } | { ok: false; missing: Missing[] }

function need(value: string, field: TicketField, message: string, missing: Missing[]): string {
  const v = cleanNumber(value)
  if (v === '') missing.push({ field, message })
  return v
}

const optional = (value: string): string | undefined => {
  const v = cleanNumber(value)
  return v === '' ? undefined : v
}

/** The size as the contract takes it. */
function sizeOf(fields: TicketFields, missing: Missing[]): TicketInput['size'] {
  const value = need(fields.size, 'size', 'Enter an amount', missing)
  return { unit: fields.unit, value }
}

/** The plain order (or a bracket's entry): type, post-only, time in force, size and price. */
function orderPart(fields: TicketFields, missing: Missing[]): Omit<TicketInput, 'venueId' | 'symbol'> {
  const size = sizeOf(fields, missing)
  if (fields.kind === 'market') {
    return { side: fields.side, type: 'market', postOnly: false, timeInForce: fields.timeInForce, size }
  }
  const price = need(fields.price, 'price', 'Enter a limit price', missing)
  const postOnly = fields.kind === 'post-only'
  return {
    side: fields.side,
    type: 'limit',
    postOnly,
    // A post-only order rests on the book: it is always good till canceled.
    timeInForce: postOnly ? 'GTC' : fields.timeInForce,
    size,
    price,
  }
}

function marketOf(market: MarketChoice | null, missing: Missing[]): MarketChoice {
  if (!market || !market.venueId || !market.symbol) {
    missing.push({ field: 'market', message: 'Choose a market' })
    return { venueId: '', symbol: '' }
  }
  return { venueId: market.venueId, symbol: market.symbol }
}

/** orders.preview / orders.submit input, or what is still missing. */
export function ticketInput(market: MarketChoice | null, fields: TicketFields): Built<TicketInput> {
  const missing: Missing[] = []
  const where = marketOf(market, missing)
  const order = orderPart(fields, missing)
  return missing.length > 0 ? { ok: false, missing } : { ok: true, input: { ...where, ...order } }
}

type Leg = Extract<ConditionalInput, { type: 'single' }>['leg']

function legOf(kind: SingleMode, fields: TicketFields, c: ConditionalFields, missing: Missing[]): Leg {
  const amount = need(fields.size, 'size', 'Enter an amount', missing)
  const base = { side: fields.side, amount, trigger: c.trigger }
  if (kind === 'trailing-stop') {
    const value = need(c.trailValue, 'trailValue', 'Enter a trailing distance', missing)
    const activationPrice = optional(c.activationPrice)
    return {
      kind,
      ...base,
      distance: { unit: c.trailUnit, value },
      ...(activationPrice === undefined ? {} : { activationPrice }),
    }
  }
  const triggerPrice = need(c.triggerPrice, 'triggerPrice', 'Enter a trigger price', missing)
  if (kind === 'stop-limit' || kind === 'take-profit-limit') {
    const limitPrice = need(c.limitPrice, 'limitPrice', 'Enter a limit price', missing)
    return { kind, ...base, triggerPrice, limitPrice }
  }
  return { kind, ...base, triggerPrice }
}

/** One take-profit or stop leg of an OCO: a limit price makes it a limit leg, none a market leg. */
function ocoLeg(which: 'tp' | 'sl', fields: TicketFields, c: ConditionalFields, missing: Missing[]): Leg {
  const amount = cleanNumber(fields.size)
  const base = { side: fields.side, amount, trigger: c.trigger }
  const trigger = which === 'tp' ? c.tpTrigger : c.slTrigger
  const triggerPrice = need(trigger, which === 'tp' ? 'tpTrigger' : 'slTrigger', 'Enter a trigger price', missing)
  const limitPrice = optional(which === 'tp' ? c.tpLimit : c.slLimit)
  if (which === 'tp') {
    return limitPrice === undefined
      ? { kind: 'take-profit-market', ...base, triggerPrice }
      : { kind: 'take-profit-limit', ...base, triggerPrice, limitPrice }
  }
  return limitPrice === undefined
    ? { kind: 'stop-market', ...base, triggerPrice }
    : { kind: 'stop-limit', ...base, triggerPrice, limitPrice }
}

/** conditional.create input for the ticket's conditional mode, or what is still missing. */
export function conditionalInput(market: MarketChoice | null, fields: TicketFields): Built<ConditionalInput> {
  const missing: Missing[] = []
  const where = marketOf(market, missing)
  const c = fields.conditional
  const done = (input: ConditionalInput): Built<ConditionalInput> => (missing.length > 0 ? { ok: false, missing } : { ok: true, input })
  if (c.mode === 'none') return { ok: false, missing: [{ field: 'general', message: 'Choose a conditional order type' }] }
  if (legsNeedBase(c.mode) && fields.unit !== 'base') {
    missing.push({ field: 'size', message: 'Conditional orders are sized in the base asset' })
  }
  if (isSingleMode(c.mode)) {
    return done({ type: 'single', ...where, placement: c.placement, leg: legOf(c.mode, fields, c, missing) })
  }
  if (c.mode === 'oco') {
    need(fields.size, 'size', 'Enter an amount', missing)
    return done({ type: 'oco', ...where, legs: [ocoLeg('tp', fields, c, missing), ocoLeg('sl', fields, c, missing)] })
  }
  // Bracket: the ticket's order is the entry; take-profit and stop-loss arm when it fills.
  const entry = orderPart(fields, missing)
  const tpTrigger = need(c.tpTrigger, 'tpTrigger', 'Enter a take-profit price', missing)
  const slTrigger = need(c.slTrigger, 'slTrigger', 'Enter a stop-loss price', missing)
  const tpLimit = optional(c.tpLimit)
  const slLimit = optional(c.slLimit)
  return done({
    type: 'bracket',
    ...where,
    entry,
    takeProfit: { triggerPrice: tpTrigger, trigger: c.trigger, ...(tpLimit === undefined ? {} : { limitPrice: tpLimit }) },
    stopLoss: { triggerPrice: slTrigger, trigger: c.trigger, ...(slLimit === undefined ? {} : { limitPrice: slLimit }) },
  })
}

const problemField: Record<TicketPreview['problems'][number]['field'], TicketField> = {
  size: 'size',
  balance: 'size',
  price: 'price',
  timeInForce: 'timeInForce',
  market: 'market',
  risk: 'general',
  book: 'general',
}

/** The preview's problems (and a form's missing fields) grouped by the ticket field they belong next to. */
export function messagesByField(items: readonly { field: TicketField; message: string }[]): Partial<Record<TicketField, string[]>> {
  const out: Partial<Record<TicketField, string[]>> = {}
  for (const item of items) (out[item.field] ??= []).push(item.message)
  return out
}

export function previewMessages(preview: TicketPreview): { field: TicketField; message: string }[] {
  return preview.problems.map((p) => ({ field: problemField[p.field], message: p.message }))
}

/**
 * Where each part of an engine refusal belongs: the contract's field paths ('size.value', 'price',
 * 'leg.triggerPrice', 'legs.1.limitPrice', 'takeProfit.triggerPrice', …) mapped to the ticket's fields.
 */
export function fieldOfPath(path: string, mode: ConditionalMode): TicketField | null {
  if (path === 'venueId' || path === 'symbol') return 'market'
  if (path.startsWith('size') || path === 'amount' || path.endsWith('.amount') || path.startsWith('entry.size')) return 'size'
  if (path === 'price' || path === 'entry.price') return 'price'
  if (path === 'timeInForce' || path === 'entry.timeInForce') return 'timeInForce'
  if (path === 'leg.triggerPrice') return 'triggerPrice'
  if (path === 'leg.limitPrice') return 'limitPrice'
  if (path.startsWith('leg.distance')) return 'trailValue'
  if (path === 'leg.activationPrice') return 'activationPrice'
  if (path.startsWith('takeProfit.')) return path.endsWith('limitPrice') ? 'tpLimit' : 'tpTrigger'
  if (path.startsWith('stopLoss.')) return path.endsWith('limitPrice') ? 'slLimit' : 'slTrigger'
  const leg = /^legs\.(\d)\.(triggerPrice|limitPrice)$/.exec(path)
  if (leg && mode === 'oco') {
    const tp = leg[1] === '0'
    if (leg[2] === 'triggerPrice') return tp ? 'tpTrigger' : 'slTrigger'
    return tp ? 'tpLimit' : 'slLimit'
  }
  return null
}

/** The paths an engine refusal of the ticket may name (for splitEngineMessage). */
export const knownPaths = [
  'venueId',
  'symbol',
  'size',
  'size.value',
  'size.unit',
  'price',
  'postOnly',
  'timeInForce',
  'amount',
  'leg.amount',
  'leg.triggerPrice',
  'leg.limitPrice',
  'leg.distance',
  'leg.distance.value',
  'leg.activationPrice',
  'legs',
  'legs.0.triggerPrice',
  'legs.0.limitPrice',
  'legs.0.amount',
  'legs.1.triggerPrice',
  'legs.1.limitPrice',
  'legs.1.amount',
  'entry.size',
  'entry.size.value',
  'entry.price',
  'entry.timeInForce',
  'takeProfit.triggerPrice',
  'takeProfit.limitPrice',
  'stopLoss.triggerPrice',
  'stopLoss.limitPrice',
] as const

/** A stable key for an input, so an answer can be matched to the form it was asked for. */
export const inputKey = (input: unknown): string => JSON.stringify(input)
