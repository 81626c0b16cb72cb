import type { EventBus } from '../bus'
import type { ConditionalView } from '../api/schemas/trading'
import type { Notice } from '../api/schemas/alerts'
import type { DesktopNotifier } from './engine'
import type { NoticeMode } from './fill-notices'

// Notices of the user's conditional orders (the 'alerts.conditional' setting): a stop, take-profit or
// trailing stop that triggered (its order was sent) and, as an error, one whose order was refused — the
// trader's worst case is a stop that silently did not work. Said once per leg and state; a state older
// than a minute when it is reported (re-emitted at start) is not news.

/** A conditional order's kind as the user reads it (notices and the activity feed). */
export const kindWords: Record<ConditionalView['kind'], string> = {
  'stop-market': 'Stop',
  'stop-limit': 'Stop-limit',
  'take-profit-market': 'Take-profit',
  'take-profit-limit': 'Take-profit limit',
  'trailing-stop': 'Trailing stop',
}

/** Title and body of a triggered or failed conditional order; null for any other state. */
export function conditionalNoticeText(v: ConditionalView): { title: string; body: string; severity: Notice['severity'] } | null {
  const what = `${kindWords[v.kind]} ${v.side} ${v.amount} ${v.symbol}`
  const at = v.triggerPrice === null ? '' : ` at ${v.triggerPrice} (${v.trigger})`
  if (v.status === 'triggered') return { title: `${what} triggered`, body: `Triggered${at}; its order was sent to ${v.venueLabel}`, severity: 'info' }
  if (v.status === 'failed') return { title: `${what} failed`, body: v.reason ?? `Its order was refused by ${v.venueLabel}`, severity: 'error' }
  return null
}

export interface ConditionalNoticeDeps {
  bus: EventBus
  mode: () => NoticeMode
  notifier: DesktopNotifier | null
  now: () => number
  maxAgeMs?: number
}

/** Follows conditionalChanged; returns the stop. */
export function startConditionalNotices(deps: ConditionalNoticeDeps): () => void {
  const maxAgeMs = deps.maxAgeMs ?? 60_000
  // Legs and states already said (bounded: the oldest are forgotten first).
  const said = new Set<string>()
  return deps.bus.on('conditionalChanged', ({ view }) => {
    const mode = deps.mode()
    if (mode === 'off' || deps.now() - view.updatedAt > maxAgeMs) return
    const text = conditionalNoticeText(view)
    const key = `${view.id}\u0000${view.status}`
    if (text === null || said.has(key)) return
    said.add(key)
    if (said.size > 2000) said.delete(said.values().next().value as string)
    const notice: Notice = { kind: 'conditional', title: text.title, body: text.body, at: deps.now(), desktop: mode === 'desktop', severity: text.severity }
    deps.bus.emit('noticeRaised', { notice })
    if (notice.desktop) deps.notifier?.notify(text.title, text.body)
  })
}
