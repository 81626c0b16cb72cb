import { describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'

describe('client session (shared by both doors)', () => {
  it('refuses an input over 1 MiB with TOO_LARGE and keeps serving', async () => {
    const core = tempCore()
    const session = core.openSession({ door: 'test' })
    const reply = await session.invoke('settings.set', { key: 'ui.theme', value: 'x'.repeat(1024 * 1024 + 10) })
    expect(reply).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
    if (!reply.ok) expect(reply.error.message).toMatch(/exceeds the 1048576 byte \(1 MiB\) limit/)
    expect((await session.invoke('app.info', {})).ok).toBe(true)
    await core.stop()
  })

  it('lets a CSV import carry a file larger than 1 MiB, up to 15 MiB', async () => {
    const core = tempCore()
    const session = core.openSession({ door: 'test' })
    const row = '2026-01-02T03:04:05Z,BTC/USDT,buy,0.001,42000,0.01,USDT\n'
    const big = await session.invoke('portfolio.import', {
      account: 'bulk',
      format: 'generic',
      fileName: 'big.csv',
      text: 'x'.repeat(2 * 1024 * 1024) + row,
    })
    // Not refused for its size: the importer reads it (and refuses its bad header, line 1).
    expect(big).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/line 1/) } })
    const huge = await session.invoke('portfolio.import', { account: 'bulk', format: 'generic', fileName: 'huge.csv', text: 'x'.repeat(16 * 1024 * 1024) })
    expect(huge).toMatchObject({ ok: false, error: { code: 'TOO_LARGE', message: expect.stringContaining('15 MiB') } })
    await core.stop()
  })

  it('refuses unknown streams and bad params, delivers events, and stops them on close', async () => {
    const core = tempCore()
    const session = core.openSession({ door: 'test' })
    expect(session.subscribe('a', 'orders.everything', {}, () => {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_STREAM' } })
    expect(session.subscribe('b', 'settings.changed', { symbol: 1 }, () => {})).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    const events: unknown[] = []
    expect(session.subscribe('c', 'activity.recorded', {}, (e) => events.push(e))).toEqual({ ok: true, value: null })
    expect(session.subscribe('c', 'activity.recorded', {}, () => {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    core.settings.set('ui.theme', 'midnight')
    expect(events).toMatchObject([{ kind: 'settings', message: 'Theme: dark → midnight' }])
    expect(core.bus.listenerCount('activityRecorded')).toBe(1)
    session.close()
    expect(core.bus.listenerCount('activityRecorded')).toBe(0)
    core.settings.set('ui.theme', 'dark')
    expect(events).toHaveLength(1)
    await core.stop()
  })
})
