import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { alertCreateSchema } from '../../src-main/api/schemas/alerts'
import { openStore, DB_FILE_NAME, type Store } from '../../src-main/store/open'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness } from './alerts-harness'
import { migrationsDir, tempDir } from '../support/temp-core'

// A webhook URL is a password (Slack, Discord, Teams: the token is in its path), so it is sealed in the
// database as exchange credentials are: an alert's row holds its ciphertext and the masked form the views
// show; the delivery opens it when it sends. Rows from before were plaintext: a start seals them, all in
// one transaction, and leaves them as they were when it cannot (no key yet).

afterEach(() => closeAlertStores())

const TOKEN = 's3cr3tT0ken'
const SLACK = `https://hooks.slack.com/services/T0001/B0002/${TOKEN}`
const OTHER = 'https://discord.com/api/webhooks/42/d1sc0rdT0ken'

/** Every column of every row, blobs as raw bytes: what anyone reading the file sees. */
function rowsText(store: Store, table: string): string {
  const rows = store.sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]
  return rows.map((r) => Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v))).join('|')).join('\n')
}

/** The database file and its WAL, as bytes on disk. */
function fileText(dataDir: string): string {
  const db = path.join(dataDir, DB_FILE_NAME)
  return [db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('')
}

const NOW = 1_700_000_000_000

/** A data folder whose alert rows were written before webhook URLs were sealed (plaintext in webhook_url). */
function legacyDataDir(urls: Record<string, string>): string {
  const dataDir = tempDir()
  const store = openStore(dataDir, migrationsDir)
  const insert = store.sqlite.prepare(
    `INSERT INTO alert_rules (id, venue_id, symbol, condition, price, source, note, desktop, webhook_url, email, status, repeat, armed, fire_count, created_at, updated_at)
     VALUES (?, ?, ?, 'above', '105', 'last', NULL, 0, ?, 0, 'active', 0, 1, 0, ?, ?)`,
  )
  for (const [id, url] of Object.entries(urls)) insert.run(id, VENUE, BTC.symbol, url, NOW, NOW)
  store.close()
  return dataDir
}

const webhookColumn = (store: Store) => store.sqlite.prepare('SELECT id, webhook_url AS url FROM alert_rules ORDER BY id').all()

describe('webhook URLs sealed at rest', () => {
  it('a new alert keeps no part of its URL in the database; views show it masked; it fires to the full URL', async () => {
    const posted: string[] = []
    const dataDir = tempDir()
    const h = harness({ dataDir, webhook: { post: (url) => (posted.push(url), Promise.resolve(200)) } })
    h.ticks.price('100')
    const created = await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105', webhookUrl: SLACK }))
    expect(created.webhookUrl).toBe('https://hooks.slack.com/…')
    expect(h.engine.list({ scope: 'active', limit: 10 })[0]!.webhookUrl).toBe('https://hooks.slack.com/…')
    expect(rowsText(h.store, 'alert_rules')).not.toContain(TOKEN)
    expect(rowsText(h.store, 'alert_rules')).not.toContain('hooks.slack.com/services')
    expect(fileText(dataDir)).not.toContain(TOKEN)
    h.ticks.price('106')
    await h.engine.settled()
    expect(posted).toEqual([SLACK])
    expect(h.fired.at(-1)).toMatchObject({ webhook: 'delivered', webhookDetail: 'HTTP 200' })
    expect(h.engine.list({ scope: 'history', limit: 10 })[0]!.webhookUrl).toBe('https://hooks.slack.com/…')
  })

  it('a new alert is refused, saying why, when there is no key to seal its URL with; nothing is written', async () => {
    const h = harness({ keychain: memoryKeychain({}, { unavailable: 'no Secret Service provider is running' }) })
    h.ticks.price('100')
    await expect(h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105', webhookUrl: SLACK }))).rejects.toThrow(
      /webhookUrl: the URL could not be sealed.*no Secret Service provider is running/,
    )
    expect(h.store.sqlite.prepare('SELECT count(*) AS n FROM alert_rules').get()).toEqual({ n: 0 })
    // Without a webhook an alert needs no key.
    await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105' }))
  })

  it('seals plaintext rows from before at start: the row no longer holds the URL, the view is unchanged, delivery goes to the same URL', async () => {
    const dataDir = legacyDataDir({ alrold1: SLACK, alrold2: OTHER })
    const posted: string[] = []
    const h = harness({ dataDir, webhook: { post: (url) => (posted.push(url), Promise.resolve(200)) } })
    const before = h.engine.list({ scope: 'active', limit: 10 }).map((v) => v.webhookUrl)
    expect(before).toEqual(expect.arrayContaining(['https://hooks.slack.com/…', 'https://discord.com/…']))
    expect(await h.webhooks.sealPlaintext()).toBe(2)
    expect(webhookColumn(h.store)).toEqual([{ id: 'alrold1', url: null }, { id: 'alrold2', url: null }])
    expect(rowsText(h.store, 'alert_rules')).not.toContain(TOKEN)
    expect(rowsText(h.store, 'alert_rules')).not.toContain('d1sc0rdT0ken')
    expect(fileText(dataDir)).not.toContain(TOKEN)
    // Idempotent: nothing left to seal, the sealed rows untouched.
    const sealed = rowsText(h.store, 'alert_rules')
    expect(await h.webhooks.sealPlaintext()).toBe(0)
    expect(rowsText(h.store, 'alert_rules')).toBe(sealed)
    expect(h.engine.list({ scope: 'active', limit: 10 }).map((v) => v.webhookUrl)).toEqual(before)
    h.ticks.price('106')
    await h.engine.settled()
    expect(posted.sort()).toEqual([SLACK, OTHER].sort())
  })

  it('leaves every plaintext row as it was when sealing fails part-way, and still delivers from it', async () => {
    const dataDir = legacyDataDir({ alrold1: SLACK, alrold2: OTHER })
    let seals = 0
    const posted: string[] = []
    // The second seal fails (the keychain went away mid-way): the first row's box must not be written either.
    const h = harness({
      dataDir,
      secrets: (real) => ({
        open: (box, mode, aad) => real.open(box, mode, aad),
        seal: (text, aad) => (++seals === 2 ? Promise.reject(new Error('keychain went away')) : real.seal(text, aad)),
      }),
      webhook: { post: (url) => (posted.push(url), Promise.resolve(200)) },
    })
    await expect(h.webhooks.sealPlaintext()).rejects.toThrow('keychain went away')
    expect(webhookColumn(h.store)).toEqual([{ id: 'alrold1', url: SLACK }, { id: 'alrold2', url: OTHER }])
    h.ticks.price('106')
    await h.engine.settled()
    expect(posted.sort()).toEqual([SLACK, OTHER].sort())
  })
})
