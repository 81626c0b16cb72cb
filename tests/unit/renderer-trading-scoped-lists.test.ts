import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { FillView, OrderView } from '../../src-main/api/schemas/trading'

// The account filter, My orders and the chart's fill arrows list their own account's (market's) fills and
// finished orders: the list every account shares holds only the newest 200 of all of them.

interface Lists {
  scope: { venueId: string; symbol?: string }
  status: string
  error: string | null
  fills: FillView[]
  fillsMore: boolean
  history: OrderView[]
  historyMore: boolean
  loadingOlderHistory: boolean
}
interface Store {
  useScoped: {
    getState(): {
      lists: Record<string, Lists>
      load(scope: { venueId: string; symbol?: string }): Promise<void>
      loadOlderFills(scope: { venueId: string; symbol?: string }): Promise<void>
      loadOlderHistory(scope: { venueId: string; symbol?: string }): Promise<void>
      reloadAll(): Promise<void>
      fillRecorded(fill: FillView): void
      orderChanged(order: OrderView): void
    }
  }
}

const fill = (venueId: string, n: number, symbol = 'BTC/USDT', timestamp = 1_000_000 + n): FillView => ({
  venueId,
  tradeId: `${venueId}-${n}`,
  clientOrderId: null,
  venueOrderId: 'v1',
  symbol,
  side: 'buy',
  price: '100',
  amount: '0.01',
  feeAmount: '0',
  feeAsset: 'USDT',
  liquidity: 'maker',
  timestamp,
})

const order = (venueId: string, n: number, updatedAt = n, id = `${venueId}o${n}`): OrderView =>
  ({ clientOrderId: id, venueId, symbol: 'BTC/USDT', status: 'canceled', createdAt: n, updatedAt }) as unknown as OrderView

/** The engine's history order: the most recently finished first, by client id (descending) within a millisecond. */
const inHistoryOrder = (a: { updatedAt: number; clientOrderId: string }, b: { updatedAt: number; clientOrderId: string }) =>
  b.updatedAt - a.updatedAt || (a.clientOrderId < b.clientOrderId ? 1 : a.clientOrderId > b.clientOrderId ? -1 : 0)

/** The engine's fills order: newest first, by account then trade id (descending) within a millisecond. */
const inFillOrder = (a: { timestamp: number; venueId: string; tradeId: string }, b: { timestamp: number; venueId: string; tradeId: string }) =>
  b.timestamp - a.timestamp ||
  (a.venueId < b.venueId ? 1 : a.venueId > b.venueId ? -1 : 0) ||
  (a.tradeId < b.tradeId ? 1 : a.tradeId > b.tradeId ? -1 : 0)

/**
 * What the engine holds; fills.list and orders.list answer as the engine does (in its order, strictly after
 * the `before` row, at most 1000 at once: a bigger limit or a cursor that is not one is refused).
 */
let engine: { fills: FillView[]; history: OrderView[] }
const asked: unknown[] = []
let store: Store

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string, input: { venueId?: string; symbol?: string; limit: number; before?: unknown }) => {
    asked.push({ name, ...input })
    if (input.limit > 1000) throw new Error(`Invalid input for ${name}: limit: Too big: expected number to be <=1000`)
    const match = (r: { venueId: string; symbol: string }) => (input.venueId === undefined || r.venueId === input.venueId) && (input.symbol === undefined || r.symbol === input.symbol)
    if (name === 'fills.list') {
      const cursor = input.before as { timestamp: number; venueId: string; tradeId: string } | undefined
      if (cursor !== undefined && (typeof cursor !== 'object' || typeof cursor.tradeId !== 'string')) throw new Error('Invalid input for fills.list: before')
      return engine.fills
        .filter((f) => match(f) && (cursor === undefined || inFillOrder(cursor, f) < 0))
        .sort(inFillOrder)
        .slice(0, input.limit)
    }
    if (name === 'orders.list') {
      const cursor = input.before as unknown as { updatedAt: number; clientOrderId: string } | undefined
      return engine.history
        .filter((o) => match(o) && (cursor === undefined || inHistoryOrder(cursor, o) < 0))
        .sort(inHistoryOrder)
        .slice(0, input.limit)
    }
    throw new Error(`unexpected ${name}`)
  }
  store = await loadRenderer<Store>('features/trading/scopedStore.ts')
})
afterAll(() => void vi.unstubAllGlobals())

const s = () => store.useScoped.getState()

describe('fills and order history per account and market', () => {
  it('an account with older trades shows them, though another account made 220 newer ones', async () => {
    engine = {
      fills: [...Array.from({ length: 3 }, (_, i) => fill('paper-b', i, 'ETH/USDT')), ...Array.from({ length: 220 }, (_, i) => fill('sim', 100 + i))],
      history: [order('paper-b', 1), ...Array.from({ length: 230 }, (_, i) => order('sim', 10 + i))],
    }
    await s().load({ venueId: 'paper-b' })
    const b = s().lists['paper-b|']!
    expect(b.fills.map((f) => f.tradeId)).toEqual(['paper-b-2', 'paper-b-1', 'paper-b-0'])
    expect(b.history.map((o) => o.clientOrderId)).toEqual(['paper-bo1'])
    expect([b.fillsMore, b.historyMore]).toEqual([false, false])
    // One market of the account (My orders, the chart's arrows) asks with both.
    await s().load({ venueId: 'paper-b', symbol: 'ETH/USDT' })
    expect(asked).toContainEqual({ name: 'fills.list', venueId: 'paper-b', symbol: 'ETH/USDT', limit: 200 })
    expect(s().lists['paper-b|ETH/USDT']!.fills).toHaveLength(3)
  })

  it('a full list says so and loads older fills until there are none', async () => {
    await s().load({ venueId: 'sim' })
    const first = s().lists['sim|']!
    expect(first.fills).toHaveLength(200)
    expect(first.fillsMore).toBe(true)
    expect(first.history).toHaveLength(200)
    expect(first.historyMore).toBe(true)
    await s().loadOlderFills({ venueId: 'sim' })
    const all = s().lists['sim|']!
    expect(all.fills).toHaveLength(220)
    expect(all.fills.at(-1)!.tradeId).toBe('sim-100')
    expect(all.fillsMore).toBe(false)
  })

  it('fills sharing the oldest one’s millisecond are not skipped at a page’s edge', async () => {
    engine = { fills: Array.from({ length: 205 }, (_, i) => fill('okx', i, 'BTC/USDT', i < 10 ? 5000 : 6000 + i)), history: [] }
    // fills okx-0..9 all at 5000; the first page (200) ends inside that millisecond
    await s().load({ venueId: 'okx' })
    await s().loadOlderFills({ venueId: 'okx' })
    expect(new Set(s().lists['okx|']!.fills.map((f) => f.tradeId)).size).toBe(205)
  })

  it('a fill or finished order streamed in joins the lists of its scope only', () => {
    s().fillRecorded(fill('paper-b', 9, 'ETH/USDT', 9_000_000))
    expect(s().lists['paper-b|']!.fills[0]!.tradeId).toBe('paper-b-9')
    expect(s().lists['paper-b|ETH/USDT']!.fills[0]!.tradeId).toBe('paper-b-9')
    expect(s().lists['sim|']!.fills.some((f) => f.tradeId === 'paper-b-9')).toBe(false)
    s().orderChanged(order('paper-b', 99))
    expect(s().lists['paper-b|']!.history.map((o) => o.clientOrderId)).toEqual(['paper-bo99', 'paper-bo1'])
  })
})

describe('order history loads older orders, 200 at a time', () => {
  const scope = { venueId: 'kraken' }
  const held = () => s().lists['kraken|']!
  const idsOf = (rows: readonly OrderView[]) => rows.map((o) => o.clientOrderId)
  // 450 finished orders of the account, 30 of them in one millisecond across the first page's edge (rows
  // 180–209 of the list), and
  // another account's many orders that must not join its pages.
  const history = [
    ...Array.from({ length: 450 }, (_, i) => order('kraken', i, i >= 240 && i < 270 ? 10_240 : 10_000 + i, `k${String(i).padStart(3, '0')}`)),
    ...Array.from({ length: 300 }, (_, i) => order('bybit', i, 20_000 + i)),
  ]
  const whole = idsOf(history.filter((o) => o.venueId === 'kraken').sort(inHistoryOrder))

  it('a full history offers older ones and pages back to the first order, none skipped or shown twice', async () => {
    engine = { fills: [], history: [...history] }
    await s().load(scope)
    expect(held().history).toHaveLength(200)
    expect(held().historyMore).toBe(true)
    await s().loadOlderHistory(scope)
    expect(idsOf(held().history)).toEqual(whole.slice(0, 400))
    expect(held().historyMore).toBe(true)
    await s().loadOlderHistory(scope)
    expect(idsOf(held().history)).toEqual(whole)
    expect([held().historyMore, held().loadingOlderHistory]).toEqual([false, false])
    expect(asked).toContainEqual({ name: 'orders.list', venueId: 'kraken', scope: 'history', limit: 200, before: { updatedAt: held().history[399]!.updatedAt, clientOrderId: held().history[399]!.clientOrderId } })
  })

  it('an order finishing now joins at the top once, and the pages already loaded stay', async () => {
    const now = order('kraken', 999, 99_000, 'k-new')
    engine.history.push(now)
    s().orderChanged(now)
    s().orderChanged(now) // the same update twice (a reconnect's listing and the stream)
    expect(idsOf(held().history)).toEqual(['k-new', ...whole])
    // listed again (a reconnect, or the page shown again): every order held comes again, nothing doubled
    await s().reloadAll()
    expect(idsOf(held().history)).toEqual(['k-new', ...whole])
    expect(held().historyMore).toBe(false)
  })
})

describe('fills load older, 200 at a time, from the oldest fill held', () => {
  const scope = { venueId: 'bitget' }
  const held = () => s().lists['bitget|']!
  const keysOf = (rows: readonly FillView[]) => rows.map((f) => `${f.venueId}:${f.tradeId}`)
  // 450 fills of the account, 250 of them in one millisecond (more than a page holds) across the first
  // two pages' edges, and another account's fills in that same millisecond that must not join its pages.
  const fills = [
    ...Array.from({ length: 450 }, (_, i) => fill('bitget', i, 'BTC/USDT', i >= 100 && i < 350 ? 7_000 : 5_000 + i)),
    ...Array.from({ length: 50 }, (_, i) => fill('bybit', i, 'BTC/USDT', 7_000)),
  ]
  const whole = keysOf(fills.filter((f) => f.venueId === 'bitget').sort(inFillOrder))

  it('pages back through a millisecond holding more fills than a page, to the first fill, none skipped or twice', async () => {
    engine = { fills: [...fills], history: [] }
    await s().load(scope)
    expect(keysOf(held().fills)).toEqual(whole.slice(0, 200))
    expect(held().fillsMore).toBe(true)
    await s().loadOlderFills(scope)
    expect(keysOf(held().fills)).toEqual(whole.slice(0, 400))
    expect(held().fillsMore).toBe(true)
    // the page after the oldest fill held: its time, account and trade id
    const oldest = held().fills[399]!
    await s().loadOlderFills(scope)
    expect(asked).toContainEqual({ name: 'fills.list', venueId: 'bitget', limit: 200, before: { timestamp: oldest.timestamp, venueId: 'bitget', symbol: oldest.symbol, tradeId: oldest.tradeId } })
    expect(keysOf(held().fills)).toEqual(whole)
    expect(held().fillsMore).toBe(false)
  })

  it('a fill streamed in joins at the top once, also when it comes again tied to its order', () => {
    const now = fill('bitget', 999, 'BTC/USDT', 99_000)
    s().fillRecorded(now)
    s().fillRecorded({ ...now, clientOrderId: 'c-999' })
    expect(keysOf(held().fills)).toEqual(['bitget:bitget-999', ...whole])
    expect(held().fills[0]!.clientOrderId).toBe('c-999')
  })
})

describe('fills paged back beyond 1,000 are listed again whole', () => {
  const scope = { venueId: 'gate' }
  const held = () => s().lists['gate|']!
  const keysOf = (rows: readonly FillView[]) => rows.map((f) => `${f.venueId}:${f.tradeId}`)
  // 1,300 fills, 40 of them in the millisecond where a page of 1,000 ends
  const fills = Array.from({ length: 1300 }, (_, i) => fill('gate', i, 'BTC/USDT', i >= 280 && i < 320 ? 3_300 : 3_000 + i))
  const whole = keysOf([...fills].sort(inFillOrder))

  it('after Load older five times (1,200 kept), returning or reconnecting lists all 1,200 again, at most 1,000 at a time', async () => {
    engine = { fills: [...fills], history: [] }
    await s().load(scope)
    for (let i = 0; i < 5; i++) await s().loadOlderFills(scope)
    expect(keysOf(held().fills)).toEqual(whole.slice(0, 1200))
    asked.length = 0
    await s().reloadAll()
    expect(held().error).toBeNull()
    expect(keysOf(held().fills)).toEqual(whole.slice(0, 1200))
    expect(held().fillsMore).toBe(true)
    const pages = asked.filter((a) => (a as { name: string; venueId?: string }).name === 'fills.list' && (a as { venueId?: string }).venueId === 'gate')
    expect(pages).toEqual([
      { name: 'fills.list', venueId: 'gate', limit: 1000 },
      { name: 'fills.list', venueId: 'gate', limit: 200, before: { timestamp: held().fills[999]!.timestamp, venueId: 'gate', symbol: held().fills[999]!.symbol, tradeId: held().fills[999]!.tradeId } },
    ])
    // and Load older goes on from there
    await s().loadOlderFills(scope)
    expect(keysOf(held().fills)).toEqual(whole)
    expect(held().fillsMore).toBe(false)
  })
})

describe('Load older while fills and finished orders stream in', () => {
  // The page is asked after the oldest row held; a row streamed in meanwhile cuts the list back to its
  // limit, dropping that very row, and the page comes back starting after it.
  const scope = { venueId: 'mexc' }
  const held = () => s().lists['mexc|']!
  const keysOf = (rows: readonly FillView[]) => rows.map((f) => f.tradeId)
  const idsOf = (rows: readonly OrderView[]) => rows.map((o) => o.clientOrderId)
  const fills = Array.from({ length: 450 }, (_, i) => fill('mexc', i))
  const history = Array.from({ length: 450 }, (_, i) => order('mexc', i, 30_000 + i))
  const wholeFills = keysOf([...fills].sort(inFillOrder))
  const wholeHistory = idsOf([...history].sort(inHistoryOrder))

  it('fills streamed in while a page is asked for leave no fill out, and paging on reaches the first fill', async () => {
    engine = { fills: [...fills], history: [...history] }
    await s().load(scope)
    const loading = s().loadOlderFills(scope)
    const now = [fill('mexc', 901, 'BTC/USDT', 2_000_001), fill('mexc', 902, 'BTC/USDT', 2_000_002)]
    for (const f of now) {
      engine.fills.push(f)
      s().fillRecorded(f)
    }
    await loading
    // 2 new + 400 older rows, kept to 400: the cut falls on the page's oldest, where the next page starts
    expect(keysOf(held().fills)).toEqual(['mexc-902', 'mexc-901', ...wholeFills.slice(0, 398)])
    expect(held().fillsMore).toBe(true)
    while (held().fillsMore) await s().loadOlderFills(scope)
    expect(keysOf(held().fills)).toEqual(['mexc-902', 'mexc-901', ...wholeFills])
  })

  it('orders finishing while a page is asked for leave no order out, and paging on reaches the first order', async () => {
    const loading = s().loadOlderHistory(scope)
    const now = [order('mexc', 901, 90_001), order('mexc', 902, 90_002)]
    for (const o of now) {
      engine.history.push(o)
      s().orderChanged(o)
    }
    await loading
    expect(idsOf(held().history)).toEqual(['mexco902', 'mexco901', ...wholeHistory.slice(0, 398)])
    expect(held().historyMore).toBe(true)
    while (held().historyMore) await s().loadOlderHistory(scope)
    expect(idsOf(held().history)).toEqual(['mexco902', 'mexco901', ...wholeHistory])
  })
})
