import { afterEach, describe, expect, it } from 'vitest'
import { tempCore, tempDir } from '../support/temp-core'
import { memoryKeychain } from '../../src-main/secrets/keychain'
import type { Core, CoreOptions } from '../../src-main/core'
import type { AuditPage } from '../../src-main/api/schemas/audit'

// secrets.unlock through the engine's door: wrong passphrases wait as the app lock's do (after five, 30 s
// doubling), the refusal says how long, the count outlasts a restart (as the lock's does), a clock set back
// does not lengthen a wait, the right passphrase resets the count, and every try is in the audit log.

const PASS = 'correct horse battery staple'
type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

let clock = Date.UTC(2026, 10, 22, 12)
// No keychain here: the credentials are protected by a passphrase, unlocked once per start.
const keychain = () => memoryKeychain({}, { unavailable: 'no D-Bus session' })
function start(over: Partial<CoreOptions> = {}): Core & { dataDir: string } {
  const core = tempCore({ now: () => clock, keychain: keychain(), ...over })
  cores.push(core)
  return core
}
async function restart(core: Core & { dataDir: string }): Promise<Core & { dataDir: string }> {
  await core.stop()
  cores = cores.filter((c) => c !== core)
  return start({ dataDir: core.dataDir })
}
const call = (c: Core, name: string, input: unknown = {}) => c.router.invoke(name, input, { door: 'headless' }) as Promise<Reply>
async function ok(c: Core, name: string, input: unknown = {}): Promise<unknown> {
  const reply = await call(c, name, input)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value
}
async function refused(c: Core, name: string, input: unknown = {}): Promise<{ code: string; message: string }> {
  const reply = await call(c, name, input)
  expect(reply.ok, `${name} should be refused`).toBe(false)
  return (reply as { error: { code: string; message: string } }).error
}
const WRONG = 'Wrong passphrase: it does not open the credentials stored in this database'

describe('secrets.unlock wrong passphrases', () => {
  it('after five wrong ones each try waits (30 s, then 60 s), across a restart; the right one resets the count', async () => {
    clock = Date.UTC(2026, 10, 22, 12)
    let core = start({ dataDir: tempDir() })
    await ok(core, 'secrets.usePassphrase', { passphrase: PASS })
    core = await restart(core)
    expect(await ok(core, 'secrets.status')).toMatchObject({ mode: 'passphrase', locked: true })

    for (let i = 1; i <= 4; i++) {
      const left = 5 - i
      expect(await refused(core, 'secrets.unlock', { passphrase: `wrong ${i}` })).toEqual({
        code: 'FORBIDDEN',
        message: `${WRONG} (${left} more ${left === 1 ? 'try' : 'tries'} before each try waits)`,
      })
    }
    expect(await refused(core, 'secrets.unlock', { passphrase: 'wrong 5' })).toEqual({ code: 'FORBIDDEN', message: `${WRONG}. Try again in 30 s` })
    // Even the right passphrase is not tried while the wait runs.
    expect(await refused(core, 'secrets.unlock', { passphrase: PASS })).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Too many wrong passphrases: try again in 30 s' })
    expect(await ok(core, 'secrets.status')).toMatchObject({ mode: 'passphrase', locked: true })

    // A restart does not end the wait.
    clock += 10_000
    core = await restart(core)
    expect(await refused(core, 'secrets.unlock', { passphrase: PASS })).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Too many wrong passphrases: try again in 20 s' })
    clock += 20_000
    expect(await refused(core, 'secrets.unlock', { passphrase: 'wrong 6' })).toEqual({ code: 'FORBIDDEN', message: `${WRONG}. Try again in 60 s` })
    clock += 60_000
    expect(await ok(core, 'secrets.unlock', { passphrase: PASS })).toMatchObject({ mode: 'passphrase', locked: false })

    // The right passphrase started the count again: the next start has five free tries.
    core = await restart(core)
    expect((await refused(core, 'secrets.unlock', { passphrase: 'wrong 7' })).message).toBe(`${WRONG} (4 more tries before each try waits)`)

    // Every try is in the audit log, with its outcome and without the passphrase.
    const audit = (await ok(core, 'audit.list', { search: 'secrets.unlock' })) as AuditPage
    expect(audit.entries.map((e) => e.outcome)).toEqual([
      'FORBIDDEN', 'ok', 'FORBIDDEN', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN',
    ])
    for (const e of audit.entries) {
      expect(e.detail).toMatch(/^passphrase=\(withheld\)/)
      expect(e.detail).not.toMatch(/horse|wrong \d/)
    }
    expect(audit.entries[3]?.detail).toBe('passphrase=(withheld) — Too many wrong passphrases: try again in 20 s')
  })

  it('a clock set back does not lengthen a wait', async () => {
    clock = Date.UTC(2026, 10, 22, 14) // the clock runs 2 h fast
    let core = start({ dataDir: tempDir() })
    await ok(core, 'secrets.usePassphrase', { passphrase: PASS })
    core = await restart(core)
    for (let i = 1; i <= 5; i++) await refused(core, 'secrets.unlock', { passphrase: `wrong ${i}` })
    clock -= 2 * 3_600_000
    core = await restart(core)
    expect(await refused(core, 'secrets.unlock', { passphrase: PASS })).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'Too many wrong passphrases: try again in 30 s' })
    clock += 30_000
    expect(await ok(core, 'secrets.unlock', { passphrase: PASS })).toMatchObject({ mode: 'passphrase', locked: false })
  })
})
