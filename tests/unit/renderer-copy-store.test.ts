import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { CopyStats, FollowView } from '../../src-main/api/schemas/copy'

// The Copy page's store between copies: the timer's refresh re-reads the relationships too, so the table's
// P&L moves with the market like the header's "Profit from copies", and the selected row stays selected.

interface Store {
  useCopy: {
    getState(): {
      follows: FollowView[]
      selectedFollow: string | null
      stats: CopyStats | null
      load(): Promise<void>
      refreshFigures(): Promise<void>
      selectFollow(id: string | null): void
      followChanged(view: FollowView): void
    }
  }
}

const view = (id: string, pnl: string, patch: Partial<FollowView> = {}): FollowView => ({
  id,
  settings: {
    leaderId: 'sim:trader:momentum',
    followerVenueId: 'sim',
    sizing: { mode: 'fixed-quote', value: '50' },
    allocationPct: '10',
    minTradeQuote: null,
    maxTradeQuote: null,
    sides: 'both',
    allow: [],
    deny: [],
    symbolMap: [],
    priceGuard: null,
    maxOpenPositions: null,
    dailyLossStop: null,
    totalStopLoss: null,
    copyExisting: false,
    maxAgeSec: 60,
  },
  leaderLabel: 'Momentum',
  followerLabel: 'Simulated exchange',
  status: 'active',
  statusReason: null,
  endedAt: null,
  createdAt: id === 'f1' ? 100 : 200,
  updatedAt: 100,
  copied: 1,
  skipped: 0,
  failed: 0,
  pnl,
  ...patch,
})

/** What the engine answers now. */
let engine: { follows: FollowView[]; profit: string }
let store: Store

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string) => {
    if (name === 'copy.follows') return engine.follows
    if (name === 'copy.stats') return { copiedTrades: 2, copyProfit: engine.profit, activeRelationships: 2, leadersFollowed: 1 }
    if (name === 'copy.leaders' || name === 'copy.records') return []
    throw new Error(`unexpected ${name}`)
  }
  store = await loadRenderer<Store>('features/copy/copyStore.ts')
})
afterAll(() => void vi.unstubAllGlobals())

describe('the Copy page between copies', () => {
  it('the relationships’ P&L follows the engine on each refresh, agreeing with the header; the selection stays', async () => {
    engine = { follows: [view('f1', '1.5'), view('f2', '-0.5')], profit: '1' }
    await store.useCopy.getState().load()
    store.useCopy.getState().selectFollow('f2')

    // the market moves; no copy happens, so no copy.followChanged arrives
    engine = { follows: [view('f1', '-3'), view('f2', '-1')], profit: '-4' }
    await store.useCopy.getState().refreshFigures()

    const s = store.useCopy.getState()
    expect(s.stats?.copyProfit).toBe('-4')
    expect(s.follows.map((f) => [f.id, f.pnl])).toEqual([
      ['f1', '-3'],
      ['f2', '-1'],
    ])
    expect(s.selectedFollow).toBe('f2')
  })

  it('a newer view the stream delivered is not replaced by an older listing', async () => {
    engine = { follows: [view('f1', '0'), view('f2', '0')], profit: '0' }
    await store.useCopy.getState().load()
    store.useCopy.getState().followChanged(view('f1', '0', { status: 'paused', updatedAt: 500 }))
    await store.useCopy.getState().refreshFigures()
    expect(store.useCopy.getState().follows.find((f) => f.id === 'f1')?.status).toBe('paused')
  })
})
