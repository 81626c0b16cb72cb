import { afterEach, describe, expect, it } from 'vitest'
import { alertCreateSchema } from '../../src-main/api/schemas/alerts'
import { BTC, ScriptedTicks, VENUE } from './conditional-harness'
import { closeAlertStores, harness, type H } from './alerts-harness'
import { tempDir } from '../support/temp-core'

// A new alert's webhook URL is sealed (keychain + AES) after its level was checked: a trade through the
// level in that moment must fire the alert, once, even if the market then goes quiet. So must a price past
// an alert's level that is already known when the alert is re-armed at start.

afterEach(() => closeAlertStores())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a price that reaches a new alert while it is being set', () => {
  it('fires the alert once, at that price, and the creation answers with the fired alert', async () => {
    // The seal runs only inside create(), after h is set.
    const h: H = harness({
      secrets: (real) => ({
        open: real.open.bind(real),
        seal: async (text: string, aad: string) => {
          await sleep(20) // the keychain answers a little later than memory: the market moves meanwhile
          h.ticks.price('95100')
          return real.seal(text, aad)
        },
      }),
    })
    h.ticks.price('94000')
    const a = await h.engine.create(
      alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '95000', webhookUrl: 'https://hooks.example.com/x', desktop: true }),
    )
    // The market is quiet from here on.
    expect(h.fired).toMatchObject([{ ruleId: a.id, price: '95100', webhook: 'pending' }])
    expect(a).toMatchObject({ status: 'fired', fireCount: 1 })
    expect(h.notified).toHaveLength(1)
    expect(h.engine.list({ scope: 'active', limit: 5 })).toEqual([])
    expect(h.engine.list({ scope: 'history', limit: 5 })).toMatchObject([{ id: a.id, status: 'fired' }])
    h.ticks.price('95100.5')
    expect(h.fired).toHaveLength(1)
    expect(h.engine.events(10)).toHaveLength(1)
    // Nothing watches the market any more.
    expect(h.ticks.watchers()).toBe(0)
  })

  it('a price that stays short of the level while sealing fires nothing', async () => {
    const h: H = harness({
      secrets: (real) => ({
        open: real.open.bind(real),
        seal: async (text: string, aad: string) => {
          await sleep(20)
          h.ticks.price('94999.99')
          return real.seal(text, aad)
        },
      }),
    })
    h.ticks.price('94000')
    const a = await h.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '95000', webhookUrl: 'https://hooks.example.com/x' }))
    expect(a).toMatchObject({ status: 'active', current: '94999.99' })
    expect(h.fired).toHaveLength(0)
    h.ticks.price('95000')
    expect(h.fired).toMatchObject([{ ruleId: a.id, price: '95000' }])
  })
})

describe('an alert re-armed at start', () => {
  it('fires once on the price already known past its level, without waiting for the market to move', async () => {
    const dataDir = tempDir()
    const first = harness({ dataDir })
    first.ticks.price('100')
    const a = await first.engine.create(alertCreateSchema.parse({ venueId: VENUE, symbol: BTC.symbol, condition: 'above', price: '110' }))
    first.engine.stop()
    // The market went past the level while the app was closed; its price is known before the alerts start.
    const ticks = new ScriptedTicks()
    ticks.price('112')
    const second = harness({ dataDir, ticks })
    expect(second.fired).toMatchObject([{ ruleId: a.id, price: '112' }])
    expect(second.engine.list({ scope: 'active', limit: 5 })).toEqual([])
    second.ticks.price('113')
    expect(second.fired).toHaveLength(1)
    expect(second.ticks.watchers()).toBe(0)
  })
})
