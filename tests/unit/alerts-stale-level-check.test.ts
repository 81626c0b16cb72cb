import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { alertCreateSchema } from '../../src-main/api/schemas/alerts'
import { BTC, VENUE } from './conditional-harness'
import { closeAlertStores, harness, type H } from './alerts-harness'
import { rejected, thrown } from '../support/thrown'

// A level is checked against a live price only: a stale book's last price is not where the market is. A
// new alert waits for a live price for its source (past the wait it is taken unchecked and says why it
// waits); a level moved while there is no live price for its source is refused, never taken unchecked.

afterEach(() => closeAlertStores())

const create = (h: H, raw: Record<string, unknown>) => h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, ...raw }))
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('alert levels are checked against a live price', () => {
  it('a new alert waits past a stale book for the live price: "rises to 95" is taken at 90, "falls to 92" refused', async () => {
    const h = harness({ firstPriceWaitMs: 2000 })
    h.ticks.price('100')
    h.ticks.push({ health: 'stale', reason: 'no update for 10 s' })

    const rises = create(h, { condition: 'above', price: '95' })
    const falls = create(h, { condition: 'below', price: '92' })
    await wait(20)
    h.ticks.push({ last: '90', bid: '89.99', ask: '90.01', health: 'live', reason: null })
    await expect(rises).resolves.toMatchObject({ status: 'active', price: '95', current: '90', waiting: null })
    const refusal = await rejected(falls, AppError)
    expect(refusal.code).toBe('BAD_INPUT')
    expect(refusal.message).toMatch(/^BTC\/USDT last is 90, already at or below 92: the alert would fire at once/)
    expect(h.fired).toEqual([])
  })

  it('past the wait with the book still stale, the alert is taken unchecked and says why it waits', async () => {
    const h = harness({ firstPriceWaitMs: 30 })
    h.ticks.price('100')
    h.ticks.push({ health: 'stale', reason: 'no update for 10 s' })
    const a = await create(h, { condition: 'above', price: '95' })
    expect(a).toMatchObject({ status: 'active', waiting: 'book stale: no update for 10 s' })
  })

  it('moving a level with no live price for its source is refused; once live it is checked and moved', async () => {
    const h = harness()
    h.ticks.price('100')
    const a = await create(h, { condition: 'above', price: '120', source: 'mid' })

    h.ticks.push({ ask: null })
    const noAsk = thrown(() => h.engine.amend(a.id, '50'), AppError)
    expect(noAsk).toMatchObject({ code: 'UNAVAILABLE' })
    expect(noAsk.message).toMatch(/^no live price for BTC\/USDT \(mid\) to check the level against/)

    h.ticks.push({ ask: '100.01', health: 'stale', reason: 'no update for 10 s' })
    const stale = thrown(() => h.engine.amend(a.id, '50'), AppError)
    expect(stale).toMatchObject({ code: 'UNAVAILABLE' })
    expect(stale.message).toMatch(/book stale: no update for 10 s/)

    expect(h.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ price: '120' })
    h.ticks.push({ health: 'live', reason: null })
    expect(h.fired).toEqual([])
    expect(thrown(() => h.engine.amend(a.id, '50'), AppError).message).toMatch(/already at or above 50/)
    expect(h.engine.amend(a.id, '110')).toMatchObject({ price: '110' })
  })
})
