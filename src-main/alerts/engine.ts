import Decimal from 'decimal.js'
import crypto from 'node:crypto'
import type { EventBus } from '../bus'
import type { Logger } from '../log'
import type { Db } from '../store/open'
import type { MarketTick, TickSource } from '../trading/model'
import type { MarketInfo } from '../venues/port'
import { AppError, messageOf } from '../api/errors'
import type { AlertCreate, AlertEvent, AlertStatus, AlertView } from '../api/schemas/alerts'
import { AlertStore, type StoredRule } from './store'
import { alreadyReachedMessage, firedTexts, reached, rearmLevel, sourcePrice } from './rules'
import type { WebhookOptions } from './webhook'
import { NO_WEBHOOK, hasWebhook, webhookView, type WebhookSecrets } from './webhook-secrets'
import { AlertDeliveries } from './delivery'
import type { EmailChannel } from './email'

// Price alerts held by the engine. An active alert watches its market through the same TickSource as the
// conditional orders (top of book and health from the shared book loop, last price from the raw trades):
// a book that is not live fires nothing, and the alert says why it waits. An alert fires once: its end and
// its notification-centre entry are written in one transaction before anyone is told; then the screen
// (stream), the desktop (the shell's notifier, when asked) and the webhook (when given) hear of it.
// Active alerts live in SQLite and re-arm at start.

/** Shows a desktop notification; the Electron shell provides it (rule 1: only shell/ imports electron). */
export interface DesktopNotifier {
  notify(title: string, body: string): void
}

export interface AlertEngineDeps {
  db: Db
  bus: EventBus
  log: Logger
  now: () => number
  ticks: TickSource
  /** The market's rules; throws AppError NOT_FOUND for an unknown venue or market. */
  markets: (venueId: string, symbol: string) => Promise<MarketInfo>
  labelOf: (venueId: string) => string
  notifier?: DesktopNotifier | null
  webhook?: WebhookOptions
  /** Seals webhook URLs before they are written and opens them when they are sent. */
  webhooks: WebhookSecrets
  /** The email channel (mail settings and sending); null where there is none. */
  email?: EmailChannel | null
  /** How long a creation waits for a first price to check the level against (default 3 s). */
  firstPriceWaitMs?: number
}

interface Watch {
  venueId: string
  symbol: string
  tick: MarketTick | null
  rules: Set<StoredRule>
  /** Creations in progress keep the watch with no rule yet. */
  holds: number
  waiters: Set<() => void>
  stop: (() => void) | null
}

export class AlertEngine {
  /** The notification centre's rows and the channels beyond the screen, shared with the risk alerts. */
  readonly store: AlertStore
  readonly deliveries: AlertDeliveries
  readonly webhooks: WebhookSecrets
  private readonly rules = new Map<string, StoredRule>()
  private readonly watches = new Map<string, Watch>()
  private running = false

  constructor(private readonly deps: AlertEngineDeps) {
    this.store = new AlertStore(deps.db)
    this.webhooks = deps.webhooks
    this.deliveries = new AlertDeliveries({ store: this.store, bus: deps.bus, log: deps.log, notifier: deps.notifier, email: deps.email, webhook: deps.webhook })
  }

  /** Re-arms every active alert saved before. */
  start(): void {
    this.running = true
    this.deliveries.abandoned()
    const active = this.store.active()
    for (const rule of active) {
      try {
        this.arm(rule)
      } catch (err) {
        // One market that cannot be watched (its module stopped) must not keep the others from arming.
        this.deps.log.error('could not re-arm a price alert', { id: rule.id, error: messageOf(err) })
      }
    }
    if (active.length > 0) this.deps.log.info('Price alerts re-armed on start', { active: active.length })
  }

  stop(): void {
    this.running = false
    this.deliveries.stop()
    for (const w of this.watches.values()) w.stop?.()
    this.watches.clear()
    this.rules.clear()
  }

  /** Resolves when every delivery under way (webhook, email) has settled, or after `limitMs` (shutdown). */
  settled(limitMs?: number): Promise<void> {
    return this.deliveries.settled(limitMs)
  }

  async create(input: AlertCreate): Promise<AlertView> {
    this.assertRunning()
    await this.deps.markets(input.venueId, input.symbol)
    const w = this.watch(input.venueId, input.symbol)
    w.holds++
    try {
      // The level is checked against the source's live price: wait for one (a book may still be resyncing,
      // and a stale book's price is not where the market is). None by then: taken unchecked, and it says why it waits.
      if (livePrice(w.tick, input.source) === null) await this.firstPrice(w, input.source)
      this.assertRunning() // stopped while it waited: nothing is written
      const current = livePrice(w.tick, input.source)
      const at = this.deps.now()
      const id = `alr${crypto.randomBytes(9).toString('hex')}`
      const rule: StoredRule = {
        id,
        venueId: input.venueId,
        symbol: input.symbol,
        condition: input.condition,
        // Kept as the number it is, not as typed ("0095000.50" is 95000.5), as conditional orders keep theirs.
        price: new Decimal(input.price).toFixed(),
        source: input.source,
        note: input.note === undefined || input.note === '' ? null : input.note,
        desktop: input.desktop,
        // Sealed, never in plaintext: its path often holds the receiver's token.
        ...NO_WEBHOOK,
        email: input.email,
        status: 'active',
        reason: null,
        repeat: input.repeat,
        armed: true,
        fireCount: 0,
        createdAt: at,
        updatedAt: at,
      }
      if (current !== null && reached(rule.condition, rule.price, current)) throw new AppError('BAD_INPUT', alreadyReachedMessage(rule, current))
      if (rule.email && this.deps.email?.view() == null) throw new AppError('CONFLICT', 'email: save the mail settings first (Alerts page → Email), then set an alert to email')
      Object.assign(rule, await this.webhooks.seal(id, input.webhookUrl))
      this.assertRunning()
      this.store.insert(rule)
      this.rules.set(rule.id, rule)
      this.deps.log.info('Price alert set', { id: rule.id, symbol: rule.symbol, condition: rule.condition, price: rule.price })
      // A tick during the seal reached no rule: one past the level then fires it now (the user wanted to
      // know), and the creation answers with the fired alert.
      this.armOn(w, rule)
      return rule.status === 'active' ? this.emit(rule) : this.view(rule)
    } finally {
      w.holds--
      this.releaseIfIdle(w)
    }
  }

  /**
   * Moves an active alert's level; refused, as at creation, where the price already is, and while there is no
   * live price for its source to check it against (a level the market had passed would fire at once).
   */
  amend(id: string, typed: string): AlertView {
    const rule = this.activeRule(id)
    const price = new Decimal(typed).toFixed()
    const tick = this.watches.get(keyOf(rule.venueId, rule.symbol))?.tick ?? null
    const current = livePrice(tick, rule.source)
    if (current === null) {
      const why = tick === null ? 'no price yet' : tick.health !== 'live' ? `book ${tick.health}${tick.reason ? `: ${tick.reason}` : ''}` : `no ${rule.source} price`
      throw new AppError('UNAVAILABLE', `no live price for ${rule.symbol} (${rule.source}) to check the level against (${why}): try again once the market has one`)
    }
    if (reached(rule.condition, price, current)) throw new AppError('BAD_INPUT', alreadyReachedMessage({ ...rule, price }, current))
    const at = this.deps.now()
    this.store.setPrice(id, price, at)
    rule.price = price
    rule.armed = true
    rule.updatedAt = at
    return this.emit(rule)
  }

  cancel(id: string): AlertView {
    const rule = this.activeRule(id)
    const at = this.deps.now()
    this.store.cancel(id, at)
    this.end(rule, 'canceled', at)
    return this.emit(rule)
  }

  /** The account of `venueId` was removed: its active alerts are canceled with `reason`. Returns how many. */
  venueRemoved(venueId: string, reason: string): number {
    const gone = [...this.rules.values()].filter((r) => r.venueId === venueId)
    if (gone.length === 0) return 0
    const at = this.deps.now()
    this.store.cancelAll(
      gone.map((r) => r.id),
      at,
      reason,
    )
    for (const rule of gone) {
      rule.reason = reason
      this.end(rule, 'canceled', at)
      this.emit(rule)
    }
    return gone.length
  }

  /** Active alerts on this venue (what removing its account would cancel). */
  activeOn(venueId: string): number {
    return [...this.rules.values()].filter((r) => r.venueId === venueId).length
  }

  list(q: { scope: 'active' | 'history'; venueId?: string; symbol?: string; limit: number }): AlertView[] {
    if (q.scope === 'history') return this.store.history(q).map((r) => this.view(r))
    return [...this.rules.values()]
      .filter((r) => (q.venueId === undefined || r.venueId === q.venueId) && (q.symbol === undefined || r.symbol === q.symbol))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      .slice(0, q.limit)
      .map((r) => this.view(r))
  }

  events(limit: number): AlertEvent[] {
    return this.store.events(limit)
  }

  private assertRunning(): void {
    if (!this.running) throw new AppError('UNAVAILABLE', 'Alerts are not running')
  }

  private activeRule(id: string): StoredRule {
    this.assertRunning()
    const rule = this.rules.get(id)
    if (rule !== undefined) return rule
    const stored = this.store.get(id)
    if (stored === undefined) throw new AppError('NOT_FOUND', `No alert "${id}"`)
    throw new AppError('CONFLICT', `Alert ${id} has already ${stored.status === 'fired' ? 'fired' : 'been canceled'}`)
  }

  private arm(rule: StoredRule): void {
    this.rules.set(rule.id, rule)
    this.armOn(this.watch(rule.venueId, rule.symbol), rule)
  }

  /**
   * Adds the rule to its market's watch and checks it against the tick there is now: the watch's first tick
   * may have come (watch() sends it at once, a creation awaits the seal) before the rule was in it, and a
   * quiet market sends no other.
   */
  private armOn(w: Watch, rule: StoredRule): void {
    w.rules.add(rule)
    if (w.tick !== null && w.tick.health === 'live' && this.check(rule, w.tick)) this.releaseIfIdle(w)
  }

  private watch(venueId: string, symbol: string): Watch {
    const key = keyOf(venueId, symbol)
    const w = this.watches.get(key)
    if (w !== undefined) return w
    const watch: Watch = { venueId, symbol, tick: null, rules: new Set(), holds: 0, waiters: new Set(), stop: null }
    this.watches.set(key, watch)
    // watch() may call back at once with the current state: the entry is in the map before that.
    watch.stop = this.deps.ticks.watch(venueId, symbol, (tick) => this.onTick(watch, tick))
    return watch
  }

  private releaseIfIdle(w: Watch): void {
    if (w.rules.size > 0 || w.holds > 0) return
    const key = keyOf(w.venueId, w.symbol)
    if (this.watches.get(key) !== w) return
    this.watches.delete(key)
    w.stop?.()
  }

  /** Resolves when the market has a live price for the source, or after firstPriceWaitMs (the alert then waits). */
  private firstPrice(w: Watch, source: AlertView['source']): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        w.waiters.delete(check)
        resolve()
      }
      const check = () => {
        if (livePrice(w.tick, source) !== null) done()
      }
      const timer = setTimeout(done, this.deps.firstPriceWaitMs ?? 3000)
      w.waiters.add(check)
    })
  }

  private onTick(w: Watch, tick: MarketTick): void {
    const before = w.tick
    w.tick = tick
    for (const done of [...w.waiters]) done()
    if (tick.health !== 'live') {
      // Said once per change of health, not on every tick of a stale book.
      if (before === null || before.health !== tick.health || before.reason !== tick.reason) for (const rule of w.rules) this.emit(rule)
      return
    }
    if (before !== null && before.health !== 'live') for (const rule of w.rules) this.emit(rule)
    let fired = false
    for (const rule of [...w.rules]) fired = this.check(rule, tick) || fired
    if (fired) this.releaseIfIdle(w)
  }

  /** One rule against a live tick: fires it at or past its level, or re-arms a repeating one back across. True when it fired. */
  private check(rule: StoredRule, tick: MarketTick): boolean {
    const price = sourcePrice(tick, rule.source)
    if (price === null) return false
    if (rule.armed) return reached(rule.condition, rule.price, price) && this.fire(rule, price)
    if (backAcross(rule.condition, rule.price, price)) this.rearm(rule)
    return false
  }

  private fire(rule: StoredRule, price: string): boolean {
    const { log, bus } = this.deps
    const at = this.deps.now()
    const venueLabel = this.deps.labelOf(rule.venueId)
    const { title, body } = firedTexts(rule, price, venueLabel)
    const webhook = hasWebhook(rule) ? ('pending' as const) : null
    const email = rule.email ? ('pending' as const) : null
    // The webhook's Idempotency-Key and eventId: unique beyond this database (not the row id).
    const deliveryKey = crypto.randomUUID()
    let eventId: number
    try {
      eventId = this.store.fire(rule.id, rule.repeat, { ruleId: rule.id, deliveryKey, kind: 'price', at, venueId: rule.venueId, symbol: rule.symbol, price, title, body, webhook, webhookDetail: null, email, emailDetail: null })
    } catch (err) {
      // Not written, so not fired: it stays armed and the next tick tries again.
      log.error('could not record a fired alert; it stays armed', { id: rule.id, error: messageOf(err) })
      return false
    }
    rule.fireCount++
    if (rule.repeat) {
      rule.armed = false
      rule.updatedAt = at
    } else this.end(rule, 'fired', at)
    this.emit(rule)
    const event: AlertEvent = { id: eventId, ruleId: rule.id, kind: 'price', at, venueId: rule.venueId, symbol: rule.symbol, price, title, body, desktop: rule.desktop, webhook, webhookDetail: null, email, emailDetail: null }
    log.info('Price alert fired', { id: rule.id, title, body })
    bus.emit('alertFired', { event })
    this.deliveries.say(event, {
      desktop: rule.desktop,
      webhook: hasWebhook(rule) ? { url: () => this.webhooks.open('price', rule.id), key: deliveryKey, payload: webhookPayload(rule, event, venueLabel) } : null,
      email: rule.email ? emailText(rule, event, venueLabel) : null,
    })
    return true
  }

  /** A repeating alert's price is back on its starting side: the next pass through the level fires it again. */
  private rearm(rule: StoredRule): void {
    const at = this.deps.now()
    try {
      this.store.rearm(rule.id, at)
    } catch (err) {
      this.deps.log.error('could not re-arm a repeating alert', { id: rule.id, error: messageOf(err) })
      return
    }
    rule.armed = true
    rule.updatedAt = at
    this.emit(rule)
  }

  private end(rule: StoredRule, status: Exclude<AlertStatus, 'active'>, at: number): void {
    rule.status = status
    rule.updatedAt = at
    this.rules.delete(rule.id)
    const w = this.watches.get(keyOf(rule.venueId, rule.symbol))
    if (w === undefined) return
    w.rules.delete(rule)
    if (status === 'canceled') this.releaseIfIdle(w)
  }

  private emit(rule: StoredRule): AlertView {
    const view = this.view(rule)
    this.deps.bus.emit('alertChanged', { view })
    return view
  }

  private view(rule: StoredRule): AlertView {
    const w = rule.status === 'active' ? this.watches.get(keyOf(rule.venueId, rule.symbol)) : undefined
    const tick = w?.tick ?? null
    return {
      id: rule.id,
      venueId: rule.venueId,
      venueLabel: this.deps.labelOf(rule.venueId),
      symbol: rule.symbol,
      condition: rule.condition,
      price: rule.price,
      source: rule.source,
      note: rule.note,
      desktop: rule.desktop,
      // Shown without its path: it often holds the receiver's token.
      webhookUrl: webhookView(rule),
      email: rule.email,
      status: rule.status,
      reason: rule.reason,
      repeat: rule.repeat,
      armed: rule.armed,
      fireCount: rule.fireCount,
      current: tick === null ? null : sourcePrice(tick, rule.source),
      waiting: waitingReason(rule, tick),
      createdAt: rule.createdAt,
      updatedAt: rule.updatedAt,
    }
  }
}

const keyOf = (venueId: string, symbol: string) => `${venueId}\u0000${symbol}`

function emailText(rule: StoredRule, event: AlertEvent, venueLabel: string): string {
  return [
    event.body,
    '',
    `${rule.symbol} on ${venueLabel}: ${rule.source} price ${event.price}, alert level ${rule.price} (${rule.condition === 'above' ? 'rises to' : 'falls to'})`,
    `at ${new Date(event.at).toISOString()}`,
    '',
    'CryptoOrchestrator price alert',
  ].join('\n')
}

function webhookPayload(rule: StoredRule, event: AlertEvent, venueLabel: string): Record<string, unknown> {
  return {
    type: 'price-alert',
    alertId: rule.id,
    venue: venueLabel,
    venueId: rule.venueId,
    symbol: rule.symbol,
    condition: rule.condition,
    level: rule.price,
    source: rule.source,
    price: event.price,
    note: rule.note,
    at: new Date(event.at).toISOString(),
    title: event.title,
    body: event.body,
  }
}

/** The tick's price for the source when its book is live; null otherwise (nothing to check a level against). */
function livePrice(tick: MarketTick | null, source: AlertView['source']): string | null {
  return tick === null || tick.health !== 'live' ? null : sourcePrice(tick, source)
}

/** A repeating alert that fired re-arms once the price is back past its re-arm level (rules.ts rearmLevel). */
const backAcross = (condition: StoredRule['condition'], level: string, price: string) => {
  const at = new Decimal(price).cmp(rearmLevel(condition, level))
  return condition === 'above' ? at <= 0 : at >= 0
}

function waitingReason(rule: StoredRule, tick: MarketTick | null): string | null {
  if (rule.status !== 'active') return null
  if (tick === null) return 'no price yet'
  if (tick.health !== 'live') return `book ${tick.health}${tick.reason ? `: ${tick.reason}` : ''}`
  if (!rule.armed) return `fires again after the price is back at ${rearmLevel(rule.condition, rule.price)} or ${rule.condition === 'above' ? 'under' : 'over'}`
  return null
}
