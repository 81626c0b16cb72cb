import { create } from 'zustand'
import { api, ApiError } from '../../api'
import { splitEngineMessage } from '../../ui/engineMessage'
import { onPricePicked, ticketMarket, useTicketMarket } from './ticketMarket'
import { useVenues, venueName } from '../markets/venuesStore'
import { messageOf, useOrders } from './ordersStore'
import { venueMarketsOf } from './venueMarkets'
import { intentFor, RESEND_IS_SAFE, type TicketIntent } from './ticketIntent'
import {
  conditionalInput,
  emptyTicket,
  fieldOfPath,
  inputKey,
  knownPaths,
  ticketInput,
  type ConditionalFields,
  type ConditionalMode,
  type MarketChoice,
  type Missing,
  type TicketField,
  type TicketFields,
} from './ticketForm'
import type { ConditionalView, TicketPreview } from '../../../src-main/api/contract'

// The order ticket's state: the form (its price lives in useTicketMarket, so the ladder can set it), the
// engine's preview of what it would send, and what the last submission gave. One ticket per screen; the
// hotkeys (focus buy/sell, submit) act on it wherever it is mounted.

export type FieldMessages = Partial<Record<TicketField, string>>

/** The symbol field's text while it names no market, for the market the ticket was on when it was typed. */
export interface SymbolDraft {
  venueId: string | null
  on: string | null
  text: string
  /** Which draft this is (an answer about an older one is dropped). */
  seq: number
  /**
   * What is known of it: not looked up yet ('checking'), 'unknown' once neither the picker's list nor the
   * engine has it, or why the engine could not say (its venue's markets failed to load).
   */
  check: 'checking' | 'unknown' | { error: string }
}

export interface PreviewState {
  /** inputKey of the input the answer is for: a preview of another input is not shown. */
  key: string
  value: TicketPreview | null
  /** The engine refused the input itself (not a ticket problem): its words, split over the fields. */
  error: FieldMessages | null
}

export type Submitted =
  | { kind: 'order'; clientOrderId: string }
  | { kind: 'conditional'; views: ConditionalView[] }

interface TicketState {
  fields: Omit<TicketFields, 'price'>
  preview: PreviewState | null
  /** Missing fields, shown once the user tried to send. */
  missing: Missing[]
  submitting: boolean
  /** Why the last submission was refused, by field. */
  submitError: FieldMessages | null
  /** The connection dropped after the last submission left: it may have been placed (not a refusal). */
  submitUnknown: string | null
  submitted: Submitted | null
  /** The idempotency key of the order being sent, kept after OUTCOME_UNKNOWN for a safe resend. */
  intent: TicketIntent | null
  /** Client order ids sent from the ticket this session, oldest first ("cancel the last order"). */
  sent: string[]
  /** Mounted ticket panels (the hotkeys bring one up when there is none). */
  mounted: number
  /** What the symbol field holds when it is not the ticket's market (a typo): the send is refused meanwhile. */
  symbolDraft: SymbolDraft | null
  /** The symbol field's text that names no market (null: the field shows the ticket's market). */
  setSymbolDraft(text: string | null): void
  /** What the lookup found of draft `seq` (ignored once another draft replaced it). */
  setSymbolCheck(seq: number, check: SymbolDraft['check']): void
  set(patch: Partial<Omit<TicketFields, 'price' | 'conditional'>>): void
  setConditional(patch: Partial<ConditionalFields>): void
}

// An edit makes another order: its send gets a new idempotency key.
const clearErrors = (): Pick<TicketState, 'missing' | 'submitError' | 'intent'> => ({ missing: [], submitError: null, intent: null })

let draftSeq = 0

export const useTicket = create<TicketState>()((set) => ({
  fields: { ...emptyTicket },
  preview: null,
  missing: [],
  submitting: false,
  submitError: null,
  submitUnknown: null,
  submitted: null,
  intent: null,
  sent: [],
  mounted: 0,
  symbolDraft: null,
  setSymbolDraft(text) {
    const { venueId, symbol } = useTicketMarket.getState()
    set({ symbolDraft: text === null ? null : { venueId, on: symbol, text, seq: ++draftSeq, check: 'checking' }, ...clearErrors() })
  },
  setSymbolCheck(seq, check) {
    set((s) => (s.symbolDraft?.seq === seq ? { symbolDraft: { ...s.symbolDraft, check }, submitError: null } : {}))
  },
  set(patch) {
    set((s) => ({ fields: { ...s.fields, ...patch }, ...clearErrors() }))
  },
  setConditional(patch) {
    set((s) => ({ fields: { ...s.fields, conditional: { ...s.fields.conditional, ...patch } }, ...clearErrors() }))
  },
}))

// A price picked on the ladder while the ticket is on a market order makes it a limit order at that price.
onPricePicked(() => {
  const { fields, set } = useTicket.getState()
  if (fields.kind === 'market') set({ kind: 'limit' })
})

// A market change clears the conditional prices (trigger, limit, activation, OCO / bracket legs, and a trail
// distance given in price units): they were typed in the old market's quote, and carried over they make
// orders nobody meant — a 500 USDT trail typed for BTC, sent on XRP at 2 USDT, could never fire. A percent
// trail means the same on any market and stays; the amount stays, as for a plain order (its unit is shown
// beside it). useTicketMarket clears the plain limit price itself.
useTicketMarket.subscribe((now, before) => {
  if (before.venueId === null || (now.venueId === before.venueId && now.symbol === before.symbol)) return
  const { fields, setConditional } = useTicket.getState()
  setConditional({
    triggerPrice: '',
    limitPrice: '',
    activationPrice: '',
    tpTrigger: '',
    tpLimit: '',
    slTrigger: '',
    slLimit: '',
    ...(fields.conditional.trailUnit === 'price' ? { trailValue: '' } : {}),
  })
})

/**
 * The symbol field's text when it names no market of the ticket's venue (typed since the ticket's market
 * was set), else null. A blank field is not a market change: the ticket stays on its market.
 */
export function unknownSymbol(draft: SymbolDraft | null = useTicket.getState().symbolDraft): string | null {
  const { venueId, symbol } = useTicketMarket.getState()
  if (draft === null || draft.venueId !== venueId || draft.on !== symbol || draft.text.trim() === '') return null
  return draft.text.trim()
}

/**
 * Why a symbol field's text is not sent: a typo only once neither the venue's market list nor the engine has
 * it (the picker's list holds the first 500 markets, none while loading).
 */
function draftRefusal(typed: string, venueId: string, check: SymbolDraft['check']): string {
  const venue = venueName(useVenues.getState(), venueId).label
  if (check === 'unknown') return `${typed} is not a market of ${venue}`
  if (typeof check === 'object') return check.error
  if (!venueMarketsOf(venueId).loaded) return `Markets of ${venue} are still loading`
  return `Still looking up ${typed} on ${venue}: send again in a moment`
}

/** Why orders cannot go to `venueId` (it is not among the venues, once they are loaded), or null. */
function goneVenue(venueId: string): string | null {
  const venues = useVenues.getState()
  if (venues.status !== 'ready' || venues.venues.some((v) => v.id === venueId)) return null
  const former = venues.former[venueId]
  return `${former !== undefined ? `${former} was removed` : `No venue "${venueId}"`}: pick a market of another account`
}

/** The whole form, price included. */
export function currentFields(): TicketFields {
  return { ...useTicket.getState().fields, price: useTicketMarket.getState().price }
}

/** Switches the conditional mode; conditional legs are sized in base units, so a quote / % size is cleared. */
export function setConditionalMode(mode: ConditionalMode): void {
  const { fields, set, setConditional } = useTicket.getState()
  if (mode !== 'none' && mode !== 'bracket' && fields.unit !== 'base') set({ unit: 'base', size: '' })
  setConditional({ mode })
}

/** An engine refusal split over the ticket's fields (what names no field goes to 'general'). */
export function splitRefusal(message: string, mode: ConditionalMode): FieldMessages {
  const split = splitEngineMessage(message, knownPaths)
  const out: FieldMessages = {}
  const add = (field: TicketField, text: string) => (out[field] = out[field] ? `${out[field]}; ${text}` : text)
  for (const [path, text] of Object.entries(split.fields)) add(fieldOfPath(path, mode) ?? 'general', text)
  if (split.general) add('general', split.general)
  return out
}

/** The input the ticket previews: the plain order, or a bracket's entry; null for other conditional kinds. */
export function previewInput(fields: TicketFields, market: MarketChoice | null) {
  const mode = fields.conditional.mode
  if (mode !== 'none' && mode !== 'bracket') return null
  return ticketInput(market, fields)
}

export type SubmitOutcome = 'sent' | 'missing' | 'problems' | 'refused' | 'unknown' | 'busy'

/** Whether the engine's preview of this very form lists problems or refused it (then nothing is sent). */
function previewRefuses(fields: TicketFields): boolean {
  const previewed = previewInput(fields, ticketMarket())
  const preview = useTicket.getState().preview
  if (previewed === null || !previewed.ok || preview?.key !== inputKey(previewed.input)) return false
  return preview.error !== null || (preview.value !== null && !preview.value.ok)
}

/**
 * Sends one input with its idempotency key: the key kept from a send whose answer was lost when the input
 * is the same, else a new one. Only OUTCOME_UNKNOWN keeps it for the next send.
 */
async function send(mode: ConditionalMode, input: string, call: (idempotencyKey: string) => Promise<Submitted>): Promise<SubmitOutcome> {
  const intent = intentFor(useTicket.getState().intent, input)
  useTicket.setState({ submitting: true, missing: [], submitError: null, submitUnknown: null, intent })
  try {
    const submitted = await call(intent.key)
    useTicket.setState((s) => ({
      submitted,
      intent: null,
      sent: submitted.kind === 'order' ? [...s.sent, submitted.clientOrderId] : s.sent,
    }))
    return 'sent'
  } catch (err) {
    // The order may have gone through: say so (the form stays), never as the engine's refusal. The same
    // form sent again carries the same key, so the engine answers with that order rather than a second one.
    if (err instanceof ApiError && err.code === 'OUTCOME_UNKNOWN') {
      useTicket.setState({ submitUnknown: RESEND_IS_SAFE })
      return 'unknown'
    }
    useTicket.setState({ submitError: splitRefusal(messageOf(err), mode), intent: null })
    return 'refused'
  } finally {
    useTicket.setState({ submitting: false })
  }
}

/**
 * Sends the ticket: a plain order (orders.submit) or a conditional order (conditional.create). Nothing is
 * sent while a field is empty or while the engine's preview of this very input lists problems.
 */
export async function submitTicket(): Promise<SubmitOutcome> {
  if (useTicket.getState().submitting) return 'busy'
  // The field shows another market than the ticket is on: sending would trade the one the user left.
  const typed = unknownSymbol()
  const venueId = useTicketMarket.getState().venueId
  if (typed !== null && venueId !== null) {
    useTicket.setState({ missing: [], submitError: { market: draftRefusal(typed, venueId, useTicket.getState().symbolDraft!.check) } })
    return 'refused'
  }
  // A saved view on a venue since removed still sets the ticket's market: the engine would refuse it
  // (NOT_FOUND); say so on the market before sending anything.
  const gone = venueId === null ? null : goneVenue(venueId)
  if (gone !== null) {
    useTicket.setState({ missing: [], submitError: { market: gone } })
    return 'refused'
  }
  const fields = currentFields()
  const mode = fields.conditional.mode
  const market = ticketMarket()
  const missing = (items: Missing[]): SubmitOutcome => {
    useTicket.setState({ missing: items, submitError: null })
    return 'missing'
  }
  if (mode === 'none') {
    const built = ticketInput(market, fields)
    if (!built.ok) return missing(built.missing)
    if (previewRefuses(fields)) return 'problems'
    return send(mode, `orders.submit ${inputKey(built.input)}`, async (idempotencyKey) => {
      const order = await api.invoke('orders.submit', { ...built.input, idempotencyKey })
      useOrders.getState().orderChanged(order)
      return { kind: 'order', clientOrderId: order.clientOrderId }
    })
  }
  const built = conditionalInput(market, fields)
  if (!built.ok) return missing(built.missing)
  if (previewRefuses(fields)) return 'problems'
  return send(mode, `conditional.create ${inputKey(built.input)}`, async (idempotencyKey) => {
    const views = await api.invoke('conditional.create', { ...built.input, idempotencyKey })
    for (const v of views) useOrders.getState().conditionalChanged(v)
    return { kind: 'conditional', views }
  })
}
