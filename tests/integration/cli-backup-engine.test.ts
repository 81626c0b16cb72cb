import path from 'node:path'
import Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { afterAll, describe, expect, it } from 'vitest'
import { cli } from '../support/cli-process'
import { tempCore, tempDir } from '../support/temp-core'

// A backup from the command line while the app runs must copy the database and nothing else: an engine
// started by the CLI would restore the simulated exchange from its last save (its price then, not now),
// fire the app's armed stop into the shared ledger, and mark the app's webhook delivery in flight failed.

const ctx = { door: 'test' } as const
const tick = () => new Promise((r) => setImmediate(r))

// The app's webhook receiver answers only when the test ends: until then its delivery stays pending.
let answer: (status: number) => void = () => undefined
const held = new Promise<number>((resolve) => (answer = resolve))
const app = tempCore({ dataDir: tempDir(), sim: { mode: 'manual', seed: 7, persist: true }, alerts: { webhook: { post: () => held, timeoutMs: 600_000 } } })
afterAll(async () => {
  answer(200)
  await app.stop()
})

async function call<T>(name: string, input: unknown): Promise<T> {
  const reply = (await app.router.invoke(name as never, input as never, ctx)) as { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`)
  return reply.value
}

/**
 * The app's own writes done: its ledger feed writes the simulated traders' fills it has buffered (it does
 * every second), and with the simulator holding still nothing more comes — a state that holds still.
 */
function settled() {
  app.portfolio.flush()
  return state()
}

function state() {
  const q = (sql: string) => app.store.sqlite.prepare(sql).all()
  return {
    orders: q('SELECT * FROM orders ORDER BY client_order_id'),
    fills: q('SELECT * FROM fills ORDER BY rowid'),
    ledger: q('SELECT * FROM ledger_entries ORDER BY id'),
    conditional: q('SELECT * FROM conditional_orders ORDER BY id'),
    alertEvents: q('SELECT * FROM alert_events ORDER BY id'),
    paper: q('SELECT * FROM paper_balances ORDER BY rowid'),
  }
}

describe('cli backup beside a running engine', () => {
  it('copies the database without starting an engine: the app’s stop, ledger and webhook delivery are untouched', async () => {
    app.sim.runtime.advance(60_000)
    const venue = await app.venues.open('sim')
    const last = async () => new Decimal((await venue.fetchTicker('BTC/USDT')).last!)
    await app.orders.submit({ venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', timeInForce: 'GTC', postOnly: false, amount: '0.01', origin: { kind: 'manual', ref: null } } as never)
    for (let i = 0; i < 20; i++) await tick()
    // The simulated exchange saved at one price (as every 30 s), then the market rose: a sell stop sits
    // between the saved price and the live one — armed, not triggered, in the app.
    const saved = await last()
    app.sim.save()
    let live = saved
    for (let i = 0; i < 900 && live.minus(saved).lt(60); i++) {
      app.sim.runtime.advance(1000)
      await tick()
      live = await last()
    }
    expect(live.minus(saved).toNumber()).toBeGreaterThanOrEqual(60)
    // A price alert with a webhook, fired: its delivery is in flight.
    await call('alerts.create', { venueId: 'sim', symbol: 'BTC/USDT', condition: 'above', price: live.plus(1).toFixed(2), webhookUrl: 'http://127.0.0.1:9/hook' })
    const events = () => (app.store.sqlite.prepare('SELECT count(*) AS n FROM alert_events').get() as { n: number }).n
    for (let i = 0; i < 900 && events() === 0; i++) {
      app.sim.runtime.advance(1000)
      await tick()
    }
    expect(app.store.sqlite.prepare('SELECT webhook FROM alert_events').all()).toEqual([{ webhook: 'pending' }])
    // The stop is armed after the alert's wait, from the price now (still above the saved one by 60 or
    // more), so the market moving meanwhile cannot trigger it; the simulator holds still from here.
    live = await last()
    const trigger = saved.plus(live).div(2).toDecimalPlaces(2).toFixed(2)
    await call('conditional.create', { type: 'single', venueId: 'sim', symbol: 'BTC/USDT', placement: 'app', leg: { kind: 'stop-market', side: 'sell', amount: '0.005', triggerPrice: trigger, trigger: 'last' } })
    expect((app.store.sqlite.prepare("SELECT count(*) AS n FROM conditional_orders WHERE status = 'armed'").get() as { n: number }).n).toBe(1)
    const before = settled()

    const out = path.join(tempDir(), 'while-running.sqlite')
    const { stdout } = await cli(['backup', '--data-dir', app.dataDir, '--out', out, '--json'])
    expect(JSON.parse(stdout)).toMatchObject({ path: out })
    expect(settled()).toEqual(before)
    const copy = new Database(out, { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((copy.prepare("SELECT count(*) AS n FROM conditional_orders WHERE status = 'armed'").get() as { n: number }).n).toBe(1)
    copy.close()
    // The act is in the audit log (door "cli"), and no engine start from the CLI is.
    const audit = app.store.sqlite.prepare('SELECT door, action, outcome FROM audit_log ORDER BY id').all() as { door: string; action: string; outcome: string }[]
    expect(audit).toContainEqual({ door: 'cli', action: 'store.backup', outcome: 'ok' })
    expect(app.store.sqlite.prepare("SELECT detail FROM audit_log WHERE action = 'engine.start'").all()).toEqual([{ detail: 'door="headless"' }])
    const verify = await cli(['audit', '--verify', '--data-dir', app.dataDir])
    expect(verify.stdout).toContain('Chain intact')
  }, 120_000)
})
