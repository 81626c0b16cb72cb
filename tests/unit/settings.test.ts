import { describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { settingDefinitions, settingKeys } from '../../src-main/settings/definitions'

describe('settings', () => {
  it('lists every setting with its default until changed', async () => {
    const core = tempCore()
    const list = core.settings.list()
    expect(list.map((s) => s.key)).toEqual(settingKeys)
    for (const view of list) {
      expect(view.value).toBe(settingDefinitions[view.key].default)
      expect(view.updatedAt).toBeNull()
    }
    await core.stop()
  })

  it('keeps a changed value across an engine restart on the same data dir', async () => {
    const first = tempCore({ now: () => 1_700_000_000_000 })
    first.settings.set('ui.theme', 'midnight')
    first.settings.set('ui.fontSize', 14)
    first.settings.set('ui.clock24h', false)
    await first.stop()
    const second = tempCore({ dataDir: first.dataDir })
    expect(second.settings.get('ui.theme')).toMatchObject({ value: 'midnight', updatedAt: 1_700_000_000_000 })
    expect(second.settings.get('ui.fontSize').value).toBe(14)
    expect(second.settings.get('ui.clock24h').value).toBe(false)
    await second.stop()
  })

  it('refuses out-of-range or wrong values with a specific message and keeps the old value', async () => {
    const core = tempCore()
    core.settings.set('ui.fontSize', 13)
    const big = await core.router.invoke('settings.set', { key: 'ui.fontSize', value: 99 }, { door: 'test' })
    expect(big).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'Font size: enter a whole number from 10 to 18' } })
    const theme = await core.router.invoke('settings.set', { key: 'ui.theme', value: 'pink' }, { door: 'test' })
    expect(theme).toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'Theme: must be one of dark, midnight, contrast' },
    })
    expect(core.settings.get('ui.fontSize').value).toBe(13)
    expect(core.settings.get('ui.theme').value).toBe('dark')
    await core.stop()
  })

  it("refuses a cleared field, a fraction or text in a number setting in the user's words, naming its range", async () => {
    const core = tempCore()
    core.settings.set('ui.fontSize', 13)
    const refusal = async (key: string, value: unknown) => {
      const reply = await core.router.invoke('settings.set', { key, value }, { door: 'test' })
      return reply.ok ? 'accepted' : reply.error.message
    }
    // The settings page sends a cleared number field as its text, "".
    expect(await refusal('ui.fontSize', '')).toBe('Font size: a value is required — enter a whole number from 10 to 18')
    expect(await refusal('ui.fontSize', 12.5)).toBe('Font size: enter a whole number from 10 to 18')
    expect(await refusal('ui.fontSize', 'big')).toBe('Font size: enter a whole number from 10 to 18')
    expect(await refusal('ui.fontSize', 9.5)).toBe('Font size: enter a whole number from 10 to 18')
    expect(await refusal('lock.idleMinutes', '')).toBe('Lock after idle minutes: a value is required — enter a whole number from 0 to 1440')
    expect(await refusal('lock.idleMinutes', 0.5)).toBe('Lock after idle minutes: enter a whole number from 0 to 1440')
    expect(await refusal('ui.clock24h', 'yes')).toBe('24-hour clock: must be on or off (true or false)')
    expect(core.settings.get('ui.fontSize').value).toBe(13)
    await core.stop()
  })

  it('falls back to the default when a stored row no longer fits its schema', async () => {
    const core = tempCore()
    core.store.sqlite.prepare("INSERT INTO settings VALUES ('ui.fontSize', '\"not a number\"', 5)").run()
    expect(core.settings.get('ui.fontSize').value).toBe(12)
    await core.stop()
  })

  it('reset returns to the default and announces the change on the settings.changed stream', async () => {
    const core = tempCore()
    const seen: unknown[] = []
    const opened = core.streams.open('settings.changed', {}, (p) => seen.push(p))
    expect(opened.ok).toBe(true)
    core.settings.set('ui.density', 'comfortable')
    core.settings.reset('ui.density')
    expect(seen).toMatchObject([
      { key: 'ui.density', value: 'comfortable' },
      { key: 'ui.density', value: 'compact', updatedAt: null },
    ])
    core.settings.reset('ui.density')
    expect(seen).toHaveLength(2)
    if (opened.ok) opened.value()
    core.settings.set('ui.density', 'comfortable')
    expect(seen).toHaveLength(2)
    await core.stop()
  })

  it('a followed setting is read once and then kept as it is set and reset', async () => {
    const core = tempCore()
    const fills = core.settings.current('alerts.fills')
    expect(fills()).toBe(settingDefinitions['alerts.fills'].default)
    core.settings.set('alerts.fills', 'off')
    expect(fills()).toBe('off')
    core.settings.reset('alerts.fills')
    expect(fills()).toBe(settingDefinitions['alerts.fills'].default)
    // Another key's change leaves it alone.
    core.settings.set('alerts.conditional', 'off')
    expect(fills()).toBe(settingDefinitions['alerts.fills'].default)
    await core.stop()
  })
})
