import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { useOverlay } from '../overlays'
import { useActions } from '../hotkeys/useActions'
import { isEnabled, runAction, type Action } from '../hotkeys/registry'
import { fuzzyRank, type Ranked } from '../hotkeys/fuzzy'
import { Modal } from '../../ui/Modal'
import { KeyHints } from '../../ui/Kbd'
import { Highlight } from './Highlight'
import './palette.css'

/** Mod+K: every registered action, fuzzy-filtered as you type. */
export function CommandPalette() {
  const open = useOverlay((s) => s.open === 'palette')
  return open ? <PaletteDialog /> : null
}

const textOf = (a: Action) => `${a.title} ${a.section}`

function PaletteDialog() {
  const hide = useOverlay((s) => s.hide)
  const actions = useActions()
  const [query, setQuery] = useState('')
  const [activeIndex, setActiveIndex] = useState(0)
  const results = useMemo(() => fuzzyRank(actions, query, textOf), [actions, query])
  const active = Math.min(activeIndex, Math.max(0, results.length - 1))
  const listRef = useRef<HTMLUListElement>(null)
  const titleId = useId()
  const listId = useId()
  const optionId = (i: number) => `${listId}-opt-${i}`

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [active])

  const choose = (entry: Ranked<Action> | undefined) => {
    if (!entry || !isEnabled(entry.item)) return
    // Close first (focus goes back synchronously), then run: F6 and friends act from the old focus.
    flushSync(hide)
    runAction(entry.item)
  }

  const move = (to: number) => {
    if (results.length > 0) setActiveIndex((to + results.length) % results.length)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const page = 8
    const handled: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => setActiveIndex(Math.min(results.length - 1, active + page)),
      PageUp: () => setActiveIndex(Math.max(0, active - page)),
      Home: () => setActiveIndex(0),
      End: () => setActiveIndex(Math.max(0, results.length - 1)),
      Enter: () => choose(results[active]),
    }
    const handler = handled[event.key]
    if (handler && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault()
      handler()
    }
  }

  return (
    <Modal labelledBy={titleId} onClose={hide} className="palette" testId="command-palette">
      <h2 id={titleId} className="visually-hidden">
        Command palette
      </h2>
      <input
        className="palette-input"
        data-autofocus
        role="combobox"
        aria-label="Search actions"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length > 0 ? optionId(active) : undefined}
        placeholder="Type an action…"
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value)
          setActiveIndex(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul ref={listRef} id={listId} role="listbox" aria-label="Actions" className="palette-list">
        {results.map((entry, i) => {
          const enabled = isEnabled(entry.item)
          return (
            <li
              key={entry.item.id}
              id={optionId(i)}
              data-index={i}
              role="option"
              aria-selected={i === active}
              aria-disabled={!enabled || undefined}
              className="palette-option"
              onMouseMove={() => i !== active && setActiveIndex(i)}
              onMouseDown={(e) => e.preventDefault() /* keep focus in the input */}
              onClick={() => choose(entry)}
            >
              <span className="palette-title">
                <Highlight text={entry.item.title} indices={entry.match.indices} />
              </span>
              <span className="palette-section">{entry.item.section}</span>
              <KeyHints keys={entry.item.keys} />
            </li>
          )
        })}
      </ul>
      {results.length === 0 ? (
        <p className="palette-empty" role="status">
          No action matches “{query}”.
        </p>
      ) : null}
    </Modal>
  )
}
