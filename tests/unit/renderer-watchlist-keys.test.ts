import { describe, expect, it } from 'vitest'
import { watchlistCommand, type WatchlistKey } from '../../src-renderer/features/trade/watchlistKeys'

// The watchlist's own keys. A key it does not claim goes on to the app's shortcuts, where `s` is
// "Ticket: sell" and `b` "Ticket: buy".

const press = (key: string, mods: Partial<WatchlistKey> = {}): WatchlistKey => ({ key, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods })

describe('watchlist keys', () => {
  it('a switches between pinned and every market in both modes', () => {
    expect(watchlistCommand(press('a'), 'pinned', false)).toBe('switch')
    expect(watchlistCommand(press('a'), 'all', true)).toBe('switch')
  })

  it('s sorts every market; on the pinned ones (kept in the user’s order) it does nothing rather than turn the ticket to sell', () => {
    expect(watchlistCommand(press('s'), 'all', true)).toBe('sort')
    expect(watchlistCommand(press('s'), 'pinned', true)).toBe('none')
    expect(watchlistCommand(press('s'), 'pinned', false)).toBe('none')
  })

  it('w pins or unpins the selected market; Delete and Alt+↑/↓ unpin and reorder the pinned ones', () => {
    expect(watchlistCommand(press('w'), 'all', true)).toBe('togglePin')
    expect(watchlistCommand(press('w'), 'all', false)).toBeNull()
    expect(watchlistCommand(press('Delete'), 'pinned', true)).toBe('unpin')
    expect(watchlistCommand(press('Delete'), 'all', true)).toBeNull()
    expect(watchlistCommand(press('ArrowUp', { altKey: true }), 'pinned', true)).toBe('moveUp')
    expect(watchlistCommand(press('ArrowDown', { altKey: true }), 'pinned', true)).toBe('moveDown')
  })

  it('are the same keys with Caps Lock on (S does not fall through to "Ticket: sell"); Shift+letter stays unclaimed, as before', () => {
    expect(watchlistCommand(press('A'), 'pinned', false)).toBe('switch')
    expect(watchlistCommand(press('S'), 'all', true)).toBe('sort')
    expect(watchlistCommand(press('S'), 'pinned', true)).toBe('none')
    expect(watchlistCommand(press('W'), 'all', true)).toBe('togglePin')
    // Shift+S (and Shift with Caps Lock, which gives 's'): not the watchlist's, as it never was.
    expect(watchlistCommand(press('S', { shiftKey: true }), 'all', true)).toBeNull()
    expect(watchlistCommand(press('s', { shiftKey: true }), 'all', true)).toBeNull()
    expect(watchlistCommand(press('A', { shiftKey: true }), 'pinned', true)).toBeNull()
  })

  it('leaves other keys, and its letters with Ctrl/Cmd/Alt, to the row keys and the app', () => {
    expect(watchlistCommand(press('b'), 'pinned', true)).toBeNull()
    expect(watchlistCommand(press('ArrowDown'), 'pinned', true)).toBeNull()
    expect(watchlistCommand(press('s', { ctrlKey: true }), 'all', true)).toBeNull()
    expect(watchlistCommand(press('a', { altKey: true }), 'all', true)).toBeNull()
  })
})
