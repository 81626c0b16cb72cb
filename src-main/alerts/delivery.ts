import type { EventBus } from '../bus'
import type { Logger } from '../log'
import { messageOf } from '../api/errors'
import type { AlertEvent } from '../api/schemas/alerts'
import type { AlertStore } from './store'
import { deliverWebhook, type WebhookOptions } from './webhook'
import type { EmailChannel } from './email'
import type { DesktopNotifier } from './engine'

export interface Channels {
  desktop: boolean
  /**
   * The JSON POSTed to the webhook and the event's delivery key (alert_events.delivery_key), or null for
   * none. `url` opens the sealed URL when it is sent (it is never held in the clear before).
   */
  webhook: { url: () => Promise<string>; key: string; payload: Record<string, unknown> } | null
  /** The email's text, or null for none. */
  email: string | null
}

/**
 * Says a fired alert (price or risk) beyond the screen: the desktop notification when asked, the webhook
 * and the email when set. Each outcome is written on the event in the notification centre and said again
 * (alertFired); settled() waits for the deliveries under way.
 */
export class AlertDeliveries {
  private readonly running = new Set<Promise<void>>()
  /** Aborted by stop(): a webhook waiting to try again gives up rather than hold the app closing. */
  private closing = new AbortController()
  /** Set when shutdown stopped waiting: outcomes arriving later are not written (the store is closing). */
  private detached = false

  constructor(
    private readonly deps: {
      store: AlertStore
      bus: EventBus
      log: Logger
      notifier?: DesktopNotifier | null
      email?: EmailChannel | null
      webhook?: WebhookOptions
    },
  ) {}

  say(event: AlertEvent, channels: Channels): void {
    if (channels.desktop && this.deps.notifier) {
      try {
        this.deps.notifier.notify(event.title, event.body)
      } catch (err) {
        this.deps.log.warn('desktop notification failed', { error: messageOf(err) })
      }
    }
    if (channels.webhook) {
      // The event's random key travels with it (as eventId and the Idempotency-Key): a receiver can tell a
      // retry, and no other alert (another install, a restored database) ever has the same one.
      const { url, key } = channels.webhook
      const payload = { ...channels.webhook.payload, eventId: key }
      const options = { ...this.deps.webhook, closing: this.closing.signal }
      const sent = url().then(
        (opened) => deliverWebhook(opened, payload, options, key),
        (err: unknown) => ({ delivered: false, detail: `the webhook URL could not be opened: ${messageOf(err)}` }),
      )
      this.track(sent.then((r) => this.settle(event, 'webhook', r.delivered, r.detail)))
    }
    if (channels.email !== null) {
      const mail = this.deps.email
      if (!mail) this.settle(event, 'email', false, 'email is not available in this engine')
      else this.track(mail.send(event.title, channels.email).then((r) => this.settle(event, 'email', r.delivered, r.detail)))
    }
  }

  /**
   * Deliveries a stopped app left under way (webhook, email) end as failed, saying so: they are not sent
   * again later (an alert delivered late could be acted on when it no longer holds).
   */
  abandoned(): void {
    this.detached = false
    const n = this.deps.store.failPending('the app stopped before it was delivered')
    if (n > 0) this.deps.log.warn('alert deliveries left under way when the app stopped are marked failed', { count: n })
  }

  /** The app is closing: webhook waits before another attempt end now (those deliveries are marked failed). */
  stop(): void {
    this.closing.abort()
    // Alerts fired after a start again deliver as usual.
    this.closing = new AbortController()
  }

  /** The saved mail settings, or null (an alert cannot be set to email without them). */
  emailSettings(): unknown {
    return this.deps.email?.view() ?? null
  }

  /**
   * Resolves when every delivery under way (webhook, email) has settled (tests, shutdown). With `limitMs`
   * (shutdown) it waits no longer than that: an email whose server is slow to answer must not hold the app
   * closing for minutes. What is still under way then is left; its event stays pending, and the next start
   * marks it failed (abandoned()).
   */
  async settled(limitMs?: number): Promise<void> {
    const all = (async () => {
      while (this.running.size > 0) await Promise.all([...this.running])
    })()
    if (limitMs === undefined) return all
    let timer: ReturnType<typeof setTimeout> | undefined
    const limit = new Promise<'limit'>((resolve) => (timer = setTimeout(() => resolve('limit'), limitMs)))
    const outcome = await Promise.race([all.then(() => 'done' as const), limit])
    clearTimeout(timer)
    if (outcome === 'limit') {
      this.detached = true
      this.deps.log.warn('alert deliveries still under way when the app closed: left, marked failed at the next start', { count: this.running.size })
    }
  }

  private track(run: Promise<void>): void {
    const tracked = run.catch((err: unknown) => this.deps.log.error('alert delivery failed', err)).finally(() => this.running.delete(tracked))
    this.running.add(tracked)
  }

  /** One channel's outcome on the event: written, then said (the same event, its other channels as they are). */
  private settle(event: AlertEvent, channel: 'webhook' | 'email', delivered: boolean, detail: string): void {
    if (this.detached) return
    const status = delivered ? ('delivered' as const) : ('failed' as const)
    this.deps.store.settle(event.id, channel, status, detail)
    if (channel === 'webhook') Object.assign(event, { webhook: status, webhookDetail: detail })
    else Object.assign(event, { email: status, emailDetail: detail })
    if (!delivered) this.deps.log.warn(`alert ${channel} not delivered`, { id: event.ruleId, detail })
    this.deps.bus.emit('alertFired', { event: { ...event } })
  }
}
