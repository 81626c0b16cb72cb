// F6 / Shift+F6: move focus between the big regions of the screen (sidebar, each workspace panel,
// status bar), in document order. A region is any visible element marked data-focus-region.

function regions(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-focus-region]')].filter(
    (el) => el.getClientRects().length > 0,
  )
}

export function focusRegion(direction: 1 | -1): void {
  const all = regions()
  if (all.length === 0) return
  const active = document.activeElement
  const current = all.findIndex((el) => el === active || el.contains(active))
  let next: number
  if (current >= 0) next = (current + direction + all.length) % all.length
  else if (!active || active === document.body) next = direction === 1 ? 0 : all.length - 1
  else {
    // Focus is between regions (e.g. on a panel separator): go to the nearest region that way.
    const after = all.findIndex((el) => active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
    if (direction === 1) next = after >= 0 ? after : 0
    else next = (after >= 0 ? after : all.length) - 1
    if (next < 0) next = all.length - 1
  }
  all[next]!.focus()
}
