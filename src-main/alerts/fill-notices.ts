import Decimal from 'decimal.js'
import type { EventBus } from '../bus'
import type { FillRecord } from '../trading/model'
import type { Notice } from '../api/schemas/alerts'
import type { DesktopNotifier } from './engine'

// Notices of the user's own fills (the 'alerts.fills' setting). Fills that arrive within a second of the
// first are said together (a market order sweeping several levels is one notice, not five), with the
// exact total and average price. A fill older than a minute when it is recorded (recovered by a
// reconciliation after a restart) is not news and is not said.

export type NoticeMode = 'off' | 'app' | 'desktop'

export interface FillNoticeDeps {
  bus: EventBus
  mode: () => NoticeMode
  notifier: DesktopNotifier | null
  labelOf: (venueId: string) => string
  now: () => number
  windowMs?: number
  maxAgeMs?: number
}

/** Title and body for fills said together. */
export function fillNoticeText(fills: readonly FillRecord[], labelOf: (venueId: string) => string): { title: string; body: string } {
  const first = fills[0] as FillRecord
  const oneMarket = fills.every((f) => f.venueId === first.venueId && f.symbol === first.symbol && f.side === first.side)
  if (!oneMarket) {
    const markets = [...new Set(fills.map((f) => f.symbol))]
    return { title: `${fills.length} fills`, body: `${markets.join(', ')} on ${[...new Set(fills.map((f) => labelOf(f.venueId)))].join(', ')}` }
  }
  let amount = new Decimal(0)
  let cost = new Decimal(0)
  for (const f of fills) {
    amount = amount.plus(f.amount)
    cost = cost.plus(new Decimal(f.price).times(f.amount))
  }
  const [base] = first.symbol.split('/')
  const verb = first.side === 'buy' ? 'Bought' : 'Sold'
  const price = fills.length === 1 ? first.price : cost.div(amount).toDecimalPlaces(8).toFixed()
  const title = `${verb} ${amount.toFixed()} ${base} · ${first.symbol}`
  const body = `${fills.length === 1 ? 'at' : `avg ${fills.length} fills at`} ${price} on ${labelOf(first.venueId)}`
  return { title, body }
}

/** Follows orderFilled; returns the stop. */
export function startFillNotices(deps: FillNoticeDeps): () => void {
  const windowMs = deps.windowMs ?? 1000
  const maxAgeMs = deps.maxAgeMs ?? 60_000
  let pending: FillRecord[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    timer = null
    const fills = pending
    pending = []
    const mode = deps.mode()
    if (fills.length === 0 || mode === 'off') return
    const { title, body } = fillNoticeText(fills, deps.labelOf)
    const notice: Notice = { kind: 'fill', title, body, at: deps.now(), desktop: mode === 'desktop', severity: 'info' }
    deps.bus.emit('noticeRaised', { notice })
    if (notice.desktop) deps.notifier?.notify(title, body)
  }
  const off = deps.bus.on('orderFilled', ({ fill }) => {
    if (deps.mode() === 'off' || deps.now() - fill.timestamp > maxAgeMs) return
    pending.push(fill)
    timer ??= setTimeout(flush, windowMs)
  })
  return () => {
    off()
    if (timer !== null) clearTimeout(timer)
    timer = null
    pending = []
  }
}
