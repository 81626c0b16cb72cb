import { afterEach, describe, expect, it, vi } from 'vitest'
import { parse } from 'csv-parse/sync'
import Database from 'better-sqlite3'
import { tempCore } from '../support/temp-core'
import type { Core, CoreOptions } from '../../src-main/core'
import type { AuditPage, AuditVerify } from '../../src-main/api/schemas/audit'
import type { FileExport } from '../../src-main/api/schemas/files'
import { describeInput } from '../../src-main/audit/policy'
import { auditedRouter } from '../../src-main/audit/recorder'
import { entryHash } from '../../src-main/audit/chain'
import { silentLogger } from '../../src-main/log'
import { waitFor } from '../support/wait-for'

// The audit log through the engine's door: what is recorded (and what never is), the hash chain and what
// breaks it, paging and search, and the CSV.

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})
function start(over: Partial<CoreOptions> = {}): Core {
  const core = tempCore(over)
  cores.push(core)
  return core
}
const call = (c: Core, name: string, input: unknown = {}, door: 'headless' | 'electron' = 'headless') => c.router.invoke(name, input, { door }) as Promise<Reply>
async function ok<T>(c: Core, name: string, input: unknown = {}, door: 'headless' | 'electron' = 'headless'): Promise<T> {
  const reply = await call(c, name, input, door)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}
const API_KEY = 'AKx7'.repeat(15) + 'Z9y1'
const SECRET = 'Sq2w'.repeat(16)

describe('audit log', () => {
  it('records what was done through each door, refusals included, and nothing that only reads', async () => {
    const core = start()
    await ok(core, 'settings.list')
    await ok(core, 'balances.list')
    await ok(core, 'settings.set', { key: 'ui.theme', value: 'midnight' }, 'electron')
    expect((await call(core, 'settings.set', { key: 'ui.fontSize', value: 99 })).ok).toBe(false)
    const order = await ok<{ clientOrderId: string }>(core, 'orders.submit', { venueId: 'sim', symbol: 'ETH/USDT', side: 'buy', type: 'limit', price: '100', size: { unit: 'base', value: '0.5' } })
    await ok(core, 'orders.cancel', { clientOrderId: order.clientOrderId })
    await ok(core, 'trading.killSwitch')

    const page = await ok<AuditPage>(core, 'audit.list')
    expect(page.entries.map((e) => [e.door, e.action, e.outcome, e.detail])).toEqual([
      ['headless', 'trading.killSwitch', 'ok', ''],
      ['headless', 'orders.cancel', 'ok', `clientOrderId=${JSON.stringify(order.clientOrderId)}`],
      ['headless', 'orders.submit', 'ok', `venueId="sim" symbol="ETH/USDT" side="buy" type="limit" postOnly=false timeInForce="GTC" size.unit="base" size.value="0.5" price="100" → clientOrderId=${JSON.stringify(order.clientOrderId)}`],
      ['headless', 'settings.set', 'BAD_INPUT', 'key="ui.fontSize" value=99 — Font size: enter a whole number from 10 to 18'],
      ['electron', 'settings.set', 'ok', 'key="ui.theme" value="midnight"'],
      ['engine', 'engine.start', 'ok', 'door="headless"'],
    ])
    expect(page.total).toBe(6)
  })

  it('never keeps a credential: withheld in the detail and cut out of a refusal that echoes it', async () => {
    const core = start()
    await ok(core, 'accounts.add', { exchange: 'binance', label: 'Main', credentials: { apiKey: API_KEY, secret: SECRET } })
    const refused = await call(core, 'accounts.add', { exchange: 'binance', label: 'Short', credentials: { apiKey: API_KEY, secret: 'short' } })
    expect(refused.ok).toBe(false)
    // An exchange's refusal may echo the key it was sent: the recorded message has it cut out.
    const echoing = auditedRouter({ invoke: async () => ({ ok: false, error: { code: 'UNAVAILABLE', message: `binance: invalid key ${API_KEY}` } }) }, core.audit, silentLogger)
    await echoing.invoke('accounts.test', { id: 'acc-1', credentials: { apiKey: API_KEY } }, { door: 'headless' })
    const echoed = (await ok<AuditPage>(core, 'audit.list', { limit: 1 })).entries[0]!
    expect([echoed.action, echoed.outcome, echoed.detail]).toEqual(['accounts.test', 'UNAVAILABLE', '(input refused) — binance: invalid key (withheld)'])
    const rows = JSON.stringify(core.store.sqlite.prepare('SELECT * FROM audit_log').all())
    expect(rows).not.toContain(API_KEY)
    expect(rows).not.toContain(SECRET)
    const added = (await ok<AuditPage>(core, 'audit.list', { search: 'accounts.add' })).entries
    expect(added.map((e) => e.outcome)).toEqual(['BAD_INPUT', 'ok'])
    expect(added[1]!.detail).toMatch(/^exchange="binance" label="Main" .*credentials=\(withheld\).* → id="/)
    expect(added[0]!.detail).toMatch(/^\(input refused\) — Invalid input for accounts.add: /)
  })

  it('records a test that answered but failed (an exchange unreachable, a mail not delivered) as failed, not ok', async () => {
    const core = start()
    const answering = (value: unknown) => auditedRouter({ invoke: async () => ({ ok: true, value }) }, core.audit, silentLogger)
    const at = 1_700_000_000_000
    const test = { accountId: 'acc-1', canTrade: null, balanceCount: 0, latencyMs: 12, at }
    // The exchange's message may echo the key it was sent: only the kind is kept.
    await answering({ ...test, ok: false, kind: 'unreachable', message: `connect ECONNREFUSED for key ${API_KEY}` }).invoke('accounts.test', { id: 'acc-1' }, { door: 'headless' })
    await answering({ ...test, ok: false, kind: null, message: 'something odd' }).invoke('accounts.test', { id: 'acc-1' }, { door: 'headless' })
    await answering({ ...test, ok: true, kind: null, message: 'connected', canTrade: true }).invoke('accounts.test', { id: 'acc-1' }, { door: 'headless' })
    await answering({ delivered: false, detail: 'connect ECONNREFUSED 127.0.0.1:2525' }).invoke('alerts.emailTest', {}, { door: 'electron' })
    await answering({ delivered: true, detail: '250 OK queued' }).invoke('alerts.emailTest', {}, { door: 'electron' })
    const entries = (await ok<AuditPage>(core, 'audit.list', { limit: 5 })).entries.reverse()
    expect(entries.map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ['accounts.test', 'failed: unreachable', 'id="acc-1"'],
      ['accounts.test', 'failed', 'id="acc-1"'],
      ['accounts.test', 'ok', 'id="acc-1"'],
      ['alerts.emailTest', 'failed', '— connect ECONNREFUSED 127.0.0.1:2525'],
      ['alerts.emailTest', 'ok', ''],
    ])
    expect(JSON.stringify(core.store.sqlite.prepare('SELECT * FROM audit_log').all())).not.toContain(API_KEY)
  })

  // orders.cancel answers with the order as it ended when it filled (expired, was rejected) before the cancel reached
  // it, rather than refusing. The entry said "ok" — a successful cancel — for an order that was never canceled.
  it("records a trader's cancel of an order that filled (expired, was rejected) first as not canceled, saying how it ended", async () => {
    const core = start()
    core.sim.runtime.advance(60_000) // a simulated market with a book to fill against
    const bought = await ok<{ clientOrderId: string }>(core, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.01' } })
    await waitFor(() => {
      core.sim.runtime.advance(100)
      return core.orders.get(bought.clientOrderId)?.status === 'filled'
    }, 'the market buy to fill')
    expect(await ok(core, 'orders.cancel', { clientOrderId: bought.clientOrderId })).toMatchObject({ status: 'filled' })
    // The same words for one that expired after part of it filled, or was rejected (the answer as the engine gives it).
    const answering = (value: unknown) => auditedRouter({ invoke: async () => ({ ok: true, value }) }, core.audit, silentLogger)
    const view = { symbol: 'BTC/USDT', amount: '1', error: null }
    await answering({ ...view, clientOrderId: 'o2', status: 'expired', filled: '0.40' }).invoke('orders.cancel', { clientOrderId: 'o2' }, { door: 'electron' })
    await answering({ ...view, clientOrderId: 'o3', status: 'rejected', filled: '0', error: 'not placed: trading was halted' }).invoke('orders.cancel', { clientOrderId: 'o3' }, { door: 'electron' })
    // A cancel that did cancel (after a part fill), or was accepted, stays ok.
    await answering({ ...view, clientOrderId: 'o4', status: 'canceled', filled: '0.4' }).invoke('orders.cancel', { clientOrderId: 'o4' }, { door: 'electron' })
    await answering({ ...view, clientOrderId: 'o5', status: 'canceling', filled: '0' }).invoke('orders.cancel', { clientOrderId: 'o5' }, { door: 'electron' })
    const entries = (await ok<AuditPage>(core, 'audit.list', { search: 'orders.cancel' })).entries.reverse()
    expect(entries.map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ['orders.cancel', 'not canceled: filled', `clientOrderId=${JSON.stringify(bought.clientOrderId)} — filled before the cancel reached it`],
      ['orders.cancel', 'not canceled: expired', 'clientOrderId="o2" — expired with 0.4 of 1 BTC filled before the cancel reached it'],
      ['orders.cancel', 'not canceled: rejected', 'clientOrderId="o3" — rejected before the cancel reached it (not placed: trading was halted)'],
      ['orders.cancel', 'ok', 'clientOrderId="o4"'],
      ['orders.cancel', 'ok', 'clientOrderId="o5"'],
    ])
  })

  it('keeps only allow-listed fields: file text as its size, free text and webhook URLs withheld, unknown fields left out', () => {
    expect(describeInput({ account: 'sim', format: 'binance', fileName: 'trades.csv', text: 'a,b\n1,2\n' })).toBe('account="sim" format="binance" fileName="trades.csv" text=(8 bytes)')
    expect(describeInput({ venueId: 'sim', symbol: 'BTC/USDT', note: 'my secret plan', webhookUrl: 'https://hooks.example.com/T0/abc', somethingNew: 'x' })).toBe(
      'venueId="sim" symbol="BTC/USDT" note=(withheld) webhookUrl=(withheld)',
    )
    expect(describeInput({ type: 'oco', legs: [{ kind: 'stop', side: 'sell', triggerPrice: '90' }, { kind: 'take-profit', side: 'sell', triggerPrice: '110' }] })).toBe(
      'type="oco" legs[0].kind="stop" legs[0].side="sell" legs[0].triggerPrice="90" legs[1].kind="take-profit" legs[1].side="sell" legs[1].triggerPrice="110"',
    )
  })

  it('verifies its chain, and names the first entry edited, deleted or relinked in the file', async () => {
    const core = start()
    for (const theme of ['midnight', 'contrast', 'dark', 'midnight']) await ok(core, 'settings.set', { key: 'ui.theme', value: theme })
    const head = core.store.sqlite.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string }
    const intact = await ok<AuditVerify>(core, 'audit.verify')
    expect(intact).toEqual({ ok: true, checked: 5, brokenAt: null, problem: null, headId: head.id, headHash: head.hash })
    // audit.verify is itself recorded (entry 6), after it checked.
    const db = core.store.sqlite
    const original = db.prepare('SELECT * FROM audit_log WHERE id = 3').get() as Record<string, unknown>

    db.prepare(`UPDATE audit_log SET detail = 'key="ui.theme" value="dark"' WHERE id = 3`).run()
    expect(await ok<AuditVerify>(core, 'audit.verify')).toMatchObject({ ok: false, checked: 2, brokenAt: 3, problem: 'entry 3 was changed after it was written' })

    db.prepare('DELETE FROM audit_log WHERE id = 3').run()
    expect(await ok<AuditVerify>(core, 'audit.verify')).toMatchObject({ ok: false, brokenAt: 4, problem: 'entry 3 is missing (the next one is 4)' })

    db.prepare('INSERT INTO audit_log (id, at, door, action, outcome, detail, prev_hash, hash) VALUES (@id, @at, @door, @action, @outcome, @detail, @prev_hash, @hash)').run(original)
    expect((await ok<AuditVerify>(core, 'audit.verify')).ok).toBe(true)
    // Only entry 4's link edited: entry 4 itself is named.
    db.prepare(`UPDATE audit_log SET prev_hash = '${'f'.repeat(64)}' WHERE id = 4`).run()
    expect(await ok<AuditVerify>(core, 'audit.verify')).toMatchObject({ ok: false, brokenAt: 4, problem: 'entry 4 does not follow entry 3 (its link was changed)' })
    db.prepare('UPDATE audit_log SET prev_hash = @hash WHERE id = 4').run({ hash: original.hash })

    // Entry 4 is consistent with a link that is not entry 3's hash. That is what a forger leaves who edits
    // entry 3 and recomputes its hash, and also one who edits entry 4, makes up its link and recomputes its
    // hash: the chain cannot tell which, so both are named, and the intact head stops before entry 3.
    const entry2 = db.prepare('SELECT hash FROM audit_log WHERE id = 2').get() as { hash: string }
    const eitherOne = {
      ok: false,
      checked: 2,
      brokenAt: 3,
      problem: 'entry 4 does not follow entry 3; one of them was changed (entry 3 rewritten, or entry 4 relinked)',
      headId: 2,
      headHash: entry2.hash,
    }
    type Row = { id: number; at: number; door: string; action: string; outcome: string; detail: string; prev_hash: string; hash: string }
    const forged = { ...(original as Row), detail: 'key="ui.theme" value="dark"' }
    db.prepare('UPDATE audit_log SET detail = @detail, hash = @hash WHERE id = 3').run({ detail: forged.detail, hash: entryHash(forged.prev_hash, forged) })
    expect(await ok<AuditVerify>(core, 'audit.verify')).toEqual(eitherOne)
    db.prepare('UPDATE audit_log SET detail = @detail, hash = @hash WHERE id = 3').run(original)
    expect((await ok<AuditVerify>(core, 'audit.verify')).ok).toBe(true)

    // Entry 4 edited and relinked, entry 3 untouched: entry 3 must not be blamed alone.
    const entry4 = db.prepare('SELECT * FROM audit_log WHERE id = 4').get() as Row
    const relinked = { ...entry4, detail: 'key="ui.theme" value="edited"', prev_hash: 'f'.repeat(64) }
    db.prepare('UPDATE audit_log SET detail = @detail, prev_hash = @prev_hash, hash = @hash WHERE id = 4').run({ ...relinked, hash: entryHash(relinked.prev_hash, relinked) })
    expect(db.prepare('SELECT * FROM audit_log WHERE id = 3').get()).toEqual(original)
    expect(await ok<AuditVerify>(core, 'audit.verify')).toEqual(eitherOne)
  })

  it('keeps an entry the file was too busy to take, in order, and writes it with its own time once the file is free', async () => {
    let clock = Date.UTC(2026, 2, 2, 9)
    const core = start({ now: () => clock, store: { busyTimeoutMs: 20 }, audit: { retryMs: 20 }, lock: { scrypt: { N: 1024, r: 8, p: 1 }, checkEveryMs: 3_600_000 } })
    await ok(core, 'lock.setPassphrase', { next: 'correct horse battery' })
    // Another process (the CLI) takes the file's write lock while the kill switch is on its way: after the
    // command's own work, before its audit entry, and holds it past the busy timeout.
    const other = new Database(core.store.path)
    core.bus.on('killSwitchEngaged', () => other.prepare('BEGIN IMMEDIATE').run())
    const asked = clock
    expect((await call(core, 'trading.killSwitch')).ok).toBe(true)
    // The engine's own act meanwhile waits behind it.
    clock += 60_000
    core.lock.lockWithSystem()
    await new Promise((r) => setTimeout(r, 100))
    expect(core.audit.list({ limit: 10 }).total).toBe(2) // the start and the passphrase: the rest waits
    clock += 60_000
    other.prepare('COMMIT').run()
    other.close()
    await vi.waitFor(() => expect(core.audit.list({ limit: 10 }).total).toBe(4), { timeout: 2_000, interval: 20 })
    expect(core.audit.list({ limit: 2 }).entries.map((e) => [e.action, e.at])).toEqual([
      ['lock.system', asked + 60_000],
      ['trading.killSwitch', asked],
    ])
    expect(core.audit.verify()).toMatchObject({ ok: true, checked: 4 })
  })

  it('pages newest first, searches, and exports every entry as CSV with its hashes', async () => {
    const core = start()
    for (let i = 0; i < 7; i++) await ok(core, 'settings.set', { key: 'ui.fontSize', value: 10 + i })
    expect((await call(core, 'settings.set', { key: 'ui.theme', value: '=cmd' })).ok).toBe(false)
    const first = await ok<AuditPage>(core, 'audit.list', { limit: 3 })
    expect(first.entries.map((e) => e.id)).toEqual([9, 8, 7])
    expect(first.total).toBe(9)
    const next = await ok<AuditPage>(core, 'audit.list', { limit: 3, before: 7 })
    expect(next.entries.map((e) => e.id)).toEqual([6, 5, 4])
    const found = await ok<AuditPage>(core, 'audit.list', { search: 'VALUE=16' })
    expect(found.entries.map((e) => e.detail)).toEqual(['key="ui.fontSize" value=16'])
    expect(found.total).toBe(1)
    expect((await ok<AuditPage>(core, 'audit.list', { search: '100%_' })).total).toBe(0)

    const file = await ok<FileExport>(core, 'audit.export')
    expect(file).toMatchObject({ mime: 'text/csv', encoding: 'utf8' })
    expect(file.fileName).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/)
    const rows = parse(file.data, { bom: true }) as string[][]
    expect(rows[0]).toEqual(['id', 'time (UTC)', 'door', 'action', 'outcome', 'detail', 'previous hash', 'hash'])
    // Every entry up to the export (which is recorded after it is made); each row links to the one before.
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (let i = 2; i < rows.length; i++) expect(rows[i]![6]).toBe(rows[i - 1]![7])
    expect(rows[9]!.slice(3, 5)).toEqual(['settings.set', 'BAD_INPUT'])
  })

  it('exports a CSV a spreadsheet reads as text: a byte-order mark, every field quoted, no formula cell', async () => {
    const core = start()
    const hyperlink = '=HYPERLINK("http://evil.example","open")'
    // A value with ";" in it: Excel in a German locale splits an unquoted field there, making a cell of the rest.
    expect((await call(core, 'settings.set', { key: 'ui.theme', value: `Börse;${hyperlink}` })).ok).toBe(false)
    // An entry whose detail is the user's text from its first character (an engine note, say).
    core.audit.append({ door: 'engine', action: 'engine.note', outcome: 'ok', detail: hyperlink })

    const file = await ok<FileExport>(core, 'audit.export')
    // Without the mark Excel reads UTF-8 in the Windows code page ("BÃ¶rse").
    expect(file.data.startsWith('\uFEFF')).toBe(true)
    const lines = file.data.slice(1).trimEnd().split('\r\n')
    const quotedField = '"(?:[^"]|"")*"'
    for (const line of lines) expect(line).toMatch(new RegExp(`^${quotedField}(,${quotedField})*$`))
    const rows = parse(file.data, { bom: true }) as string[][]
    const details = rows.map((r) => r[5]!)
    expect(details.some((d) => d.includes('Börse;=HYPERLINK'))).toBe(true)
    expect(details).toContain(`'${hyperlink}`)
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/)
  })
})
