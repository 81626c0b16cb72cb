import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { api } from '../../api'
import { useOverlay } from '../../app/overlays'
import { Modal } from '../../ui/Modal'
import { formatAtStep } from '../../ui/decimal'
import { moveSelection } from '../../ui/listNav'
import { marketKey } from '../markets/ticks'
import { openMarket } from './tradeStore'
import type { MarketView } from '../../../src-main/api/contract'

/** "Open market…": type a symbol or asset, pick with ↑/↓, Enter shows it on the Trade page. */
export function OpenMarketDialog() {
  const open = useOverlay((s) => s.open === 'market-open')
  return open ? <OpenMarketBox /> : null
}

function OpenMarketBox() {
  const hide = useOverlay((s) => s.hide)
  const [query, setQuery] = useState('')
  const [rows, setRows] = useState<MarketView[]>([])
  const [error, setError] = useState<string | null>(null)
  const [active, setActive] = useState<string | null>(null)
  const titleId = useId()
  const listId = useId()
  const list = useRef<HTMLUListElement>(null)

  useEffect(() => {
    let alive = true
    api
      .invoke('markets.search', { query, limit: 50 })
      .then((r) => {
        if (!alive) return
        setRows(r)
        setError(null)
        setActive(r[0] ? marketKey(r[0]) : null)
      })
      .catch((err: unknown) => alive && setError(err instanceof Error ? err.message : String(err)))
    return () => {
      alive = false
    }
  }, [query])

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [active])

  const keys = rows.map(marketKey)
  const choose = (key: string | null) => {
    const m = rows.find((r) => marketKey(r) === key)
    if (!m) return
    flushSync(hide)
    openMarket({ venueId: m.venueId, symbol: m.symbol })
  }
  const onKeys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'Enter') {
      event.preventDefault()
      choose(active)
      return
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || event.key === 'PageDown' || event.key === 'PageUp') {
      const next = moveSelection(event.key, keys, active, 8)
      if (next !== null) {
        event.preventDefault()
        setActive(next)
      }
    }
  }
  const optionId = (key: string) => `${listId}-${key.replace(/[^A-Za-z0-9]+/g, '-')}`

  return (
    <Modal labelledBy={titleId} onClose={hide} className="palette" testId="open-market">
      <h2 id={titleId} className="visually-hidden">
        Open market
      </h2>
      <input
        className="palette-input"
        data-autofocus
        role="combobox"
        aria-label="Search markets"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={active ? optionId(active) : undefined}
        placeholder="Open market: symbol or asset (btc, eth/usdt)…"
        autoComplete="off"
        spellCheck={false}
        maxLength={40}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeys}
        data-testid="open-market-input"
      />
      <ul ref={list} id={listId} role="listbox" aria-label="Markets" className="palette-list">
        {rows.map((m) => {
          const key = marketKey(m)
          return (
            <li
              key={key}
              id={optionId(key)}
              role="option"
              aria-selected={key === active}
              className="palette-option"
              onMouseMove={() => key !== active && setActive(key)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(key)}
              data-testid="open-market-option"
              data-symbol={m.symbol}
            >
              <span className="palette-title">
                <strong>{m.base}</strong>/{m.quote}
              </span>
              <span className="num">{m.last === null ? '—' : formatAtStep(m.last, m.tickSize)}</span>
              <span className="palette-section">{m.venueLabel}</span>
            </li>
          )
        })}
      </ul>
      {error ? <p className="palette-empty">{error}</p> : null}
      {!error && rows.length === 0 ? <p className="palette-empty">No market matches “{query}”.</p> : null}
    </Modal>
  )
}
