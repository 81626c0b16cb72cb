import { afterEach, describe, expect, it } from 'vitest'
import { alertsCommands, alertCreateSchema } from '../../src-main/api/schemas/alerts'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness } from './alerts-harness'

// A level is kept as the number it is, not as typed: "0095000.50" is 95000.5 in the row, the views and the
// words it fires with, as conditional orders keep their prices. A level of absurd length (more digits than
// any market prices in) is refused saying so, not stored.

afterEach(() => closeAlertStores())

const parse = (raw: Record<string, unknown>) => alertCreateSchema.safeParse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', ...raw })
const issues = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message) ?? []

describe('alert levels are stored as numbers', () => {
  it('"0095000.50" is set, moved and fired as 95000.5', async () => {
    const h = harness()
    h.ticks.price('94000')
    const a = await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '0095000.50' }))
    expect(a.price).toBe('95000.5')
    expect(h.store.sqlite.prepare('select price from alert_rules where id = ?').get(a.id)).toEqual({ price: '95000.5' })
    expect(h.engine.amend(a.id, '00096000.000').price).toBe('96000')
    h.ticks.price('96000')
    expect(h.fired.map((e) => e.title)).toEqual(['BTC/USDT rose to 96000'])
  })

  it('a level with more digits than a price has is refused with a specific message, at creation and when moved', () => {
    const tooLong = '1'.repeat(101)
    const tooFine = `0.${'0'.repeat(20)}1`
    const message = 'a level has at most 20 digits before the point and 18 after it'
    expect(issues(parse({ price: tooLong }))).toEqual([message])
    expect(issues(parse({ price: tooFine }))).toEqual([message])
    expect(issues(alertsCommands['alerts.amend'].input.safeParse({ id: 'alr1', price: tooLong }))).toEqual([message])
    // Zeros that carry nothing do not count: 95000 written long is still 95000.
    expect(parse({ price: `00095000.${'0'.repeat(30)}` }).success).toBe(true)
  })
})
