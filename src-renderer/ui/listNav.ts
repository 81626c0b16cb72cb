// Keyboard movement through a list or table of rows. Pure (no DOM), so it is tested in Node.

/**
 * The row index a key moves to in a list of `count` rows, from `current` (-1 when nothing is selected),
 * or null when the key is not a movement key (or there are no rows). Movement stops at the ends.
 */
export function moveIndex(key: string, current: number, count: number, page = 10): number | null {
  if (count <= 0) return null
  const last = count - 1
  const from = Math.min(Math.max(current, -1), last)
  switch (key) {
    case 'ArrowDown':
      return from < 0 ? 0 : Math.min(last, from + 1)
    case 'ArrowUp':
      return from < 0 ? last : Math.max(0, from - 1)
    case 'Home':
      return 0
    case 'End':
      return last
    case 'PageDown':
      return from < 0 ? Math.min(last, page - 1) : Math.min(last, from + page)
    case 'PageUp':
      return from < 0 ? 0 : Math.max(0, from - page)
    default:
      return null
  }
}

/** The id to select among `ids` after a key press, or null when the key does not move. */
export function moveSelection(key: string, ids: readonly string[], selected: string | null, page = 10): string | null {
  const current = selected === null ? -1 : ids.indexOf(selected)
  const next = moveIndex(key, current, ids.length, page)
  return next === null ? null : (ids[next] ?? null)
}
