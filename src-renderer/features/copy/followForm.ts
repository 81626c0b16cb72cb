import { cleanNumber } from '../trading/ticketForm'
import { splitEngineMessage } from '../../ui/engineMessage'
import { COPY_MONEY_ASSET } from './copyLabels'
import type { FollowSettings, FollowSettingsInput } from '../../../src-main/api/schemas/copy'

// The Follow form as typed, and its mapping to copy.follow / copy.update's settings. The engine checks
// everything (a read-only follower key, a multiplier of 0, an allocation over 100 %, a symbol map onto a
// market that does not exist…); this only shapes text into the contract, says which required field is
// still empty, and puts each of the engine's refusals next to the field it is about. Pure (no DOM).

export type SizingMode = 'proportional' | 'multiplier' | 'fixed-quote'
export type GuardAction = 'off' | 'skip' | 'limit'

export interface SymbolMapRow {
  from: string
  to: string
}

export interface FollowDraft {
  leaderId: string
  followerVenueId: string
  sizingMode: SizingMode
  sizingValue: string
  allocationPct: string
  minTradeQuote: string
  maxTradeQuote: string
  sides: 'both' | 'buy' | 'sell'
  /** Symbols separated by commas or spaces. */
  allow: string
  deny: string
  symbolMap: SymbolMapRow[]
  guard: GuardAction
  maxSlippagePct: string
  maxOpenPositions: string
  dailyLossStop: string
  totalStopLoss: string
  copyExisting: boolean
  maxAgeSec: string
}

/** Where a message belongs on the form: a field, one cell of a symbol map row, or the form as a whole. */
export type FollowField =
  | 'leaderId'
  | 'followerVenueId'
  | 'sizingMode'
  | 'sizingValue'
  | 'allocationPct'
  | 'minTradeQuote'
  | 'maxTradeQuote'
  | 'sides'
  | 'allow'
  | 'deny'
  | 'symbolMap'
  | `symbolMap.${number}.from`
  | `symbolMap.${number}.to`
  | 'guard'
  | 'maxSlippagePct'
  | 'maxOpenPositions'
  | 'dailyLossStop'
  | 'totalStopLoss'
  | 'copyExisting'
  | 'maxAgeSec'
  | 'general'

export type FieldMessages = Partial<Record<FollowField, string>>

/** The paper account of the embedded simulated exchange: the follower a new user has at once. */
export const DEFAULT_FOLLOWER = 'sim'

export function emptyDraft(leaderId = '', followerVenueId = DEFAULT_FOLLOWER): FollowDraft {
  return {
    leaderId,
    followerVenueId,
    sizingMode: 'fixed-quote',
    sizingValue: '',
    allocationPct: '10',
    minTradeQuote: '',
    maxTradeQuote: '',
    sides: 'both',
    allow: '',
    deny: '',
    symbolMap: [],
    guard: 'off',
    maxSlippagePct: '',
    maxOpenPositions: '',
    dailyLossStop: '',
    totalStopLoss: '',
    copyExisting: false,
    maxAgeSec: '60',
  }
}

/** The form filled with a relationship's saved settings (for editing). */
export function draftOf(s: FollowSettings): FollowDraft {
  return {
    leaderId: s.leaderId,
    followerVenueId: s.followerVenueId,
    sizingMode: s.sizing.mode,
    sizingValue: s.sizing.mode === 'proportional' ? '' : s.sizing.value,
    allocationPct: s.allocationPct,
    minTradeQuote: s.minTradeQuote ?? '',
    maxTradeQuote: s.maxTradeQuote ?? '',
    sides: s.sides,
    allow: s.allow.join(', '),
    deny: s.deny.join(', '),
    symbolMap: s.symbolMap.map((m) => ({ from: m.from, to: m.to })),
    guard: s.priceGuard ? s.priceGuard.action : 'off',
    maxSlippagePct: s.priceGuard?.maxSlippagePct ?? '',
    maxOpenPositions: s.maxOpenPositions === null ? '' : String(s.maxOpenPositions),
    dailyLossStop: s.dailyLossStop ?? '',
    totalStopLoss: s.totalStopLoss ?? '',
    copyExisting: s.copyExisting,
    maxAgeSec: String(s.maxAgeSec),
  }
}

/** 'btc/usdt, ETH/USDT  sol/usdt' → ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] (as typed otherwise: the engine checks). */
export function symbolList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s !== '')
}

const optionalDecimal = (text: string): string | null => {
  const v = cleanNumber(text)
  return v === '' ? null : v
}

const WHOLE = /^\d+$/

export type FollowInputResult = { ok: true; input: FollowSettingsInput } | { ok: false; messages: FieldMessages }

/**
 * The form to the contract's settings. Required fields that are still empty, and whole-number fields that
 * hold something else, are said here (nothing is sent); everything else is the engine's to judge.
 */
export function followInput(d: FollowDraft): FollowInputResult {
  const messages: FieldMessages = {}
  if (d.leaderId === '') messages.leaderId = 'Choose the leader to follow'
  if (d.followerVenueId === '') messages.followerVenueId = 'Choose the account that copies'
  const sizingValue = cleanNumber(d.sizingValue)
  if (d.sizingMode !== 'proportional' && sizingValue === '') {
    messages.sizingValue = d.sizingMode === 'multiplier' ? 'Enter the multiplier of the leader’s size' : `Enter the ${COPY_MONEY_ASSET} amount per copied trade`
  }
  const allocationPct = cleanNumber(d.allocationPct)
  if (allocationPct === '') messages.allocationPct = 'Enter the share of the follower’s equity (%)'
  const maxOpen = d.maxOpenPositions.trim()
  if (maxOpen !== '' && !WHOLE.test(maxOpen)) messages.maxOpenPositions = 'a whole number of positions, or empty for no limit'
  const maxAge = d.maxAgeSec.trim()
  if (maxAge === '') messages.maxAgeSec = 'Enter the age in seconds after which a leader fill is too old to copy'
  else if (!WHOLE.test(maxAge)) messages.maxAgeSec = 'a whole number of seconds'
  const slippage = cleanNumber(d.maxSlippagePct)
  if (d.guard !== 'off' && slippage === '') messages.maxSlippagePct = 'Enter how much worse than the leader’s price (%) is allowed'
  d.symbolMap.forEach((row, i) => {
    const from = row.from.trim()
    const to = row.to.trim()
    if (from === '' && to === '') return
    if (from === '') messages[`symbolMap.${i}.from`] = 'the leader’s market'
    if (to === '') messages[`symbolMap.${i}.to`] = 'the follower’s market'
  })
  if (Object.keys(messages).length > 0) return { ok: false, messages }

  const sizing: FollowSettingsInput['sizing'] =
    d.sizingMode === 'proportional' ? { mode: 'proportional' } : { mode: d.sizingMode, value: sizingValue }
  return {
    ok: true,
    input: {
      leaderId: d.leaderId,
      followerVenueId: d.followerVenueId,
      sizing,
      allocationPct,
      minTradeQuote: optionalDecimal(d.minTradeQuote),
      maxTradeQuote: optionalDecimal(d.maxTradeQuote),
      sides: d.sides,
      allow: symbolList(d.allow),
      deny: symbolList(d.deny),
      // Empty rows are left out; the rest go as typed (upper-cased) for the engine to check against its markets.
      symbolMap: d.symbolMap
        .filter((r) => r.from.trim() !== '' || r.to.trim() !== '')
        .map((r) => ({ from: r.from.trim().toUpperCase(), to: r.to.trim().toUpperCase() })),
      priceGuard: d.guard === 'off' ? null : { maxSlippagePct: slippage, action: d.guard },
      maxOpenPositions: maxOpen === '' ? null : Number(maxOpen),
      dailyLossStop: optionalDecimal(d.dailyLossStop),
      totalStopLoss: optionalDecimal(d.totalStopLoss),
      copyExisting: d.copyExisting,
      maxAgeSec: Number(maxAge),
    },
  }
}

const SIMPLE: Record<string, FollowField> = {
  leaderId: 'leaderId',
  followerVenueId: 'followerVenueId',
  sizing: 'sizingMode',
  'sizing.mode': 'sizingMode',
  'sizing.value': 'sizingValue',
  allocationPct: 'allocationPct',
  minTradeQuote: 'minTradeQuote',
  maxTradeQuote: 'maxTradeQuote',
  sides: 'sides',
  allow: 'allow',
  deny: 'deny',
  symbolMap: 'symbolMap',
  priceGuard: 'guard',
  'priceGuard.action': 'guard',
  'priceGuard.maxSlippagePct': 'maxSlippagePct',
  maxOpenPositions: 'maxOpenPositions',
  dailyLossStop: 'dailyLossStop',
  totalStopLoss: 'totalStopLoss',
  copyExisting: 'copyExisting',
  maxAgeSec: 'maxAgeSec',
}

/**
 * The field a path of the engine's message names: 'allocationPct', 'settings.sizing.value' (copy.update
 * nests the settings), 'allow.3' (one symbol of the list), 'symbolMap.0.to'. Null for anything else.
 */
export function fieldOfPath(path: string): FollowField | null {
  const p = path.replace(/^settings\./, '')
  if (SIMPLE[p]) return SIMPLE[p]
  const list = /^(allow|deny)\.\d+$/.exec(p)
  if (list) return list[1] as 'allow' | 'deny'
  const row = /^symbolMap\.(\d+)(?:\.(from|to))?$/.exec(p)
  if (row) return row[2] ? (`symbolMap.${Number(row[1])}.${row[2] as 'from' | 'to'}` as FollowField) : 'symbolMap'
  return null
}

/** Every path the engine may name for this form (splitEngineMessage needs them listed). */
export function knownPaths(rows: number, allow: number, deny: number): string[] {
  const base = [...Object.keys(SIMPLE)]
  for (let i = 0; i < rows; i++) base.push(`symbolMap.${i}`, `symbolMap.${i}.from`, `symbolMap.${i}.to`)
  for (let i = 0; i < allow; i++) base.push(`allow.${i}`)
  for (let i = 0; i < deny; i++) base.push(`deny.${i}`)
  return [...base, ...base.map((p) => `settings.${p}`)]
}

/**
 * A refusal that names no field path ("The key of Binance main is read-only: …") still belongs next to the
 * field it is about: the follower account, the multiplier, the allocation, a symbol map row.
 */
function fieldOfSentence(message: string, input: FollowSettingsInput): FollowField | null {
  const m = message.toLowerCase()
  if (/read[- ]only|trade permission|cannot trade|can't trade|no trading/.test(m)) return 'followerVenueId'
  if (/symbol map|mapped|map(s|ping)? onto/.test(m) || /no market|not a market|does not exist|doesn't exist|unknown market/.test(m)) {
    const map = input.symbolMap ?? []
    // The row whose both markets the sentence names, else the one whose target it names.
    let row = map.findIndex((r) => message.includes(r.from) && message.includes(r.to))
    if (row < 0) row = map.findIndex((r) => message.includes(r.to))
    if (row >= 0) return `symbolMap.${row}.to` as FollowField
    return map.length > 0 ? 'symbolMap' : null
  }
  if (/multiplier/.test(m)) return 'sizingValue'
  if (/allocation/.test(m)) return 'allocationPct'
  if (/deny list/.test(m)) return 'deny'
  if (/minimum trade/.test(m)) return 'minTradeQuote'
  if (/maximum trade/.test(m)) return 'maxTradeQuote'
  if (/follower|follow itself/.test(m)) return 'followerVenueId'
  if (/^no leader|leader "/.test(m)) return 'leaderId'
  return null
}

/** The engine's refusal of a follow / update, split over the form's fields (what names none goes to 'general'). */
export function splitRefusal(message: string, input: FollowSettingsInput): FieldMessages {
  const split = splitEngineMessage(message, knownPaths(input.symbolMap?.length ?? 0, input.allow?.length ?? 0, input.deny?.length ?? 0))
  const out: FieldMessages = {}
  const add = (field: FollowField, text: string) => (out[field] = out[field] ? `${out[field]}; ${text}` : text)
  for (const [path, text] of Object.entries(split.fields)) add(fieldOfPath(path) ?? 'general', text)
  if (split.general) {
    const about = Object.keys(split.fields).length === 0 ? fieldOfSentence(split.general, input) : null
    add(about ?? 'general', split.general)
  }
  return out
}

/** The fields in the order the form shows them (the first with a message gets focus). */
export const fieldOrder = (rows: number): FollowField[] => [
  'leaderId',
  'followerVenueId',
  'sizingMode',
  'sizingValue',
  'allocationPct',
  'minTradeQuote',
  'maxTradeQuote',
  'sides',
  'allow',
  'deny',
  'symbolMap',
  ...Array.from({ length: rows }, (_, i) => [`symbolMap.${i}.from`, `symbolMap.${i}.to`] as FollowField[]).flat(),
  'guard',
  'maxSlippagePct',
  'maxOpenPositions',
  'dailyLossStop',
  'totalStopLoss',
  'copyExisting',
  'maxAgeSec',
  'general',
]
