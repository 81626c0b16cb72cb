import { desc, lt } from 'drizzle-orm'
import type { Db } from '../store/open'
import { activity } from '../store/schema'
import type { EventBus } from '../bus'
import type { ActivityEntry } from '../api/contract'
import { alertEntry, conditionalEntry, copyEntry, orderEntry, SaidOnce, SkipGate, type Entry } from './entries'
import { SIM_ACCOUNT_LABEL } from '../venues/sim/label'

/** A fact older than this when it is reported (a conditional order's state re-emitted at start) is not new. */
const MAX_AGE_MS = 60_000

/**
 * Owns the `activity` table: turns engine facts into a readable, persisted feed (later the audit log).
 * It listens to the bus; nobody calls it to record things. Trading facts are the user's own: the order
 * manager, the conditional engine, the alerts and the copier follow only the user's accounts (the
 * simulated exchange's traders place no orders through them). Each is said once.
 */
export class ActivityService {
  private readonly unsubscribers: (() => void)[] = []
  private readonly said = new SaidOnce()
  private readonly skips = new SkipGate()
  /** Account labels seen while added or updated (a removed account's row is gone by the time it says so). */
  private readonly accountLabels = new Map<string, string>()

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
    /** A venue's or account's label (the order manager's venue ids are the user's own accounts). */
    private readonly labelOf: (venueId: string) => string = (id) => id,
  ) {
    this.unsubscribers.push(
      bus.on('engineStarted', (e) => this.record('engine', `Engine started (${e.door})`)),
      bus.on('settingChanged', (e) =>
        this.record('settings', `${e.view.label}: ${formatValue(e.previous)} → ${formatValue(e.view.value)}`),
      ),
      bus.on('paperReset', (e) => this.record('paper', `${SIM_ACCOUNT_LABEL} balance reset to ${e.amount} ${e.asset}`)),
      bus.on('backupWritten', (e) =>
        this.record('backup', `Database backed up to ${e.result.path} (${e.result.bytes} bytes)`),
      ),
      bus.on('orderTransitionRefused', (e) => this.record('orders', `Order ${e.clientOrderId} on ${e.venueId}: ${e.reason}`)),
      bus.on('orderChanged', (e) => this.say(orderEntry(e.order, e.previous, this.labelOf))),
      bus.on('conditionalChanged', ({ view }) => {
        if (this.now() - view.updatedAt <= MAX_AGE_MS) this.say(conditionalEntry(view), `cond\u0000${view.id}\u0000${view.status}`)
      }),
      // Said again once its webhook or email settles: the same event.
      bus.on('alertFired', ({ event }) => this.say(alertEntry(event), `alert\u0000${event.id}`)),
      bus.on('copyRecorded', ({ record }) => {
        const entry = copyEntry(record, this.labelOf)
        if (entry === null || !this.said.first(`copy\u0000${record.id}\u0000${record.status}`)) return
        const suffix = record.status === 'skipped' ? this.skips.pass(`${record.followId}\u0000${record.rule ?? record.reason}`, this.now()) : ''
        if (suffix !== null) this.record(entry.kind, entry.message + suffix)
      }),
      bus.on('accountsChanged', (e) => {
        if (e.account) this.accountLabels.set(e.id, e.account.label)
        if (e.change === 'added' && e.account) this.record('accounts', `Account added: ${e.account.label} (${e.account.exchangeName})`)
        if (e.change === 'removed') this.record('accounts', `Account removed: ${this.accountLabels.get(e.id) ?? this.labelOf(e.id)}`)
      }),
    )
  }

  /** The newest `limit` entries (older than the entry `before`, when given), oldest first. */
  recent(limit: number, before?: number): ActivityEntry[] {
    return this.db
      .select({ id: activity.id, at: activity.at, kind: activity.kind, message: activity.message })
      .from(activity)
      .where(before === undefined ? undefined : lt(activity.id, before))
      .orderBy(desc(activity.id))
      .limit(limit)
      .all()
      .reverse()
  }

  stop(): void {
    for (const off of this.unsubscribers) off()
  }

  private say(entry: Entry | null, onceKey?: string): void {
    if (entry === null || (onceKey !== undefined && !this.said.first(onceKey))) return
    this.record(entry.kind, entry.message)
  }

  private record(kind: string, message: string): void {
    const entry = this.db
      .insert(activity)
      .values({ at: this.now(), kind, message })
      .returning({ id: activity.id, at: activity.at, kind: activity.kind, message: activity.message })
      .get()
    this.bus.emit('activityRecorded', { entry })
  }
}

function formatValue(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value)
}
