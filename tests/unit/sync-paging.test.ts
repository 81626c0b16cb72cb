import { describe, expect, it } from 'vitest'
import { readWindow, windowsOf } from '../../src-main/portfolio/sync/windows'
import { chooseMarkets } from '../../src-main/portfolio/sync/markets'
import { compareIds as syncCompareIds, nextId as syncNextId } from '../../src-main/portfolio/sync/run'
import { nextId, walkFillWindows } from '../../src-main/venues/ccxt/history'
import type { Fill, FillsPageRequest, MarketInfo } from '../../src-main/venues/port'

// The pure parts of history paging: cutting a span into the windows a venue accepts, reading a window that
// holds more than a page, walking windows by id where the venue allows it, choosing the markets to ask.

const fill = (id: number, timestamp: number): Fill => ({
  tradeId: String(id),
  venueOrderId: `o${id}`,
  clientOrderId: null,
  symbol: 'BTC/USDT',
  side: 'buy',
  price: '1',
  amount: '1',
  fee: { asset: 'USDT', amount: '0' },
  liquidity: 'taker',
  timestamp,
})

/** A venue's page rules over `all` (sorted by id = by time), counting requests. */
function pager(all: Fill[], windowMs: number) {
  const asked: FillsPageRequest[] = []
  const fetchPage = async (p: FillsPageRequest): Promise<Fill[]> => {
    asked.push(p)
    if (p.fromId !== undefined) return all.filter((f) => Number(f.tradeId) >= Number(p.fromId)).slice(0, p.limit)
    if (p.since !== undefined && p.until !== undefined && p.until - p.since >= windowMs) throw new Error('span too long (-1127)')
    return all.filter((f) => f.timestamp >= (p.since ?? -Infinity) && f.timestamp <= (p.until ?? Infinity)).slice(0, p.limit)
  }
  return { fetchPage, asked }
}

describe('windowsOf', () => {
  it('cuts start..end into consecutive inclusive windows no longer than the size', () => {
    expect(windowsOf(0, 25, 10)).toEqual([
      { since: 0, until: 9 },
      { since: 10, until: 19 },
      { since: 20, until: 25 },
    ])
    expect(windowsOf(5, 5, 10)).toEqual([{ since: 5, until: 5 }])
    expect(windowsOf(6, 5, 10)).toEqual([])
  })
})

describe('readWindow', () => {
  it('a window holding more than a page is split until every row is read, each once', async () => {
    const rows = Array.from({ length: 37 }, (_, i) => fill(i + 1, 1000 + i * 3))
    const { fetchPage, asked } = pager(rows, 10_000)
    const { rows: got, requests } = await readWindow((w) => fetchPage({ ...w, limit: 10 }), { since: 1000, until: 1200 }, 10, (f) => f.tradeId)
    expect(got.map((f) => f.tradeId).sort((a, b) => Number(a) - Number(b))).toEqual(rows.map((f) => f.tradeId))
    expect(requests).toBe(asked.length)
    expect(requests).toBeGreaterThan(4)
  })

  it('more than a page in one millisecond: stops at the millisecond (reads what the venue gives)', async () => {
    const rows = Array.from({ length: 15 }, (_, i) => fill(i + 1, 500))
    const { fetchPage } = pager(rows, 10_000)
    const { rows: got, crowded } = await readWindow((w) => fetchPage({ ...w, limit: 10 }), { since: 0, until: 1000 }, 10, (f) => f.tradeId)
    expect(got).toHaveLength(10)
    // …and says which millisecond still came back full, so the rest is reported, not passed by
    expect(crowded).toEqual([500])
  })

  it('a window split until every page is short reports no crowded millisecond', async () => {
    const rows = Array.from({ length: 37 }, (_, i) => fill(i + 1, 1000 + i * 3))
    const { fetchPage } = pager(rows, 10_000)
    const { crowded } = await readWindow((w) => fetchPage({ ...w, limit: 10 }), { since: 1000, until: 1200 }, 10, (f) => f.tradeId)
    expect(crowded).toEqual([])
  })
})

describe('walkFillWindows (ccxt venue: fetchMyFills with a since)', () => {
  const DAY = 86_400_000
  const rows = [
    ...Array.from({ length: 25 }, (_, i) => fill(100 + i, 5 * DAY + i)), // 25 in one day: more than a page
    fill(200, 7 * DAY + 5),
    fill(201, 9 * DAY - 1),
  ]

  it('by id: a full window goes on with fromId, never asks for more than 24 h, returns every fill once', async () => {
    const { fetchPage, asked } = pager(rows, DAY)
    const got: Fill[] = []
    await walkFillWindows(fetchPage, { since: 4 * DAY, until: 9 * DAY, windowMs: DAY, limit: 10, byId: true }, (page) => {
      got.push(...page)
    })
    expect(got.map((f) => f.tradeId)).toEqual(rows.map((f) => f.tradeId))
    expect(asked.filter((p) => p.fromId !== undefined).map((p) => p.fromId)).toEqual(['110', '120'])
    for (const p of asked) if (p.since !== undefined) expect((p.until as number) - p.since).toBeLessThan(DAY)
  })

  it('by time: a full window is split in halves instead', async () => {
    const { fetchPage, asked } = pager(rows, DAY)
    const got: Fill[] = []
    await walkFillWindows(fetchPage, { since: 4 * DAY, until: 9 * DAY, windowMs: DAY, limit: 10, byId: false }, (page) => {
      got.push(...page)
    })
    expect(new Set(got.map((f) => f.tradeId)).size).toBe(got.length)
    expect(got.map((f) => f.tradeId).sort()).toEqual(rows.map((f) => f.tradeId).sort())
    expect(asked.every((p) => p.fromId === undefined)).toBe(true)
  })

  it('ids beyond 2^53 are paged exactly', () => {
    expect(nextId('9007199254740993')).toBe('9007199254740994')
    expect(syncNextId('18446744073709551615')).toBe('18446744073709551616')
    expect(syncCompareIds('10', '9')).toBe(1)
    expect(() => nextId('abc')).toThrow(/not a number/)
  })
})

describe('chooseMarkets', () => {
  const m = (symbol: string): MarketInfo => {
    const [base, quote] = symbol.split('/') as [string, string]
    return { symbol, base, quote, tickSize: '0.01', stepSize: '0.01', minAmount: '0', minNotional: '0', makerFee: '0', takerFee: '0', active: true }
  }
  const markets = ['BTC/USDT', 'ETH/USDT', 'ETH/BTC', 'SOL/USDT', 'DOGE/USDT', 'SOL/BTC'].map(m)

  it('markets whose base and quote the account holds or held, plus synced and named ones', () => {
    const choice = chooseMarkets({ markets, assets: ['BTC', 'usdt', 'ETH'], synced: ['SOL/BTC'], given: ['doge-usdt', 'NOPE/USDT'] })
    expect(choice.symbols).toEqual(['BTC/USDT', 'DOGE/USDT', 'ETH/BTC', 'ETH/USDT', 'SOL/BTC'])
    expect(choice.unknown).toEqual(['NOPE/USDT'])
  })

  it('holding only a quote asset asks about no market', () => {
    expect(chooseMarkets({ markets, assets: ['USDT'] }).symbols).toEqual([])
  })
})
