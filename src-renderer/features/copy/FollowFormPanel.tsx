import type { FormEvent, KeyboardEvent, ReactNode } from 'react'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { useVenues } from '../markets/venuesStore'
import { useCopy } from './copyStore'
import { sendFollowForm, useFollowForm } from './followFormStore'
import { fieldOrder, type FieldMessages, type FollowDraft, type FollowField, type GuardAction, type SizingMode } from './followForm'
import { COPY_MONEY_ASSET, leaderKindLabels, moneyFields } from './copyLabels'
import { COPY_IDS, fieldDomId } from './copyIds'
import { focusId } from '../trading/tradingActions'

// The Follow form: every setting of a leader → follower relationship. New follows go to copy.follow, an
// edited relationship to copy.update. The engine judges the settings; its refusal of each one is shown next
// to that field (and focus moves to the first such field). Enter in a field (or Mod+Enter) sends; Escape
// closes the form (dropping an edit). It opens from a leader (Enter / F), a relationship (E) or the palette.

/** Moves focus to the first field that shows a message. */
export function focusFirstMessage(): void {
  requestAnimationFrame(() => {
    const { messages, draft } = useFollowForm.getState()
    const first = fieldOrder(draft.symbolMap.length).find((f) => messages[f])
    if (!first) return
    const el = document.getElementById(fieldDomId(first)) ?? document.getElementById(COPY_IDS.formError)
    el?.focus()
  })
}

export async function submitFollowForm(): Promise<void> {
  const outcome = await sendFollowForm()
  if (outcome === 'missing' || outcome === 'refused') focusFirstMessage()
  else if (outcome === 'sent') focusId(COPY_IDS.follows)
}

/** Closes the form; focus goes back to the table it was opened from. */
export function closeFollowForm(): void {
  const editing = useFollowForm.getState().editing
  useFollowForm.getState().close()
  focusId(editing ? COPY_IDS.follows : COPY_IDS.leaders)
}

export function FollowFormPanel() {
  const editing = useFollowForm((s) => s.editing)
  const startNew = useFollowForm((s) => s.startNew)
  const tools = (
    <>
      {editing ? (
        <button type="button" className="btn btn-small" onClick={() => startNew()} data-testid="follow-form-new">
          New follow instead
        </button>
      ) : null}
      <button type="button" className="btn btn-small" onClick={closeFollowForm} data-testid="follow-form-close">
        Close <Kbd combo="Esc" />
      </button>
    </>
  )
  return (
    <Panel title={editing ? 'Edit follow settings' : 'Follow a leader'} tools={tools} testId="panel-follow-form">
      <FollowForm />
    </Panel>
  )
}

function Message({ field, messages }: { field: FollowField; messages: FieldMessages }) {
  const text = messages[field]
  if (!text) return null
  return (
    <p className="inline-error" id={`${fieldDomId(field)}-error`} role="alert" data-testid={`follow-error-${field.replace(/\./g, '-')}`}>
      {text}
    </p>
  )
}

/** One labelled row of the form with its message (or hint) under the control. */
function Row({ field, label, hint, messages, children }: { field: FollowField; label: string; hint?: string; messages: FieldMessages; children: ReactNode }) {
  return (
    <>
      <label className="form-label" htmlFor={fieldDomId(field)}>
        {label}
      </label>
      <div className="form-field">
        {children}
        {messages[field] ? <Message field={field} messages={messages} /> : hint ? <p className="form-hint">{hint}</p> : null}
      </div>
    </>
  )
}

function FollowForm() {
  const draft = useFollowForm((s) => s.draft)
  const messages = useFollowForm((s) => s.messages)
  const busy = useFollowForm((s) => s.busy)
  const editing = useFollowForm((s) => s.editing)
  const set = useFollowForm((s) => s.set)
  const leaders = useCopy((s) => s.leaders)
  const venues = useVenues((s) => s.venues)

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    void submitFollowForm()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      void submitFollowForm()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      closeFollowForm()
    }
  }
  const invalid = (f: FollowField) => (messages[f] ? true : undefined)
  const described = (f: FollowField) => (messages[f] ? `${fieldDomId(f)}-error` : undefined)
  /** What every control of a field carries: its id, whether the engine refused it, its message, its test id. */
  const bind = (f: FollowField, testId: string) => ({ id: fieldDomId(f), 'aria-invalid': invalid(f), 'aria-describedby': described(f), 'data-testid': testId })
  const text = (field: FollowField & keyof FollowDraft, props: { placeholder?: string; unit?: string; testId: string }) => (
    <div className="ot-control">
      <input
        {...bind(field, props.testId)}
        className="input input-number ot-number"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        placeholder={props.placeholder}
        value={draft[field] as string}
        onChange={(e) => set({ [field]: e.target.value } as Partial<FollowDraft>)}
      />
      {props.unit ? <span className="muted ot-unit">{props.unit}</span> : null}
    </div>
  )
  /** A free-text control (market lists, symbol map cells). */
  const words = (field: FollowField, props: { value: string; onChange: (value: string) => void; placeholder: string; testId: string; label?: string }) => (
    <input
      {...bind(field, props.testId)}
      className="input"
      aria-label={props.label}
      autoComplete="off"
      spellCheck={false}
      placeholder={props.placeholder}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    />
  )
  const leaderKnown = leaders.some((l) => l.id === draft.leaderId)
  const followerKnown = venues.some((v) => v.id === draft.followerVenueId)
  const setRow = (i: number, patch: Partial<{ from: string; to: string }>) =>
    set({ symbolMap: draft.symbolMap.map((r, j) => (j === i ? { ...r, ...patch } : r)) })

  return (
    <form className="form copy-form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate data-testid="follow-form" data-editing={editing ?? ''}>
      <Row field="leaderId" label="Leader" messages={messages}>
        <select
          {...bind('leaderId', 'follow-leader')}
          className="input"
          value={draft.leaderId}
          onChange={(e) => set({ leaderId: e.target.value })}
          disabled={editing !== null}
        >
          <option value="">Choose a leader…</option>
          {!leaderKnown && draft.leaderId ? <option value={draft.leaderId}>{draft.leaderId}</option> : null}
          {leaders.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label} ({leaderKindLabels[l.kind] ?? l.kind})
            </option>
          ))}
        </select>
      </Row>
      <Row field="followerVenueId" label="Follower account" hint="the account that places the copies" messages={messages}>
        <select
          {...bind('followerVenueId', 'follow-follower')}
          className="input"
          value={draft.followerVenueId}
          onChange={(e) => set({ followerVenueId: e.target.value })}
          disabled={editing !== null}
        >
          <option value="">Choose an account…</option>
          {!followerKnown && draft.followerVenueId ? <option value={draft.followerVenueId}>{draft.followerVenueId}</option> : null}
          {venues.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
      </Row>

      <p className="form-section">Sizing</p>
      <Row field="sizingMode" label="Sizing" messages={messages}>
        <select
          {...bind('sizingMode', 'follow-sizing-mode')}
          className="input"
          value={draft.sizingMode}
          onChange={(e) => set({ sizingMode: e.target.value as SizingMode })}
        >
          <option value="fixed-quote">{`Fixed ${COPY_MONEY_ASSET} amount per trade`}</option>
          <option value="multiplier">Multiplier of the leader’s size</option>
          <option value="proportional">Proportional to equity</option>
        </select>
      </Row>
      {draft.sizingMode !== 'proportional' ? (
        <Row
          field="sizingValue"
          label={draft.sizingMode === 'multiplier' ? 'Multiplier' : moneyFields.fixedQuote.label}
          hint={draft.sizingMode === 'multiplier' ? 'leader amount × this' : moneyFields.fixedQuote.hint}
          messages={messages}
        >
          {text('sizingValue', { placeholder: draft.sizingMode === 'multiplier' ? '0.5' : '100', unit: draft.sizingMode === 'multiplier' ? '×' : moneyFields.fixedQuote.unit, testId: 'follow-sizing-value' })}
        </Row>
      ) : null}
      <Row field="allocationPct" label="Allocation" hint="% of the follower’s equity committed to this leader" messages={messages}>
        {text('allocationPct', { unit: '%', testId: 'follow-allocation' })}
      </Row>
      <Row field="minTradeQuote" label={moneyFields.minTradeQuote.label} hint={moneyFields.minTradeQuote.hint} messages={messages}>
        {text('minTradeQuote', { placeholder: 'none', unit: moneyFields.minTradeQuote.unit, testId: 'follow-min-trade' })}
      </Row>
      <Row field="maxTradeQuote" label={moneyFields.maxTradeQuote.label} hint={moneyFields.maxTradeQuote.hint} messages={messages}>
        {text('maxTradeQuote', { placeholder: 'none', unit: moneyFields.maxTradeQuote.unit, testId: 'follow-max-trade' })}
      </Row>

      <p className="form-section">Filters</p>
      <Row field="sides" label="Copy" hint={draft.sides === 'buy' ? 'the leader’s sales are not copied: you close the positions' : undefined} messages={messages}>
        <select
          {...bind('sides', 'follow-sides')}
          className="input"
          value={draft.sides}
          onChange={(e) => set({ sides: e.target.value as FollowDraft['sides'] })}
        >
          <option value="both">Buys and sells</option>
          <option value="buy">Buys only</option>
          <option value="sell">Sells only</option>
        </select>
      </Row>
      <Row field="allow" label="Allow" hint="leader markets to buy into, e.g. BTC/USDT, ETH/USDT; empty = all; sales of what the copies hold are always copied" messages={messages}>
        {words('allow', { value: draft.allow, onChange: (allow) => set({ allow }), placeholder: 'every market', testId: 'follow-allow' })}
      </Row>
      <Row field="deny" label="Deny" hint="no new buys there (wins over allow); the leader’s exits of what the copies hold are still copied" messages={messages}>
        {words('deny', { value: draft.deny, onChange: (deny) => set({ deny }), placeholder: 'none', testId: 'follow-deny' })}
      </Row>
      <Row field="symbolMap" label="Symbol map" hint="leader market → follower market" messages={messages}>
        <div className="copy-map" id={fieldDomId('symbolMap')} tabIndex={-1} data-testid="follow-symbol-map">
          {draft.symbolMap.map((row, i) => {
            const from = `symbolMap.${i}.from` as FollowField
            const to = `symbolMap.${i}.to` as FollowField
            return (
              <div className="copy-map-row" key={i} data-testid="follow-map-row">
                {words(from, { value: row.from, onChange: (v) => setRow(i, { from: v }), placeholder: 'BTC/USDT', testId: 'follow-map-from', label: `Leader market, row ${i + 1}` })}
                <span className="muted">→</span>
                {words(to, { value: row.to, onChange: (v) => setRow(i, { to: v }), placeholder: 'BTC/USDC', testId: 'follow-map-to', label: `Follower market, row ${i + 1}` })}
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`Remove row ${i + 1}`}
                  onClick={() => set({ symbolMap: draft.symbolMap.filter((_, j) => j !== i) })}
                  data-testid="follow-map-remove"
                >
                  ×
                </button>
                <Message field={from} messages={messages} />
                <Message field={to} messages={messages} />
              </div>
            )
          })}
          <button
            type="button"
            className="btn btn-small copy-map-add"
            onClick={() => {
              set({ symbolMap: [...draft.symbolMap, { from: '', to: '' }] })
              requestAnimationFrame(() => document.getElementById(fieldDomId(`symbolMap.${draft.symbolMap.length}.from` as FollowField))?.focus())
            }}
            data-testid="follow-map-add"
          >
            Add a market mapping
          </button>
        </div>
      </Row>

      <p className="form-section">Guards and stops</p>
      <Row field="guard" label="Price guard" hint="when the follower’s price is worse than the leader’s fill" messages={messages}>
        <select
          {...bind('guard', 'follow-guard')}
          className="input"
          value={draft.guard}
          onChange={(e) => set({ guard: e.target.value as GuardAction })}
        >
          <option value="off">Off</option>
          <option value="skip">Skip the copy</option>
          <option value="limit">Limit order at the allowed price</option>
        </select>
      </Row>
      {draft.guard !== 'off' ? (
        <Row field="maxSlippagePct" label="Max slippage" hint="worse than the leader’s fill by more than this → the guard acts" messages={messages}>
          {text('maxSlippagePct', { placeholder: '0.5', unit: '%', testId: 'follow-max-slippage' })}
        </Row>
      ) : null}
      <Row field="maxOpenPositions" label="Max positions" hint="open positions at most; empty = no limit" messages={messages}>
        {text('maxOpenPositions', { placeholder: 'no limit', testId: 'follow-max-positions' })}
      </Row>
      <Row field="dailyLossStop" label={moneyFields.dailyLossStop.label} hint={moneyFields.dailyLossStop.hint} messages={messages}>
        {text('dailyLossStop', { placeholder: 'none', unit: moneyFields.dailyLossStop.unit, testId: 'follow-daily-loss' })}
      </Row>
      <Row field="totalStopLoss" label={moneyFields.totalStopLoss.label} hint={moneyFields.totalStopLoss.hint} messages={messages}>
        {text('totalStopLoss', { placeholder: 'none', unit: moneyFields.totalStopLoss.unit, testId: 'follow-total-loss' })}
      </Row>
      <Row field="maxAgeSec" label="Max age" hint="a leader fill older than this when seen is skipped as too old" messages={messages}>
        {text('maxAgeSec', { unit: 's', testId: 'follow-max-age' })}
      </Row>
      <div className="form-label" />
      <div className="form-field">
        <label className="form-check">
          <input
            id={fieldDomId('copyExisting')}
            type="checkbox"
            checked={draft.copyExisting}
            onChange={(e) => set({ copyExisting: e.target.checked })}
            aria-invalid={invalid('copyExisting')}
            data-testid="follow-copy-existing"
          />
          Open the leader’s existing positions at start
        </label>
        <Message field="copyExisting" messages={messages} />
      </div>

      {messages.general ? (
        <p className="inline-error form-wide" id={COPY_IDS.formError} tabIndex={-1} role="alert" data-testid="follow-error">
          {messages.general}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} id={COPY_IDS.formSubmit} data-testid="follow-submit">
          {busy ? 'Sending…' : editing ? 'Save settings' : 'Follow'} <Kbd combo="Mod+Enter" />
        </button>
        <button type="button" className="btn btn-small" onClick={closeFollowForm}>
          {editing ? 'Drop the edit' : 'Cancel'} <Kbd combo="Esc" />
        </button>
      </div>
    </form>
  )
}
