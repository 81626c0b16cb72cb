import { desc } from 'drizzle-orm'
import type { Db } from '../store/open'
import { activity } from '../store/schema'
import type { EventBus } from '../bus'
import type { ActivityEntry } from '../api/contract'

/**
 * Owns the `activity` table: turns engine facts into a readable, persisted feed (later the audit log).
 * It listens to the bus; nobody calls it to record things.
 */
export class ActivityService {
  private readonly unsubscribers: (() => void)[] = []

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribers.push(
      bus.on('engineStarted', (e) => this.record('engine', `Engine started (${e.door})`)),
      bus.on('settingChanged', (e) =>
        this.record('settings', `${e.view.label}: ${formatValue(e.previous)} → ${formatValue(e.view.value)}`),
      ),
      bus.on('paperReset', (e) => this.record('paper', `Paper balance reset to ${e.amount} ${e.asset}`)),
      bus.on('backupWritten', (e) =>
        this.record('backup', `Database backed up to ${e.result.path} (${e.result.bytes} bytes)`),
      ),
      bus.on('orderTransitionRefused', (e) => this.record('orders', `Order ${e.clientOrderId} on ${e.venueId}: ${e.reason}`)),
    )
  }

  recent(limit: number): ActivityEntry[] {
    return this.db
      .select({ id: activity.id, at: activity.at, kind: activity.kind, message: activity.message })
      .from(activity)
      .orderBy(desc(activity.id))
      .limit(limit)
      .all()
      .reverse()
  }

  stop(): void {
    for (const off of this.unsubscribers) off()
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
