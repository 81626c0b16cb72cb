import type { ActivityEntry, SettingView, BackupResult, AccountsChanged, VenueView, VenueBalances, ConditionalView, ConditionalLiveFigure, RiskView } from './api/contract'
import type { FillRecord, OrderRecord, OrderStatus } from './trading/model'
import type { SyncStatus } from './api/schemas/portfolio'
import type { CopyRecordView, FollowView, LeaderFill } from './api/schemas/copy'
import type { AlertEvent, AlertView, Notice, RiskAlertView } from './api/schemas/alerts'
import type { LockStatus } from './api/schemas/lock'
import type { AuditEntry } from './api/schemas/audit'

// Facts that happened in the engine, in the past tense. Modules react to them; none reaches into
// another module's tables.
export interface EngineEvents {
  engineStarted: { at: number; door: string }
  settingChanged: { view: SettingView; previous: SettingView['value'] }
  backupWritten: { result: BackupResult; at: number }
  activityRecorded: { entry: ActivityEntry }
  /** A workspace layout was saved (by any window): others showing it load it again. */
  workspaceSaved: { name: string; savedAt: number }
  accountsChanged: AccountsChanged
  venueChanged: { view: VenueView }
  balancesChanged: { balances: VenueBalances }
  paperReset: { venueId: string; amount: string; asset: string }
  /** venues/paper: a paper account was opened with these starting balances (money put in, for the ledger). */
  paperAccountOpened: { venueId: string; label: string; balances: { asset: string; amount: string }[]; at: number }
  /**
   * venues/paper: a paper account was closed (its open orders canceled); whatever worked through it must end.
   * `held`: what it held then, which leaves with it.
   */
  paperAccountClosed: { venueId: string; label: string; at: number; held: { asset: string; amount: string }[] }
  /** A watched book became live, resyncing or stale (market module; a stale book must drive no trigger). */
  bookStatusChanged: { venueId: string; symbol: string; status: 'live' | 'resyncing' | 'stale'; reason: string | null; at: number }
  /** trading/: an order's row changed (status, fill progress, venue id, error); previous is null for a new intent. */
  orderChanged: { order: OrderRecord; previous: OrderStatus | null }
  /** trading/: a venue report or request did not fit the order status table; the order was left as it was. */
  orderTransitionRefused: { clientOrderId: string; venueId: string; from: OrderStatus; event: string; reason: string; at: number }
  /** trading/: a fill of one of our orders was recorded for the first time (never twice for one venue trade id). */
  orderFilled: { order: OrderRecord | null; fill: FillRecord }
  /** trading/: fills recorded before their order's venue id was known are now tied to that order (not new fills). */
  fillsLinked: { order: OrderRecord; fills: FillRecord[] }
  /** trading/conditional: a conditional order changed state. */
  conditionalChanged: { view: ConditionalView }
  /** alerts/: a price alert was set, moved, fired or canceled. */
  alertChanged: { view: AlertView }
  /** alerts/: a risk alert was set, fired, re-armed or canceled, or its figure moved. */
  riskAlertChanged: { view: RiskAlertView }
  /** alerts/: an alert fired (recorded first), and again once its webhook delivery settled. */
  alertFired: { event: AlertEvent }
  /** alerts/: a notice to show once (a fill of yours). */
  noticeRaised: { notice: Notice }
  /** trading/conditional: live figures of the orders whose market moved (one batch per flush, ≤ 4/s). */
  conditionalLive: { figures: ConditionalLiveFigure[] }
  /** trading/risk: limits changed, or the kill switch halted / trading resumed. */
  riskChanged: { view: RiskView }
  /** trading/risk: the kill switch was pulled; the conditional engine disarms everything on this. */
  killSwitchEngaged: { at: number }
  /** portfolio/: new ledger entries were stored (fills, deposits, an import) for these accounts. */
  ledgerRecorded: { accounts: string[]; inserted: number; at: number }
  /** Entries were taken out of the ledger (an import removed): whatever replayed it must start again. */
  ledgerRemoved: { accounts: string[]; removed: number; at: number }
  /** portfolio/sync: an account's history sync moved (≤ 4 per second per account; at once when its state changes). */
  syncProgressed: { status: SyncStatus }
  /** copy/: a copy record was written or changed (status, fill progress). */
  copyRecorded: { record: CopyRecordView }
  /** copy/: a relationship's settings, state or counters changed. */
  copyFollowChanged: { view: FollowView }
  /** copy/: a leader fill was seen for the first time. */
  copyLeaderFill: { fill: LeaderFill }
  /** lock/: the app locked (at start with a passphrase set, on request, after idle minutes, or with the computer). */
  appLocked: { at: number; reason: 'start' | 'manual' | 'idle' | 'system'; idleMinutes: number }
  /** lock/: locked, unlocked, a passphrase set or removed, a wrong passphrase counted. */
  lockChanged: { status: LockStatus }
  /** audit/: an entry was appended to the audit log. */
  auditRecorded: { entry: AuditEntry }
}

type Listener<T> = (payload: T) => void

export class EventBus<E extends object = EngineEvents> {
  private listeners = new Map<keyof E, Set<Listener<never>>>()

  constructor(private readonly onListenerError: (event: string, err: unknown) => void = () => {}) {}

  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener as Listener<never>)
    return () => set.delete(listener as Listener<never>)
  }

  /** Delivers synchronously; a throwing listener is reported and does not stop the others. */
  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const listener of [...set]) {
      try {
        ;(listener as Listener<E[K]>)(payload)
      } catch (err) {
        this.onListenerError(String(event), err)
      }
    }
  }

  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.size ?? 0
  }
}
