import { useId, useState, type KeyboardEvent } from 'react'
import { moveSelection } from '../../ui/listNav'
import { VIEW_KINDS } from '../workspace/layout'
import { kindInfo } from './viewKinds'
import type { WorkspaceViewKind } from '../../../src-main/api/contract'

// The first step of "Add view…": which kind of view, typed to filter, picked with ↑/↓ and Enter or a click.

export const optionId = (listId: string, key: string) => `${listId}-${key.replace(/[^A-Za-z0-9]+/g, '-')}`

export function KindStep({ onPick }: { onPick: (kind: WorkspaceViewKind) => void }) {
  const [query, setQuery] = useState('')
  const [active, setActive] = useState<string | null>(VIEW_KINDS[0])
  const listId = useId()
  const q = query.trim().toLowerCase()
  const kinds = VIEW_KINDS.filter((k) => !q || kindInfo[k].title.toLowerCase().includes(q) || k.includes(q))
  const current = active && (kinds as string[]).includes(active) ? active : (kinds[0] ?? null)
  const onKeys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'Enter') {
      event.preventDefault()
      if (current) onPick(current as WorkspaceViewKind)
      return
    }
    const next = moveSelection(event.key, kinds, current)
    if (next !== null) {
      event.preventDefault()
      setActive(next)
    }
  }
  return (
    <>
      <input
        className="palette-input"
        data-autofocus
        role="combobox"
        aria-label="Kind of view"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? optionId(listId, current) : undefined}
        placeholder="Kind of view: book, depth, tape, candles, aggregated…"
        autoComplete="off"
        spellCheck={false}
        maxLength={40}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeys}
        data-testid="view-kind-input"
      />
      <ul id={listId} role="listbox" aria-label="Kinds of view" className="palette-list">
        {kinds.map((k) => (
          <li
            key={k}
            id={optionId(listId, k)}
            role="option"
            aria-selected={k === current}
            className="palette-option"
            onMouseMove={() => k !== current && setActive(k)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(k)}
            data-testid="view-kind-option"
            data-kind={k}
          >
            <span className="palette-title">{kindInfo[k].title}</span>
          </li>
        ))}
      </ul>
      {kinds.length === 0 ? <p className="palette-empty">No kind of view matches “{query}”.</p> : null}
    </>
  )
}
