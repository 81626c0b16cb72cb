import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { streams } from '../../src-main/api/contract'
import type { AlertEvent, AlertView } from '../../src-main/api/contract'

// Price alerts through the engine's real doors (core.router with output checks, core.streams) on the
// embedded simulated exchange in manual mode: the market moves only when the test advances it, so the
// alert fires on the sim's own book as it moves past the level.

const ctx = { door: 'test' } as const
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('alerts in the engine', () => {
  it('refuses bad input with its field, sets an alert on the sim market, fires it as the market moves, and streams both', async () => {
    const core = tempCore({ alerts: { firstPriceWaitMs: 2000 } })
    cores.push(core)
    await sleep(10)
    core.sim.runtime.advance(60_000)
    const changed: AlertView[] = []
    const fired: AlertEvent[] = []
    expect(core.streams.open('alerts.changed', {}, (v) => changed.push(v as AlertView)).ok).toBe(true)
    expect(core.streams.open('alerts.fired', {}, (e) => fired.push(e as AlertEvent)).ok).toBe(true)

    const bad = await core.router.invoke('alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'above', price: '-1', webhookUrl: 'ftp://x' }, ctx)
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/price: must be greater than zero.*webhookUrl: must be an http/s) } })
    const unknown = await core.router.invoke('alerts.create', { venueId: 'sim', symbol: 'DOGE/USDT', condition: 'above', price: '1' }, ctx)
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })

    const mid = Number(core.sim.engine.book('BTC/USDT', 1).bids[0]![0])
    // Just under and just over the market, on the mid: whichever way it goes, one of them fires.
    const up = await core.router.invoke('alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'above', price: (mid * 1.0003).toFixed(2), source: 'mid' }, ctx)
    const down = await core.router.invoke('alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'below', price: (mid * 0.9997).toFixed(2), source: 'mid' }, ctx)
    expect(up.ok && down.ok, JSON.stringify([up, down])).toBe(true)
    const listed = await core.router.invoke('alerts.list', {}, ctx)
    expect((listed as { value: AlertView[] }).value).toHaveLength(2)
    for (let i = 0; i < 240 && fired.length === 0; i++) {
      core.sim.runtime.advance(15_000)
      await sleep(2)
    }
    expect(fired.length).toBeGreaterThanOrEqual(1)
    const first = fired[0]!
    const rule = [up, down].map((r) => (r as { value: AlertView }).value).find((a) => a.id === first.ruleId)!
    expect(rule.condition === 'above' ? Number(first.price) >= Number(rule.price) : Number(first.price) <= Number(rule.price)).toBe(true)
    const events = await core.router.invoke('alerts.events', {}, ctx)
    expect((events as { value: AlertEvent[] }).value[0]).toMatchObject({ ruleId: first.ruleId, price: first.price })
    expect(changed.some((v) => v.id === first.ruleId && v.status === 'fired')).toBe(true)
    for (const v of changed) expect(streams['alerts.changed'].payload.safeParse(v).success).toBe(true)
    for (const e of fired) expect(streams['alerts.fired'].payload.safeParse(e).success).toBe(true)
    const other = [up, down].map((r) => (r as { value: AlertView }).value).find((a) => a.id !== first.ruleId)!
    const canceled = await core.router.invoke('alerts.cancel', { id: other.id }, ctx)
    if (fired.some((e) => e.ruleId === other.id)) expect(canceled).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    else expect(canceled).toMatchObject({ ok: true, value: { status: 'canceled' } })
  })
})
