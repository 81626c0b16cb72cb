import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { Modal } from '../../ui/Modal'
import { dialogSlot } from '../../ui/dialogSlot'
import { Kbd } from '../../ui/Kbd'
import { moveSelection } from '../../ui/listNav'
import { formatDateTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { Amount, Price } from './Figures'
import { messageOf } from './portfolioStore'
import { entryKindLabel, entryMarket, ENTRY_KINDS, type EntryKindFilter } from './entriesModel'
import type { LedgerEntryView } from '../../../src-main/api/schemas/portfolio'

// "Entries of <account>": what the ledger holds for one account, newest first, as stored: what a sync or a
// file actually brought in, to check it against the exchange. E on a row of Ledger accounts opens it; ↑/↓
// move, M (or the button) loads the next page, the kind and asset fields filter; Escape closes.

const PAGE = 100
const slot = dialogSlot<{ id: string; label: string }>()
export const openEntries = slot.open

export function EntriesDialog() {
  const account = slot.useValue()
  return account === null ? null : <EntriesBox key={account.id} account={account} />
}

function EntriesBox({ account }: { account: { id: string; label: string } }) {
  const close = slot.close
  const titleId = useId()
  const timeFormat = useTimeFormat()
  const [kind, setKind] = useState<EntryKindFilter>('all')
  const [asset, setAsset] = useState('')
  const [entries, setEntries] = useState<LedgerEntryView[] | null>(null)
  const [more, setMore] = useState(false)
  const [selected, setSelected] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const list = useRef<HTMLDivElement | null>(null)
  // The list arrives after the dialog opened: it takes the focus once, when it first shows.
  const focused = useRef(false)
  const listRef = (el: HTMLDivElement | null) => {
    list.current = el
    if (el && !focused.current) {
      focused.current = true
      el.focus()
    }
  }

  const query = useCallback(
    (before?: LedgerEntryView) => {
      const code = asset.trim()
      return api.invoke('portfolio.entries', {
        account: account.id,
        limit: PAGE,
        ...(kind === 'all' ? {} : { kind }),
        ...(code === '' ? {} : { asset: code }),
        ...(before ? { before: { timestamp: before.timestamp, id: before.id } } : {}),
      })
    },
    [account.id, kind, asset],
  )

  // A new filter reads the first page again (after a short pause while typing an asset).
  useEffect(() => {
    let open = true
    const timer = setTimeout(() => {
      query().then(
        (page) => {
          if (!open) return
          setEntries(page.entries)
          setMore(page.more)
          setSelected(page.entries[0]?.id ?? null)
          setError(null)
        },
        (err: unknown) => open && setError(messageOf(err)),
      )
    }, 150)
    return () => {
      open = false
      clearTimeout(timer)
    }
  }, [query])

  const loadMore = async () => {
    const last = entries?.at(-1)
    if (!last || !more || busy) return
    setBusy(true)
    try {
      const page = await query(last)
      setEntries((shown) => [...(shown ?? []), ...page.entries])
      setMore(page.more)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  const ids = (entries ?? []).map((e) => String(e.id))
  const onKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = moveSelection(event.key, ids, selected === null ? null : String(selected))
    if (next !== null) {
      event.preventDefault()
      setSelected(Number(next))
      list.current?.querySelector(`[data-entry="${next}"]`)?.scrollIntoView({ block: 'nearest' })
    } else if (event.key.toLowerCase() === 'm' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault()
      void loadMore()
    }
  }

  return (
    <Modal labelledBy={titleId} onClose={close} className="dialog-wide pf-entries" testId="portfolio-entries-dialog">
      <header className="modal-head">
        <h2 id={titleId}>Entries of {account.label}</h2>
      </header>
      <div className="dialog-body">
        <div className="pf-entries-filters">
          <label className="form-label" htmlFor="pf-entries-kind">
            Kind
          </label>
          <select id="pf-entries-kind" className="input" value={kind} onChange={(e) => setKind(e.target.value as EntryKindFilter)} data-testid="portfolio-entries-kind">
            {ENTRY_KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
          <label className="form-label" htmlFor="pf-entries-asset">
            Asset
          </label>
          <input
            id="pf-entries-asset"
            className="input"
            value={asset}
            onChange={(e) => setAsset(e.target.value.toUpperCase())}
            placeholder="any"
            maxLength={20}
            autoComplete="off"
            spellCheck={false}
            data-testid="portfolio-entries-asset"
          />
        </div>
        {entries === null && !error ? <p className="muted">Loading…</p> : null}
        {entries !== null && entries.length === 0 ? <p className="muted">No entries{kind === 'all' && asset === '' ? '' : ' match'}.</p> : null}
        {entries !== null && entries.length > 0 ? (
          <div className="pf-entry pf-entry-head" aria-hidden="true">
            <span>Time</span>
            <span>Kind</span>
            <span>Market</span>
            <span className="num">Amount</span>
            <span className="num">Price</span>
            <span className="num">Quote moved</span>
            <span>Fee</span>
            <span>What / id</span>
          </div>
        ) : null}
        {entries !== null && entries.length > 0 ? (
          <div
            ref={listRef}
            role="listbox"
            tabIndex={0}
            className="pf-entries-list"
            aria-label="Entries, newest first (↑/↓ move, M loads more)"
            aria-activedescendant={selected === null ? undefined : `pf-entry-${selected}`}
            onKeyDown={onKeys}
            data-testid="portfolio-entries-list"
          >
            {entries.map((e) => (
              <div
                key={e.id}
                id={`pf-entry-${e.id}`}
                role="option"
                aria-selected={e.id === selected}
                className="pf-entry"
                onClick={() => setSelected(e.id)}
                data-testid="portfolio-entry"
                data-entry={e.id}
                data-kind={e.kind}
              >
                <span className="muted nowrap">{timeFormat ? formatDateTime(e.timestamp, timeFormat) : ''}</span>
                <span className="nowrap">{entryKindLabel(e)}</span>
                <strong className="nowrap">{entryMarket(e)}</strong>
                <span className="num">
                  <Amount value={e.amount} />
                </span>
                <span className="num">{e.kind === 'trade' ? <Price value={e.price} unit={e.quote ?? undefined} /> : null}</span>
                <span className="num" title={e.total !== null ? 'As the source stated it' : 'Amount × price'}>
                  {e.quoteAmount !== null ? (
                    <>
                      <Amount value={e.quoteAmount} /> <span className="muted">{e.quote}</span>
                    </>
                  ) : null}
                </span>
                <span className="nowrap muted">{e.fee ? `fee ${e.fee.amount} ${e.fee.asset}` : ''}</span>
                <span className="ellipsis" title={[e.memo, e.externalId].filter(Boolean).join(' · ') || undefined} data-testid="portfolio-entry-memo">
                  {e.memo ?? <span className="muted">{e.externalId ?? ''}</span>}
                </span>
              </div>
            ))}
          </div>
        ) : null}
        {error ? (
          <p className="inline-error" role="alert" data-testid="portfolio-entries-error">
            {error}
          </p>
        ) : null}
      </div>
      <div className="dialog-actions">
        <span className="muted pf-entries-count" data-testid="portfolio-entries-count">
          {entries === null ? '' : `${entries.length} shown${more ? ', more older' : ''}`}
        </span>
        <button type="button" className="btn" disabled={!more || busy} onClick={() => void loadMore()} data-testid="portfolio-entries-more">
          {busy ? 'Loading…' : 'Older'} <Kbd combo="M" />
        </button>
        <button type="button" className="btn" onClick={close}>
          Close <Kbd combo="Esc" />
        </button>
      </div>
    </Modal>
  )
}
