// The risk alert engine over a scripted portfolio view (one view for every query) and a temp SQLite store,
// with the clock read from Date.now() so a test can run it under fake timers; shared by the risk engine tests.
import type { AlertEvent, RiskAlertView } from '../../src-main/api/schemas/alerts'
import { riskAlertCreateSchema } from '../../src-main/api/schemas/alerts'
import type { PortfolioView } from '../../src-main/api/schemas/portfolio'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { AlertStore } from '../../src-main/alerts/store'
import { AlertDeliveries } from '../../src-main/alerts/delivery'
import { RiskAlertEngine } from '../../src-main/alerts/risk-engine'
import { WebhookSecrets } from '../../src-main/alerts/webhook-secrets'
import { SecretsService } from '../../src-main/secrets/service'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { migrationsDir, tempDir } from '../support/temp-core'

const opened: { store: Store; deliveries: AlertDeliveries }[] = []

/** Closes what the harnesses opened (call in afterEach). A "crashed" engine is left as it was, never stopped. */
export function closeRiskStores(): void {
  for (const o of opened.splice(0)) {
    o.deliveries.stop()
    o.store.close()
  }
}

export const riskView = (value: string, pnl = '0', netDeposits = '0') => ({ totals: { value, pnl, netDeposits }, warnings: [] }) as unknown as PortfolioView

export interface RiskH {
  engine: RiskAlertEngine
  store: Store
  fired: AlertEvent[]
  changed: RiskAlertView[]
  /** The next portfolio view, to every watch. */
  push(value: string): void
  /** The next view with this P&L (the value as it was). */
  pushPnl(pnl: string): void
  create(input: Record<string, unknown>): Promise<RiskAlertView>
}

export function riskHarness(opts: { dataDir?: string; first: string; posted?: string[] }): RiskH {
  const store = openStore(opts.dataDir ?? tempDir(), migrationsDir)
  const bus = new EventBus()
  const centre = new AlertStore(store.db)
  const posted = opts.posted
  const deliveries = new AlertDeliveries({ store: centre, bus, log: silentLogger, notifier: null, email: null, ...(posted ? { webhook: { post: async (url: string) => (posted.push(url), 200) } } : {}) })
  opened.push({ store, deliveries })
  const fired: AlertEvent[] = []
  const changed: RiskAlertView[] = []
  bus.on('alertFired', (e) => fired.push(e.event))
  bus.on('riskAlertChanged', (e) => changed.push(e.view))
  const emits = new Set<(v: PortfolioView) => void>()
  let current = riskView(opts.first)
  const engine = new RiskAlertEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now: () => Date.now(),
    live: {
      subscribe: (_q, emit) => {
        emits.add(emit)
        emit(current)
        return () => emits.delete(emit)
      },
    },
    currency: () => 'USD',
    accountKnown: () => true,
    labelOf: (a) => a,
    centre,
    deliveries,
    webhooks: new WebhookSecrets(store.db, new SecretsService(store.db, memoryKeychain(), silentLogger), silentLogger),
  })
  engine.start()
  return {
    engine,
    store,
    fired,
    changed,
    push(value) {
      current = riskView(value)
      for (const emit of [...emits]) emit(current)
    },
    pushPnl(pnl) {
      current = riskView(current.totals.value, pnl)
      for (const emit of [...emits]) emit(current)
    },
    create: (input) => engine.create(riskAlertCreateSchema.parse(input)),
  }
}
