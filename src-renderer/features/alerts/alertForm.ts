import { create } from 'zustand'
import { conditionFor } from './alertsModel'
import { cleanNumber } from '../trading/ticketForm'
import type { AlertCondition, AlertCreateInput, TriggerSource } from '../../../src-main/api/contract'

// The new-alert form's draft: screen state, kept in a store so "New price alert" (Alt+L) can fill it with
// the Trade page's market and picked price before the page shows it.

export interface AlertDraft {
  venueId: string
  symbol: string
  /** null: follow the price (up to a level above it, down to one below). */
  condition: AlertCondition | null
  price: string
  source: TriggerSource
  note: string
  desktop: boolean
  webhookUrl: string
  repeat: boolean
  email: boolean
}

export const emptyDraft: AlertDraft = {
  venueId: 'sim',
  symbol: 'BTC/USDT',
  condition: null,
  price: '',
  source: 'last',
  note: '',
  desktop: true,
  webhookUrl: '',
  repeat: false,
  email: false,
}

interface AlertFormState {
  draft: AlertDraft
  edit(patch: Partial<AlertDraft>): void
  prefill(venueId: string, symbol: string, price: string): void
  reset(): void
}

export const useAlertForm = create<AlertFormState>()((set) => ({
  draft: emptyDraft,
  edit: (patch) => set((s) => ({ draft: { ...s.draft, ...patch } })),
  prefill: (venueId, symbol, price) => set((s) => ({ draft: { ...s.draft, venueId, symbol, price, condition: null, note: '' } })),
  // After a creation: the market, source and channels stay for the next alert.
  reset: () => set((s) => ({ draft: { ...s.draft, price: '', condition: null, note: '' } })),
}))

/** The direction the form offers when the user left it to the price: up to a level above it, down to one below. */
export function guessedCondition(d: Pick<AlertDraft, 'price'>, now: string | null): AlertCondition | null {
  return conditionFor(cleanNumber(d.price), now)
}

/** The command for a draft; the condition is the guessed one when the user left it to the price. */
export function createInput(d: AlertDraft, guessed: AlertCondition | null): AlertCreateInput {
  const note = d.note.trim()
  const url = d.webhookUrl.trim()
  return {
    venueId: d.venueId,
    symbol: d.symbol.trim(),
    condition: d.condition ?? guessed ?? 'above',
    // Only separators that group thousands go: '94526,5' is left for the engine to refuse, never 945265.
    price: cleanNumber(d.price),
    source: d.source,
    ...(note ? { note } : {}),
    desktop: d.desktop,
    webhookUrl: url === '' ? null : url,
    repeat: d.repeat,
    email: d.email,
  }
}
