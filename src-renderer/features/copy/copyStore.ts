import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import { applyFollow, applyRecord, mergeRecords, RECORDS_CAP } from './copyModel'
import type { CopyRecordView, CopyStats, FollowView, LeaderView } from '../../../src-main/api/schemas/copy'

// Copy trading as the engine reports it: leaders, relationships, copy records and the stats header. The
// relationships and records are listed once, then followed on copy.followChanged / copy.recorded (and
// listed again after a reconnect); leaders, stats and the relationships' P&L (which moves with prices, not
// only with copies) are asked for again on a timer and whenever a relationship or record changes. Nothing here is computed: every figure is the engine's.

const FIGURES_ERROR = 'Copy figures unavailable'

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

type Event = { kind: 'record'; record: CopyRecordView } | { kind: 'follow'; view: FollowView }

/** Loads in flight, each collecting the events that arrive meanwhile (they are newer than the lists). */
const buffers = new Set<Event[]>()
const remember = (event: Event) => buffers.forEach((b) => b.push(event))

interface CopyState {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  leaders: LeaderView[]
  follows: FollowView[]
  records: CopyRecordView[]
  stats: CopyStats | null
  /** Screen state: the selected leader (its feed), relationship (its drift) and the records filter. */
  selectedLeader: string | null
  selectedFollow: string | null
  /** '' = records of every relationship. */
  recordsFilter: string
  load(): Promise<void>
  refreshFigures(): Promise<void>
  recorded(record: CopyRecordView): void
  followChanged(view: FollowView): void
  selectLeader(id: string | null): void
  selectFollow(id: string | null): void
  setRecordsFilter(id: string): void
}

export const useCopy = create<CopyState>()((set, get) => ({
  status: 'loading',
  error: null,
  leaders: [],
  follows: [],
  records: [],
  stats: null,
  selectedLeader: null,
  selectedFollow: null,
  recordsFilter: '',
  async load() {
    const early: Event[] = []
    buffers.add(early)
    try {
      const [leaders, follows, records, stats] = await Promise.all([
        api.invoke('copy.leaders', {}),
        api.invoke('copy.follows', {}),
        api.invoke('copy.records', { limit: RECORDS_CAP }),
        api.invoke('copy.stats', {}),
      ])
      let allFollows = [...follows].sort((a, b) => a.createdAt - b.createdAt)
      for (const e of early) if (e.kind === 'follow') allFollows = applyFollow(allFollows, e.view)
      const streamed = early.flatMap((e) => (e.kind === 'record' ? [e.record] : []))
      set({ status: 'ready', error: null, leaders, follows: allFollows, records: mergeRecords(records, streamed), stats })
    } catch (err) {
      set((s) => ({ status: s.status === 'ready' ? s.status : 'error', error: messageOf(err) }))
    } finally {
      buffers.delete(early)
    }
  },
  async refreshFigures() {
    try {
      // The relationships too: their P&L moves with the market between copies, like the header's profit.
      const [leaders, stats, listed] = await Promise.all([api.invoke('copy.leaders', {}), api.invoke('copy.stats', {}), api.invoke('copy.follows', {})])
      set((s) => ({
        leaders,
        stats,
        // Each listed view in place (a newer one the stream delivered meanwhile is kept); the selection stays.
        follows: s.status === 'ready' ? listed.reduce(applyFollow, s.follows) : s.follows,
        error: s.error?.startsWith(FIGURES_ERROR) ? null : s.error,
      }))
      // The engine answers again: lists that never loaded are asked for now.
      if (get().status === 'error') void get().load()
    } catch (err) {
      set({ error: `${FIGURES_ERROR}: ${messageOf(err)}` })
    }
  },
  recorded(record) {
    remember({ kind: 'record', record })
    set((s) => ({ records: applyRecord(s.records, record) }))
    figuresSoon()
  },
  followChanged(view) {
    remember({ kind: 'follow', view })
    set((s) => ({ follows: applyFollow(s.follows, view) }))
    figuresSoon()
  },
  selectLeader: (selectedLeader) => set({ selectedLeader }),
  selectFollow: (selectedFollow) => set({ selectedFollow }),
  setRecordsFilter: (recordsFilter) => set({ recordsFilter }),
}))

/** Lists the relationships again (after follow / unfollow the engine's list is the truth). */
export async function reloadFollows(): Promise<void> {
  try {
    const follows = await api.invoke('copy.follows', {})
    useCopy.setState({ follows: [...follows].sort((a, b) => a.createdAt - b.createdAt) })
  } catch (err) {
    useCopy.setState({ error: messageOf(err) })
  }
}

// Stats and leader figures change with every record: asked for at most every 500 ms while events pour in.
let figuresTimer: ReturnType<typeof setTimeout> | undefined
function figuresSoon(): void {
  if (figuresTimer !== undefined || users === 0) return
  figuresTimer = setTimeout(() => {
    figuresTimer = undefined
    void useCopy.getState().refreshFigures()
  }, 500)
}

export const FIGURES_EVERY_MS = 3000

let users = 0
let stop: (() => void) | undefined

/** Whether the lists follow the streams now. */
export const copyFollowed = (): boolean => users > 0

/** Follows copy trading while at least one view shows it; returns the caller's stop. */
export function startCopySync(): () => void {
  if (users++ === 0) {
    const s = useCopy.getState()
    const refused = (what: string) => (err: Error) => useCopy.setState({ error: `${what} stream refused: ${err.message}` })
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void useCopy.getState().refreshFigures()
    }, FIGURES_EVERY_MS)
    const offs = [
      api.subscribe('copy.recorded', {}, s.recorded, refused('copy records')),
      api.subscribe('copy.followChanged', {}, s.followChanged, refused('relationships')),
      onReconnect(() => void useCopy.getState().load()),
      () => clearInterval(timer),
    ]
    void s.load()
    stop = () => offs.forEach((off) => off())
  }
  return () => {
    if (--users === 0) {
      stop?.()
      stop = undefined
      clearTimeout(figuresTimer)
      figuresTimer = undefined
    }
  }
}
