import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { useOverlay } from '../../app/overlays'
import { Modal } from '../../ui/Modal'
import { formatAtStep } from '../../ui/decimal'
import { moveSelection } from '../../ui/listNav'
import { marketKey } from '../markets/ticks'
import { chooseMarket, preferredMarket, useMarketDialog, type MarketDialogPurpose } from './marketDialog'
import { KindStep, optionId } from './KindStep'
import { kindInfo } from './viewKinds'
import { currentLayout } from '../workspace/workspaceStore'
import { pinnedFirst, pinnedMarkets } from '../workspace/watchlistMarkets'
import type { MarketView } from '../../../src-main/api/contract'

/**
 * The market dialog: type a symbol or asset, pick with ↑/↓, Enter. "Open market…" shows it in the focused
 * views; "Add view…" first asks which kind of view (same keys), then adds it on the market picked; a view's
 * "Change market…" binds that one view.
 */
export function OpenMarketDialog() {
  const open = useOverlay((s) => s.open === 'market-open')
  return open ? <DialogBox /> : null
}

function DialogBox() {
  const hide = useOverlay((s) => s.hide)
  const purpose = useMarketDialog((s) => s.purpose)
  const titleId = useId()
  const title =
    purpose.mode === 'open'
      ? 'Open market'
      : purpose.mode === 'rebind'
        ? 'Change market of the view'
        : purpose.kind === null
          ? `Add view ${purpose.placement === 'below' ? 'below' : 'beside'}: which kind?`
          : `Add ${kindInfo[purpose.kind].title.toLowerCase()} ${purpose.placement === 'below' ? 'below' : 'beside'}: which market?`
  return (
    <Modal labelledBy={titleId} onClose={hide} className="palette" testId="open-market">
      <h2 id={titleId} className="palette-heading" data-testid="market-dialog-title">
        {title}
      </h2>
      {purpose.mode === 'add' && purpose.kind === null ? (
        <KindStep onPick={(kind) => useMarketDialog.setState({ purpose: { ...purpose, kind } })} />
      ) : (
        <MarketStep purpose={purpose} />
      )}
    </Modal>
  )
}

function MarketStep({ purpose }: { purpose: MarketDialogPurpose }) {
  const [query, setQuery] = useState('')
  const [rows, setRows] = useState<MarketView[]>([])
  const [error, setError] = useState<string | null>(null)
  const [active, setActive] = useState<string | null>(null)
  const listId = useId()
  const list = useRef<HTMLUListElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const [preferred] = useState(() => preferredMarket(purpose))
  // Before anything is typed, the watchlist's pinned markets come first (typed text ranks by match).
  const [pinned] = useState(() => {
    const layout = currentLayout()
    return layout ? pinnedMarkets(layout) : []
  })
  const pinnedKeys = new Set(pinned.map(marketKey))

  // The kind step's input had focus; this one takes it (the dialog itself focuses only on opening).
  useEffect(() => input.current?.focus(), [])

  useEffect(() => {
    let alive = true
    api
      .invoke('markets.search', { query, limit: 50 })
      .then((found) => {
        if (!alive) return
        const r = query ? found : pinnedFirst(found, pinned)
        setRows(r)
        setError(null)
        const keep = !query && preferred ? r.find((m) => m.venueId === preferred.venueId && m.symbol === preferred.symbol) : undefined
        setActive(keep ? marketKey(keep) : r[0] ? marketKey(r[0]) : null)
      })
      .catch((err: unknown) => alive && setError(err instanceof Error ? err.message : String(err)))
    return () => {
      alive = false
    }
  }, [query, preferred, pinned])

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [active])

  const keys = rows.map(marketKey)
  const pick = (key: string | null) => {
    const m = rows.find((r) => marketKey(r) === key)
    if (m) chooseMarket(purpose, { venueId: m.venueId, symbol: m.symbol })
  }
  const onKeys = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return
    if (event.key === 'Enter') {
      event.preventDefault()
      pick(active)
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

  return (
    <>
      <input
        ref={input}
        className="palette-input"
        data-autofocus
        role="combobox"
        aria-label="Search markets"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={active ? optionId(listId, active) : undefined}
        placeholder="Market: symbol or asset (btc, eth/usdt)…"
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
              id={optionId(listId, key)}
              role="option"
              aria-selected={key === active}
              className="palette-option"
              onMouseMove={() => key !== active && setActive(key)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(key)}
              data-testid="open-market-option"
              data-symbol={m.symbol}
              data-venue-id={m.venueId}
            >
              <span className="palette-title">
                {pinnedKeys.has(key) ? <span className="muted">★ </span> : null}
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
    </>
  )
}
