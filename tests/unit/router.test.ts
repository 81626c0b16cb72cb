import { describe, expect, it, afterEach } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import { createRouter, type Handlers } from '../../src-main/api/router'
import { commandNames } from '../../src-main/api/names'
import { commands, streams } from '../../src-main/api/contract'
import type { Logger } from '../../src-main/log'

const ctx = { door: 'test' } as const
let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

describe('router', () => {
  it('answers a known command with its typed result', async () => {
    core = tempCore()
    const reply = await core.router.invoke('app.info', {}, ctx)
    expect(reply.ok).toBe(true)
    if (reply.ok) expect(commands['app.info'].output.parse(reply.value).schemaVersion).toBe(core.store.schemaVersion)
  })

  it('refuses an unknown command name with UNKNOWN_COMMAND', async () => {
    core = tempCore()
    const reply = await core.router.invoke('orders.dropTables', {}, ctx)
    expect(reply).toEqual({ ok: false, error: { code: 'UNKNOWN_COMMAND', message: 'Unknown command "orders.dropTables"' } })
    expect(await core.router.invoke(42, {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } })
  })

  it('refuses a malformed payload with a specific BAD_INPUT message and changes nothing', async () => {
    core = tempCore()
    const wrongType = await core.router.invoke('settings.set', { key: 'ui.fontSize', value: 'huge' }, ctx)
    expect(wrongType.ok).toBe(false)
    if (!wrongType.ok) {
      expect(wrongType.error.code).toBe('BAD_INPUT')
      expect(wrongType.error.message).toBe('Font size: enter a whole number from 10 to 18')
    }
    const unknownKey = await core.router.invoke('settings.set', { key: 'ui.nope', value: 1 }, ctx)
    expect(unknownKey).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    if (!unknownKey.ok) expect(unknownKey.error.message).toContain('Unknown setting "ui.nope"')
    const extra = await core.router.invoke('app.info', { sneaky: true }, ctx)
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    const notObject = await core.router.invoke('settings.reset', 'ui.theme', ctx)
    expect(notObject).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(core.settings.get('ui.fontSize').value).toBe(12)
  })

  it('hides an internal failure behind INTERNAL without a stack, and logs it', async () => {
    const logged: unknown[] = []
    const log: Logger = { info() {}, warn() {}, error: (_m, d) => logged.push(d) }
    const handlers = Object.fromEntries(
      commandNames.map((n) => [n, () => {
        throw new Error('secret internals at /home/user/db.ts:42')
      }]),
    ) as unknown as Handlers
    const router = createRouter(handlers, log)
    const reply = await router.invoke('settings.list', {}, ctx)
    expect(reply).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'settings.list failed inside the engine; see the engine log for details' },
    })
    expect(logged).toHaveLength(1)
  })

  it('catches an output that breaks the contract when output checking is on', async () => {
    const handlers = Object.fromEntries(commandNames.map((n) => [n, () => ({ wrong: true })])) as unknown as Handlers
    const logged: unknown[] = []
    const router = createRouter(handlers, { info() {}, warn() {}, error: (_m, d) => logged.push(d) }, { checkOutputs: true })
    expect(await router.invoke('app.info', {}, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(String(logged[0])).toContain('breaks the contract')
  })

  it('has a schema for every command and stream name', () => {
    for (const name of commandNames) expect(commands[name].input).toBeDefined()
    expect(Object.keys(commands).sort()).toEqual([...commandNames].sort())
    expect(Object.keys(streams).length).toBeGreaterThan(0)
  })
})
