// The alert engine over a scripted tick source (conditional-harness) and a temp SQLite store, with its
// desktop notifier recorded, a short webhook backoff and an email channel; shared by the alerts tests.
import { AppError } from '../../src-main/api/errors'
import type { AlertEvent, AlertView } from '../../src-main/api/schemas/alerts'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { SecretsService } from '../../src-main/secrets/service'
import { memoryKeychain, type Keychain } from '../../src-main/secrets/keychain'
import { AlertEngine } from '../../src-main/alerts/engine'
import { EmailChannel } from '../../src-main/alerts/email'
import type { WebhookOptions } from '../../src-main/alerts/webhook'
import { WebhookSecrets } from '../../src-main/alerts/webhook-secrets'
import { BTC, ScriptedTicks, VENUE } from './conditional-harness'
import { migrationsDir, tempDir } from '../support/temp-core'

const stores: Store[] = []
const channels: EmailChannel[] = []

/** Closes the stores the harnesses opened and their email channels' SMTP connections (call in afterEach). */
export function closeAlertStores(): void {
  channels.splice(0).forEach((c) => c.stop())
  stores.splice(0).forEach((s) => s.close())
}

export interface H {
  engine: AlertEngine
  bus: EventBus
  ticks: ScriptedTicks
  store: Store
  notified: { title: string; body: string }[]
  changed: AlertView[]
  fired: AlertEvent[]
  /** The email channel over the same store (its master key in a memory keychain). */
  email: EmailChannel
  /** Seals and opens the alerts' webhook URLs with the same master key. */
  webhooks: WebhookSecrets
}

type Sealer = Pick<SecretsService, 'seal' | 'open'>

export function harness(
  opts: {
    dataDir?: string
    ticks?: ScriptedTicks
    webhook?: WebhookOptions
    firstPriceWaitMs?: number
    /** Where the master key is (default: a fresh memory keychain). */
    keychain?: Keychain
    /** Wraps the secrets service the email channel and the webhooks seal with (a failing seal). */
    secrets?: (real: SecretsService) => Sealer
  } = {},
): H {
  const store = openStore(opts.dataDir ?? tempDir(), migrationsDir)
  stores.push(store)
  const bus = new EventBus()
  const ticks = opts.ticks ?? new ScriptedTicks()
  const notified: H['notified'] = []
  const changed: AlertView[] = []
  const fired: AlertEvent[] = []
  bus.on('alertChanged', (e) => changed.push(e.view))
  bus.on('alertFired', (e) => fired.push(e.event))
  const real = new SecretsService(store.db, opts.keychain ?? memoryKeychain(), silentLogger)
  const secrets = opts.secrets ? opts.secrets(real) : real
  const email = new EmailChannel(store.db, secrets, () => 1_700_000_000_000)
  const webhooks = new WebhookSecrets(store.db, secrets, silentLogger)
  channels.push(email)
  const engine = new AlertEngine({
    db: store.db,
    bus,
    log: silentLogger,
    now: () => 1_700_000_000_000 + ticks.t,
    ticks,
    markets: (venueId, symbol) => {
      if (venueId !== VENUE || symbol !== BTC.symbol) return Promise.reject(new AppError('NOT_FOUND', `No market ${symbol} on ${venueId}`))
      return Promise.resolve(BTC)
    },
    labelOf: () => 'Simulated exchange',
    notifier: { notify: (title, body) => notified.push({ title, body }) },
    webhook: { backoffMs: [5, 5], ...opts.webhook },
    firstPriceWaitMs: opts.firstPriceWaitMs ?? 20,
    email,
    webhooks,
  })
  engine.start()
  return { engine, bus, ticks, store, notified, changed, fired, email, webhooks }
}
