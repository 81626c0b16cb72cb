import { describe, expect, it } from 'vitest'
import { bookHealthShown } from '../../src-renderer/features/trade/book'

// The ladder's live / resyncing / stale badge: a book the page no longer hears from is not "live".

describe('book health shown by the ladder', () => {
  const live = { status: 'live' as const, reason: null }

  it('is the engine\'s own word while the connection is up', () => {
    expect(bookHealthShown(live, 'connected')).toEqual(live)
    expect(bookHealthShown({ status: 'resyncing', reason: 'sequence gap' }, 'connected')).toEqual({ status: 'resyncing', reason: 'sequence gap' })
  })

  it('a live book is shown stale while the connection to the engine is down', () => {
    for (const c of ['reconnecting', 'disconnected', 'tokenChanged'] as const)
      expect(bookHealthShown(live, c)).toEqual({ status: 'stale', reason: 'no connection to the engine' })
  })

  it("a silent book's age counts on from the time the engine says its last message came", () => {
    const at = Date.UTC(2026, 0, 5, 14, 3, 21)
    const stale = { status: 'stale' as const, reason: 'no message since 14:03:21 UTC', silentSince: at }
    expect(bookHealthShown(stale, 'connected', at + 5_400)).toEqual({ status: 'stale', reason: 'no message for 5 s' })
    expect(bookHealthShown(stale, 'connected', at + 61_000)).toEqual({ status: 'stale', reason: 'no message for 61 s' })
    expect(bookHealthShown(stale, 'connected', at + 25 * 60_000)).toEqual({ status: 'stale', reason: 'no message for 25 min' })
    expect(bookHealthShown(stale, 'connected', at + 3 * 3_600_000 + 60_000)).toEqual({ status: 'stale', reason: 'no message for 3 h' })
    // Without a clock to count on, the engine's words (which name the time) are shown as they are.
    expect(bookHealthShown(stale, 'connected')).toEqual({ status: 'stale', reason: 'no message since 14:03:21 UTC' })
    // Another reason is never rewritten.
    expect(bookHealthShown({ status: 'stale', reason: 'socket closed', silentSince: null }, 'connected', at)).toEqual({ status: 'stale', reason: 'socket closed' })
  })
})
