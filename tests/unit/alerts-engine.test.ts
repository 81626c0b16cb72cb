import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { alertCreateSchema } from '../../src-main/api/schemas/alerts'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness, type H } from './alerts-harness'
import { tempDir } from '../support/temp-core'
import { thrown, rejected } from '../support/thrown'

// Price alerts over a scripted tick source and a real SQLite store: when an alert fires (exactly at its
// level, once), what a stale book does, the refusal of a level already reached, restart, cancel and amend,
// and the webhook delivered to a real local HTTP server.

const servers: http.Server[] = []
afterEach(async () => {
  closeAlertStores()
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

const create = (h: H, raw: Record<string, unknown>) =>
  h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, ...raw }))

const row = (h: H, id: string) => h.store.sqlite.prepare('select * from alert_rules where id = ?').get(id) as Record<string, unknown>
const eventRows = (h: H) => h.store.sqlite.prepare('select * from alert_events order by id').all() as Record<string, unknown>[]

const refusal = (p: Promise<unknown>) => rejected(p, AppError)

describe('price alerts', () => {
  it('an "above" alert fires once, on the first tick at its level exactly, and is recorded before it is told', async () => {
    const h = harness()
    h.ticks.price('94000')
    const a = await create(h, { condition: 'above', price: '95000', note: 'take profit?' })
    expect(a).toMatchObject({ status: 'active', current: '94000', waiting: null, desktop: true })
    let rowAtFire: Record<string, unknown> | undefined
    h.bus.on('alertFired', () => (rowAtFire ??= row(h, a.id)))
    h.ticks.price('94999.99')
    expect(h.fired).toHaveLength(0)
    h.ticks.price('95000')
    expect(h.fired).toHaveLength(1)
    expect(h.fired[0]).toMatchObject({ ruleId: a.id, price: '95000', title: 'BTC/USDT rose to 95000', body: 'Last 95000 on Simulated exchange — take profit?', webhook: null })
    expect(rowAtFire).toMatchObject({ status: 'fired' })
    expect(h.notified).toEqual([{ title: 'BTC/USDT rose to 95000', body: 'Last 95000 on Simulated exchange — take profit?' }])
    h.ticks.price('96000')
    h.ticks.price('94000')
    h.ticks.price('97000')
    expect(h.fired).toHaveLength(1)
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    expect(h.engine.list({ scope: 'history', limit: 10 })).toMatchObject([{ id: a.id, status: 'fired', current: null }])
    expect(h.engine.events(10)).toMatchObject([{ ruleId: a.id, price: '95000', desktop: true }])
    // Its market is let go once nothing watches it.
    expect(h.ticks.watchers()).toBe(0)
  })

  it('a "below" alert on the mid compares the exact mid: (94999.99 + 95000.02) / 2 = 95000.005 is not at 95000', async () => {
    const h = harness()
    h.ticks.push({ bid: '95100', ask: '95100.02', last: '95100' })
    const a = await create(h, { condition: 'below', price: '95000', source: 'mid', desktop: false })
    h.ticks.push({ bid: '94999.99', ask: '95000.02' })
    expect(h.fired).toHaveLength(0)
    h.ticks.push({ bid: '94999.98', ask: '95000.02' })
    expect(h.fired).toMatchObject([{ ruleId: a.id, price: '95000', title: 'BTC/USDT fell to 95000', body: 'Mid 95000 on Simulated exchange' }])
    expect(h.notified).toEqual([]) // desktop: false
  })

  it('a stale book fires nothing and the alert says why; the first live tick past the level fires it', async () => {
    const h = harness()
    h.ticks.price('100')
    const a = await create(h, { condition: 'below', price: '90' })
    h.ticks.push({ last: '80', health: 'stale', reason: 'no update for 10 s' })
    expect(h.fired).toHaveLength(0)
    expect(h.changed.at(-1)).toMatchObject({ id: a.id, waiting: 'book stale: no update for 10 s' })
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ waiting: 'book stale: no update for 10 s' })
    h.ticks.push({ last: '85', health: 'live', reason: null })
    expect(h.fired).toMatchObject([{ ruleId: a.id, price: '85' }])
  })

  it('refuses a level the price has already reached, with both figures, and stores nothing', async () => {
    const h = harness()
    h.ticks.price('95100')
    const err = await refusal(create(h, { condition: 'above', price: '95000' }))
    expect(err.code).toBe('BAD_INPUT')
    expect(err.message).toBe('BTC/USDT last is 95100, already at or above 95000: the alert would fire at once. Set it higher than 95100, or the other way round.')
    expect(h.store.sqlite.prepare('select count(*) n from alert_rules').get()).toEqual({ n: 0 })
    const unknown = await refusal(create(h, { symbol: 'DOGE/USDT', condition: 'above', price: '1' }))
    expect(unknown.code).toBe('NOT_FOUND')
  })

  it('waits for the source price of a book still resyncing before checking the level (and refuses it then)', async () => {
    const h = harness({ firstPriceWaitMs: 1000 })
    h.ticks.push({ bid: null, ask: null, last: null, health: 'resyncing', reason: 'awaiting snapshot' })
    const pending = create(h, { condition: 'below', price: '104000' })
    await new Promise((r) => setTimeout(r, 10)) // the engine is watching, with no price yet
    expect(h.ticks.watchers()).toBe(1)
    h.ticks.push({ bid: '94999', ask: '95001', last: '95000', health: 'live', reason: null })
    const err = await refusal(pending)
    expect(err.message).toMatch(/^BTC\/USDT last is 95000, already at or below 104000/)
    expect(h.fired).toHaveLength(0)
  })

  it('with no price yet it is set, waiting, and fires on the first live price past it', async () => {
    const h = harness()
    const a = await create(h, { condition: 'above', price: '10' })
    expect(a).toMatchObject({ status: 'active', current: null, waiting: 'no price yet' })
    h.ticks.price('11')
    expect(h.fired).toMatchObject([{ ruleId: a.id, price: '11' }])
  })

  it('re-arms active alerts at start (not fired or canceled ones) and fires them on the new engine', async () => {
    const dataDir = tempDir()
    const first = harness({ dataDir })
    first.ticks.price('100')
    const keep = await create(first, { condition: 'above', price: '110' })
    const gone = await create(first, { condition: 'above', price: '105' })
    const canceled = await create(first, { condition: 'below', price: '50' })
    first.engine.cancel(canceled.id)
    first.ticks.price('106')
    expect(first.fired.map((e) => e.ruleId)).toEqual([gone.id])
    first.engine.stop()
    const second = harness({ dataDir })
    expect(second.engine.list({ scope: 'active', limit: 10 }).map((a) => a.id)).toEqual([keep.id])
    second.ticks.price('49')
    second.ticks.price('111')
    expect(second.fired.map((e) => e.ruleId)).toEqual([keep.id])
  })

  it('a repeating alert fires each time the price comes back through its level, re-arming a tenth of a percent back past it, also across a restart', async () => {
    const dataDir = tempDir()
    const h = harness({ dataDir })
    h.ticks.price('100')
    const a = await create(h, { condition: 'above', price: '110', repeat: true })
    expect(a).toMatchObject({ repeat: true, armed: true, fireCount: 0 })
    h.ticks.price('111')
    expect(h.fired.map((e) => e.price)).toEqual(['111'])
    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ id: a.id, status: 'active', armed: false, fireCount: 1, waiting: 'fires again after the price is back at 109.89 or under' })
    h.ticks.price('115')
    h.ticks.price('110') // at the level is not back below it
    h.ticks.price('112')
    // A tick under the level and back, again and again, is one price sitting on it: not a new crossing.
    for (const p of ['109.99', '110', '109.95', '110.01']) h.ticks.price(p)
    expect(h.fired).toHaveLength(1)
    h.ticks.price('109.89')
    expect(h.changed.at(-1)).toMatchObject({ id: a.id, armed: true, waiting: null })
    h.ticks.price('110')
    expect(h.fired.map((e) => e.price)).toEqual(['111', '110'])
    expect(row(h, a.id)).toMatchObject({ status: 'active', armed: 0, fire_count: 2 })
    h.engine.stop()
    // Restarted while disarmed: the price still over the level fires nothing until it has been back under.
    const again = harness({ dataDir })
    again.ticks.price('118')
    expect(again.fired).toHaveLength(0)
    again.ticks.price('100')
    again.ticks.price('110.5')
    expect(again.fired.map((e) => e.price)).toEqual(['110.5'])
    expect(eventRows(again).map((e) => e.price)).toEqual(['111', '110', '110.5'])
  })

  it('cancel and amend: a canceled alert never fires; amend moves the level with the same check; ended or unknown alerts are refused', async () => {
    const h = harness()
    h.ticks.price('100')
    const a = await create(h, { condition: 'above', price: '120' })
    const moved = h.engine.amend(a.id, '110')
    expect(moved).toMatchObject({ price: '110', status: 'active' })
    expect(row(h, a.id)).toMatchObject({ price: '110' })
    expect(thrown(() => h.engine.amend(a.id, '99'), AppError).message).toMatch(/already at or above 99/)
    expect(row(h, a.id)).toMatchObject({ price: '110' })
    h.ticks.price('111')
    expect(h.fired).toHaveLength(1)
    const b = await create(h, { condition: 'below', price: '90' })
    expect(h.engine.cancel(b.id)).toMatchObject({ status: 'canceled' })
    h.ticks.price('80')
    expect(h.fired).toHaveLength(1)
    expect(thrown(() => h.engine.cancel(b.id), AppError)).toMatchObject({ code: 'CONFLICT', message: `Alert ${b.id} has already been canceled` })
    expect(thrown(() => h.engine.amend(a.id, '200'), AppError)).toMatchObject({ code: 'CONFLICT', message: `Alert ${a.id} has already fired` })
    expect(thrown(() => h.engine.cancel('alrnope'), AppError)).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('posts the fired alert to its webhook (a real local server) and records the delivery', async () => {
    const bodies: unknown[] = []
    const server = http.createServer((req, res) => {
      let data = ''
      req.on('data', (c: Buffer) => (data += c.toString()))
      req.on('end', () => {
        bodies.push({ type: req.headers['content-type'], key: req.headers['idempotency-key'], method: req.method, body: JSON.parse(data) })
        res.writeHead(204).end()
      })
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    const h = harness()
    h.ticks.price('100')
    const a = await create(h, { condition: 'above', price: '101.5', webhookUrl: url })
    h.ticks.price('101.5')
    expect(h.fired).toMatchObject([{ ruleId: a.id, webhook: 'pending' }])
    await h.engine.settled()
    const { delivery_key: key } = h.store.sqlite.prepare('select delivery_key from alert_events').get() as { delivery_key: string }
    expect(bodies).toEqual([
      {
        type: 'application/json',
        key,
        method: 'POST',
        body: {
          eventId: key,
          type: 'price-alert',
          alertId: a.id,
          venue: 'Simulated exchange',
          venueId: VENUE,
          symbol: 'BTC/USDT',
          condition: 'above',
          level: '101.5',
          source: 'last',
          price: '101.5',
          note: null,
          at: new Date(h.fired[0]!.at).toISOString(),
          title: 'BTC/USDT rose to 101.5',
          body: 'Last 101.5 on Simulated exchange',
        },
      },
    ])
    expect(h.fired[1]).toMatchObject({ id: h.fired[0]!.id, webhook: 'delivered', webhookDetail: 'HTTP 204' })
    expect(eventRows(h)).toMatchObject([{ webhook: 'delivered', webhook_detail: 'HTTP 204' }])
  })

  it('a delivery under way when the app stopped is marked failed at the next start, not left pending', async () => {
    const dataDir = tempDir()
    // A receiver that never answers, and an app that stops before the delivery ends.
    const h = harness({ dataDir, webhook: { post: () => new Promise<number>(() => {}) } })
    h.ticks.price('100')
    await create(h, { condition: 'above', price: '101', webhookUrl: 'https://hooks.example.com/x' })
    h.ticks.price('101')
    expect(eventRows(h)).toMatchObject([{ webhook: 'pending' }])
    h.engine.stop()
    const again = harness({ dataDir })
    expect(eventRows(again)).toMatchObject([{ webhook: 'failed', webhook_detail: 'the app stopped before it was delivered' }])
  })

  it('a webhook waiting out a Retry-After does not hold the app closing: the wait ends, the event is failed', async () => {
    let hits = 0
    const server = http.createServer((req, res) => {
      hits++
      req.resume()
      res.writeHead(429, { 'retry-after': '60' }).end()
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    // A wait that never ends by itself: the delivery can only settle if closing the app ends it (no clock involved).
    const waits: number[] = []
    const h = harness({ webhook: { sleep: (ms) => (waits.push(ms), new Promise<void>(() => {})) } })
    h.ticks.price('100')
    await create(h, { condition: 'above', price: '101', webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` })
    h.ticks.price('101')
    await expect.poll(() => waits).toEqual([60_000]) // waiting out the receiver's Retry-After
    expect(hits).toBe(1)
    h.engine.stop()
    await h.engine.settled()
    expect(hits).toBe(1)
    expect(eventRows(h)).toMatchObject([{ webhook: 'failed', webhook_detail: 'HTTP 429; not tried again: the app was closing' }])
  })

  it('a webhook that answers 503 is tried three times and recorded as failed; the alert still fired', async () => {
    let hits = 0
    const server = http.createServer((_req, res) => {
      hits++
      res.writeHead(503).end('busy')
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const h = harness()
    h.ticks.price('100')
    await create(h, { condition: 'below', price: '99', webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })
    h.ticks.price('98')
    await h.engine.settled()
    expect(hits).toBe(3)
    expect(eventRows(h)).toMatchObject([{ webhook: 'failed', webhook_detail: 'HTTP 503 after 3 attempts' }])
    expect(h.notified).toHaveLength(1)
  })
})

describe('alert input', () => {
  const base = { venueId: VENUE, symbol: BTC.symbol, condition: 'above' }
  const problem = (raw: Record<string, unknown>) => {
    const r = alertCreateSchema.safeParse({ ...base, ...raw })
    return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
  }
  it('refuses a zero, negative or non-decimal level, a non-http webhook and a webhook with credentials', () => {
    expect(problem({ price: '0' })).toBe('price: must be greater than zero')
    expect(problem({ price: '-5' })).toBe('price: must be greater than zero')
    expect(problem({ price: '1e5' })).toBe('price: must be a plain decimal number such as 10000 or 0.5')
    expect(problem({ price: `1${'0'.repeat(120)}` })).toBe('price: must be a decimal number of at most 120 characters')
    expect(problem({ price: `0.${'0'.repeat(100)}1` })).toBe('price: a level has at most 20 digits before the point and 18 after it')
    expect(problem({ price: '1', webhookUrl: 'file:///etc/passwd' })).toBe('webhookUrl: must be an http:// or https:// URL without a user name or password')
    expect(problem({ price: '1', webhookUrl: 'https://user:pw@example.com/' })).toBe('webhookUrl: must be an http:// or https:// URL without a user name or password')
    expect(problem({ price: '1', condition: 'crosses' })).toMatch(/^condition: /)
    expect(problem({ price: '1', webhookUrl: 'https://hooks.example.com/x' })).toBeNull()
  })
})
