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
})
