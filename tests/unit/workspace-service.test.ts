import { describe, expect, it, afterEach } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { WorkspaceService } from '../../src-main/workspace/service'
import { defaultLayout } from '../../src-main/workspace/defaults'
import { commands } from '../../src-main/api/contract'
import { AppError } from '../../src-main/api/errors'
import { silentLogger, type Logger } from '../../src-main/log'
import type { WorkspaceLayout } from '../../src-main/api/contract'
import { migrationsDir, tempDir } from '../support/temp-core'

// The workspace service owns workspace_layouts: one validated layout per name, the default until one is saved.

let stores: Store[] = []
afterEach(() => {
  for (const s of stores) s.close()
  stores = []
})

function open(dir = tempDir(), log: Logger = silentLogger, now = () => 1_700_000_000_000) {
  const store = openStore(dir, migrationsDir)
  stores.push(store)
  return { dir, store, service: new WorkspaceService(store.db, log, now) }
}

/** Two order books on two markets and a tape: the layout a user builds on the Trade page. */
const twoBooks = (): WorkspaceLayout => ({
  version: 1,
  watchlist: 15,
  columns: [
    {
      id: 'c1',
      size: 40,
      views: [
        { id: 'v1', kind: 'book', venueId: 'sim', symbol: 'BTC/USDT', size: 70, group: 10, depth: 100 },
        { id: 'v2', kind: 'tape', venueId: 'sim', symbol: 'BTC/USDT', size: 30 },
      ],
    },
    { id: 'c2', size: 45, views: [{ id: 'v3', kind: 'book', venueId: 'sim', symbol: 'ETH/USDT', size: 100, group: 1 }] },
  ],
  focused: 'v3',
})

const rowOf = (store: Store, name: string) =>
  store.sqlite.prepare('SELECT name, layout, saved_at FROM workspace_layouts WHERE name = ?').get(name) as
    | { name: string; layout: string; saved_at: number }
    | undefined

const view = (i: number) => ({ id: `v${i}`, kind: 'tape' as const, venueId: 'sim', symbol: 'BTC/USDT', size: 10 })

describe('workspace service', () => {
  it('gives the default layout (sim BTC/USDT book, candles, my orders, tape…) while nothing is saved', () => {
    const { service } = open()
    const got = service.get('default')
    expect(got).toEqual({ name: 'default', layout: defaultLayout(), savedAt: null })
    const views = got.layout.columns.flatMap((c) => c.views)
    expect(views.map((v) => v.kind).sort()).toEqual(['aggregate', 'book', 'candles', 'depth', 'orders', 'tape'])
    expect(new Set(views.map((v) => `${v.venueId}|${v.symbol}`))).toEqual(new Set(['sim|BTC/USDT']))
    expect(got.layout.focused).toBe(views.find((v) => v.kind === 'book')!.id)
    expect(commands['workspace.get'].output.safeParse(got).success).toBe(true)
  })

  it('saves a layout and loads it back, also after the database is reopened', () => {
    const { dir, store, service } = open()
    const saved = service.save('default', twoBooks())
    expect(saved).toEqual({ name: 'default', layout: twoBooks(), savedAt: 1_700_000_000_000 })
    expect(service.get('default')).toEqual(saved)
    store.close()
    stores = stores.filter((s) => s !== store)
    const again = open(dir).service
    expect(again.get('default')).toEqual(saved)
  })

  it('keeps one row per name: a second save replaces it, another name is separate', () => {
    const { store, service } = open()
    service.save('default', twoBooks())
    const next = { ...twoBooks(), focused: 'v1' }
    service.save('default', next)
    service.save('scalping', defaultLayout())
    expect(service.get('default').layout.focused).toBe('v1')
    expect(service.get('scalping').layout).toEqual(defaultLayout())
    expect(service.get('other').savedAt).toBeNull()
    expect(store.sqlite.prepare('SELECT name FROM workspace_layouts ORDER BY name').all()).toEqual([{ name: 'default' }, { name: 'scalping' }])
  })

  it.each([
    ['an unknown view kind', (l: WorkspaceLayout) => ({ ...l, columns: [{ ...l.columns[0]!, views: [{ ...l.columns[0]!.views[0]!, kind: 'heatmap' }] }] }), /kind must be one of book, depth, tape, candles, aggregate/],
    ['a size above 100', (l: WorkspaceLayout) => ({ ...l, watchlist: 150 }), /watchlist: size must be between 0 and 100/],
    ['a negative size', (l: WorkspaceLayout) => ({ ...l, columns: [{ ...l.columns[0]!, size: -1 }, l.columns[1]!] }), /columns\.0\.size: size must be between 0 and 100/],
    ['more than 16 views', (l: WorkspaceLayout) => ({ ...l, columns: [{ id: 'c1', size: 50, views: Array.from({ length: 17 }, (_, i) => view(i + 1)) }], focused: null }), /at most 16 views/],
    ['17 views over two columns', (l: WorkspaceLayout) => ({ ...l, columns: [{ id: 'c1', size: 50, views: Array.from({ length: 9 }, (_, i) => view(i + 1)) }, { id: 'c2', size: 50, views: Array.from({ length: 8 }, (_, i) => view(i + 10)) }], focused: null }), /at most 16 views \(got 17\)/],
    ['a symbol that is not BASE/QUOTE', (l: WorkspaceLayout) => ({ ...l, columns: [{ ...l.columns[0]!, views: [{ ...l.columns[0]!.views[0]!, symbol: 'BTCUSDT' }] }] }), /symbol must look like BASE\/QUOTE/],
    ['an empty venue', (l: WorkspaceLayout) => ({ ...l, columns: [{ ...l.columns[0]!, views: [{ ...l.columns[0]!.views[0]!, venueId: '' }] }] }), /venueId is required/],
    ['a grouping that is not a tick multiple choice', (l: WorkspaceLayout) => ({ ...l, columns: [{ ...l.columns[0]!, views: [{ ...l.columns[0]!.views[0]!, group: 7 }] }] }), /group must be one of 1, 10, 100, 1000/],
    ['a focused view that is not there', (l: WorkspaceLayout) => ({ ...l, focused: 'v99' }), /focused view "v99" is not in the layout/],
    ['the same id twice', (l: WorkspaceLayout) => ({ ...l, columns: [l.columns[0]!, { ...l.columns[1]!, views: [{ ...l.columns[1]!.views[0]!, id: 'v1' }] }], focused: 'v1' }), /id "v1" is used twice/],
    ['an unknown field', (l: WorkspaceLayout) => ({ ...l, theme: 'dark' }), /Unrecognized key/],
    ['the same market pinned twice', (l: WorkspaceLayout) => ({ ...l, watchlistMarkets: [{ venueId: 'sim', symbol: 'BTC/USDT' }, { venueId: 'sim', symbol: 'BTC/USDT' }] }), /watchlistMarkets: BTC\/USDT on sim is in the watchlist twice/],
    ['101 pinned markets', (l: WorkspaceLayout) => ({ ...l, watchlistMarkets: Array.from({ length: 101 }, (_, i) => ({ venueId: 'sim', symbol: `C${i}/USDT` })) }), /at most 100 markets in the watchlist/],
    ['a pinned market that is not BASE/QUOTE', (l: WorkspaceLayout) => ({ ...l, watchlistMarkets: [{ venueId: 'sim', symbol: 'BTCUSDT' }] }), /watchlistMarkets\.0\.symbol: symbol must look like BASE\/QUOTE/],
    ['not a layout at all', () => 'everything', /expected object/],
  ])('refuses %s with a clear message and leaves the stored layout untouched', (_what, spoil, message) => {
    const { service } = open()
    const before = service.save('default', twoBooks())
    let thrown: unknown
    try {
      service.save('default', spoil(twoBooks()))
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(AppError)
    expect((thrown as AppError).code).toBe('BAD_INPUT')
    expect((thrown as AppError).message).toMatch(/^Workspace layout "default" not saved: /)
    expect((thrown as AppError).message).toMatch(message)
    expect(service.get('default')).toEqual(before)
  })

  it('refuses a bad first layout and keeps answering with the default', () => {
    const { service } = open()
    expect(() => service.save('default', { ...twoBooks(), version: 2 })).toThrow(/version must be 1/)
    expect(service.get('default')).toEqual({ name: 'default', layout: defaultLayout(), savedAt: null })
  })

  it('reads a stored row that cannot be read at all as the default, says so in the log and in the reply', () => {
    const warned: string[] = []
    const { store, service } = open(tempDir(), { ...silentLogger, warn: (m) => warned.push(m) })
    store.sqlite.prepare("INSERT INTO workspace_layouts (name, layout, saved_at) VALUES ('broken', 'not json', 5)").run()
    store.sqlite.prepare("INSERT INTO workspace_layouts (name, layout, saved_at) VALUES ('future', '{\"version\":2}', 6)").run()
    expect(service.get('broken')).toEqual({
      name: 'broken',
      layout: defaultLayout(),
      savedAt: 5,
      recovered: { dropped: ['the whole layout: not JSON'], keptAs: 'broken.backup-5' },
    })
    expect(service.get('future').layout).toEqual(defaultLayout())
    expect(service.get('future').recovered?.dropped).toEqual(['the whole layout: version must be 1'])
    expect(warned).toHaveLength(3)
    expect(warned[0]).toContain('stored workspace layout "broken" is invalid')
  })

  it('keeps what still reads of a stored layout when one entry goes bad: one bad pin loses that pin only', () => {
    const { store, service } = open()
    const mine = { ...twoBooks(), watchlistMarkets: Array.from({ length: 40 }, (_, i) => ({ venueId: 'sim', symbol: `T${i}/USDT` })) }
    service.save('default', mine)
    const stored = JSON.parse(rowOf(store, 'default')!.layout)
    stored.watchlistMarkets[39].symbol = 'NEW COIN/USDT'
    store.sqlite.prepare("UPDATE workspace_layouts SET layout = ? WHERE name = 'default'").run(JSON.stringify(stored))
    const got = service.get('default')
    expect(got.layout).toEqual({ ...mine, watchlistMarkets: mine.watchlistMarkets.slice(0, 39) })
    expect(got.savedAt).toBe(1_700_000_000_000)
    expect(got.recovered?.dropped).toEqual(['pinned market 40 (NEW COIN/USDT): symbol must look like BASE/QUOTE, e.g. BTC/USDT'])
    expect(got.recovered?.keptAs).toBe('default.backup-1700000000000')
    expect(commands['workspace.get'].output.safeParse(got).success).toBe(true)
  })

  it('leaves out a view that no longer reads and keeps the others; a bad setting loses only that setting', () => {
    const { store, service } = open()
    const l = twoBooks()
    const spoiled = {
      ...l,
      watchlist: 'wide',
      theme: 'dark',
      columns: [
        { ...l.columns[0]!, views: [{ ...l.columns[0]!.views[0]!, group: 7 }, { ...l.columns[0]!.views[1]!, kind: 'heatmap' }] },
        { ...l.columns[1]!, views: [{ ...l.columns[1]!.views[0]!, kind: 'heatmap' }] },
      ],
    }
    store.sqlite.prepare("INSERT INTO workspace_layouts (name, layout, saved_at) VALUES ('default', ?, 7)").run(JSON.stringify(spoiled))
    const got = service.get('default')
    const { group: _dropped, ...bookWithoutGroup } = l.columns[0]!.views[0]!
    expect(got.layout).toEqual({
      version: 1,
      watchlist: defaultLayout().watchlist,
      columns: [{ ...l.columns[0]!, views: [bookWithoutGroup] }],
      focused: 'v1',
    })
    expect(got.recovered?.dropped).toEqual([
      'theme: not part of a layout',
      'watchlist width: size must be a number',
      'view v1 (BTC/USDT) setting group: group must be one of 1, 10, 100, 1000',
      'view v2 (BTC/USDT): kind must be one of book, depth, tape, candles, aggregate, orders',
      'view v3 (ETH/USDT): kind must be one of book, depth, tape, candles, aggregate, orders',
      'column c2: no view left',
    ])
  })

  it('before the first save replaces a salvaged layout, keeps the stored row under a backup name', () => {
    const { store, service } = open()
    const text = JSON.stringify({ ...twoBooks(), watchlist: 'wide' })
    store.sqlite.prepare("INSERT INTO workspace_layouts (name, layout, saved_at) VALUES ('default', ?, 7)").run(text)
    const got = service.get('default')
    expect(got.recovered?.keptAs).toBe('default.backup-7')
    expect(rowOf(store, 'default.backup-7')).toBeUndefined()
    service.save('default', { ...got.layout, focused: 'v1' })
    expect(rowOf(store, 'default.backup-7')).toEqual({ name: 'default.backup-7', layout: text, saved_at: 7 })
    expect(service.get('default')).toMatchObject({ layout: { focused: 'v1' }, savedAt: 1_700_000_000_000 })
    expect(service.get('default').recovered).toBeUndefined()
    // A later save has nothing to keep: the row it replaces is good.
    service.save('default', twoBooks())
    expect(store.sqlite.prepare('SELECT name FROM workspace_layouts ORDER BY name').all()).toEqual([{ name: 'default' }, { name: 'default.backup-7' }])
  })

  it('a long layout name still gives a backup name workspace.get accepts', () => {
    const { store, service } = open()
    const name = 'A very long layout name of forty chars.'.padEnd(40, 'x')
    store.sqlite.prepare('INSERT INTO workspace_layouts (name, layout, saved_at) VALUES (?, ?, 1700000000000)').run(name, 'not json')
    const keptAs = service.get(name).recovered!.keptAs
    expect(commands['workspace.get'].input.safeParse({ name: keptAs }).success).toBe(true)
    service.save(name, twoBooks())
    expect(rowOf(store, keptAs)?.layout).toBe('not json')
  })

  it('accepts an empty workspace (every view closed)', () => {
    const { service } = open()
    const empty: WorkspaceLayout = { version: 1, watchlist: 20, columns: [], focused: null }
    expect(service.save('default', empty).layout).toEqual(empty)
    expect(service.get('default').layout.columns).toEqual([])
  })
})
