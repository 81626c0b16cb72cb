import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { tempCore, tempDir } from '../support/temp-core'
import type { Core, CoreOptions } from '../../src-main/core'
import type { LockStatus } from '../../src-main/api/contract'
import type { AuditPage } from '../../src-main/api/schemas/audit'
import type { ClientSession } from '../../src-main/api/session'

// The app lock through the engine's door: a passphrase, the locked door (what a screen may still ask), wrong
// passphrases and the growing wait, the idle clock, a restart that starts locked, and nothing stored in clear.

const PASS = 'correct horse battery'
type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
let cores: Core[] = []
// The idle clock runs on a monotonic source; unless a test steps the wall clock apart, both move together.
let monotonic: (() => number) | undefined
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
  monotonic = undefined
})

let clock = Date.UTC(2026, 10, 22, 12)
function start(over: Partial<CoreOptions> = {}): Core & { dataDir: string } {
  const core = tempCore({ now: () => clock, lock: { scrypt: { N: 1024, r: 8, p: 1 }, checkEveryMs: 3_600_000, monotonic: monotonic ?? (() => clock) }, ...over })
  cores.push(core)
  return core
}
// Each test core has one screen (a headless tab): the lock and its idle clock are seen through it. The CLI
// is no screen and goes to the router itself.
const screens = new WeakMap<Core, ClientSession>()
function screenOf(c: Core): ClientSession {
  let screen = screens.get(c)
  if (!screen) screens.set(c, (screen = c.openSession({ door: 'headless' })))
  return screen
}
const call = (c: Core, name: string, input: unknown = {}, door: 'headless' | 'cli' = 'headless') =>
  (door === 'cli' ? c.router.invoke(name, input, { door }) : screenOf(c).invoke(name, input)) as Promise<Reply>
const locked = async (c: Core) => (await ok<LockStatus>(c, 'lock.status')).locked
async function ok<T>(c: Core, name: string, input: unknown = {}): Promise<T> {
  const reply = await call(c, name, input)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}
async function refused(c: Core, name: string, input: unknown = {}): Promise<{ code: string; message: string }> {
  const reply = await call(c, name, input)
  expect(reply.ok, `${name} should be refused`).toBe(false)
  return (reply as { error: { code: string; message: string } }).error
}

describe('app lock', () => {
  it('locks only with a passphrase; a locked door answers the lock screen and refuses everything else', async () => {
    const core = start()
    expect(await ok<LockStatus>(core, 'lock.status')).toMatchObject({ enabled: false, locked: false, idleMinutes: 15 })
    expect(await refused(core, 'lock.lock')).toEqual({ code: 'CONFLICT', message: 'No lock passphrase is set: set one under Settings → Security first' })
    // A passphrase too short is refused at the door and nothing is stored.
    expect((await refused(core, 'lock.setPassphrase', { next: 'short' })).message).toContain('at least 8 characters')
    expect((await ok<LockStatus>(core, 'lock.status')).enabled).toBe(false)

    expect(await ok<LockStatus>(core, 'lock.setPassphrase', { next: PASS })).toMatchObject({ enabled: true, locked: false })
    const before: unknown[] = []
    const settingsSeen: unknown[] = []
    const subscribed = core.streams.open('audit.recorded', {}, (p) => before.push(p))
    expect(subscribed.ok).toBe(true)
    core.streams.open('settings.changed', {}, (p) => settingsSeen.push(p))

    expect(await ok<LockStatus>(core, 'lock.lock')).toMatchObject({ locked: true })
    const heard = before.length
    // What the lock screen needs still answers; nothing else does, on any door but the CLI.
    expect((await call(core, 'app.info')).ok).toBe(true)
    expect((await call(core, 'settings.list')).ok).toBe(true)
    for (const [name, input] of [
      ['orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'quote', value: '10' } }],
      ['balances.list', {}],
      ['audit.list', {}],
      ['lock.clear', { current: PASS }],
      ['settings.set', { key: 'ui.theme', value: 'midnight' }],
    ] as const) {
      expect(await refused(core, name, input)).toEqual({ code: 'LOCKED', message: 'The app is locked: unlock it with your passphrase' })
    }
    expect(core.orders.list({ scope: 'open', limit: 10 }).length + core.orders.list({ scope: 'history', limit: 10 }).length).toBe(0)
    expect((await call(core, 'balances.list', {}, 'cli')).ok).toBe(true)
    const stream = core.streams.open('orders.changed', {}, () => undefined)
    expect(stream.ok ? null : stream.error.code).toBe('LOCKED')
    expect(core.streams.open('lock.changed', {}, () => undefined).ok).toBe(true)

    // A stream opened before the lock says nothing while locked (the refusals above were audited meanwhile).
    expect(before.length).toBe(heard)
    expect(await ok<LockStatus>(core, 'lock.unlock', { passphrase: PASS })).toMatchObject({ locked: false, failures: 0 })
    await ok(core, 'settings.set', { key: 'ui.theme', value: 'midnight' })
    expect(before.length).toBeGreaterThan(heard)
    expect(settingsSeen.length).toBe(1)
  })

  it('counts wrong passphrases: after five each try waits (30 s, then 60 s), even across a restart', async () => {
    clock = Date.UTC(2026, 10, 22, 12)
    const dataDir = tempDir()
    let core = start({ dataDir })
    await ok(core, 'lock.setPassphrase', { next: PASS })
    await ok(core, 'lock.lock')
    for (let i = 1; i <= 4; i++) {
      const e = await refused(core, 'lock.unlock', { passphrase: `wrong ${i}` })
      expect(e.code).toBe('FORBIDDEN')
      expect(e.message).toBe(`Wrong passphrase (${5 - i} more ${5 - i === 1 ? 'try' : 'tries'} before each try waits)`)
    }
    expect(await refused(core, 'lock.unlock', { passphrase: 'wrong 5' })).toEqual({ code: 'FORBIDDEN', message: 'Wrong passphrase. Try again in 30 s' })
    const waiting = await ok<LockStatus>(core, 'lock.status')
    expect(waiting).toMatchObject({ locked: true, failures: 5, retryAt: clock + 30_000 })
    // Even the right passphrase waits; a restart neither unlocks nor resets the count.
    expect(await refused(core, 'lock.unlock', { passphrase: PASS })).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Too many wrong passphrases: try again in 30 s' })
    await core.stop()
    cores = []
    clock += 10_000
    core = start({ dataDir })
    expect(await ok<LockStatus>(core, 'lock.status')).toMatchObject({ enabled: true, locked: true, failures: 5, retryAt: waiting.retryAt })
    expect((await refused(core, 'lock.unlock', { passphrase: PASS })).message).toBe('Too many wrong passphrases: try again in 20 s')
    clock += 20_000
    expect(await refused(core, 'lock.unlock', { passphrase: 'wrong 6' })).toEqual({ code: 'FORBIDDEN', message: 'Wrong passphrase. Try again in 60 s' })
    clock += 60_000
    expect(await ok<LockStatus>(core, 'lock.unlock', { passphrase: PASS })).toEqual({ enabled: true, locked: false, idleMinutes: 15, failures: 0, retryAt: null })
  })

  it('locks after the idle minutes without input, never with 0, and records it as the engine’s act', async () => {
    clock = Date.UTC(2026, 10, 22, 12)
    const core = start()
    await ok(core, 'lock.setPassphrase', { next: PASS })
    await ok(core, 'settings.set', { key: 'lock.idleMinutes', value: 2 })
    clock += 90_000
    await ok(core, 'lock.activity') // input: the clock starts again
    clock += 119_000
    core.lock.checkIdle()
    expect(await locked(core)).toBe(false)
    clock += 1_000
    core.lock.checkIdle()
    expect(await locked(core)).toBe(true)
    // Input while locked does not count; unlocking starts the clock again.
    await ok(core, 'lock.unlock', { passphrase: PASS })
    const audit = await ok<AuditPage>(core, 'audit.list', { search: 'lock.idle' })
    expect(audit.entries.map((e) => [e.door, e.action, e.detail])).toEqual([
      ['engine', 'lock.idle', 'after 2 min without input'],
      ['headless', 'settings.set', 'key="lock.idleMinutes" value=2'],
    ])

    await ok(core, 'settings.set', { key: 'lock.idleMinutes', value: 0 })
    clock += 24 * 3_600_000
    core.lock.checkIdle()
    expect(await locked(core)).toBe(false)
  })

  it('counts setting, changing or removing the passphrase as input: the idle clock starts then, not at engine start', async () => {
    clock = Date.UTC(2026, 10, 22, 12)
    const core = start()
    // Half an hour of work with no passphrase set: the screens send no activity then.
    clock += 30 * 60_000
    await ok(core, 'lock.setPassphrase', { next: PASS })
    clock += 5_000
    core.lock.checkIdle()
    expect(await locked(core)).toBe(false)
    // Changing it is typing it too.
    clock += 14 * 60_000
    await ok(core, 'lock.setPassphrase', { current: PASS, next: 'another passphrase' })
    clock += 14 * 60_000
    core.lock.checkIdle()
    expect(await locked(core)).toBe(false)
    clock += 60_000
    core.lock.checkIdle()
    expect(await locked(core)).toBe(true)
    await ok(core, 'lock.unlock', { passphrase: 'another passphrase' })
    // Removing it and setting one again later: the clock starts at the new passphrase.
    await ok(core, 'lock.clear', { current: 'another passphrase' })
    clock += 40 * 60_000
    await ok(core, 'lock.setPassphrase', { next: PASS })
    core.lock.checkIdle()
    expect(await locked(core)).toBe(false)
  })

  it('keeps its timers when the computer’s clock is set back: the idle lock still comes, a wait stays as long as it was', async () => {
    clock = Date.UTC(2026, 10, 22, 14) // the clock runs 2 h fast
    let elapsed = 0
    monotonic = () => elapsed
    const dataDir = tempDir()
    let core = start({ dataDir })
    await ok(core, 'lock.setPassphrase', { next: PASS })
    // The clock is corrected back 2 h, then 20 minutes pass without input (the limit is 15).
    clock -= 2 * 3_600_000
    clock += 20 * 60_000
    elapsed += 20 * 60_000
    core.lock.checkIdle()
    expect(await locked(core)).toBe(true)

    // Five wrong passphrases while the clock is fast: a 30 s wait.
    clock = Date.UTC(2026, 10, 22, 14)
    for (let i = 1; i <= 5; i++) await refused(core, 'lock.unlock', { passphrase: `wrong ${i}` })
    clock -= 2 * 3_600_000
    // The wait seen from the corrected clock is still 30 s, not 2 h and 30 s, and it survives a restart.
    expect(await refused(core, 'lock.unlock', { passphrase: PASS })).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Too many wrong passphrases: try again in 30 s' })
    expect((await ok<LockStatus>(core, 'lock.status')).retryAt).toBe(clock + 30_000)
    await core.stop()
    cores = []
    clock += 10_000
    core = start({ dataDir })
    expect(await ok<LockStatus>(core, 'lock.status')).toMatchObject({ locked: true, failures: 5, retryAt: clock + 20_000 })
    clock += 20_000
    expect(await ok<LockStatus>(core, 'lock.unlock', { passphrase: PASS })).toMatchObject({ locked: false, failures: 0, retryAt: null })
  })

  it('locks the screen left idle even while another screen is in use, and only that one, until it is unlocked there', async () => {
    clock = Date.UTC(2026, 10, 22, 12)
    const core = start()
    const a = core.openSession({ door: 'headless' }) // a tab left open, no input
    const b = core.openSession({ door: 'headless' }) // where the user works
    const seenA: LockStatus[] = []
    const seenB: LockStatus[] = []
    const auditA: unknown[] = []
    const auditB: unknown[] = []
    a.subscribe('l', 'lock.changed', {}, (p) => seenA.push(p as LockStatus))
    b.subscribe('l', 'lock.changed', {}, (p) => seenB.push(p as LockStatus))
    a.subscribe('r', 'audit.recorded', {}, (p) => auditA.push(p))
    b.subscribe('r', 'audit.recorded', {}, (p) => auditB.push(p))
    expect((await b.invoke('lock.setPassphrase', { next: PASS })).ok).toBe(true)
    expect((await b.invoke('settings.set', { key: 'lock.idleMinutes', value: 1 })).ok).toBe(true)
    for (let s = 0; s < 160; s += 20) {
      clock += 20_000
      await b.invoke('lock.activity', {})
      core.lock.checkIdle()
    }
    const status = async (s: ClientSession) => ((await s.invoke('lock.status', {})) as { value: LockStatus }).value.locked
    expect(await status(a)).toBe(true)
    expect(seenA.at(-1)).toMatchObject({ enabled: true, locked: true })
    expect(await a.invoke('balances.list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } })
    expect(await status(b)).toBe(false)
    expect(seenB.every((s) => !s.locked)).toBe(true)
    expect((await b.invoke('balances.list', {})).ok).toBe(true)
    // The idle screen hears nothing of what is done elsewhere; the working one does.
    const [heardA, heardB] = [auditA.length, auditB.length]
    expect((await b.invoke('settings.set', { key: 'ui.theme', value: 'midnight' })).ok).toBe(true)
    expect(auditA.length).toBe(heardA)
    expect(auditB.length).toBeGreaterThan(heardB)
    // Input on the locked screen does not count; its own passphrase opens it, and only it.
    await a.invoke('lock.activity', {})
    expect(await status(a)).toBe(true)
    expect(await a.invoke('lock.unlock', { passphrase: PASS })).toMatchObject({ ok: true, value: { locked: false } })
    expect(seenA.at(-1)).toMatchObject({ locked: false })
    expect((await a.invoke('balances.list', {})).ok).toBe(true)
    const idle = await ok<AuditPage>(core, 'audit.list', { search: 'lock.idle' })
    expect(idle.entries.filter((e) => e.action === 'lock.idle').map((e) => [e.door, e.detail])).toEqual([['engine', 'after 1 min without input']])
  })

  it('opens a new screen locked while a screen is idle-locked or was closed locked, so a reload does not unlock it', async () => {
    clock = Date.UTC(2026, 10, 22, 12)
    const core = start()
    await ok(core, 'lock.setPassphrase', { next: PASS })
    await ok(core, 'settings.set', { key: 'lock.idleMinutes', value: 1 })
    const status = async (s: ClientSession) => ((await s.invoke('lock.status', {})) as { value: LockStatus }).value.locked
    // A new tab while the user works elsewhere opens unlocked.
    const a = core.openSession({ door: 'headless' })
    expect(await status(a)).toBe(false)
    clock += 30_000
    await ok(core, 'lock.activity')
    clock += 40_000
    await ok(core, 'lock.activity')
    core.lock.checkIdle()
    expect(await status(a)).toBe(true)
    expect(await locked(core)).toBe(false)
    // Reloading the idle tab (its session closes, another opens) finds it locked.
    a.close()
    const reloaded = core.openSession({ door: 'headless' })
    expect(await status(reloaded)).toBe(true)
    await reloaded.invoke('lock.unlock', { passphrase: PASS })
    expect(await status(reloaded)).toBe(false)
    // Once the passphrase was typed again, new tabs open as before.
    expect(await status(core.openSession({ door: 'headless' }))).toBe(false)
    // With no input on any screen for the idle minutes, a new tab opens locked.
    clock += 61_000
    expect(await status(core.openSession({ door: 'headless' }))).toBe(true)
  })

  it('opens the reload after an unlock unlocked while another tab stays idle-locked; that tab’s own reload stays locked', async () => {
    clock = Date.UTC(2026, 10, 22, 12)
    const core = start()
    await ok(core, 'lock.setPassphrase', { next: PASS })
    await ok(core, 'settings.set', { key: 'lock.idleMinutes', value: 1 })
    const status = async (s: ClientSession) => ((await s.invoke('lock.status', {})) as { value: LockStatus }).value.locked
    const a = core.openSession({ door: 'headless' })
    const b = core.openSession({ door: 'headless' })
    clock += 61_000 // no input anywhere: both tabs lock
    core.lock.checkIdle()
    expect([await status(a), await status(b)]).toEqual([true, true])
    expect(await a.invoke('lock.unlock', { passphrase: PASS })).toMatchObject({ ok: true, value: { locked: false } })
    // The page reloads after the unlock: it opens unlocked, as the passphrase was just typed there.
    a.close()
    const a2 = core.openSession({ door: 'headless' })
    expect(await status(a2)).toBe(false)
    expect((await a2.invoke('orders.list', { scope: 'open', limit: 10 })).ok).toBe(true)
    // The other tab is still locked, and reloading it (closed locked after the unlock) does not open it.
    expect(await status(b)).toBe(true)
    b.close()
    const b2 = core.openSession({ door: 'headless' })
    expect(await status(b2)).toBe(true)
    // A tab that locks after the unlock makes new tabs open locked again.
    await b2.invoke('lock.unlock', { passphrase: PASS })
    const c = core.openSession({ door: 'headless' })
    expect(await status(c)).toBe(false)
    clock += 30_000
    await b2.invoke('lock.activity', {})
    clock += 31_000
    await b2.invoke('lock.activity', {})
    core.lock.checkIdle()
    expect([await status(c), await status(b2)]).toEqual([true, false])
    expect(await status(core.openSession({ door: 'headless' }))).toBe(true)
  })

  it('locks with the computer only when a passphrase is set, recorded as the engine’s act', async () => {
    const core = start()
    core.lock.lockWithSystem()
    expect(await locked(core)).toBe(false)
    await ok(core, 'lock.setPassphrase', { next: PASS })
    core.lock.lockWithSystem()
    expect(await locked(core)).toBe(true)
    await ok(core, 'lock.unlock', { passphrase: PASS })
    const audit = await ok<AuditPage>(core, 'audit.list', { search: 'lock.system' })
    expect(audit.entries.map((e) => [e.door, e.action, e.detail])).toEqual([['engine', 'lock.system', 'the computer locked its screen or went to sleep']])
  })

  it('starts locked when a passphrase is set; changing or removing it needs the current one', async () => {
    const dataDir = tempDir()
    let core = start({ dataDir })
    await ok(core, 'lock.setPassphrase', { next: PASS })
    expect((await refused(core, 'lock.setPassphrase', { next: 'another passphrase' })).message).toBe('Type the current passphrase to change it')
    expect((await refused(core, 'lock.setPassphrase', { current: 'not it at all', next: 'another passphrase' })).message).toMatch(/^The current passphrase is wrong/)
    await ok(core, 'lock.setPassphrase', { current: PASS, next: 'another passphrase' })
    await core.stop()
    cores = []
    core = start({ dataDir })
    expect(await ok<LockStatus>(core, 'lock.status')).toMatchObject({ enabled: true, locked: true })
    expect((await refused(core, 'lock.unlock', { passphrase: PASS })).code).toBe('FORBIDDEN')
    await ok(core, 'lock.unlock', { passphrase: 'another passphrase' })
    expect((await refused(core, 'lock.clear', { current: PASS })).code).toBe('FORBIDDEN')
    expect(await ok<LockStatus>(core, 'lock.clear', { current: 'another passphrase' })).toMatchObject({ enabled: false, locked: false })
    await core.stop()
    cores = []
    core = start({ dataDir })
    expect((await ok<LockStatus>(core, 'lock.status')).locked).toBe(false)
  })

  it('keeps no passphrase in the database file or the audit log', async () => {
    const core = start()
    await ok(core, 'lock.setPassphrase', { next: PASS })
    await ok(core, 'lock.lock')
    await refused(core, 'lock.unlock', { passphrase: 'a wrong guess 123' })
    await ok(core, 'lock.unlock', { passphrase: PASS })
    const audit = await ok<AuditPage>(core, 'audit.list', { search: 'lock.' })
    expect(audit.entries.map((e) => [e.action, e.outcome])).toEqual([
      ['lock.unlock', 'ok'],
      ['lock.unlock', 'FORBIDDEN'],
      ['lock.lock', 'ok'],
      ['lock.setPassphrase', 'ok'],
    ])
    expect(audit.entries[3]!.detail).toBe('next=(withheld)')
    core.store.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    const file = fs.readFileSync(core.store.path)
    for (const secret of [PASS, 'a wrong guess 123']) {
      expect(file.includes(Buffer.from(secret))).toBe(false)
      expect(JSON.stringify(audit)).not.toContain(secret)
    }
  })
})
