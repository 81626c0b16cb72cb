import fs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { SyncService } from '../../src-main/portfolio/sync/service'
import type { SyncStatus } from '../../src-main/api/schemas/portfolio'
import { VenueError } from '../../src-main/venues/port'
import { migrationsDir, tempDir } from '../support/temp-core'
import { DAY, fakeHistoryVenue, type FakeHistory } from './sync-support'

// The history sync against a venue with a known history: every fill, deposit and withdrawal stored once;
// a cancelled run resumes where it stopped; a later run reads only what is new; a bad page stores nothing
// of itself and says why; progress counts from 0 to total.

const ACCOUNT = 'ex-1'
const NOW = 100 * DAY
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'ETH/BTC']

let dir: string
let store: Store
let bus: EventBus
let portfolio: PortfolioService
let h: FakeHistory
let events: SyncStatus[]
let clock: number

function service(options: ConstructorParameters<typeof SyncService>[0]['runOptions'] = {}): SyncService {
  const s = new SyncService({
    db: store.db,
    bus,
    log: silentLogger,
    portfolio,
    openVenue: async () => h.venue,
    isExchangeAccount: (a) => a === ACCOUNT,
    now: () => clock,
    runOptions: { since: 40 * DAY, ...options },
  })
  s.start()
  return s
}

function ledger(): { external_id: string; kind: string; amount: string; symbol: string | null }[] {
  return store.sqlite.prepare('select external_id, kind, amount, symbol from ledger_entries where account = ? order by id').all(ACCOUNT) as never
}

function seed(): void {
  // 3 markets × 60 fills over 40..95 days, ids growing with time per market
  for (let i = 0; i < 180; i++) h.addFill(SYMBOLS[i % 3] as string, 40 * DAY + Math.floor((i * 55 * DAY) / 180))
  h.transfers.push(
    { id: 'd1', kind: 'deposit', asset: 'USDT', amount: '10000', fee: null, status: 'ok', timestamp: 41 * DAY, txid: '0x1' },
    { id: 'd2', kind: 'deposit', asset: 'BTC', amount: '1', fee: null, status: 'ok', timestamp: 42 * DAY, txid: '0x2' },
    { id: 'd3', kind: 'deposit', asset: 'BTC', amount: '2', fee: null, status: 'pending', timestamp: 90 * DAY, txid: '0x3' },
    { id: 'w1', kind: 'withdrawal', asset: 'ETH', amount: '0.5', fee: { asset: 'ETH', amount: '0.001' }, status: 'ok', timestamp: 80 * DAY, txid: '0x4' },
  )
}

beforeEach(() => {
  dir = tempDir('co-sync-')
  store = openStore(dir, migrationsDir)
  bus = new EventBus()
  portfolio = new PortfolioService({ db: store.db, bus, log: silentLogger, now: () => clock })
  clock = NOW
  h = fakeHistoryVenue({ symbols: SYMBOLS, now: () => clock })
  events = []
  bus.on('syncProgressed', (e) => events.push(e.status))
  seed()
})

afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('history sync (by trade id)', () => {
  it('stores every fill and completed transfer once; markets from deposits; progress 0 → total', async () => {
    const sync = service()
    const first = sync.sync(ACCOUNT)
    expect(first).toMatchObject({ state: 'running', done: 0 })
    const end = await sync.settled(ACCOUNT)
    expect(end).toMatchObject({ state: 'done', phase: 'done', fetched: 184, inserted: 183, error: null, lastSyncedAt: NOW })
    expect(end.done).toBe(end.total)
    const rows = ledger()
    expect(rows.filter((r) => r.kind === 'trade')).toHaveLength(180)
    expect(rows.filter((r) => r.kind !== 'trade').map((r) => r.external_id).sort()).toEqual(['deposit:d1', 'deposit:d2', 'withdrawal:w1'])
    // USDT and BTC deposited, ETH withdrawn: all three markets are asked; DOGE/USDT and BTC/EUR are not
    expect(new Set(h.requests.filter((r) => r.method === 'fetchMyFillsPage').map((r) => r.symbol))).toEqual(new Set(SYMBOLS))
    // daily close marks for the traded markets, one candles request each
    expect(h.requests.filter((r) => r.method === 'fetchCandles')).toHaveLength(3)
    expect((store.sqlite.prepare("select count(*) as n from price_marks where asset = 'BTC' and quote = 'USDT'").get() as { n: number }).n).toBeGreaterThan(50)
    // ...stored as the account's venue's prices, which value it first
    expect(store.sqlite.prepare('select distinct venue from price_marks').pluck().all()).toEqual([ACCOUNT])
    // progress: from 0, never backwards, ends at done = total
    expect(events[0]?.done).toBe(0)
    for (let i = 1; i < events.length; i++) expect(events[i]!.done).toBeGreaterThanOrEqual(events[i - 1]!.done)
    expect(events.at(-1)).toMatchObject({ state: 'done', done: end.total, total: end.total })
  })

  it('a cancelled run keeps what it stored; the next run resumes with fewer requests, nothing twice', async () => {
    const full = fakeHistoryVenue({ symbols: SYMBOLS, now: () => clock })
    // the request count of a full run, on a copy of the same history in a fresh ledger
    const fullRequests = await (async () => {
      const saved = { h, store, portfolio }
      const d2 = tempDir('co-sync-full-')
      try {
        store = openStore(d2, migrationsDir)
        portfolio = new PortfolioService({ db: store.db, bus, log: silentLogger })
        h = full
        seed()
        const s = service()
        s.sync(ACCOUNT)
        await s.settled(ACCOUNT)
        return h.requests.length
      } finally {
        store.close()
        fs.rmSync(d2, { recursive: true, force: true })
        ;({ h, store, portfolio } = saved)
      }
    })()

    const sync = service()
    let cancelled: Promise<SyncStatus> | undefined
    h.beforeRequest = (n, method) => {
      if (method === 'fetchMyFillsPage' && n === 14 && !cancelled) cancelled = sync.cancel(ACCOUNT)
    }
    sync.sync(ACCOUNT)
    const stopped = await sync.settled(ACCOUNT)
    expect(stopped.state).toBe('interrupted')
    const kept = ledger().length
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(183)
    const firstRunRequests = h.requests.length

    h.beforeRequest = null
    sync.sync(ACCOUNT)
    expect((await sync.settled(ACCOUNT)).state).toBe('done')
    const rows = ledger()
    expect(rows).toHaveLength(183)
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(183)
    expect(h.requests.length - firstRunRequests).toBeLessThan(fullRequests)
  })

  it('a later run reads only what is new (and a pending deposit once it completed)', async () => {
    const sync = service()
    sync.sync(ACCOUNT)
    await sync.settled(ACCOUNT)
    const before = h.requests.length
    clock = NOW + 2 * DAY
    h.addFill('ETH/USDT', NOW + DAY)
    h.addFill('ETH/USDT', NOW + DAY + 1)
    const pending = h.transfers.find((t) => t.id === 'd3')!
    pending.status = 'ok'
    sync.sync(ACCOUNT)
    const second = await sync.settled(ACCOUNT)
    expect(second).toMatchObject({ state: 'done', inserted: 3 })
    const pages = h.requests.slice(before).filter((r) => r.method === 'fetchMyFillsPage')
    expect(pages).toHaveLength(3) // one per market, each from its cursor
    expect(pages.find((p) => p.symbol === 'ETH/USDT')?.page).toMatchObject({ fromId: expect.stringMatching(/^\d+$/) })
    expect(ledger().filter((r) => r.external_id === 'deposit:d3')).toHaveLength(1)
    // nothing new: nothing stored
    sync.sync(ACCOUNT)
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', inserted: 0 })
  })

  it('a malformed page fails the run with the exchange’s words, stores nothing of that page; the next run resumes', async () => {
    const sync = service()
    let pages = 0
    h.beforeRequest = (_n, method) => {
      if (method === 'fetchMyFillsPage' && ++pages === 3) {
        throw new VenueError('bad-reply', 'Fakex sent a malformed reply for fills of BTC/USDT: row 4 of 10: The exchange sent abc for fill price, which is not a number')
      }
    }
    sync.sync(ACCOUNT)
    const failed = await sync.settled(ACCOUNT)
    expect(failed.state).toBe('failed')
    expect(failed.error).toContain('row 4 of 10')
    // two full pages of BTC/USDT (ids 1..20) and the transfers, not a row of the third page
    expect(ledger().filter((r) => r.kind === 'trade')).toHaveLength(20)
    h.beforeRequest = null
    sync.sync(ACCOUNT)
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', error: null })
    expect(ledger().filter((r) => r.kind === 'trade')).toHaveLength(180)
  })

  it('one run per account; only exchange accounts sync; a restart marks a cut-off run interrupted', async () => {
    const sync = service()
    const a = sync.sync(ACCOUNT)
    const b = sync.sync(ACCOUNT)
    expect(b.startedAt).toBe(a.startedAt)
    expect(() => sync.sync('sim')).toThrow(/not an exchange account/)
    await sync.settled(ACCOUNT)
    store.sqlite.prepare("update portfolio_sync_runs set state = 'running'").run()
    const again = service()
    expect(again.status(ACCOUNT).state).toBe('interrupted')
  })
})

describe('history sync (by time windows)', () => {
  it('walks windows no longer than the venue allows; a later run starts at the cursor', async () => {
    const sync = service({ tradePaging: 'time' })
    sync.sync(ACCOUNT)
    const end = await sync.settled(ACCOUNT)
    expect(end).toMatchObject({ state: 'done' })
    expect(ledger().filter((r) => r.kind === 'trade')).toHaveLength(180)
    const windows = h.requests.filter((r) => r.method === 'fetchMyFillsPage').map((r) => r.page as { since: number; until: number })
    for (const w of windows) expect(w.until - w.since).toBeLessThan(DAY)
    const before = h.requests.length
    clock = NOW + 3 * DAY
    h.addFill('BTC/USDT', NOW + 2 * DAY)
    sync.sync(ACCOUNT)
    expect(await sync.settled(ACCOUNT)).toMatchObject({ state: 'done', inserted: 1 })
    const later = h.requests.slice(before).filter((r) => r.method === 'fetchMyFillsPage')
    // three days (+ the settle minute re-read) per market, not the 60 days again
    expect(later.length).toBeLessThanOrEqual(3 * 4)
  })

  it('more fills in one millisecond than a page holds: the run says so in its "not read" counts, and stores the page', async () => {
    const at = 50 * DAY + 1234
    for (let i = 0; i < 12; i++) h.addFill('ETH/BTC', at)
    const sync = service({ tradePaging: 'time' })
    sync.sync(ACCOUNT)
    const end = await sync.settled(ACCOUNT)
    expect(end).toMatchObject({ state: 'done' })
    expect(end?.skipped).toEqual({
      'deposit not complete yet': 1,
      [`millisecond that filled a whole page of 10 ETH/BTC fills (${new Date(at).toISOString()}): any more there cannot be read, the exchange pages by time only`]: 1,
    })
    expect(ledger().filter((r) => r.kind === 'trade' && r.symbol === 'ETH/BTC')).toHaveLength(60 + 10)
  })
})
