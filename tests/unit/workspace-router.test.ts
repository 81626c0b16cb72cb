import { describe, expect, it, afterEach } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { WorkspaceLayout } from '../../src-main/api/contract'

// workspace.get / workspace.save through the router, as every door calls them: inputs validated by the
// contract before the handler runs, a refused payload changes nothing, and a saved layout outlives the engine.

const ctx = { door: 'test' } as const
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})
const start = (dataDir?: string) => {
  const core = tempCore(dataDir ? { dataDir } : {})
  cores.push(core)
  return core
}

const layout: WorkspaceLayout = {
  version: 1,
  watchlist: 18,
  columns: [
    { id: 'c1', size: 41, views: [{ id: 'v1', kind: 'book', venueId: 'sim', symbol: 'BTC/USDT', size: 100, group: 1 }] },
    {
      id: 'c2',
      size: 41,
      views: [
        { id: 'v2', kind: 'book', venueId: 'sim', symbol: 'ETH/USDT', size: 55, group: 10, depth: 20 },
        { id: 'v3', kind: 'candles', venueId: 'sim', symbol: 'BTC/USDT', size: 45, timeframe: '15m' },
      ],
    },
  ],
  focused: 'v2',
}

describe('workspace commands', () => {
  it('workspace.get answers the default layout, named "default", when nothing is saved', async () => {
    const core = start()
    const reply = await core.router.invoke('workspace.get', {}, ctx)
    expect(reply.ok).toBe(true)
    if (!reply.ok) return
    const value = reply.value as { name: string; savedAt: number | null; layout: WorkspaceLayout }
    expect(value.name).toBe('default')
    expect(value.savedAt).toBeNull()
    expect(value.layout.columns.flatMap((c) => c.views).some((v) => v.kind === 'book' && v.symbol === 'BTC/USDT' && v.venueId === 'sim')).toBe(true)
  })

  it('workspace.save stores the layout; workspace.get returns it, also from a restarted engine', async () => {
    const core = start()
    const saved = await core.router.invoke('workspace.save', { layout }, ctx)
    expect(saved).toMatchObject({ ok: true, value: { name: 'default', layout } })
    expect(await core.router.invoke('workspace.get', { name: 'default' }, ctx)).toMatchObject({ ok: true, value: { layout } })
    await core.stop()
    cores = []
    const again = start(core.dataDir)
    const reply = await again.router.invoke('workspace.get', {}, ctx)
    expect(reply).toMatchObject({ ok: true, value: { name: 'default', layout } })
    if (reply.ok) expect((reply.value as { savedAt: number }).savedAt).toBeGreaterThan(0)
  })

  it('refuses a bad payload with BAD_INPUT naming what is wrong, and keeps the stored layout', async () => {
    const core = start()
    await core.router.invoke('workspace.save', { layout }, ctx)
    const bad = [
      [{ layout: { ...layout, columns: [{ ...layout.columns[0]!, views: [{ ...layout.columns[0]!.views[0]!, kind: 'orderflow' }] }] } }, 'layout.columns.0.views.0.kind: kind must be one of book, depth, tape, candles, aggregate'],
      [{ layout: { ...layout, watchlist: 101 } }, 'layout.watchlist: size must be between 0 and 100'],
      [{ layout: { ...layout, columns: [{ id: 'c1', size: 50, views: Array.from({ length: 17 }, (_, i) => ({ id: `v${i}`, kind: 'tape', venueId: 'sim', symbol: 'BTC/USDT', size: 5 })) }], focused: null } }, 'at most 16 views'],
      [{ layout: { ...layout, columns: [{ ...layout.columns[0]!, views: [{ ...layout.columns[0]!.views[0]!, symbol: 42 }] }] } }, 'layout.columns.0.views.0.symbol'],
      [{ layout: { ...layout, focused: 'nope' } }, 'focused view "nope" is not in the layout'],
      [{ name: '../../etc', layout }, 'name: name must be letters, digits'],
      [{}, 'layout:'],
      [{ layout, extra: 1 }, 'Unrecognized key'],
    ] as const
    for (const [input, message] of bad) {
      const reply = await core.router.invoke('workspace.save', input, ctx)
      expect(reply.ok, JSON.stringify(input).slice(0, 120)).toBe(false)
      if (reply.ok) continue
      expect(reply.error.code).toBe('BAD_INPUT')
      expect(reply.error.message).toMatch(/^Invalid input for workspace\.save: /)
      expect(reply.error.message).toContain(message)
    }
    expect(await core.router.invoke('workspace.get', {}, ctx)).toMatchObject({ ok: true, value: { layout } })
  })

  it('a stored layout with one bad pin answers the rest and says so; the next save keeps the original', async () => {
    const core = start()
    const mine = { ...layout, watchlistMarkets: Array.from({ length: 40 }, (_, i) => ({ venueId: 'sim', symbol: `T${i}/USDT` })) }
    await core.router.invoke('workspace.save', { layout: mine }, ctx)
    const sqlite = core.store.sqlite
    const stored = (sqlite.prepare("SELECT layout FROM workspace_layouts WHERE name = 'default'").get() as { layout: string }).layout
    const spoiled = JSON.parse(stored)
    spoiled.watchlistMarkets[39].symbol = 'NEW COIN/USDT'
    sqlite.prepare("UPDATE workspace_layouts SET layout = ? WHERE name = 'default'").run(JSON.stringify(spoiled))

    const reply = await core.router.invoke('workspace.get', {}, ctx)
    if (!reply.ok) throw new Error(reply.error.message)
    const got = reply.value as { layout: WorkspaceLayout; recovered?: { dropped: string[]; keptAs: string } }
    expect(got.layout.columns).toEqual(layout.columns)
    expect(got.layout.watchlistMarkets).toHaveLength(39)
    expect(got.recovered?.dropped).toEqual([expect.stringContaining('pinned market 40 (NEW COIN/USDT)')])

    // The Trade page's next change saves what it was given; the user's row as it was is kept aside.
    await core.router.invoke('workspace.save', { layout: { ...got.layout, focused: 'v1' } }, ctx)
    const kept = await core.router.invoke('workspace.get', { name: got.recovered!.keptAs }, ctx)
    expect(kept).toMatchObject({ ok: true, value: { recovered: { dropped: [expect.stringContaining('NEW COIN/USDT')] } } })
    expect(sqlite.prepare('SELECT layout FROM workspace_layouts WHERE name = ?').get(got.recovered!.keptAs)).toEqual({ layout: JSON.stringify(spoiled) })
  })

  it('keeps named layouts apart', async () => {
    const core = start()
    await core.router.invoke('workspace.save', { name: 'default', layout }, ctx)
    const other = { ...layout, focused: 'v1' }
    await core.router.invoke('workspace.save', { name: 'Scalping 2', layout: other }, ctx)
    expect(await core.router.invoke('workspace.get', { name: 'Scalping 2' }, ctx)).toMatchObject({ ok: true, value: { layout: other } })
    expect(await core.router.invoke('workspace.get', {}, ctx)).toMatchObject({ ok: true, value: { layout } })
  })
})
