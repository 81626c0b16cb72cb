import path from 'node:path'
import os from 'node:os'
import { EventBus } from './bus'
import { consoleLogger, type Logger } from './log'
import { openStore, type Store } from './store/open'
import { takeEngineLock } from './store/engine-lock'
import { backupDatabase, backupFileName } from './store/backup'
import { SettingsService } from './settings/service'
import { ActivityService } from './activity/service'
import { createRouter, type CallContext, type Handlers, type Router } from './api/router'
import { busSources, createStreamHub, type StreamHub } from './api/streams'
import { ClientSession } from './api/session'
import { appHandlers } from './api/handlers/app'
import { settingsHandlers } from './api/handlers/settings'
import { storeHandlers } from './api/handlers/store'
import { accountsHandlers } from './api/handlers/accounts'
import { SecretsService } from './secrets/service'
import { keytarKeychain } from './secrets/keytar-keychain'
import type { Keychain } from './secrets/keychain'
import { AccountsService } from './accounts/service'
import { startAccountRemoval } from './accounts/removal'
import { SimHost } from './venues/sim/host'
import { SIM_VENUE_ID, VenueRegistry } from './venues/registry'
import { venueHandlers } from './api/handlers/venues'
import { marketHandlers, marketSources } from './api/handlers/market'
import { MarketDataService } from './market/service'
import { PaperStore } from './venues/paper/store'
import { paperFunding } from './venues/paper/funding'
import { isPaperVenueId } from './venues/paper/paper-accounts'
import { publicCcxtVenues } from './venues/paper/public-venue'
import { WorkspaceService } from './workspace/service'
import { workspaceHandlers } from './api/handlers/workspace'
import { MarketTickSource } from './market/tick-source'
import { OrderManager, monotonicNow } from './trading/orders/order-manager'
import { RateHolds } from './trading/orders/rate-holds'
import { RateHoldStore } from './trading/orders/rate-hold-store'
import { ConditionalEngine } from './trading/conditional/engine'
import { RiskService } from './trading/risk/service'
import { TicketService } from './trading/ticket/service'
import { MarketRules } from './trading/ticket/markets'
import { tradingHandlers, tradingSources } from './api/handlers/trading'
import { PortfolioService } from './portfolio/service'
import { abandonedDetail, discardAbandonedImports } from './portfolio/pending-imports'
import { accountLabel, startLivePortfolio } from './portfolio/live'
import { portfolioHandlers, portfolioSources } from './api/handlers/portfolio'
import { ledgerTransfersAfter } from './portfolio/day-transfers'
import { SyncService } from './portfolio/sync/service'
import { portfolioSyncHandlers, portfolioSyncSources } from './api/handlers/portfolio-sync'
import { createCopyModule } from './copy/wiring'
import type { Copier } from './copy/copier'
import { copyHandlers, copySources } from './api/handlers/copy'
import { AlertEngine, type DesktopNotifier } from './alerts/engine'
import { startFillNotices, type NoticeMode } from './alerts/fill-notices'
import { startConditionalNotices } from './alerts/conditional-notices'
import type { WebhookOptions } from './alerts/webhook'
import { EmailChannel, type MailSend } from './alerts/email'
import { alertsHandlers, alertsSources } from './api/handlers/alerts'
import { RiskAlertEngine } from './alerts/risk-engine'
import { WebhookSecrets } from './alerts/webhook-secrets'
import { messageOf } from './api/errors'
import { hasLedgerEntries } from './portfolio/sync/ledger-accounts'
import type { ReportingCurrency } from './api/schemas/portfolio'
import { TaxService } from './tax/service'
import { CarryInStore } from './tax/carry-in'
import { ReportWorker } from './reports/worker'
import { AnalyticsService } from './analytics/service'
import { analyticsHandlers } from './api/handlers/analytics'
import { taxHandlers } from './api/handlers/tax'
import { LockService } from './lock/service'
import { lockedRouter, lockedStreams } from './lock/guard'
import { lockAwareNotifier } from './lock/redact'
import { lockHandlers, lockSources } from './api/handlers/lock'
import { AuditLog } from './audit/log'
import { auditedRouter } from './audit/recorder'
import { auditHandlers, auditSources } from './api/handlers/audit'
import type { ScryptParams } from './secrets/kdf'
import type { AppInfo, BackupResult } from './api/contract'
import { APP_NAME } from './config/paths'
import { importAccountNames, storedExchangeIds } from './portfolio/sync/ledger-accounts'

export interface CoreOptions {
  dataDir: string
  migrationsDir: string
  door: AppInfo['door']
  version: string
  log?: Logger
  now?: () => number
  /** Validate every command's output against the contract (tests turn this on). */
  checkOutputs?: boolean
  /** Where the master key lives; default the OS keychain through keytar (tests pass memoryKeychain()). */
  keychain?: Keychain
  /** The embedded simulated exchange: 'realtime' (default) animates it; 'manual' leaves time to tests. */
  /** persist: false for short-lived processes (the CLI) that must not overwrite the app's saved market. */
  sim?: { mode: 'realtime' | 'manual'; seed?: number; persist?: boolean }
  /** Market data: a live book silent for longer than staleAfterMs (default 10 s) is marked stale. */
  market?: { staleAfterMs?: number; checkEveryMs?: number; backoffMs?: readonly number[] }
  /** Copy trading: how often exchange leaders' fills are polled over REST (default 3 s). */
  copy?: { pollEveryMs?: number }
  /** Desktop notifications (the Electron shell's); none in the headless door, where the page shows them. */
  notifier?: DesktopNotifier
  /** Alerts: webhook delivery timing (tests shorten the backoff). */
  alerts?: { webhook?: WebhookOptions; firstPriceWaitMs?: number; mailSend?: MailSend }
  /** The app lock: scrypt's cost for new passphrases (tests lower it) and how often the idle clock is read. */
  lock?: { scrypt?: ScryptParams; checkEveryMs?: number; monotonic?: () => number }
  /** The database file: how long a write waits while another process writes (default 5 s; tests shorten it). */
  store?: { busyTimeoutMs?: number }
  /** The audit log: how soon an entry the file was too busy to take is tried again (default 1 s). */
  audit?: { retryMs?: number }
  /** Orders: how soon a reconciliation that failed (the venue unreachable, its key refused) is tried again (default 10 s), and an open to follow a connected account's stream that failed (follow-connected.ts). */
  orders?: { reconcileRetryMs?: number; followRetryMs?: readonly number[] }
}

export interface Core {
  bus: EventBus
  store: Store
  router: Router
  streams: StreamHub
  settings: SettingsService
  secrets: SecretsService
  accounts: AccountsService
  sim: SimHost
  venues: VenueRegistry
  market: MarketDataService
  /** trading/: the order manager (every order goes out through it), conditional orders, risk, the ticket. */
  orders: OrderManager
  conditional: ConditionalEngine
  risk: RiskService
  ticket: TicketService
  /** portfolio/: the fills ledger, lots and P&L. */
  portfolio: PortfolioService
  /** portfolio/sync: exchange accounts' trade history, deposits and withdrawals into the ledger. */
  portfolioSync: SyncService
  /** copy/: follow relationships, the copier, copy records and drift. */
  copy: Copier
  /** alerts/: price alerts and the notification centre. */
  alerts: AlertEngine
  /** lock/: the app lock; audit/: the hash-chained log of what was done through the doors. */
  lock: LockService
  audit: AuditLog
  info(): AppInfo
  openSession(ctx: CallContext): ClientSession
  backup(destination?: string): Promise<BackupResult>
  stop(): Promise<void>
}

/** The composition root: builds every engine module from config, in order, and stops them in reverse. */
export function createCore(options: CoreOptions): Core {
  const log = options.log ?? consoleLogger()
  const now = options.now ?? Date.now
  const bus = new EventBus((event, err) => log.error(`listener for ${event} failed`, err))
  // One engine per data folder, whichever door: a second would fire the same stops and send the same copies.
  const engineLock = takeEngineLock(options.dataDir, options.door, now)
  let store: Store
  try {
    store = openStore(options.dataDir, options.migrationsDir, options.store)
  } catch (err) {
    engineLock.release()
    throw err
  }
  const settings = new SettingsService(store.db, bus, log, now)
  // Labels come from the market rules built below (nothing is recorded with a label before they exist).
  const activity = new ActivityService(store.db, bus, now, (venueId) => rules.label(venueId))
  // Listening before anything happens: the engine's start is its first entry.
  const audit = new AuditLog(store.db, bus, now, { log, ...options.audit })
  // An import cut off by a crash (never visible) is taken out before anything reads or imports again.
  try {
    for (const a of discardAbandonedImports(store.db, { now })) {
      log.warn(abandonedDetail(a))
      audit.record({ door: 'engine', action: 'portfolio.importAbandoned', outcome: 'ok', detail: abandonedDetail(a) })
    }
  } catch (err) {
    log.error('could not take out an import cut off before it completed (it stays hidden; tried again at the next start)', err)
  }
  const lock = new LockService({ db: store.db, bus, log, now, idleMinutes: settings.current('lock.idleMinutes') as () => number, ...options.lock })
  // Every desktop notification goes through the lock: while locked it says only that something arrived.
  const notifier = options.notifier ? lockAwareNotifier(options.notifier, () => lock.anyLocked()) : null
  const secrets = new SecretsService(store.db, options.keychain ?? keytarKeychain(), log, { now })
  // Rate holds count down on the monotonic clock unless a test runs the app on its own clock. The order manager
  // begins them (an exchange's Retry-After); every venue of a held account keeps them: while a cancel's own 429
  // holds everything, no request of that account is sent (request-hold.ts). On an exchange limiting per IP
  // (Binance) a hold of everything holds every connection to its host, keyless ones too (ip-rate-limits.ts).
  const holdClock = options.now ?? monotonicNow
  const rateHolds = new RateHolds(now, new RateHoldStore(store.db), holdClock, (id): string | undefined => accounts.ipHoldKey(id))
  const accounts = new AccountsService(store.db, secrets, bus, log, {
    now,
    requestHold: (id) => rateHolds.requestHold(id),
    // A 429/418 with Retry-After (or Binance's wait read from its reply) to any read of an account holds all of its requests (request-hold.ts).
    holdAll: (id, ms, said) => rateHolds.hold(id, ms, 'all', said),
  })
  // An exchange account may not take a name files were imported under: two accounts would read the same.
  accounts.reserveLabels(() => importAccountNames(store.db, storedExchangeIds(store.db)))
  const sim = new SimHost({
    db: store.db,
    log,
    mode: options.sim?.mode ?? 'realtime',
    seed: options.sim?.seed,
    persist: options.sim?.persist ?? true,
    now,
  })
  const venues = new VenueRegistry(sim, accounts, bus, log, now)
  const market = new MarketDataService({ venues, log, bus, ...options.market })
  const paperStore = new PaperStore(store.db)
  // Paper accounts on an exchange's public data: a keyless connection, held with its host (ip-rate-limits.ts).
  venues.attachPaper({ store: paperStore, market, createPublicVenue: publicCcxtVenues(rateHolds) })
  void market.preload('sim')
  const workspace = new WorkspaceService(store.db, log, now, bus)
  // trading: one cache of market rules; risk gates the order manager; the engine and the ticket send through it.
  const rules = new MarketRules(venues, now)
  const venueLabel = (venueId: string) => rules.label(venueId)
  // The daily loss limit leaves out money moved in or out: the ledger's transfers (a paper reset, synced
  // deposits) and the exchange's own; the app funds the simulated and paper accounts itself.
  const risk = new RiskService({
    db: store.db,
    bus,
    venues,
    log,
    books: market,
    rules,
    now,
    transfers: { ledger: (account, after) => ledgerTransfersAfter(store.db, account, after), appFunded: (id) => id === SIM_VENUE_ID || isPaperVenueId(id) },
  })
  // One tick source: a market watched by both conditional orders and alerts holds its book once.
  const ticks = new MarketTickSource(market, now)
  const orders = new OrderManager({ db: store.db, bus, log, now, holdClock, holds: rateHolds, venues, risk, venueLabel, ...options.orders })
  const conditional = new ConditionalEngine({
    db: store.db,
    bus,
    log,
    now,
    gateway: orders,
    ticks,
    markets: (venueId, symbol) => rules.resolve(venueId, symbol).then((r) => r.market),
    labelOf: venueLabel,
    nativeStops: (venueId) => rules.nativeStops(venueId),
    halted: () => risk.haltMessage(),
    checkArm: (arm) => risk.checkArm(arm),
    holdClock,
  })
  // An account may not move to another environment while orders or armed conditional orders are on this one.
  accounts.bindConnectionUse((id) => ({ openOrders: orders.open({ venueId: id }).length, conditionalOrders: conditional.armedOn(id) }))
  risk.bindKillTargets({ disarmAll: () => conditional.disarmAll(), cancelAll: () => orders.cancelAll() })
  risk.bindOpenOrders((filter) => orders.open(filter))
  risk.bindArmedBuys((filter) => conditional.armedBuys(filter))
  const ticket = new TicketService({ venues, gateway: orders, books: market, risk, rules, log })
  const portfolio = new PortfolioService({ db: store.db, bus, log, now, fills: orders, sim, paperFunding: () => paperFunding(paperStore) })
  const livePortfolio = startLivePortfolio({ db: store.db, bus, log, now, settings, portfolio, market, sim, venueLabel })
  const portfolioSync = new SyncService({
    db: store.db,
    bus,
    log,
    now,
    portfolio,
    openVenue: (id) => venues.open(id),
    isExchangeAccount: (id) => accounts.list().some((a) => a.id === id),
  })
  // The leaders' figures are the Leaderboard's (analytics is built below; asked only once running).
  const ledgerTrades = () => analytics.closedTrades()
  const copy = createCopyModule({ db: store.db, bus, log, now, gateway: orders, venues, sim, rules, market, accounts, ledgerTrades, ...options.copy })
  const email = new EmailChannel(store.db, secrets, now, options.alerts?.mailSend)
  secrets.addSealedCount((mode) => email.sealedCount(mode))
  secrets.addForget((mode) => email.forgetSealed(mode))
  // Alerts' webhook URLs are sealed like the mail password; rows from before (plaintext) are sealed at
  // start, or once the key store is ready (a passphrase-derived key only after it is unlocked).
  const webhooks = new WebhookSecrets(store.db, secrets, log)
  secrets.addSealedCount((mode) => webhooks.sealedCount(mode))
  secrets.addForget((mode) => webhooks.forgetSealed(mode))
  const sealWebhooks = () =>
    void webhooks.sealPlaintext().catch((err: unknown) => log.warn('webhook URLs stored in plaintext stay so until the key store is ready', { error: messageOf(err) }))
  secrets.onReady(sealWebhooks)
  const alerts = new AlertEngine({
    db: store.db,
    bus,
    log,
    now,
    ticks,
    markets: (venueId, symbol) => rules.resolve(venueId, symbol).then((r) => r.market),
    labelOf: venueLabel,
    notifier,
    email,
    webhooks,
    webhook: options.alerts?.webhook,
    firstPriceWaitMs: options.alerts?.firstPriceWaitMs,
  })
  // Risk alerts watch the live portfolio's own views; fired, they share the price alerts' centre and channels.
  const riskAlerts = new RiskAlertEngine({
    db: store.db,
    bus,
    log,
    now,
    live: livePortfolio.live,
    currency: settings.current('portfolio.currency') as () => ReportingCurrency,
    accountKnown: (account) => accounts.list().some((a) => a.id === account) || hasLedgerEntries(store.db, account),
    labelOf: (account) => accountLabel(account, venueLabel),
    centre: alerts.store,
    deliveries: alerts.deliveries,
    webhooks,
  })
  const stopFillNotices = startFillNotices({
    bus,
    mode: settings.current('alerts.fills') as () => NoticeMode,
    notifier,
    labelOf: venueLabel,
    now,
  })
  const stopConditionalNotices = startConditionalNotices({
    bus,
    mode: settings.current('alerts.conditional') as () => NoticeMode,
    notifier,
    now,
  })
  // A removed account's copy relationships, armed conditional orders, price and risk alerts end, each saying
  // why; its open orders are left on the exchange.
  const removal = startAccountRemoval({ bus, log, parts: { accounts, copy: copy.copier, conditional, alerts, riskAlerts, orders, paper: venues } })
  const startedAt = now()

  const info = (): AppInfo => ({
    name: APP_NAME,
    version: options.version,
    door: options.door,
    platform: `${os.platform()}-${os.arch()}`,
    dataDir: options.dataDir,
    dbPath: store.path,
    schemaVersion: store.schemaVersion,
    startedAt,
  })

  const backup = async (destination?: string): Promise<BackupResult> => {
    const at = now()
    const target = destination ?? path.join(options.dataDir, 'backups', backupFileName(at))
    const result = await backupDatabase(store.sqlite, target)
    bus.emit('backupWritten', { result, at })
    return result
  }

  // Ledger-wide reports (tax, the leaderboard's trades) run on a worker thread with its own read-only
  // connection (reports/worker.ts).
  const reports = new ReportWorker({ db: store.db, dbPath: store.path, log })
  const tax = new TaxService({ reports, carryIn: new CarryInStore(store.db), now })
  const analytics = new AnalyticsService({ reports, live: livePortfolio.live, now })
  const handlers: Handlers = {
    ...appHandlers(info),
    ...settingsHandlers(settings),
    ...storeHandlers(() => backup(), activity),
    ...accountsHandlers(accounts, secrets, removal, venues),
    ...venueHandlers(venues, sim, bus),
    ...marketHandlers(market),
    ...workspaceHandlers(workspace),
    ...tradingHandlers({
      ticket,
      orders,
      conditional,
      risk,
      venueLabel,
      venueExists: (id) => venues.list().some((v) => v.id === id),
      formerKind: (id) => venues.former().find((f) => f.id === id)?.kind,
    }),
    ...portfolioSyncHandlers({ db: store.db, sync: portfolioSync, portfolio, accounts, venues }),
    ...portfolioHandlers(livePortfolio.live, store.db),
    ...copyHandlers(copy.copier),
    ...alertsHandlers(alerts, email, riskAlerts),
    ...taxHandlers(tax),
    ...analyticsHandlers(analytics),
    ...lockHandlers(lock),
    ...auditHandlers(audit),
  }
  // The door's path in: the lock refuses what a locked screen may not ask, the audit log records what was asked.
  const router = auditedRouter(lockedRouter(createRouter(handlers, log, { checkOutputs: options.checkOutputs ?? false }), lock), audit, log)
  const hub = createStreamHub({ ...busSources(bus), ...marketSources(market), ...tradingSources(bus, venueLabel), ...portfolioSources(livePortfolio.live), ...portfolioSyncSources(bus, portfolioSync), ...copySources(bus, copy.copier), ...alertsSources(bus), ...lockSources(bus), ...auditSources(bus) })
  const streams = lockedStreams(hub, lock)
  const sessions = new Set<ClientSession>()

  // Before the simulated exchange moves: opening balances first, then every fill.
  portfolio.start()
  portfolioSync.start()
  sim.start()
  // Both start at once (each is usable as soon as start() is called); the manager reconciles in the background.
  orders.start().catch((err: unknown) => log.error('order manager failed to start', err))
  // After the order manager: pending copies re-send through it (an existing client id returns its order).
  copy.copier.start()
  conditional.start().catch((err: unknown) => log.error('conditional engine failed to start', err))
  alerts.start()
  riskAlerts.start()
  sealWebhooks()
  risk.startDayClock()
  bus.emit('engineStarted', { at: startedAt, door: options.door })
  // Locked (when a passphrase is set) before any screen can connect: sessions open after createCore returns.
  lock.start()

  return {
    bus,
    store,
    router,
    streams,
    settings,
    secrets,
    accounts,
    sim,
    venues,
    market,
    orders,
    conditional,
    risk,
    ticket,
    portfolio,
    portfolioSync,
    copy: copy.copier,
    alerts,
    lock,
    audit,
    info,
    backup,
    openSession(ctx) {
      // Each session is one screen with its own idle clock and idle lock (lock/service.ts).
      const screen = lock.openScreen()
      const session = new ClientSession(router, lockedStreams(hub, lock, screen), { ...ctx, screen })
      sessions.add(session)
      const close = session.close.bind(session)
      session.close = () => {
        sessions.delete(session)
        lock.closeScreen(screen)
        close()
      }
      return session
    },
    async stop() {
      // Requests waiting for a rate hold's end (a reconcile, a sync's history pages) give up now, unsent: what
      // awaits them below would otherwise keep the app from quitting until the hold ends, minutes off.
      rateHolds.close()
      for (const session of [...sessions]) session.close()
      activity.stop()
      lock.stop()
      audit.stop()
      conditional.stop()
      alerts.stop()
      riskAlerts.stop()
      risk.stop()
      stopFillNotices()
      stopConditionalNotices()
      removal.stop()
      // An email waiting for its server's answer (up to minutes) must not hold quitting: 10 s, then it is left.
      await alerts.settled(10_000)
      await webhooks.stop()
      email.stop()
      await portfolioSync.stop()
      await copy.copier.stop()
      await orders.stop()
      copy.followers.stop()
      market.stop()
      await venues.stop()
      await sim.stop()
      livePortfolio.stop()
      portfolio.stop()
      await reports.stop()
      await accounts.stop()
      await secrets.stop()
      store.close()
      engineLock.release()
    },
  }
}
