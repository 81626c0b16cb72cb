import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { migrationsDir, tempCore, tempDir } from '../support/temp-core'
import { openStore } from '../../src-main/store/open'
import { memoryKeychain, type Keychain } from '../../src-main/secrets/keychain'
import { knownMigrations } from '../../src-main/store/migrations-check'
import { restoreDatabase } from '../../src-main/store/restore'
import type { Core } from '../../src-main/core'
import type { AlertView } from '../../src-main/api/schemas/alerts'

// Webhook URLs sealed at rest, through the whole engine: plaintext rows from before (price and risk alerts)
// are sealed at start, or once a passphrase-protected key store is unlocked; an alert fires to its full
// URL while the app is locked (deliveries go to the user's own channels, as emails do); and a backup put
// back on the same machine (same keychain) still delivers.

const ctx = { door: 'test' } as const
const PASS = 'correct horse battery'
const NOW = Date.now()
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function start(opts: { dataDir?: string; keychain?: Keychain; posted?: string[] } = {}) {
  const posted = opts.posted ?? []
  const core = tempCore({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.keychain ? { keychain: opts.keychain } : {}),
    alerts: { firstPriceWaitMs: 2000, webhook: { post: async (url: string) => (posted.push(url), 200) } },
    lock: { scrypt: { N: 1024, r: 8, p: 1 }, checkEveryMs: 3_600_000 },
  })
  cores.push(core)
  return { core, posted }
}

async function call<T>(core: Core, name: string, input: unknown = {}): Promise<T> {
  const r = (await core.router.invoke(name as never, input as never, ctx)) as { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
  return r.value
}

/** A data folder with a price and a risk alert written before webhook URLs were sealed. */
function legacyDataDir(): string {
  const dataDir = tempDir()
  const store = openStore(dataDir, migrationsDir)
  store.sqlite
    .prepare(
      `INSERT INTO alert_rules (id, venue_id, symbol, condition, price, source, note, desktop, webhook_url, email, status, repeat, armed, fire_count, created_at, updated_at)
       VALUES ('alrold', 'sim', 'BTC/USDT', 'above', '9999999', 'last', NULL, 0, 'https://hooks.slack.com/services/T1/B2/pr1ceT0ken', 0, 'active', 0, 1, 0, ?, ?)`,
    )
    .run(NOW, NOW)
  store.sqlite
    .prepare(
      `INSERT INTO risk_alert_rules (id, metric, account, currency, condition, threshold, peak, note, desktop, webhook_url, email, status, repeat, armed, fire_count, created_at, updated_at)
       VALUES ('rskold', 'value', NULL, 'USD', 'above', '999999999', NULL, NULL, 0, 'https://discord.com/api/webhooks/1/r1skT0ken', 0, 'active', 0, 1, 0, ?, ?)`,
    )
    .run(NOW, NOW)
  store.close()
  return dataDir
}

function plaintext(core: Core): string[] {
  const q = (table: string) => core.store.sqlite.prepare(`SELECT webhook_url AS url FROM ${table}`).all() as { url: string | null }[]
  return [...q('alert_rules'), ...q('risk_alert_rules')].map((r) => r.url).filter((u): u is string => u !== null)
}

/** Two alerts with webhooks just over and under the sim's mid: whichever way the market goes, one fires. */
async function armTwo(core: Core): Promise<void> {
  await sleep(10)
  core.sim.runtime.advance(60_000)
  const mid = Number(core.sim.engine.book('BTC/USDT', 1).bids[0]![0])
  await call(core, 'alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'above', price: (mid * 1.0003).toFixed(2), source: 'mid', webhookUrl: 'https://hooks.example.com/up/upT0ken' })
  await call(core, 'alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'below', price: (mid * 0.9997).toFixed(2), source: 'mid', webhookUrl: 'https://hooks.example.com/down/downT0ken' })
}

/** Advances the market until a webhook was posted, and waits for the deliveries. */
async function untilPosted(core: Core, posted: string[]): Promise<void> {
  for (let i = 0; i < 240 && posted.length === 0; i++) {
    core.sim.runtime.advance(15_000)
    await sleep(2)
  }
  await core.alerts.settled()
}

describe('webhook URLs sealed at rest, in the engine', () => {
  it('seals the price and risk alerts’ plaintext URLs at start; their views are unchanged', async () => {
    const { core } = start({ dataDir: legacyDataDir() })
    await vi.waitFor(() => expect(plaintext(core)).toEqual([]), { timeout: 5000 })
    const price = await call<AlertView[]>(core, 'alerts.list', {})
    expect(price.map((v) => v.webhookUrl)).toEqual(['https://hooks.slack.com/…'])
    const risk = await call<{ webhookUrl: string }[]>(core, 'alerts.riskList', {})
    expect(risk.map((v) => v.webhookUrl)).toEqual(['https://discord.com/…'])
  })

  it('with a passphrase-protected key, leaves plaintext rows until the key store is unlocked, then seals them', async () => {
    const noKeychain = memoryKeychain({}, { unavailable: 'no Secret Service provider is running' })
    const dataDir = tempDir()
    const first = start({ dataDir, keychain: noKeychain }).core
    await first.secrets.usePassphrase(PASS)
    await first.stop()
    cores = []
    // Rows from before, in a database whose key is derived from a passphrase.
    const store = openStore(dataDir, migrationsDir)
    store.sqlite
      .prepare(
        `INSERT INTO alert_rules (id, venue_id, symbol, condition, price, source, note, desktop, webhook_url, email, status, repeat, armed, fire_count, created_at, updated_at)
         VALUES ('alrold', 'sim', 'BTC/USDT', 'above', '9999999', 'last', NULL, 0, 'https://hooks.slack.com/services/T1/B2/pr1ceT0ken', 0, 'active', 0, 1, 0, ?, ?)`,
      )
      .run(NOW, NOW)
    store.close()
    const { core } = start({ dataDir, keychain: noKeychain })
    await sleep(200)
    expect(plaintext(core)).toEqual(['https://hooks.slack.com/services/T1/B2/pr1ceT0ken'])
    await core.secrets.unlock(PASS)
    await vi.waitFor(() => expect(plaintext(core)).toEqual([]), { timeout: 5000 })
  })

  it('delivers to the full URL while the app is locked', async () => {
    const { core, posted } = start()
    await armTwo(core)
    await call(core, 'lock.setPassphrase', { next: PASS })
    await call(core, 'lock.lock')
    expect(core.lock.isLocked()).toBe(true)
    await untilPosted(core, posted)
    expect(core.lock.isLocked()).toBe(true)
    expect(posted.length).toBeGreaterThanOrEqual(1)
    for (const url of posted) expect(['https://hooks.example.com/up/upT0ken', 'https://hooks.example.com/down/downT0ken']).toContain(url)
  }, 60_000)

  it('a backup put back on the same machine still delivers to the full URL', async () => {
    const keychain = memoryKeychain()
    const a = start({ keychain }).core
    await sleep(10)
    a.sim.runtime.advance(60_000)
    const mid = Number(a.sim.engine.book('BTC/USDT', 1).bids[0]![0])
    await call(a, 'alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'above', price: (mid * 100).toFixed(2), webhookUrl: 'https://hooks.example.com/kept/k3ptT0ken' })
    const backup = path.join(tempDir(), 'backup.sqlite')
    await a.backup(backup)
    await a.stop()
    cores = []
    const dataDir = tempDir()
    await restoreDatabase(backup, dataDir, knownMigrations(migrationsDir), Date.now())
    const { core, posted } = start({ dataDir, keychain })
    const [kept] = await call<AlertView[]>(core, 'alerts.list', {})
    expect(kept!.webhookUrl).toBe('https://hooks.example.com/…')
    await armTwo(core)
    await untilPosted(core, posted)
    expect(posted.length).toBeGreaterThanOrEqual(1)
    // The restored alert's URL opens as well (its box is bound to the keychain's key, not to the file).
    const opened = await core.alerts.webhooks.open('price', kept!.id)
    expect(opened).toBe('https://hooks.example.com/kept/k3ptT0ken')
  }, 60_000)
})
