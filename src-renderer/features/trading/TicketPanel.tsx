import { useEffect, useId, useMemo } from 'react'
import { api } from '../../api'
import { Panel } from '../../ui/Panel'
import { Kbd } from '../../ui/Kbd'
import { formatAtStep, formatDecimal, formatPercent } from '../../ui/decimal'
import { useVenueName, useVenues, startVenuesSync } from '../markets/venuesStore'
import { bookStatusLabels, conditionalKindLabels, conditionalStatusLabel, describeOrder, progressText, orderStatusLabel } from './labels'
import { messageOf, startOrdersSync, useOrders } from './ordersStore'
import { TICKET_IDS } from './ticketIds'
import { useTicketMarket } from './ticketMarket'
import {
  currentFields,
  previewInput,
  splitRefusal,
  unknownSymbol,
  useTicket,
  type FieldMessages,
} from './ticketStore'
import { inputKey, legsNeedBase, messagesByField, previewMessages, showsOrderFields, type TicketField } from './ticketForm'
import { ConditionalSection } from './ConditionalSection'
import { timeInForceChoices } from './timeInForceChoices'
import { FieldNote, numberInput, TicketRow } from './TicketRow'
import { AvailableLine } from './AvailableLine'
import { matchSymbol, useMarketFacts, useVenueMarkets } from './venueMarkets'
import { checkSymbolDraft } from './symbolLookup'
import { cancelAllOnMarket, cancelLast, closedAccount, flatten, goneAccountText, resumeTrading, sendTicket } from './tradingActions'
import type { CommandInput, MarketView, TicketPreview } from '../../../src-main/api/contract'
import './trading.css'

// The order ticket. Every figure it shows comes from the engine's orders.preview of the form as it stands
// (asked ~150 ms after the last keystroke and again every second while shown, as the book moves); the
// engine's problems sit next to the field they are about, and nothing is sent while there are any.

const DEBOUNCE_MS = 150
const REFRESH_MS = 1000
const QUICK_PERCENTS = ['25', '50', '75', '100'] as const

interface TicketPanelProps {
  /** Show the venue and symbol pickers (the Orders page); a workspace view sets the market itself. */
  pickMarket?: boolean
  title?: string
}

export function TicketPanel({ pickMarket = true, title = 'Order ticket' }: TicketPanelProps) {
  const venueId = useTicketMarket((s) => s.venueId)
  const symbol = useTicketMarket((s) => s.symbol)
  const info = useMarketFacts(venueId, symbol)
  // The venues list's name first: the markets' copy keeps the name they were loaded under.
  const name = useVenueName(venueId, info?.venueLabel)
  const tools = symbol ? (
    <span className="muted" data-testid="ticket-market">
      {symbol} · {name?.label}
    </span>
  ) : null
  return (
    <Panel title={title} tools={tools} testId="panel-ticket">
      <OrderTicket pickMarket={pickMarket} />
    </Panel>
  )
}

/**
 * The ticket without a frame (for a view that has its own). Enter in a field sends nothing: an order goes
 * out only by the button or Mod+Enter.
 */
export function OrderTicket({ pickMarket = true }: { pickMarket?: boolean }) {
  useEffect(() => startOrdersSync(), [])
  useEffect(() => {
    useTicket.setState((s) => ({ mounted: s.mounted + 1 }))
    return () => useTicket.setState((s) => ({ mounted: s.mounted - 1 }))
  }, [])
  const venueId = useTicketMarket((s) => s.venueId)
  const symbol = useTicketMarket((s) => s.symbol)
  const info = useMarketFacts(venueId, symbol)
  const messages = useFieldMessages()
  // The account closed or removed (in another window too): nothing to cancel or flatten there.
  // As text (stable values for the store's selectors): why cancel-all and flatten are off.
  const goneText = (cancel: boolean) => (s: Parameters<typeof closedAccount>[1]) => {
    const gone = venueId === null ? null : closedAccount(venueId, s)
    return gone === null ? null : goneAccountText(gone, cancel)
  }
  const cancelOff = useVenues(goneText(true))
  const flattenOff = useVenues(goneText(false))
  const closed = cancelOff === null || flattenOff === null ? null : { cancel: cancelOff, flatten: flattenOff }
  usePreviewLoop()
  return (
    <form className="ot" onSubmit={(e) => e.preventDefault()} noValidate data-testid="order-ticket" data-order-ticket aria-label="Order ticket">
      <HaltedBanner />
      {pickMarket ? <MarketPicker messages={messages} /> : null}
      <SideToggle />
      <OrderFields info={info} messages={messages} />
      <ConditionalSection info={info} messages={messages} />
      <PreviewBox info={info} />
      <FieldNote id="ticket-general" messages={messages.general} testId="ticket-general-error" />
      <SubmitRow info={info} />
      <LastSubmitted />
      <MarketTools hasMarket={symbol !== null} closed={closed} />
    </form>
  )
}

/** All messages per field: the last refusal, the preview's problems and missing fields (once tried). */
function useFieldMessages(): Partial<Record<TicketField, string[]>> {
  const missing = useTicket((s) => s.missing)
  const submitError = useTicket((s) => s.submitError)
  const preview = useCurrentPreview()
  return useMemo(() => {
    const items: { field: TicketField; message: string }[] = [...missing]
    const fromSplit = (m: FieldMessages | null) => {
      for (const [field, message] of Object.entries(m ?? {})) items.push({ field: field as TicketField, message })
    }
    fromSplit(submitError)
    fromSplit(preview?.error ?? null)
    if (preview?.value) items.push(...previewMessages(preview.value))
    // The same words from two sources are shown once.
    const byField = messagesByField(items)
    for (const key of Object.keys(byField) as TicketField[]) byField[key] = [...new Set(byField[key])]
    return byField
  }, [missing, submitError, preview])
}

/** The key of the input the ticket previews now (null when there is nothing to preview). */
function usePreviewKey(): string | null {
  const fields = useTicket((s) => s.fields)
  const price = useTicketMarket((s) => s.price)
  const venueId = useTicketMarket((s) => s.venueId)
  const symbol = useTicketMarket((s) => s.symbol)
  const built = previewInput({ ...fields, price }, venueId && symbol ? { venueId, symbol } : null)
  return built?.ok ? inputKey(built.input) : null
}

/** The engine's preview of exactly this form, or null while none has arrived for it. */
function useCurrentPreview() {
  const key = usePreviewKey()
  const preview = useTicket((s) => s.preview)
  return key !== null && preview?.key === key ? preview : null
}

function usePreviewLoop(): void {
  const key = usePreviewKey()
  useEffect(() => {
    if (key === null) return
    const input = JSON.parse(key) as CommandInput<'orders.preview'>
    let alive = true
    let timer: ReturnType<typeof setTimeout>
    const ask = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const value = await api.invoke('orders.preview', input)
          if (alive) useTicket.setState({ preview: { key, value, error: null } })
        } catch (err) {
          const mode = currentFields().conditional.mode
          if (alive) useTicket.setState({ preview: { key, value: null, error: splitRefusal(messageOf(err), mode) } })
        }
      }
      if (alive) timer = setTimeout(() => void ask(), REFRESH_MS)
    }
    timer = setTimeout(() => void ask(), DEBOUNCE_MS)
    return () => {
      alive = false
      clearTimeout(timer)
    }
  }, [key])
}

function HaltedBanner() {
  const risk = useOrders((s) => s.risk)
  if (!risk?.halted) return null
  return (
    <div className="ot-halted" role="status" data-testid="ticket-halted">
      <span>Trading is halted by the kill switch: new orders are refused.</span>
      <button type="button" className="btn btn-small" onClick={() => void resumeTrading()}>
        Resume trading
      </button>
    </div>
  )
}

function MarketPicker({ messages }: { messages: Partial<Record<TicketField, string[]>> }) {
  useEffect(() => startVenuesSync(), [])
  // A typo left in the field goes with it: a ticket without the field (a workspace view) is not held by it.
  useEffect(() => () => useTicket.getState().setSymbolDraft(null), [])
  const venues = useVenues((s) => s.venues)
  const venueId = useTicketMarket((s) => s.venueId)
  const symbol = useTicketMarket((s) => s.symbol)
  const shownVenue = venueId ?? venues[0]?.id ?? null
  // A venue gone since (its account removed in another tab) shows by the name it had.
  const shownName = useVenueName(shownVenue)
  const goneName = shownName?.gone ? shownName.label : null
  const { rows, error } = useVenueMarkets(shownVenue)
  const listId = useId()
  const noteId = 'ticket-market-note'
  const pick = (venue: string, text: string) => {
    const match = matchSymbol(rows, text)
    if (match) useTicketMarket.getState().setMarket(venue, match.symbol)
    return match !== undefined
  }
  const invalid = (messages.market?.length ?? 0) > 0
  return (
    <div className="form">
      <TicketRow label="Market" htmlFor={TICKET_IDS.symbol} messages={[...(messages.market ?? []), ...(error ? [error] : [])]} noteId={noteId}>
        <select
          id={TICKET_IDS.venue}
          className="input ot-venue"
          aria-label="Venue"
          value={shownVenue ?? ''}
          onChange={(e) => {
            const next = e.target.value
            useTicketMarket.setState({ venueId: next, symbol: null, price: '' })
          }}
          data-testid="ticket-venue"
        >
          {venues.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
          {shownVenue !== null && venues.length > 0 && !venues.some((v) => v.id === shownVenue) ? (
            <option value={shownVenue}>{goneName ?? `${shownVenue} (no longer available)`}</option>
          ) : null}
        </select>
        <SymbolInput
          symbol={symbol}
          listId={listId}
          invalid={invalid}
          noteId={noteId}
          onPick={(text) => shownVenue !== null && pick(shownVenue, text)}
        />
        <datalist id={listId}>
          {rows.map((m) => (
            <option key={m.symbol} value={m.symbol} />
          ))}
        </datalist>
      </TicketRow>
    </div>
  )
}

/** The symbol as typed; a known symbol (BTC/USDT or BTCUSDT, any case) becomes the ticket's market at once. */
function SymbolInput(props: {
  symbol: string | null
  listId: string
  invalid: boolean
  noteId: string
  onPick: (text: string) => boolean
}) {
  // What is being typed, for the market it was typed on (kept in the store: the send is refused while it
  // names no market); once it names a market the market's symbol shows.
  const draft = useTicket((s) => s.symbolDraft)
  const venueId = useTicketMarket((s) => s.venueId)
  const current = draft !== null && draft.venueId === venueId && draft.on === props.symbol
  const text = current ? draft.text : (props.symbol ?? '')
  const unknown = unknownSymbol(draft) !== null
  const check = draft?.check
  const why = check === 'unknown' ? 'Not a market of this venue' : typeof check === 'object' ? check.error : 'Looking it up…'
  return (
    <>
      <input
        id={TICKET_IDS.symbol}
        className="input ot-symbol"
        list={props.listId}
        value={text}
        placeholder="symbol, e.g. BTC/USDT"
        autoComplete="off"
        spellCheck={false}
        aria-label="Symbol"
        data-ticket-field
        aria-invalid={props.invalid || unknown ? true : undefined}
        aria-describedby={props.invalid ? props.noteId : undefined}
        title={unknown ? why : undefined}
        onChange={(e) => {
          const value = e.target.value
          // A match becomes the market (and its symbol shows); anything else stays as typed.
          useTicket.getState().setSymbolDraft(props.onPick(value) ? null : value)
          // Not in the picker's list (its first 500 markets, or none yet): asked of the engine before it is a typo.
          checkSymbolDraft()
        }}
        data-testid="ticket-symbol"
      />
    </>
  )
}

function SideToggle() {
  const side = useTicket((s) => s.fields.side)
  const set = useTicket((s) => s.set)
  return (
    <div className="ot-sides" role="group" aria-label="Side">
      <button
        type="button"
        id={TICKET_IDS.buy}
        className="ot-side ot-buy"
        aria-pressed={side === 'buy'}
        onClick={() => set({ side: 'buy' })}
        data-testid="ticket-side-buy"
      >
        Buy <Kbd combo="B" />
      </button>
      <button
        type="button"
        id={TICKET_IDS.sell}
        className="ot-side ot-sell"
        aria-pressed={side === 'sell'}
        onClick={() => set({ side: 'sell' })}
        data-testid="ticket-side-sell"
      >
        Sell <Kbd combo="S" />
      </button>
    </div>
  )
}

function OrderFields({ info, messages }: { info: MarketView | null; messages: Partial<Record<TicketField, string[]>> }) {
  const fields = useTicket((s) => s.fields)
  const set = useTicket((s) => s.set)
  const price = useTicketMarket((s) => s.price)
  const mode = fields.conditional.mode
  const orderFields = showsOrderFields(mode)
  const baseOnly = legsNeedBase(mode)
  const venueId = useTicketMarket((s) => s.venueId)
  const venue = useVenues((s) => s.venues.find((v) => v.id === venueId))
  const tifChoices = timeInForceChoices(venue)
  const base = info?.base ?? 'base'
  const quote = info?.quote ?? 'quote'
  return (
    <div className="form">
      {orderFields ? (
        <>
          <TicketRow label={mode === 'bracket' ? 'Entry' : 'Order'} htmlFor={TICKET_IDS.kind} noteId="ticket-tif-note" messages={messages.timeInForce}>
            <select
              id={TICKET_IDS.kind}
              className="input"
              value={fields.kind}
              onChange={(e) => set({ kind: e.target.value as typeof fields.kind })}
              data-testid="ticket-kind"
            >
              <option value="limit">Limit</option>
              <option value="market">Market</option>
              <option value="post-only">Post-only limit</option>
            </select>
            <select
              id={TICKET_IDS.timeInForce}
              className="input"
              aria-label="Time in force"
              value={fields.kind === 'post-only' ? 'GTC' : fields.timeInForce}
              disabled={fields.kind === 'post-only'}
              title={fields.kind === 'post-only' ? 'A post-only order rests on the book: good till canceled' : 'Time in force'}
              onChange={(e) => set({ timeInForce: e.target.value as typeof fields.timeInForce })}
              data-testid="ticket-tif"
            >
              {tifChoices.map((c) => (
                <option key={c.value} value={c.value} disabled={c.disabled} title={c.title}>
                  {c.disabled ? `${c.value} (not on this venue)` : c.value}
                </option>
              ))}
            </select>
          </TicketRow>
          {fields.kind !== 'market' ? (
            <TicketRow label="Price" htmlFor={TICKET_IDS.price} messages={messages.price} noteId="ticket-price-note" testId="ticket-price-error">
              <input
                {...numberInput(TICKET_IDS.price, messages.price, 'ticket-price-note')}
                value={price}
                placeholder="limit price"
                onChange={(e) => useTicketMarket.setState({ price: e.target.value })}
                data-testid="ticket-limit-price"
              />
              <span className="muted ot-unit">{quote}</span>
            </TicketRow>
          ) : null}
        </>
      ) : null}
      <TicketRow label="Amount" htmlFor={TICKET_IDS.size} messages={messages.size} noteId="ticket-size-note" testId="ticket-size-error">
        <input
          {...numberInput(TICKET_IDS.size, messages.size, 'ticket-size-note')}
          value={fields.size}
          placeholder={fields.unit === 'percent' ? '% of balance' : 'amount'}
          onChange={(e) => set({ size: e.target.value })}
          data-testid="ticket-size"
        />
        <select
          id={TICKET_IDS.unit}
          className="input ot-unit-select"
          aria-label="Amount in"
          value={fields.unit}
          disabled={baseOnly}
          title={baseOnly ? 'Conditional orders are sized in the base asset' : 'Amount in'}
          onChange={(e) => set({ unit: e.target.value as typeof fields.unit })}
          data-testid="ticket-unit"
        >
          <option value="base">{base}</option>
          <option value="quote">{quote}</option>
          <option value="percent">% of balance</option>
        </select>
      </TicketRow>
      {baseOnly ? null : (
        <div className="form-actions ot-quick" role="group" aria-label="Share of the available balance">
          {QUICK_PERCENTS.map((p) => (
            <button
              key={p}
              type="button"
              className="btn btn-small"
              aria-pressed={fields.unit === 'percent' && fields.size === p}
              onClick={() => set({ unit: 'percent', size: p })}
              data-testid={`ticket-pct-${p}`}
            >
              {p}%
            </button>
          ))}
        </div>
      )}
      {baseOnly || info === null ? null : <AvailableLine info={info} side={fields.side} onAll={() => set({ unit: 'percent', size: '100' })} />}
    </div>
  )
}

function PreviewBox({ info }: { info: MarketView | null }) {
  const key = usePreviewKey()
  const preview = useCurrentPreview()
  const mode = useTicket((s) => s.fields.conditional.mode)
  if (mode !== 'none' && mode !== 'bracket') return null
  const value = preview?.value ?? null
  const state = key === null ? 'idle' : preview === null ? 'pending' : value ? (value.ok ? 'ok' : 'problems') : 'refused'
  return (
    <section className="ot-preview" aria-label="Preview" aria-live="polite" data-testid="ticket-preview" data-state={state}>
      {key === null ? (
        <p className="muted">Fill in the order to see what the engine would send.</p>
      ) : !value ? (
        <p className="muted">{preview === null ? 'Asking the engine…' : 'No preview: see the messages above.'}</p>
      ) : (
        <PreviewFacts value={value} info={info} />
      )}
    </section>
  )
}

function PreviewFacts({ value: v, info }: { value: TicketPreview; info: MarketView | null }) {
  const base = info?.base ?? ''
  const quote = info?.quote ?? ''
  const book = bookStatusLabels[v.bookStatus]
  const fact = (label: string, text: string | null, testId: string, unit = '') => (
    <>
      <dt>{label}</dt>
      <dd className="num" data-testid={testId} title={text ?? undefined}>
        {text === null ? <span className="muted">—</span> : `${text}${unit ? ` ${unit}` : ''}`}
      </dd>
    </>
  )
  return (
    <dl className="facts ot-facts">
      {fact('Amount', v.amount === null ? null : info ? formatAtStep(v.amount, info.stepSize) : formatDecimal(v.amount), 'preview-amount', base)}
      {v.type === 'limit' ? fact('Price', v.price === null ? null : info ? formatAtStep(v.price, info.tickSize) : formatDecimal(v.price), 'preview-price', quote) : null}
      {fact('Notional', v.notional === null ? null : formatDecimal(v.notional), 'preview-notional', quote)}
      {fact('Est. avg price', v.estimatedAvgPrice === null ? null : formatDecimal(v.estimatedAvgPrice), 'preview-avg-price', quote)}
      {fact('Slippage', v.slippagePct === null ? null : formatPercent(v.slippagePct), 'preview-slippage')}
      {fact('Est. fee', v.estimatedFee === null ? null : formatDecimal(v.estimatedFee), 'preview-fee', v.feeAsset ?? '')}
      <dt>Book</dt>
      <dd data-testid="preview-book" data-status={v.bookStatus}>
        <span className={`badge badge-${book.tone}`}>{book.text}</span>
      </dd>
    </dl>
  )
}

function SubmitRow({ info }: { info: MarketView | null }) {
  const fields = useTicket((s) => s.fields)
  const submitting = useTicket((s) => s.submitting)
  const unknown = useTicket((s) => s.submitUnknown)
  const market = useTicketMarket((s) => s.symbol)
  const preview = useCurrentPreview()
  const key = usePreviewKey()
  const mode = fields.conditional.mode
  const side = fields.side === 'buy' ? 'Buy' : 'Sell'
  const base = info?.base ?? market ?? ''
  const label =
    mode === 'none'
      ? `${side} ${base}`
      : mode === 'bracket'
        ? `${side} ${base} with bracket`
        : mode === 'oco'
          ? `Arm OCO ${side.toLowerCase()}`
          : `Arm ${conditionalKindLabels[mode].toLowerCase()} ${side.toLowerCase()}`
  // Blocked while the engine refuses this very form (its preview lists problems), or a plain order is incomplete.
  const refused = preview !== null && (preview.error !== null || (preview.value !== null && !preview.value.ok))
  const blocked = refused || (mode === 'none' && key === null)
  return (
    <div className="ot-submit">
      <button
        type="button"
        id={TICKET_IDS.submit}
        onClick={() => void sendTicket()}
        className={`btn ot-send ${fields.side === 'buy' ? 'ot-send-buy' : 'ot-send-sell'}`}
        disabled={submitting || blocked || !market}
        data-testid="ticket-submit"
      >
        {submitting ? 'Sending…' : label} <Kbd combo="Mod+Enter" />
      </button>
      {unknown ? (
        <p className="ot-unknown" role="alert" data-testid="ticket-outcome-unknown">
          {unknown}
        </p>
      ) : null}
    </div>
  )
}

/** The ticket's other keys, as buttons too. */
function MarketTools({ hasMarket, closed }: { hasMarket: boolean; closed: { cancel: string; flatten: string } | null }) {
  const off = !hasMarket || closed !== null
  return (
    <div className="ot-tools" role="group" aria-label="Orders on this market">
      <button type="button" className="btn btn-small" onClick={() => void cancelLast()} data-testid="ticket-cancel-last">
        Cancel last <Kbd combo="Mod+Backspace" />
      </button>
      <button type="button" className="btn btn-small" disabled={off} title={closed?.cancel} onClick={() => void cancelAllOnMarket()} data-testid="ticket-cancel-all">
        Cancel all here <Kbd combo="Mod+Shift+Backspace" />
      </button>
      <button type="button" className="btn btn-small" disabled={off} title={closed?.flatten} onClick={flatten} data-testid="ticket-flatten">
        Flatten… <Kbd combo="Mod+Shift+F" />
      </button>
    </div>
  )
}

/** What became of the last thing sent, live from the streams. */
function LastSubmitted() {
  const submitted = useTicket((s) => s.submitted)
  const order = useOrders((s) =>
    submitted?.kind === 'order'
      ? (s.open.find((o) => o.clientOrderId === submitted.clientOrderId) ?? s.history.find((o) => o.clientOrderId === submitted.clientOrderId))
      : undefined,
  )
  const conditionals = useOrders((s) => s.conditional)
  const ended = useOrders((s) => s.conditionalEnded)
  if (!submitted) return null
  if (submitted.kind === 'order') {
    if (!order) return null
    const status = orderStatusLabel(order.status)
    return (
      <p className="ot-last" data-testid="ticket-last" data-status={order.status} data-client-order-id={order.clientOrderId}>
        <span className={`badge badge-${status.tone}`}>{progressText(order)}</span> <span>{describeOrder(order)}</span>
        {order.error ? <span className="neg"> · {order.error}</span> : null}
      </p>
    )
  }
  const views = submitted.views.map((v) => conditionals.find((c) => c.id === v.id) ?? ended.find((c) => c.id === v.id) ?? v)
  return (
    <div className="ot-last" data-testid="ticket-last">
      {views.map((v) => {
        const status = conditionalStatusLabel(v)
        return (
          <p key={v.id}>
            <span className={`badge badge-${status.tone}`}>{status.text}</span> {conditionalKindLabels[v.kind]} {v.side} {formatDecimal(v.amount)}{' '}
            {v.symbol}
          </p>
        )
      })}
    </div>
  )
}
