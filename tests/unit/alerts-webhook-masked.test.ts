import { afterEach, describe, expect, it } from 'vitest'
import { alertCreateSchema, type AlertView } from '../../src-main/api/schemas/alerts'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness } from './alerts-harness'

// A webhook URL often is its own password (Slack, Discord: the token is in the path). Alert views — the
// list, the alertChanged stream, a created alert — show its scheme and host only; the POST goes to the
// whole URL.

afterEach(() => closeAlertStores())

const SLACK = 'https://hooks.slack.com/services/T0001/B0002/s3cr3tT0ken'

describe('webhook URLs in alert views', () => {
  it('shows scheme://host/… and posts to the full URL', async () => {
    const posted: string[] = []
    const h = harness({ webhook: { post: (url) => (posted.push(url), Promise.resolve(200)) } })
    h.ticks.price('100')
    const created = await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105', webhookUrl: SLACK }))
    const views: AlertView[] = [created, ...h.engine.list({ scope: 'active', limit: 10 }), ...h.changed]
    expect(views.length).toBeGreaterThan(1)
    for (const v of views) expect(v.webhookUrl).toBe('https://hooks.slack.com/…')
    h.ticks.price('106')
    await h.engine.settled()
    expect(posted).toEqual([SLACK])
    expect(JSON.stringify([...h.changed, ...h.fired, h.engine.list({ scope: 'history', limit: 10 })])).not.toContain('s3cr3tT0ken')
  })

  it('a URL with nothing after the host shows whole; a query alone is hidden', async () => {
    const h = harness()
    h.ticks.price('100')
    const make = (webhookUrl: string) => h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '105', webhookUrl }))
    expect((await make('http://127.0.0.1:8080')).webhookUrl).toBe('http://127.0.0.1:8080/')
    expect((await make('https://example.com/?token=abc')).webhookUrl).toBe('https://example.com/…')
  })
})
