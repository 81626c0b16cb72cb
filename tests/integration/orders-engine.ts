import path from 'node:path'
import { EventBus } from '../../src-main/bus'
import { consoleLogger, silentLogger, type Logger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { SecretsService } from '../../src-main/secrets/service'
import { AccountsService } from '../../src-main/accounts/service'
import { createCcxtVenue, type AccountVenue } from '../../src-main/venues/ccxt/venue'
import { OrderManager, monotonicNow, type OrderManagerDeps } from '../../src-main/trading/orders/order-manager'
import { RateHolds } from '../../src-main/trading/orders/rate-holds'
import { RateHoldStore } from '../../src-main/trading/orders/rate-hold-store'
import type { Venue } from '../../src-main/venues/port'
import type { OrderIntent } from '../../src-main/trading/model'
import { fileKeychain } from '../support/file-keychain'
import { migrationsDir } from '../support/temp-core'

// The part of the engine the order manager needs, built the way core.ts builds it: SQLite in a data dir,
// credentials sealed under a master key (here in a keychain FILE, so a killed process and the one started
// after it read the same key), accounts opened as ccxt venues, and the order manager. Used by the order
// integration tests in-process and by orders-child.ts in a separate process that the tests kill.

export interface OrdersEngine {
  store: Store
  bus: EventBus
  accounts: AccountsService
  manager: OrderManager
  /** The account's venue the manager sends through (opened and connected once). */
  venue(id: string): Promise<Venue>
  close(): Promise<void>
}

export function keychainFileOf(dataDir: string): string {
  return path.join(dataDir, 'test-keychain.json')
}

export function openOrdersEngine(options: {
  dataDir: string
  log?: Logger | 'stderr'
  /** Per-request timeout of the ccxt venues (default ccxt's 10 s here). */
  requestTimeoutMs?: number
  manager?: Partial<OrderManagerDeps>
}): OrdersEngine {
  const log = options.log === 'stderr' ? consoleLogger('orders-test') : (options.log ?? silentLogger)
  const store = openStore(options.dataDir, migrationsDir)
  const bus = new EventBus((event, err) => log.error(`listener for ${event} failed`, err))
  const secrets = new SecretsService(store.db, fileKeychain(keychainFileOf(options.dataDir)), log)
  // One set of rate holds for the manager and the venues, as core.ts shares them.
  const now = options.manager?.now ?? Date.now
  const holds = options.manager?.holds ?? new RateHolds(now, new RateHoldStore(store.db), options.manager?.holdClock ?? options.manager?.now ?? monotonicNow)
  const accounts = new AccountsService(store.db, secrets, bus, log, {
    createVenue: (config) => createCcxtVenue({ ...config, timeoutMs: options.requestTimeoutMs ?? config.timeoutMs }),
    requestHold: (id) => holds.requestHold(id),
    holdAll: (id, ms) => holds.hold(id, ms, 'all'),
  })
  const opened = new Map<string, Promise<AccountVenue>>()
  const venues = {
    open(id: string): Promise<Venue> {
      let venue = opened.get(id)
      if (!venue) {
        venue = accounts.openVenue(id).then(async (v) => {
          await v.connect()
          return v
        })
        venue.catch(() => opened.delete(id))
        opened.set(id, venue)
      }
      return venue
    },
  }
  const manager = new OrderManager({
    db: store.db,
    bus,
    log,
    venues,
    risk: { check: async () => {} },
    reconcileEveryMs: 0,
    ...options.manager,
    holds,
  })
  return {
    store,
    bus,
    accounts,
    manager,
    venue: (id) => venues.open(id),
    async close() {
      await manager.stop()
      await accounts.stop()
      await secrets.stop()
      store.close()
    },
  }
}

/**
 * The order tests' intent maker: a manual GTC limit buy of 0.01 BTC/USDT at `price` (each test file its own
 * price near its exchange's ladder); `overrides` change any part.
 */
export function intentAt(price: string): (venueId: string, overrides?: Partial<OrderIntent>) => OrderIntent {
  return (venueId, overrides = {}) => ({
    venueId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    postOnly: false,
    amount: '0.01',
    price,
    origin: { kind: 'manual', ref: null },
    ...overrides,
  })
}
