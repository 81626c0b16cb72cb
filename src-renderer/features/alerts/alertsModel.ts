import { compareDecimal, midpoint } from '../../ui/decimal'
import type { AlertCondition, AlertEvent, AlertView } from '../../../src-main/api/contract'

// The alerts lists as the engine reports them, kept current from its streams, and the few words and
// guesses the screen adds. Pure (no DOM), so it is tested in Node.

export const ENDED_CAP = 200
export const EVENTS_CAP = 200

/** A price or risk alert as the lists need it. */
interface Listed {
  id: string
  status: AlertView['status']
  createdAt: number
}

export interface AlertLists<T extends Listed = AlertView> {
  active: T[]
  ended: T[]
}

/** An alert's new state (price or risk): it moves to (or stays in) the list of its status, newest first. */
export function applyAlert<T extends Listed>(lists: AlertLists<T>, view: T): AlertLists<T> {
  const active = lists.active.filter((a) => a.id !== view.id)
  const ended = lists.ended.filter((a) => a.id !== view.id)
  if (view.status === 'active') {
    active.push(view)
    active.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
    return { active, ended }
  }
  return { active, ended: [view, ...ended].slice(0, ENDED_CAP) }
}

/** A fired alert (new: first in the list) or its webhook's outcome (the same entry, replaced). */
export function applyEvent(events: readonly AlertEvent[], event: AlertEvent): { events: AlertEvent[]; isNew: boolean } {
  const at = events.findIndex((e) => e.id === event.id)
  if (at >= 0) return { events: events.map((e, i) => (i === at ? event : e)), isNew: false }
  return { events: [event, ...events].slice(0, EVENTS_CAP), isNew: true }
}

/** The way the price must go to reach a level from where it is: up to it ('above') or down ('below'). */
export function conditionFor(level: string, current: string | null): AlertCondition | null {
  if (current === null || !/^\d+(\.\d+)?$/.test(level)) return null
  const c = compareDecimal(level, current)
  return c > 0 ? 'above' : c < 0 ? 'below' : null
}

/** How far the price still has to go, in % of the current price (display only); null when unknown. */
export function distancePct(level: string, current: string | null): number | null {
  if (current === null) return null
  const cur = Number(current)
  if (!(cur > 0)) return null
  return ((Number(level) - cur) / cur) * 100
}

export const conditionWords: Record<AlertCondition, string> = { above: 'rises to', below: 'falls to' }

/** What a delivery column (webhook, email) says of an event. */
export function deliveryWords(status: AlertEvent['webhook'], detail: string | null): string {
  if (status === null) return '—'
  if (status === 'pending') return 'sending…'
  return `${status === 'delivered' ? 'delivered' : 'failed'}${detail ? ` (${detail})` : ''}`
}

/** A ticker's price for an alert's source (the mid exactly, as the engine takes it); null when unknown. */
export function tickerPrice(t: { last: string | null; bid: string | null; ask: string | null } | null | undefined, source: AlertView['source']): string | null {
  if (!t) return null
  if (source === 'last') return t.last
  if (source === 'bid') return t.bid
  if (source === 'ask') return t.ask
  if (t.bid === null || t.ask === null) return null
  return midpoint(t.bid, t.ask)
}
