import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { splitEngineMessage } from '../../ui/engineMessage'
import { useSelectedInView } from '../../ui/useRowKeys'
import { startVenuesSync, useVenues, type VenueView } from '../markets/venuesStore'
import { useAccounts } from '../accounts/accountsStore'
import { toast } from '../toasts/toastStore'
import { askConfirm } from './ConfirmDialog'
import { messageOf } from './ordersStore'
import { paperOpenInput, type BalanceDraft } from './tradingForms'
import { keyIntent } from './tableNav'
import { rowDomId, useTableState } from './useTableState'
import { ORDERS_IDS } from './ticketIds'
import { submitOnModEnter } from '../../ui/modEnter'

// Paper trading on real markets: a paper account matched locally against a connected exchange account's
// live book, or any supported exchange's public data (no key needed). Its orders go through the same
// ticket, order manager and conditional engine. Listed here with a way to close each.

export function PaperVenuesPanel() {
  useEffect(() => startVenuesSync(), [])
  const venues = useVenues((s) => s.venues)
  const paper = venues.filter((v) => v.kind === 'paper')
  return (
    <Panel title="Paper on real markets" testId="panel-paper-venues">
      <PaperOpenForm venues={venues} />
      <PaperList rows={paper} />
    </Panel>
  )
}

const FIELDS = ['source', 'source.venueId', 'source.exchange', 'source.apiBaseUrl', 'label', 'balances'] as const

function PaperOpenForm({ venues }: { venues: VenueView[] }) {
  const exchanges = useAccounts((s) => s.exchanges)
  const accountVenues = venues.filter((v) => v.kind === 'exchange')
  const [source, setSource] = useState('')
  const [apiBaseUrl, setApiBaseUrl] = useState('')
  const [label, setLabel] = useState('')
  const [balances, setBalances] = useState<BalanceDraft[]>([{ asset: 'USDT', amount: '10000' }])
  const [error, setError] = useState<{ fields: Record<string, string>; general: string | null } | null>(null)
  const [busy, setBusy] = useState(false)
  const chosen = source || (accountVenues[0] ? `venue:${accountVenues[0].id}` : exchanges[0] ? `exchange:${exchanges[0].id}` : '')
  const byExchange = chosen.startsWith('exchange:')

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy || !chosen) return
    setBusy(true)
    setError(null)
    try {
      const venue = await api.invoke('paper.open', paperOpenInput(chosen, apiBaseUrl, label, balances))
      useVenues.getState().received(venue)
      toast.success('Paper account opened', `${venue.label}: its orders are matched against ${venue.exchange}'s live book`)
      setLabel('')
    } catch (err) {
      const split = splitEngineMessage(messageOf(err), FIELDS)
      setError(split)
    } finally {
      setBusy(false)
    }
  }
  const setBalance = (i: number, patch: Partial<BalanceDraft>) => setBalances(balances.map((b, j) => (j === i ? { ...b, ...patch } : b)))
  const sourceError = error ? (error.fields.source ?? error.fields['source.venueId'] ?? error.fields['source.exchange']) : undefined
  return (
    <form className="form" onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid="paper-open-form">
      <label className="form-label" htmlFor={ORDERS_IDS.paper}>
        Market data
      </label>
      <div className="form-field">
        <select
          id={ORDERS_IDS.paper}
          className="input"
          value={chosen}
          onChange={(e) => setSource(e.target.value)}
          aria-invalid={sourceError ? true : undefined}
          data-testid="paper-source"
        >
          {accountVenues.length > 0 ? (
            <optgroup label="Your exchange accounts">
              {accountVenues.map((v) => (
                <option key={v.id} value={`venue:${v.id}`}>
                  {v.label} ({v.exchange})
                </option>
              ))}
            </optgroup>
          ) : null}
          <optgroup label="Public data (no account)">
            {exchanges.map((x) => (
              <option key={x.id} value={`exchange:${x.id}`}>
                {x.name}
              </option>
            ))}
          </optgroup>
        </select>
        {sourceError ? <p className="inline-error">{sourceError}</p> : null}
      </div>
      {byExchange ? (
        <>
          <label className="form-label" htmlFor="paper-api-url">
            API base URL
          </label>
          <div className="form-field">
            <input
              id="paper-api-url"
              className="input"
              value={apiBaseUrl}
              placeholder="optional: another API origin"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setApiBaseUrl(e.target.value)}
              data-testid="paper-api-url"
            />
            {error?.fields['source.apiBaseUrl'] ? <p className="inline-error">{error.fields['source.apiBaseUrl']}</p> : null}
          </div>
        </>
      ) : null}
      <label className="form-label" htmlFor="paper-label">
        Label
      </label>
      <div className="form-field">
        <input
          id="paper-label"
          className="input"
          value={label}
          placeholder="optional"
          maxLength={60}
          onChange={(e) => setLabel(e.target.value)}
          data-testid="paper-label"
        />
        {error?.fields.label ? <p className="inline-error">{error.fields.label}</p> : null}
      </div>
      <span className="form-label">Start with</span>
      <div className="form-field">
        {balances.map((b, i) => (
          <div className="ot-control" key={i}>
            <input
              className="input paper-asset"
              aria-label={`Asset ${i + 1}`}
              value={b.asset}
              onChange={(e) => setBalance(i, { asset: e.target.value })}
              data-testid="paper-balance-asset"
            />
            <input
              className="input input-number ot-number"
              aria-label={`Amount ${i + 1}`}
              inputMode="decimal"
              value={b.amount}
              onChange={(e) => setBalance(i, { amount: e.target.value })}
              data-testid="paper-balance-amount"
            />
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Remove asset ${i + 1}`}
              onClick={() => setBalances(balances.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="btn btn-small" onClick={() => setBalances([...balances, { asset: '', amount: '' }])}>
            Add asset
          </button>
        </div>
        {error?.fields.balances ? <p className="inline-error">{error.fields.balances}</p> : null}
      </div>
      {error?.general ? (
        <p className="inline-error form-wide" role="alert" data-testid="paper-open-error">
          {error.general}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !chosen} data-testid="paper-open">
          {busy ? 'Opening…' : 'Open paper account'} <Kbd combo="Enter" />
        </button>
      </div>
    </form>
  )
}

function closePaper(v: VenueView): void {
  askConfirm({
    title: `Close ${v.label}?`,
    body: 'Closes this paper account: its open paper orders are canceled and it is no longer listed. Real accounts are not touched.',
    confirmLabel: 'Close paper account',
    run: async () => {
      await api.invoke('paper.close', { venueId: v.id })
      void useVenues.getState().load()
      toast.success('Paper account closed', v.label)
    },
  })
}

function PaperList({ rows }: { rows: VenueView[] }) {
  const ids = rows.map((r) => r.id)
  const [state, dispatch] = useTableState(ids)
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, state.selected)
  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.defaultPrevented) return
    const intent = keyIntent(event, ids, state.selected, false)
    if (!intent) return
    event.preventDefault()
    if (intent.kind === 'move') dispatch({ type: 'select', id: intent.id })
    else if (intent.kind === 'cancel') {
      const v = rows.find((r) => r.id === intent.id)
      if (v) {
        dispatch({ type: 'acted', id: intent.id })
        closePaper(v)
      }
    }
  }
  return (
    <div className="scroll paper-list" ref={scroller}>
      <table
        id={ORDERS_IDS.paperList}
        className="grid-table selectable"
        role="grid"
        aria-label="Paper accounts"
        aria-activedescendant={state.selected ? rowDomId('paper', state.selected) : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="paper-venues-table"
      >
        <thead>
          <tr>
            <th scope="col">Paper account</th>
            <th scope="col">Exchange</th>
            <th scope="col">Feed</th>
            <th scope="col" className="col-fit">
              <span className="visually-hidden">Close</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="orders-empty">
              <td colSpan={4}>No paper accounts on real markets yet.</td>
            </tr>
          ) : null}
          {rows.map((v) => (
            <tr
              key={v.id}
              id={rowDomId('paper', v.id)}
              aria-selected={state.selected === v.id}
              onMouseDown={() => dispatch({ type: 'select', id: v.id })}
              data-testid="paper-venue-row"
              data-venue-id={v.id}
            >
              <td className="ellipsis" title={v.id}>
                {v.label}
              </td>
              <td>{v.exchange}</td>
              <td title={v.reason ?? undefined}>
                <span className={`badge badge-${v.connection === 'live' ? 'ok' : v.connection === 'down' ? 'err' : 'warn'}`}>{v.connection}</span>
              </td>
              <td className="col-fit">
                <button type="button" className="btn btn-small" tabIndex={-1} onClick={() => closePaper(v)}>
                  Close <Kbd combo="Delete" />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
