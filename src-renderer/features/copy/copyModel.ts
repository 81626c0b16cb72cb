import type { CopyRecordView, FollowView, LeaderFill } from '../../../src-main/api/schemas/copy'

// How the copy tables follow the streams: a copy record changes in place (pending → copied), a relationship
// is replaced by its newer view, a leader's fill is added once. Newest first; lists are capped (the engine
// keeps everything). Nothing is computed here: every figure is the engine's. Pure (no DOM), tested in Node.

export const RECORDS_CAP = 300
export const LEADER_FILLS_CAP = 100

const recordsNewestFirst = (a: CopyRecordView, b: CopyRecordView) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

/** Applies one copy.recorded event: replaces the record with the same id or adds it. */
export function applyRecord(records: readonly CopyRecordView[], record: CopyRecordView, cap = RECORDS_CAP): CopyRecordView[] {
  const out = records.filter((r) => r.id !== record.id)
  out.push(record)
  out.sort(recordsNewestFirst)
  return out.length > cap ? out.slice(0, cap) : out
}

/** Merges a listed page of records with what the stream delivered meanwhile (the stream's copy wins). */
export function mergeRecords(listed: readonly CopyRecordView[], streamed: readonly CopyRecordView[], cap = RECORDS_CAP): CopyRecordView[] {
  let out = [...listed].sort(recordsNewestFirst)
  for (const r of streamed) out = applyRecord(out, r, cap)
  return out.length > cap ? out.slice(0, cap) : out
}

/** Applies one copy.followChanged event; an older view than the one held is ignored. Oldest relationship first. */
export function applyFollow(follows: readonly FollowView[], view: FollowView): FollowView[] {
  const held = follows.find((f) => f.id === view.id)
  if (held && held.updatedAt > view.updatedAt) return follows as FollowView[]
  const out = held ? follows.map((f) => (f.id === view.id ? view : f)) : [...follows, view]
  return out.sort((a, b) => a.createdAt - b.createdAt)
}

/** Adds one copy.leaderFill event (a fill already held, same market and trade id, is not added twice). Newest first. */
export function applyLeaderFill(fills: readonly LeaderFill[], fill: LeaderFill, cap = LEADER_FILLS_CAP): LeaderFill[] {
  // Binance and OKX number trades per market: a fill is its market and trade id.
  if (fills.some((f) => f.symbol === fill.symbol && f.tradeId === fill.tradeId)) return fills as LeaderFill[]
  const out = [fill, ...fills].sort((a, b) => b.timestamp - a.timestamp)
  return out.length > cap ? out.slice(0, cap) : out
}

/** The records of one relationship ('' = every relationship). */
export const recordsOf = (records: readonly CopyRecordView[], followId: string): readonly CopyRecordView[] =>
  followId === '' ? records : records.filter((r) => r.followId === followId)

/**
 * Whether a relationship can be paused (active) or resumed: paused, stopped for the day, or stopped by its
 * total stop-loss but not unfollowed (the engine refuses that one while the loss still reaches the stop).
 */
export const canPause = (f: Pick<FollowView, 'status' | 'endedAt'>) => f.status === 'active' && f.endedAt === null
export const canResume = (f: Pick<FollowView, 'status' | 'endedAt'>) =>
  f.endedAt === null && (f.status === 'paused' || f.status === 'stopped-daily' || f.status === 'stopped')
