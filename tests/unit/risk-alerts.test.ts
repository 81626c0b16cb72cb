import { afterEach, describe, expect, it, vi } from 'vitest'
import { migrationsDir, tempCore, tempDir } from '../support/temp-core'
import { openStore } from '../../src-main/store/open'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import type { Core } from '../../src-main/core'
import type { AlertEvent, RiskAlertView } from '../../src-main/api/schemas/alerts'
import type { PortfolioView } from '../../src-main/api/schemas/portfolio'

// Risk alerts through the engine's door, on an imported account whose value moves only with what is
// imported (USDT counts as USD): a value alert that fires once when a withdrawal takes it under the
// threshold and, repeating, again after it was back over; a drawdown that a withdrawal does not make but
// a loss does (hand figures below); refusals; and a restart that keeps the drawdown's high.

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})
function start(dataDir?: string, posted?: { url: string; body: string }[]): Core {
  const webhook = posted ? { post: async (url: string, body: string) => (posted.push({ url, body }), 200) } : undefined
  const core = tempCore({ ...(dataDir ? { dataDir } : {}), ...(webhook ? { alerts: { webhook } } : {}) })
  cores.push(core)
  return core
}
const call = (c: Core, name: string, input: unknown = {}) => c.router.invoke(name, input, { door: 'test' }) as Promise<Reply>
async function ok<T>(c: Core, name: string, input: unknown = {}): Promise<T> {
  const reply = await call(c, name, input)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}
async function refused(c: Core, name: string, input: unknown): Promise<{ code: string; message: string }> {
  const reply = await call(c, name, input)
  expect(reply.ok, `${name} should be refused`).toBe(false)
  return (reply as { error: { code: string; message: string } }).error
}

const HEADER = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id'
const iso = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString()
let file = 0
const importRows = (c: Core, account: string, rows: string[]) => ok(c, 'portfolio.import', { account, format: 'generic', fileName: `f${++file}.csv`, text: [HEADER, ...rows].join('\n') })
const events = (c: Core) => ok<AlertEvent[]>(c, 'alerts.events', { limit: 50 })
const riskEvents = async (c: Core) => (await events(c)).filter((e) => e.kind === 'risk')
const valueOf = async (c: Core, account: string) => (await ok<PortfolioView>(c, 'portfolio.summary', { account, period: 'all', currency: 'USD' })).totals

describe('risk alerts', () => {
  it('value: refused where it already is, fires once under the threshold, and a repeating one again after a recovery', async () => {
    const core = start()
    await importRows(core, 'cold', [`${iso(3)},deposit,USDT,,,,1000,,,d-1`])
    expect((await valueOf(core, 'cold')).value).toBe('1000')

    expect(await refused(core, 'alerts.riskCreate', { metric: 'value', account: 'cold', currency: 'USD', condition: 'below', threshold: '1100' })).toEqual({
      code: 'BAD_INPUT',
      message: 'Portfolio value of cold is 1000 USD, already at or below 1100 USD: the alert would fire at once.',
    })
    const once = await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'value', account: 'cold', currency: 'USD', condition: 'below', threshold: '900' })
    const again = await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'value', account: 'cold', currency: 'USD', condition: 'below', threshold: '850', repeat: true, note: 'top up' })
    expect(once).toMatchObject({ status: 'active', armed: true, current: '1000', accountLabel: 'cold', waiting: null })

    await importRows(core, 'cold', [`${iso(2)},withdrawal,USDT,,,,200,,,w-1`])
    await vi.waitFor(async () => expect((await riskEvents(core)).length).toBe(2), { timeout: 5000 })
    const fired = await riskEvents(core)
    expect(new Set(fired.map((e) => JSON.stringify([e.ruleId, e.venueId, e.symbol, e.price, e.title, e.body])))).toEqual(
      new Set([
        JSON.stringify([again.id, 'cold', 'value', '800', 'Portfolio value of cold fell to 850 USD', 'Portfolio value 800 USD — top up']),
        JSON.stringify([once.id, 'cold', 'value', '800', 'Portfolio value of cold fell to 900 USD', 'Portfolio value 800 USD']),
      ]),
    )
    const history = await ok<RiskAlertView[]>(core, 'alerts.riskList', { scope: 'history' })
    expect(history.map((r) => [r.id, r.status, r.fireCount])).toEqual([[once.id, 'fired', 1]])
    const active = await ok<RiskAlertView[]>(core, 'alerts.riskList', {})
    expect(active.map((r) => [r.id, r.armed, r.waiting])).toEqual([[again.id, false, 'fires again after the figure is back at 850.85 or over']])

    // Back over the threshold re-arms it; under it again fires it a second time.
    await importRows(core, 'cold', [`${iso(1.5)},deposit,USDT,,,,300,,,d-2`])
    await vi.waitFor(async () => expect((await ok<RiskAlertView[]>(core, 'alerts.riskList', {}))[0]!.armed).toBe(true), { timeout: 5000 })
    await importRows(core, 'cold', [`${iso(1)},withdrawal,USDT,,,,400,,,w-2`])
    await vi.waitFor(async () => expect((await riskEvents(core)).length).toBe(3), { timeout: 5000 })
    expect((await riskEvents(core))[0]).toMatchObject({ ruleId: again.id, price: '700' })
    expect((await ok<RiskAlertView[]>(core, 'alerts.riskList', {}))[0]).toMatchObject({ fireCount: 2, armed: false })
  })

  it('drawdown: a withdrawal moves the high with it, a loss is a drawdown (hand figures), and the high survives a restart', async () => {
    const dataDir = tempDir()
    let core = start(dataDir)
    await importRows(core, 'hot', [`${iso(5)},deposit,USDT,,,,1000,,,d-1`])
    const dd = await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'drawdown', account: 'hot', currency: 'USD', condition: 'above', threshold: '20' })
    expect(dd).toMatchObject({ current: '0.00', peak: '1000' })

    // 200 out: value 800, and the high moves to 800 with it — no drawdown.
    await importRows(core, 'hot', [`${iso(4)},withdrawal,USDT,,,,200,,,w-1`])
    await vi.waitFor(async () => expect((await ok<RiskAlertView[]>(core, 'alerts.riskList', {}))[0]).toMatchObject({ current: '0.00', peak: '800' }), { timeout: 5000 })

    // 0.002 BTC bought at 200,000 (400 USDT), then 0.0001 sold at 100,000 (10 USDT): the import's BTC is
    // priced by its own trades (the simulated exchange's synthetic BTC values only simulated accounts), so
    // value = 410 + 0.0019 × 100,000 = 600, high 800: a drawdown of 25 %.
    await importRows(core, 'hot', [`${iso(3)},trade,BTC,USDT,buy,200000,0.002,0,USDT,t-1`, `${iso(2.5)},trade,BTC,USDT,sell,100000,0.0001,0,USDT,t-1b`])
    await vi.waitFor(async () => expect((await riskEvents(core)).length).toBe(1), { timeout: 5000 })
    const totals = await valueOf(core, 'hot')
    expect(totals.value).toBe('600')
    const expected = ((800 - Number(totals.value)) / 800) * 100
    expect(expected).toBeGreaterThan(20)
    const [event] = await riskEvents(core)
    expect(event!.title).toBe('Drawdown from high of hot reached 20%')
    expect(event!.price).toBe((Math.floor(expected * 100) / 100).toFixed(2))
    expect(event!.body).toBe(`Drawdown ${event!.price}% (value ${totals.value} USD, high 800 USD)`)

    // A new drawdown alert starts its high at today's value; a further loss (0.001 BTC sold at 1,000) is a
    // drawdown from it, and after a restart the high is still the one before that loss.
    const later = await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'drawdown', account: 'hot', currency: 'USD', condition: 'above', threshold: '95' })
    expect(later).toMatchObject({ current: '0.00', peak: totals.value })
    await importRows(core, 'hot', [`${iso(2)},trade,BTC,USDT,sell,1000,0.001,0,USDT,t-2`])
    await vi.waitFor(async () => expect(Number((await ok<RiskAlertView[]>(core, 'alerts.riskList', {}))[0]!.current)).toBeGreaterThan(0), { timeout: 5000 })
    await core.stop()
    cores = []
    core = start(dataDir)
    const after = await valueOf(core, 'hot')
    expect(Number(after.value)).toBeLessThan(Number(totals.value))
    const rearmed = (await ok<RiskAlertView[]>(core, 'alerts.riskList', {})).find((r) => r.id === later.id)
    expect(rearmed).toMatchObject({ status: 'active', armed: true, peak: totals.value })
    expect(Number(rearmed!.current)).toBeGreaterThan(0)
  })

  it('fires at start when the figure crossed its threshold while the app was closed', async () => {
    const dataDir = tempDir()
    let core = start(dataDir)
    await importRows(core, 'vault', [`${iso(5)},deposit,USDT,,,,1000,,,d-1`])
    await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'value', account: 'vault', currency: 'USD', condition: 'below', threshold: '500' })
    await core.stop()
    cores = []
    // The ledger changes while the app is closed (another process: the CLI's import).
    const store = openStore(dataDir, migrationsDir)
    new LedgerWriter(store.db).importBatch([{ kind: 'withdrawal', account: 'vault', timestamp: Date.now() - 3_600_000, asset: 'USDT', amount: '600', fee: null, source: 'csv', externalId: 'w-offline' }])
    store.close()
    // Started again, with nothing else changing: the rule is checked against the view there is, and fires.
    core = start(dataDir)
    await vi.waitFor(async () => expect(await riskEvents(core)).toHaveLength(1), { timeout: 5000 })
    expect((await riskEvents(core))[0]).toMatchObject({ title: 'Portfolio value of vault fell to 500 USD', price: '400' })
  })

  it('drawdown: a removed import takes its gains out of the high too — removing a file makes no drawdown', async () => {
    const core = start()
    await importRows(core, 'gain', [`${iso(5)},deposit,USDT,,,,1000,,,d-1`])
    await importRows(core, 'gain', [`${iso(4)},income,USDT,,,,500,,,r-1`])
    const dd = await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'drawdown', account: 'gain', currency: 'USD', condition: 'above', threshold: '20' })
    expect(dd).toMatchObject({ current: '0.00', peak: '1500' })
    const [rewards] = await ok<{ id: number; inserted: number }[]>(core, 'portfolio.imports', { account: 'gain' })
    expect(rewards!.inserted).toBe(1)
    await ok(core, 'portfolio.removeImport', { id: rewards!.id })
    // The 500 of income is gone from the ledger: the high starts again at today's 1,000, no drawdown (with
    // the old high of 1,500 it would have read 33 % and fired).
    await vi.waitFor(async () => expect((await ok<RiskAlertView[]>(core, 'alerts.riskList', {}))[0]).toMatchObject({ current: '0.00', peak: '1000' }), { timeout: 5000 })
    expect(await riskEvents(core)).toEqual([])
  })

  it('says a fired risk alert to its webhook (no credentials, the figure and the threshold), delivered in the centre', async () => {
    const posted: { url: string; body: string }[] = []
    const core = start(undefined, posted)
    await importRows(core, 'desk', [`${iso(3)},deposit,USDT,,,,500,,,d-1`])
    const rule = await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'value', account: 'desk', currency: 'USD', condition: 'above', threshold: '600', webhookUrl: 'https://hooks.example.com/risk' })
    // Its view shows the host only: the path may hold the receiver's token.
    expect(rule.webhookUrl).toBe('https://hooks.example.com/…')
    await importRows(core, 'desk', [`${iso(2)},deposit,USDT,,,,150,,,d-2`])
    await vi.waitFor(async () => expect((await riskEvents(core))[0]?.webhook).toBe('delivered'), { timeout: 5000 })
    expect(posted.map((p) => p.url)).toEqual(['https://hooks.example.com/risk'])
    expect(JSON.parse(posted[0]!.body)).toMatchObject({
      type: 'risk-alert',
      alertId: rule.id,
      metric: 'value',
      account: 'desk',
      currency: 'USD',
      condition: 'above',
      threshold: '600',
      value: '650',
      title: 'Portfolio value of desk rose to 600 USD',
    })
    expect((await riskEvents(core))[0]).toMatchObject({ webhookDetail: 'HTTP 200', desktop: true })
  })

  it('refuses what cannot be watched, naming the field', async () => {
    const core = start()
    expect(await refused(core, 'alerts.riskCreate', { metric: 'value', account: 'nobody', condition: 'below', threshold: '5' })).toEqual({
      code: 'NOT_FOUND',
      message: 'account: no ledger account "nobody" (choose one of the Portfolio page\'s accounts)',
    })
    expect((await refused(core, 'alerts.riskCreate', { metric: 'drawdown', condition: 'below', threshold: '5' })).message).toContain('condition: a drawdown alert fires when the drawdown reaches its threshold: use "above"')
    expect((await refused(core, 'alerts.riskCreate', { metric: 'drawdown', condition: 'above', threshold: '100' })).message).toContain('threshold: a drawdown is a percentage greater than 0 and less than 100')
    expect((await refused(core, 'alerts.riskCreate', { metric: 'value', condition: 'below', threshold: '0' })).message).toContain('threshold: a portfolio value must be greater than zero')
    expect((await refused(core, 'alerts.riskCreate', { metric: 'pnl24h', condition: 'below', threshold: '-10', email: true })).message).toBe('email: save the mail settings first (Alerts page → Email), then set an alert to email')
    expect(await ok<RiskAlertView[]>(core, 'alerts.riskList', {})).toEqual([])
    // The user's accounts together, in the reporting currency by default; a P&L threshold may be negative.
    const mine = await ok<RiskAlertView>(core, 'alerts.riskCreate', { metric: 'pnl24h', condition: 'below', threshold: '-500' })
    expect(mine).toMatchObject({ account: null, accountLabel: 'My accounts', currency: 'USD' })
    const summary = await ok<PortfolioView>(core, 'portfolio.summary', { scope: 'mine', period: '24h', currency: 'USD' })
    expect(mine.current).toBe(summary.totals.pnl)
  })
})
