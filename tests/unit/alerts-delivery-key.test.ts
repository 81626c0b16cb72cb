import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { alertCreateSchema } from '../../src-main/api/schemas/alerts'
import { openStore } from '../../src-main/store/open'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness } from './alerts-harness'
import { migrationsDir, tempDir } from '../support/temp-core'

// A webhook's Idempotency-Key and body eventId name one fired alert everywhere: a random id written with
// the event when it fires, the same on each retry, never the centre's row number (which starts at 1 again
// on a second install and goes back after a restore, so a deduplicating receiver dropped real alerts).

afterEach(() => closeAlertStores())

interface Hit {
  key: string | undefined
  body: Record<string, unknown>
}

/** One alert fired through a webhook whose first answer is `first`; what the receiver got. */
async function fireOne(first = 200): Promise<{ hits: Hit[]; stored: string }> {
  const hits: Hit[] = []
  const h = harness({
    webhook: {
      post: (_url, body, _signal, key) => {
        hits.push({ key, body: JSON.parse(body) as Record<string, unknown> })
        return Promise.resolve(hits.length === 1 ? first : 200)
      },
    },
  })
  h.ticks.price('100')
  await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105', webhookUrl: 'https://example.com/hook' }))
  h.ticks.price('106')
  await h.engine.settled()
  const row = h.store.sqlite.prepare('select delivery_key from alert_events').get() as { delivery_key: string }
  return { hits, stored: row.delivery_key }
}

describe('webhook idempotency key', () => {
  it('differs between two installs whose first alerts share the row number 1; the same on a retry', async () => {
    const a = await fireOne(503)
    const b = await fireOne()
    expect(a.hits).toHaveLength(2)
    const keyA = a.hits[0]!.key
    expect(keyA).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a.hits[1]!.key).toBe(keyA)
    expect(a.hits.map((h) => h.body.eventId)).toEqual([keyA, keyA])
    expect(a.stored).toBe(keyA)
    expect(b.hits[0]!.key).not.toBe(keyA)
    expect(b.hits[0]!.body.eventId).toBe(b.hits[0]!.key)
  })

  it('events recorded before the upgrade get distinct keys', () => {
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }
    const at = journal.entries.findIndex((e) => e.tag === '0029_alert_event_delivery_key')
    expect(at).toBeGreaterThan(0)
    const older = tempDir('co-migrations-')
    fs.mkdirSync(path.join(older, 'meta'))
    const kept = journal.entries.slice(0, at)
    fs.writeFileSync(path.join(older, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: kept }))
    for (const e of kept) fs.copyFileSync(path.join(migrationsDir, `${e.tag}.sql`), path.join(older, `${e.tag}.sql`))
    const dataDir = tempDir('co-delivery-key-')
    const old = openStore(dataDir, older)
    const put = old.sqlite.prepare("insert into alert_events (rule_id, at, venue_id, symbol, price, title, body) values ('r', ?, 'sim', 'BTC/USDT', '1', 't', 'b')")
    for (let i = 0; i < 5; i++) put.run(i)
    old.close()
    const store = openStore(dataDir, migrationsDir)
    const keys = (store.sqlite.prepare('select delivery_key from alert_events').all() as { delivery_key: string }[]).map((r) => r.delivery_key)
    store.close()
    expect(keys).toHaveLength(5)
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(keys).size).toBe(5)
  })
})
