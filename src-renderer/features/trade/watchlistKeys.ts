// The watchlist's own keys, from a key press to what it does. Pure (no DOM), tested in Node; a key it
// returns null for goes on to the row keys and then to the app's shortcuts.

export type WatchlistMode = 'pinned' | 'all'
/** 'none': the watchlist's key, with nothing to do in this mode (kept from the app's shortcuts). */
export type WatchlistCommand = 'switch' | 'sort' | 'togglePin' | 'unpin' | 'moveUp' | 'moveDown' | 'none'

export interface WatchlistKey {
  key: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
}

/** `selected`: a market is selected in the list. */
export function watchlistCommand(event: WatchlistKey, mode: WatchlistMode, selected: boolean): WatchlistCommand | null {
  const plain = !event.altKey && !event.ctrlKey && !event.metaKey
  if (event.key === 'a' && plain) return 'switch'
  // Pinned markets keep the user's order, so there is nothing to sort; but `s` stays the watchlist's:
  // passed on, it would be the app's "Ticket: sell" and turn the ticket to sell from a sort key.
  if (event.key === 's' && plain) return mode === 'all' ? 'sort' : 'none'
  if (event.key === 'w' && plain && selected) return 'togglePin'
  if (event.key === 'Delete' && mode === 'pinned' && selected) return 'unpin'
  if (event.altKey && event.key === 'ArrowUp' && mode === 'pinned' && selected) return 'moveUp'
  if (event.altKey && event.key === 'ArrowDown' && mode === 'pinned' && selected) return 'moveDown'
  return null
}
