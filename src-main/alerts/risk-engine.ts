import Decimal from 'decimal.js'
import crypto from 'node:crypto'
import type { EventBus } from '../bus'
import type { Logger } from '../log'
import type { Db } from '../store/open'
import { AppError, messageOf } from '../api/errors'
import type { AlertEvent, RiskAlertCreate, RiskAlertView } from '../api/schemas/alerts'
import type { PortfolioQuery, PortfolioView, ReportingCurrency } from '../api/schemas/portfolio'
import type { AlertStore } from './store'
import type { AlertDeliveries } from './delivery'
import { RiskAlertStore, type StoredRiskRule } from './risk-store'
import { METRIC_NAMES, readRisk, riskAlreadyReachedMessage, riskBackAcross, riskFiredTexts, riskReached, riskRearmLevel, riskRearmWaiting, type RiskReading } from './risk-rules'
import { NO_WEBHOOK, hasWebhook, webhookView, type WebhookSecrets } from './webhook-secrets'

// Risk alerts held by the engine: each watches a figure of the live portfolio (the same views the
// Portfolio page shows, pushed at most 4 times a second when they change) for the user's accounts or one
// account, in the currency it was set in. A view with an asset that has no price fires nothing (the
// alert says why it waits). Like price alerts, a firing and its notification-centre entry are written
// together before anyone is told; active risk alerts live in SQLite and re-arm at start.

export interface LiveViews {
  subscribe(query: PortfolioQuery, emit: (view: PortfolioView) => void): () => void
}

export interface RiskAlertDeps {
  db: Db
  bus: EventBus
  log: Logger
  now: () => number
  live: LiveViews
  /** The reporting currency setting (a risk alert's default currency). */
  currency: () => ReportingCurrency
  /** Whether an account is in the ledger or is an exchange account (a risk alert on one account must name one). */
  accountKnown: (account: string) => boolean
  labelOf: (account: string) => string
  centre: AlertStore
  deliveries: AlertDeliveries
  /** Seals webhook URLs before they are written and opens them when they are sent. */
  webhooks: WebhookSecrets
}

interface Watch {
  key: string
  rules: Set<StoredRiskRule>
  view: PortfolioView | null
  stop: (() => void) | null
}

/**
 * A drawdown's new high is written at most this often (and when it fires, and at stop). One the limit held
 * back is written when the time is up: a fall after it moves the high no more, and a crash must not take
 * the drawdown back to an older, lower high. (A timer, not a write per view: a rising market sends up to
 * 4 views a second for every drawdown alert; this bounds the writes and loses at most this long's high.)
 */
const PEAK_SAVE_MS = 10_000

export class RiskAlertEngine {
  private readonly store: RiskAlertStore
  private readonly rules = new Map<string, StoredRiskRule>()
  private readonly watches = new Map<string, Watch>()
  private readonly shown = new Map<string, string | null>()
  private readonly peakSaved = new Map<string, { peak: string | null; at: number }>()
  private readonly peakTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private running = false
  private offRemoved: (() => void) | null = null

  constructor(private readonly deps: RiskAlertDeps) {
    this.store = new RiskAlertStore(deps.db, deps.centre)
  }

  start(): void {
    this.running = true
    this.offRemoved = this.deps.bus.on('ledgerRemoved', ({ accounts }) => this.restartHighs(accounts))
    for (const rule of this.store.active()) {
      try {
        this.arm(rule)
      } catch (err) {
        this.deps.log.error('could not re-arm a risk alert', { id: rule.id, error: messageOf(err) })
      }
    }
  }

  stop(): void {
    this.running = false
    this.offRemoved?.()
    this.offRemoved = null
    for (const rule of this.rules.values()) this.savePeak(rule, true)
    for (const id of [...this.peakTimers.keys()]) this.clearPeakTimer(id)
    for (const w of this.watches.values()) w.stop?.()
    this.watches.clear()
    this.rules.clear()
  }

  async create(input: RiskAlertCreate): Promise<RiskAlertView> {
    this.assertRunning()
    if (input.account !== null && !this.deps.accountKnown(input.account)) {
      throw new AppError('NOT_FOUND', `account: no ledger account "${input.account}" (choose one of the Portfolio page's accounts)`)
    }
    const currency = input.currency ?? this.deps.currency()
    const at = this.deps.now()
    const rule: StoredRiskRule = {
      id: `rsk${crypto.randomBytes(9).toString('hex')}`,
      metric: input.metric,
      account: input.account,
      currency,
      condition: input.condition,
      // Kept as the number it is, not as typed ('0100' is 100), as a price alert's level is.
      threshold: new Decimal(input.threshold).toFixed(),
      peak: null,
      note: input.note === undefined || input.note === '' ? null : input.note,
      desktop: input.desktop,
      // Sealed (below), never in plaintext: its path often holds the receiver's token.
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
    // Sealed before the watch is taken: nothing waits while it is held without the rule.
    Object.assign(rule, await this.deps.webhooks.seal(rule.id, input.webhookUrl))
    this.assertRunning()
    const w = this.watch(rule)
    try {
      if (w.view && !unpricedReason(w.view)) {
        const reading = readRisk(w.view, rule.metric, null)
        if (riskReached(rule, reading)) throw new AppError('BAD_INPUT', riskAlreadyReachedMessage(rule, this.who(rule), reading))
        rule.peak = reading.peak
      }
      if (rule.email && this.deps.deliveries.emailSettings() === null) throw new AppError('CONFLICT', 'email: save the mail settings first (Alerts page → Email), then set an alert to email')
    } catch (err) {
      this.releaseIfIdle(w)
      throw err
    }
    this.store.insert(rule)
    this.rules.set(rule.id, rule)
    w.rules.add(rule)
    this.deps.log.info('Risk alert set', { id: rule.id, metric: rule.metric, account: rule.account, threshold: rule.threshold })
    return this.emit(rule)
  }

  cancel(id: string): RiskAlertView {
    this.assertRunning()
    const rule = this.rules.get(id)
    if (rule === undefined) {
      const stored = this.store.get(id)
      if (stored === undefined) throw new AppError('NOT_FOUND', `No risk alert "${id}"`)
      throw new AppError('CONFLICT', `Risk alert ${id} has already ${stored.status === 'fired' ? 'fired' : 'been canceled'}`)
    }
    const at = this.deps.now()
    this.savePeak(rule, true)
    this.store.cancel(id, at)
    this.end(rule, 'canceled', at)
    return this.emit(rule)
  }

  /** The account `account` was removed: the active alerts watching it alone are canceled with `reason`. Returns how many. */
  venueRemoved(account: string, reason: string): number {
    const gone = [...this.rules.values()].filter((r) => r.account === account)
    if (gone.length === 0) return 0
    const at = this.deps.now()
    for (const rule of gone) this.savePeak(rule, true)
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

  /** Active alerts watching this account alone (what removing it would cancel); "my accounts" ones go on without it. */
  activeOn(account: string): number {
    return [...this.rules.values()].filter((r) => r.account === account).length
  }

  list(q: { scope: 'active' | 'history'; limit: number }): RiskAlertView[] {
    if (q.scope === 'history') return this.store.history(q.limit).map((r) => this.view(r))
    return [...this.rules.values()]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
      .slice(0, q.limit)
      .map((r) => this.view(r))
  }

  private assertRunning(): void {
    if (!this.running) throw new AppError('UNAVAILABLE', 'Alerts are not running')
  }

  private arm(rule: StoredRiskRule): void {
    this.rules.set(rule.id, rule)
    const w = this.watch(rule)
    w.rules.add(rule)
    // The watch's first view may have come (subscribe() sends it at once) before this rule was in it, and
    // an unchanged view is not sent again: check the rule against the view there is now.
    if (w.view !== null) this.onView(w, w.view)
  }

  private watch(rule: Pick<StoredRiskRule, 'account' | 'currency' | 'metric'>): Watch {
    // The 24h P&L is the 24h view's; the value and the drawdown (its net deposits over all time) the all-time view's.
    const period = rule.metric === 'pnl24h' ? ('24h' as const) : ('all' as const)
    const key = `${rule.account ?? '\u0000mine'}|${rule.currency}|${period}`
    const existing = this.watches.get(key)
    if (existing) return existing
    const w: Watch = { key, rules: new Set(), view: null, stop: null }
    this.watches.set(key, w)
    const query: PortfolioQuery = {
      ...(rule.account === null ? { scope: 'mine' as const } : { account: rule.account }),
      period,
      currency: rule.currency as ReportingCurrency,
    }
    // subscribe() sends the current view at once: the watch is in the map before that.
    w.stop = this.deps.live.subscribe(query, (view) => this.onView(w, view))
    return w
  }

  private releaseIfIdle(w: Watch): void {
    if (w.rules.size > 0 || this.watches.get(w.key) !== w) return
    this.watches.delete(w.key)
    w.stop?.()
  }

  private onView(w: Watch, view: PortfolioView): void {
    w.view = view
    const waiting = unpricedReason(view)
    for (const rule of [...w.rules]) {
      const reading = readRisk(view, rule.metric, rule.peak)
      if (reading.peak !== rule.peak) {
        rule.peak = reading.peak
        this.savePeak(rule, false)
      }
      if (waiting === null) {
        if (rule.armed && riskReached(rule, reading)) {
          this.fire(rule, reading)
          continue
        }
        if (!rule.armed && riskBackAcross(rule, reading, riskRearmLevel(rule, view.totals.value))) this.rearm(rule)
      }
      // The re-arm level is in the key: a P&L alert's moves with the portfolio's value.
      const rearmAt = rule.armed ? '' : riskRearmLevel(rule, view.totals.value)
      const key = `${reading.shown}|${waiting ?? ''}|${rule.peak ?? ''}|${rearmAt}`
      if (this.shown.get(rule.id) !== key) {
        this.shown.set(rule.id, key)
        this.emit(rule)
      }
    }
  }

  private fire(rule: StoredRiskRule, reading: RiskReading): void {
    const at = this.deps.now()
    const who = this.who(rule)
    const { title, body } = riskFiredTexts(rule, who, reading)
    const webhook = hasWebhook(rule) ? ('pending' as const) : null
    const email = rule.email ? ('pending' as const) : null
    const scope = rule.account ?? 'mine'
    // The webhook's Idempotency-Key and eventId: unique beyond this database (not the row id).
    const deliveryKey = crypto.randomUUID()
    let eventId: number
    try {
      eventId = this.store.fire(rule, { ruleId: rule.id, deliveryKey, kind: 'risk', at, venueId: scope, symbol: rule.metric, price: reading.shown, title, body, webhook, webhookDetail: null, email, emailDetail: null })
    } catch (err) {
      this.deps.log.error('could not record a fired risk alert; it stays armed', { id: rule.id, error: messageOf(err) })
      return
    }
    this.peakSaved.set(rule.id, { peak: rule.peak, at })
    this.clearPeakTimer(rule.id)
    rule.fireCount++
    if (rule.repeat) {
      rule.armed = false
      rule.updatedAt = at
    } else this.end(rule, 'fired', at)
    this.emit(rule)
    const event: AlertEvent = { id: eventId, ruleId: rule.id, kind: 'risk', at, venueId: scope, symbol: rule.metric, price: reading.shown, title, body, desktop: rule.desktop, webhook, webhookDetail: null, email, emailDetail: null }
    this.deps.log.info('Risk alert fired', { id: rule.id, title, body })
    this.deps.bus.emit('alertFired', { event })
    this.deps.deliveries.say(event, {
      desktop: rule.desktop,
      webhook: !hasWebhook(rule) ? null : { url: () => this.deps.webhooks.open('risk', rule.id), key: deliveryKey, payload: { type: 'risk-alert', alertId: rule.id, metric: rule.metric, account: rule.account, accountLabel: who, currency: rule.currency, condition: rule.condition, threshold: rule.threshold, value: reading.shown, high: reading.high, note: rule.note, at: new Date(at).toISOString(), title, body } },
      email: rule.email ? [body, '', `${METRIC_NAMES[rule.metric]} of ${who}: ${reading.shown}, threshold ${rule.threshold}`, `at ${new Date(at).toISOString()}`, '', 'CryptoOrchestrator risk alert'].join('\n') : null,
    })
  }

  private rearm(rule: StoredRiskRule): void {
    const at = this.deps.now()
    try {
      this.store.rearm(rule.id, at)
    } catch (err) {
      this.deps.log.error('could not re-arm a repeating risk alert', { id: rule.id, error: messageOf(err) })
      return
    }
    rule.armed = true
    rule.updatedAt = at
    this.emit(rule)
  }

  /**
   * Entries taken out of the ledger (an import removed) take their gains out of the history the high was
   * drawn from: a drawdown over those accounts starts its high again at the next figure, or removing a file
   * would read as a loss.
   */
  private restartHighs(accounts: readonly string[]): void {
    for (const rule of this.rules.values()) {
      if (rule.metric !== 'drawdown' || (rule.account !== null && !accounts.includes(rule.account))) continue
      rule.peak = null
      try {
        this.store.setPeak(rule.id, null)
        // Saved long ago as far as the rate limit goes: the next figure's high is written at once.
        this.peakSaved.set(rule.id, { peak: null, at: 0 })
      } catch (err) {
        this.deps.log.warn('could not reset a drawdown high', { id: rule.id, error: messageOf(err) })
      }
    }
  }

  /** Writes the drawdown's high when it moved (at most every PEAK_SAVE_MS unless `now`). */
  private savePeak(rule: StoredRiskRule, now: boolean): void {
    const saved = this.peakSaved.get(rule.id)
    if (saved?.peak === rule.peak || (saved === undefined && rule.peak === null)) return
    const at = this.deps.now()
    if (!now && saved !== undefined && at - saved.at < PEAK_SAVE_MS) {
      if (!this.peakTimers.has(rule.id)) {
        const timer = setTimeout(() => {
          this.peakTimers.delete(rule.id)
          if (this.rules.get(rule.id) === rule) this.savePeak(rule, true)
        }, PEAK_SAVE_MS - (at - saved.at))
        timer.unref?.()
        this.peakTimers.set(rule.id, timer)
      }
      return
    }
    this.clearPeakTimer(rule.id)
    try {
      this.store.setPeak(rule.id, rule.peak)
      this.peakSaved.set(rule.id, { peak: rule.peak, at })
    } catch (err) {
      this.deps.log.warn('could not save a drawdown high', { id: rule.id, error: messageOf(err) })
    }
  }

  private clearPeakTimer(id: string): void {
    const timer = this.peakTimers.get(id)
    if (timer === undefined) return
    clearTimeout(timer)
    this.peakTimers.delete(id)
  }

  private end(rule: StoredRiskRule, status: 'fired' | 'canceled', at: number): void {
    rule.status = status
    rule.updatedAt = at
    this.rules.delete(rule.id)
    this.shown.delete(rule.id)
    this.peakSaved.delete(rule.id)
    this.clearPeakTimer(rule.id)
    for (const w of this.watches.values()) {
      if (w.rules.delete(rule)) this.releaseIfIdle(w)
    }
  }

  private who(rule: Pick<StoredRiskRule, 'account'>): string {
    return rule.account === null ? 'my accounts' : this.deps.labelOf(rule.account)
  }

  private emit(rule: StoredRiskRule): RiskAlertView {
    const view = this.view(rule)
    this.deps.bus.emit('riskAlertChanged', { view })
    return view
  }

  private view(rule: StoredRiskRule): RiskAlertView {
    const w = rule.status === 'active' ? [...this.watches.values()].find((x) => x.rules.has(rule)) : undefined
    const pv = w?.view ?? null
    const reading = pv === null ? null : readRisk(pv, rule.metric, rule.peak)
    const waiting = rule.status !== 'active' ? null : pv === null ? 'no valuation yet' : unpricedReason(pv)
    return {
      id: rule.id,
      metric: rule.metric,
      account: rule.account,
      accountLabel: rule.account === null ? 'My accounts' : this.deps.labelOf(rule.account),
      currency: rule.currency as ReportingCurrency,
      condition: rule.condition,
      threshold: rule.threshold,
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
      current: reading?.shown ?? null,
      peak: reading?.high ?? null,
      waiting: waiting ?? (rule.armed ? null : riskRearmWaiting(rule, riskRearmLevel(rule, pv?.totals.value ?? '0'))),
      createdAt: rule.createdAt,
      updatedAt: rule.updatedAt,
    }
  }
}

/** A view with an asset that has no price in the currency undervalues the portfolio: nothing fires on it. */
function unpricedReason(view: Pick<PortfolioView, 'warnings'>): string | null {
  const unpriced = view.warnings.find((w) => w.kind === 'unpriced-asset')
  return unpriced ? `${unpriced.asset} has no price yet: ${unpriced.message}` : null
}
