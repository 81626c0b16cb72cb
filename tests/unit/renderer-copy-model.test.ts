import { describe, expect, it } from 'vitest'
import { applyFollow, applyLeaderFill, applyRecord, canPause, canResume, mergeRecords, recordsOf } from '../../src-renderer/features/copy/copyModel'
import type { CopyRecordView, FollowView, LeaderFill } from '../../src-main/api/schemas/copy'

const record = (id: string, patch: Partial<CopyRecordView> = {}): CopyRecordView => ({
  id,
  followId: 'f1',
  leaderId: 'sim:trader:momentum',
  leaderTradeId: `t-${id}`,
  leaderSymbol: 'BTC/USDT',
  side: 'buy',
  leaderAmount: '0.01',
  leaderPrice: '95000',
  leaderAt: 1_000,
  followerVenueId: 'sim',
  followerSymbol: 'BTC/USDT',
  followerAmount: null,
  followerFilled: '0',
  followerAvgPrice: null,
  clientOrderId: null,
  status: 'pending',
  rule: null,
  reason: null,
  error: null,
  detectedMs: 2,
  decidedMs: 3,
  submittedMs: null,
  via: 'sim',
  createdAt: 1_000,
  ...patch,
})

const follow = (id: string, patch: Partial<FollowView> = {}): FollowView => ({
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
  createdAt: 100,
  updatedAt: 100,
  copied: 0,
  skipped: 0,
  failed: 0,
  pnl: '0',
  endedAt: null,
  ...patch,
})

const fill = (tradeId: string, timestamp: number): LeaderFill => ({
  leaderId: 'sim:trader:momentum',
  tradeId,
  symbol: 'ETH/USDT',
  side: 'sell',
  price: '3400.5',
  amount: '0.2',
  timestamp,
})

describe('copy records follow copy.recorded', () => {
  it('a record that changes (pending → copied) replaces its row instead of adding one', () => {
    const pending = [record('r1')]
    const copied = applyRecord(pending, record('r1', { status: 'copied', followerAmount: '0.0005', followerFilled: '0.0005' }))
    expect(copied).toHaveLength(1)
    expect(copied[0]!.status).toBe('copied')
    expect(copied[0]!.followerFilled).toBe('0.0005')
  })

  it('keeps newest first and caps the list', () => {
    let rows: CopyRecordView[] = []
    for (let i = 1; i <= 5; i++) rows = applyRecord(rows, record(`r${i}`, { createdAt: i }), 3)
    expect(rows.map((r) => r.id)).toEqual(['r5', 'r4', 'r3'])
  })

  it('a listed page merged with records streamed while it loaded keeps the streamed (newer) version', () => {
    const listed = [record('r1', { createdAt: 1 }), record('r2', { createdAt: 2 })]
    const streamed = [record('r2', { createdAt: 2, status: 'skipped', rule: 'too-old', reason: 'seen 75 s after the fill' }), record('r3', { createdAt: 3 })]
    const out = mergeRecords(listed, streamed)
    expect(out.map((r) => r.id)).toEqual(['r3', 'r2', 'r1'])
    expect(out[1]!.rule).toBe('too-old')
  })

  it('filters one relationship or shows all', () => {
    const rows = [record('a', { followId: 'f1' }), record('b', { followId: 'f2' })]
    expect(recordsOf(rows, '').map((r) => r.id)).toEqual(['a', 'b'])
    expect(recordsOf(rows, 'f2').map((r) => r.id)).toEqual(['b'])
  })
})

describe('relationships follow copy.followChanged', () => {
  it('replaces a relationship by its newer view and ignores an older one', () => {
    const held = [follow('f1', { updatedAt: 200, copied: 3 })]
    expect(applyFollow(held, follow('f1', { updatedAt: 150, copied: 1 }))[0]!.copied).toBe(3)
    const paused = applyFollow(held, follow('f1', { updatedAt: 300, status: 'paused', copied: 3 }))
    expect(paused).toHaveLength(1)
    expect(paused[0]!.status).toBe('paused')
  })

  it('adds a new relationship, oldest first', () => {
    const out = applyFollow([follow('f2', { createdAt: 200 })], follow('f1', { createdAt: 100 }))
    expect(out.map((f) => f.id)).toEqual(['f1', 'f2'])
  })

  it('pause is offered on active relationships, resume on paused, stopped-for-the-day or stopped-by-its-stop-loss ones', () => {
    expect(canPause({ status: 'active', endedAt: null })).toBe(true)
    expect(canPause({ status: 'paused', endedAt: null })).toBe(false)
    expect(canResume({ status: 'paused', endedAt: null })).toBe(true)
    expect(canResume({ status: 'stopped-daily', endedAt: null })).toBe(true)
    // the total stop-loss stopped it, but it was not unfollowed: the engine resumes it
    expect(canResume({ status: 'stopped', endedAt: null })).toBe(true)
    // unfollowed (or its account removed): over for good
    expect(canResume({ status: 'stopped', endedAt: 500 })).toBe(false)
    expect(canResume({ status: 'active', endedAt: null })).toBe(false)
  })
})

describe('a leader’s live trade feed', () => {
  it('adds each fill once, newest first, capped', () => {
    let fills: LeaderFill[] = []
    fills = applyLeaderFill(fills, fill('t1', 10))
    fills = applyLeaderFill(fills, fill('t3', 30))
    fills = applyLeaderFill(fills, fill('t2', 20))
    fills = applyLeaderFill(fills, fill('t3', 30))
    expect(fills.map((f) => f.tradeId)).toEqual(['t3', 't2', 't1'])
    expect(applyLeaderFill(fills, fill('t4', 40), 2).map((f) => f.tradeId)).toEqual(['t4', 't3'])
  })

  it('keeps a fill in another market with a trade id already shown (Binance and OKX number trades per market)', () => {
    const btc = { ...fill('4242', 10), symbol: 'BTC/USDT' }
    const fills = applyLeaderFill(applyLeaderFill([], btc), fill('4242', 20))
    expect(fills.map((f) => [f.symbol, f.tradeId])).toEqual([
      ['ETH/USDT', '4242'],
      ['BTC/USDT', '4242'],
    ])
  })
})
