import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { cond } from '../support/order-views'
import type { Core } from '../../src-main/core'
import type { AlertEvent } from '../../src-main/api/schemas/alerts'
import type { FillRecord } from '../../src-main/trading/model'

// While the app is locked, what leaves the engine says that something happened, never what: the desktop
// notifier (shown over a locked screen) gets a generic title and body, and a screen's alerts.fired and
// alerts.notices streams still carry each event (so a headless tab can raise its browser notice) without
// its figures, market or note. Unlocked, both say everything again.

const PASS = 'correct horse battery'
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

const GENERIC = 'CryptoOrchestrator | A notice arrived while locked — unlock to see it'

async function lockedCore() {
  const desktop: string[] = []
  const core = tempCore({ lock: { scrypt: { N: 1024, r: 8, p: 1 }, checkEveryMs: 3_600_000 }, notifier: { notify: (t, b) => desktop.push(`${t} | ${b}`) } })
  cores.push(core)
  const call = async (name: string, input: unknown = {}) => {
    const r = (await core.router.invoke(name as never, input as never, { door: 'headless' })) as { ok: boolean; error?: { message: string } }
    if (!r.ok) throw new Error(`${name}: ${r.error?.message}`)
  }
  await call('settings.set', { key: 'alerts.fills', value: 'desktop' })
  await call('settings.set', { key: 'alerts.conditional', value: 'desktop' })
  await call('lock.setPassphrase', { next: PASS })
  return { core, desktop, call }
}

const fill = (): FillRecord => ({
  venueId: 'sim',
  tradeId: 't1',
  venueOrderId: 'v1',
  clientOrderId: 'c1',
  symbol: 'BTC/USDT',
  side: 'sell',
  price: '95013.4',
  amount: '0.005',
  fee: { asset: 'USDT', amount: '0.4' },
  liquidity: 'maker',
  timestamp: Date.now(),
})

const alertEvent = (): AlertEvent => ({
  id: 41,
  ruleId: 'alr1',
  kind: 'price',
  at: Date.now(),
  venueId: 'sim',
  symbol: 'BTC/USDT',
  price: '95161.71',
  title: 'BTC/USDT rose to 95155.85',
  body: 'Last 95161.71 on Simulated exchange — take profit on my 3 BTC',
  desktop: true,
  webhook: null,
  webhookDetail: null,
  email: null,
  emailDetail: null,
})

/** Sends a fill, a triggered stop and a fired alert through the engine; resolves once the fill's notice (gathered over a second) is out. */
let legs = 0
async function happen(core: Core): Promise<void> {
  core.bus.emit('orderFilled', { order: null, fill: fill() })
  core.bus.emit('conditionalChanged', { view: cond(`s${++legs}`, { status: 'triggered', updatedAt: Date.now() }) })
  // A fired alert: said to the screen (as the alert engine does) and to the desktop.
  core.bus.emit('alertFired', { event: alertEvent() })
  core.alerts.deliveries.say(alertEvent(), { desktop: true, webhook: null, email: null })
  await new Promise((r) => setTimeout(r, 1_200))
}

describe('notices while the app is locked', () => {
  it('gives the desktop notifier a generic notice while locked, the full one unlocked', async () => {
    const { core, desktop, call } = await lockedCore()
    await call('lock.lock')
    await happen(core)
    expect(desktop).toEqual([GENERIC, GENERIC, GENERIC])
    expect(desktop.join(' ')).not.toMatch(/95|BTC|take profit/)

    desktop.length = 0
    await call('lock.unlock', { passphrase: PASS })
    await happen(core)
    expect(desktop).toContain('Sold 0.005 BTC · BTC/USDT | at 95013.4 on Simulated exchange')
    expect(desktop).toContain('BTC/USDT rose to 95155.85 | Last 95161.71 on Simulated exchange — take profit on my 3 BTC')
    expect(desktop.some((d) => d.startsWith('Stop sell 0.01 BTC/USDT triggered'))).toBe(true)
  })

  it('lets alerts.fired and alerts.notices through the locked door, redacted; other streams stay shut', async () => {
    const { core, call } = await lockedCore()
    const session = core.openSession({ door: 'headless' })
    const before: string[] = []
    session.subscribe('n1', 'alerts.notices', {}, (p) => before.push(JSON.stringify(p)))
    session.subscribe('f1', 'alerts.fired', {}, (p) => before.push(JSON.stringify(p)))
    session.subscribe('o1', 'orders.changed', {}, (p) => before.push(JSON.stringify(p)))
    await call('lock.lock')
    // A lock screen (the tab reloaded while locked) may open them too.
    const during: unknown[] = []
    expect(session.subscribe('n2', 'alerts.notices', {}, (p) => during.push(p)).ok).toBe(true)
    expect(session.subscribe('f2', 'alerts.fired', {}, (p) => during.push(p)).ok).toBe(true)
    expect(session.subscribe('o2', 'orders.changed', {}, (p) => during.push(p)).ok).toBe(false)
    await happen(core)
    session.close()

    expect(before).toHaveLength(3) // fill notice, stop notice, fired alert
    expect(during).toHaveLength(3)
    for (const p of [...before, ...during.map((d) => JSON.stringify(d))]) {
      expect(p).toContain('unlock to see it')
      expect(p).not.toMatch(/95013|9515|9516|90000|0\.0|BTC|take profit|Simulated|"sim"/)
    }
    const fired = during.find((d) => (d as AlertEvent).ruleId !== undefined) as AlertEvent
    expect(fired).toMatchObject({ id: 41, kind: 'price', desktop: true, symbol: '', price: '', venueId: '' })
  })
})
