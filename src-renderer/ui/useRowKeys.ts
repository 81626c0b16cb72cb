import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react'
import { moveSelection } from './listNav'

interface RowKeys {
  ids: readonly string[]
  selected: string | null
  onSelect: (id: string) => void
  /** Enter on the selected row. */
  onActivate?: (id: string) => void
  /** Delete (or Backspace, the Mac's delete key) on the selected row. */
  onDelete?: (id: string) => void
  /** Any other key on the selected row (lowercased, e.g. 'p'); returns true when it acted on it. */
  onKey?: (key: string, id: string) => boolean
}

/**
 * Keys of a focusable table: ↑/↓, PgUp/PgDn, Home/End move the selection; Enter, Delete and the table's
 * own letter keys (onKey) act on it.
 * Returns the keydown handler. Keys with Ctrl/Cmd/Alt are left to the app's shortcuts.
 */
export function useRowKeys({ ids, selected, onSelect, onActivate, onDelete, onKey }: RowKeys) {
  return (event: KeyboardEvent<HTMLElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return
    const next = moveSelection(event.key, ids, selected)
    if (next !== null) {
      event.preventDefault()
      onSelect(next)
    } else if (event.key === 'Enter' && selected !== null && onActivate) {
      event.preventDefault()
      onActivate(selected)
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && selected !== null && onDelete) {
      event.preventDefault()
      onDelete(selected)
    } else if (selected !== null && onKey?.(event.key.toLowerCase(), selected)) {
      event.preventDefault()
    }
  }
}

/**
 * A DataGrid's keyboard selection, to spread into it: the selected row, the keys (useRowKeys) and the
 * scroller, which keeps the selected row in view.
 */
export function useGridKeys(keys: RowKeys) {
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, keys.selected)
  return { selected: keys.selected, onKeyDown: useRowKeys(keys), scroller }
}

/** Keeps the selected row (aria-selected) of a scrolling container in view. */
export function useSelectedInView(container: RefObject<HTMLElement | null>, selected: string | null): void {
  useEffect(() => {
    container.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [container, selected])
}
