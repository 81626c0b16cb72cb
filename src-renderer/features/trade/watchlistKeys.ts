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
  shiftKey: boolean
}

/** `selected`: a market is selected in the list. */
export function watchlistCommand(event: WatchlistKey, mode: WatchlistMode, selected: boolean): WatchlistCommand | null {
  // Letters compared as the app's shortcuts compare them: Caps Lock gives 'S', which is still `s` (left to
  // the app, it would be "Ticket: sell"); Shift makes another combo, as it does there.
  const plain = !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey
  const letter = event.key.length === 1 ? event.key.toLowerCase() : event.key
  if (letter === 'a' && plain) return 'switch'
  // Pinned markets keep the user's order, so there is nothing to sort; but `s` stays the watchlist's:
  // passed on, it would be the app's "Ticket: sell" and turn the ticket to sell from a sort key.
  if (letter === 's' && plain) return mode === 'all' ? 'sort' : 'none'
  if (letter === 'w' && plain && selected) return 'togglePin'
  if (event.key === 'Delete' && mode === 'pinned' && selected) return 'unpin'
  if (event.altKey && event.key === 'ArrowUp' && mode === 'pinned' && selected) return 'moveUp'
  if (event.altKey && event.key === 'ArrowDown' && mode === 'pinned' && selected) return 'moveDown'
  return null
}
