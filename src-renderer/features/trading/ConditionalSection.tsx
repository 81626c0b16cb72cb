import { useEffect } from 'react'
import { TICKET_IDS } from './ticketIds'
import { startVenuesSync, useVenues } from '../markets/venuesStore'
import { exchangePlacement } from './nativePlacement'
import { useTicketMarket } from './ticketMarket'
import { setConditionalMode, useTicket } from './ticketStore'
import { isSingleMode, type ConditionalFields, type ConditionalMode, type TicketField } from './ticketForm'
import { triggerSourceLabels } from './labels'
import { numberInput, TicketRow } from './TicketRow'
import { limitSideNotes, type LimitField } from './limitSide'
import type { MarketView, TriggerSource } from '../../../src-main/api/contract'

// The ticket's conditional part: stop, take-profit, trailing stop, OCO and bracket, the trigger source and
// (for single orders) whether the engine holds the order or the exchange does. The engine checks it all.

export const ARMED_NOTE =
  'In-app orders are armed only while CryptoOrchestrator (or its headless engine) is running; they re-arm when it starts.'

const modes: { value: ConditionalMode; label: string }[] = [
  { value: 'none', label: 'None (plain order)' },
  { value: 'stop-market', label: 'Stop market' },
  { value: 'stop-limit', label: 'Stop limit' },
  { value: 'take-profit-market', label: 'Take-profit market' },
  { value: 'take-profit-limit', label: 'Take-profit limit' },
  { value: 'trailing-stop', label: 'Trailing stop' },
  { value: 'oco', label: 'OCO (take-profit + stop, one cancels the other)' },
  { value: 'bracket', label: 'Bracket (entry + take-profit + stop-loss)' },
]

const sources: TriggerSource[] = ['last', 'bid', 'ask', 'mid']

type Messages = Partial<Record<TicketField, string[]>>
type PriceField = 'triggerPrice' | 'limitPrice' | 'trailValue' | 'activationPrice' | 'tpTrigger' | 'tpLimit' | 'slTrigger' | 'slLimit'

function PriceRow({
  field,
  label,
  placeholder,
  unit,
  messages,
  hint,
}: {
  field: PriceField
  label: string
  placeholder: string
  unit: string
  messages: Messages
  hint?: string | undefined
}) {
  const value = useTicket((s) => s.fields.conditional[field])
  const setConditional = useTicket((s) => s.setConditional)
  const noteId = `ticket-${field}-note`
  const hintId = `ticket-${field}-hint`
  return (
    <TicketRow
      label={label}
      htmlFor={TICKET_IDS[field]}
      messages={messages[field]}
      noteId={noteId}
      testId={`ticket-${field}-error`}
      hint={hint ? { id: hintId, text: hint, testId: `ticket-${field}-hint` } : null}
    >
      <input
        {...numberInput(TICKET_IDS[field], messages[field], noteId, hint ? hintId : undefined)}
        value={value}
        placeholder={placeholder}
        onChange={(e) => setConditional({ [field]: e.target.value } as Partial<ConditionalFields>)}
        data-testid={`ticket-${field}`}
      />
      <span className="muted ot-unit">{unit}</span>
    </TicketRow>
  )
}

export function ConditionalSection({ info, messages }: { info: MarketView | null; messages: Messages }) {
  const c = useTicket((s) => s.fields.conditional)
  const side = useTicket((s) => s.fields.side)
  const setConditional = useTicket((s) => s.setConditional)
  const quote = info?.quote ?? ''
  const mode = c.mode
  const hints: Partial<Record<LimitField, string>> = limitSideNotes(mode, side, c)
  useEffect(() => startVenuesSync(), [])
  const venueId = useTicketMarket((s) => s.venueId)
  const venue = useVenues((s) => s.venues.find((v) => v.id === venueId))
  const native = exchangePlacement(venue, mode, c.trigger)
  const onExchange = c.placement === 'exchange' && native.exchange
  useEffect(() => {
    // The venue, the kind or the trigger changed and the exchange cannot hold it: back to in app.
    if (c.placement === 'exchange' && !native.exchange && mode !== 'none') setConditional({ placement: 'app' })
  }, [c.placement, native.exchange, mode, setConditional])
  return (
    <div className="form ot-conditional" data-testid="ticket-conditional">
      <div className="form-section">Conditional</div>
      <TicketRow label="Type" htmlFor={TICKET_IDS.conditional} noteId="ticket-conditional-note">
        <select
          id={TICKET_IDS.conditional}
          className="input"
          value={mode}
          onChange={(e) => setConditionalMode(e.target.value as ConditionalMode)}
          data-testid="ticket-conditional-mode"
        >
          {modes.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </TicketRow>
      {mode === 'none' ? null : (
        <>
          {mode === 'stop-market' || mode === 'take-profit-market' ? (
            <PriceRow field="triggerPrice" label="Trigger price" placeholder="triggers at" unit={quote} messages={messages} />
          ) : null}
          {mode === 'stop-limit' || mode === 'take-profit-limit' ? (
            <>
              <PriceRow field="triggerPrice" label="Trigger price" placeholder="triggers at" unit={quote} messages={messages} />
              <PriceRow field="limitPrice" label="Limit price" placeholder="then a limit order at" unit={quote} messages={messages} hint={hints.limitPrice} />
            </>
          ) : null}
          {mode === 'trailing-stop' ? <TrailingRows quote={quote} messages={messages} /> : null}
          {mode === 'oco' || mode === 'bracket' ? (
            <>
              <PriceRow field="tpTrigger" label="Take-profit at" placeholder="trigger price" unit={quote} messages={messages} />
              <PriceRow field="tpLimit" label="TP limit" placeholder="empty = market" unit={quote} messages={messages} hint={hints.tpLimit} />
              <PriceRow field="slTrigger" label="Stop-loss at" placeholder="trigger price" unit={quote} messages={messages} />
              <PriceRow field="slLimit" label="SL limit" placeholder="empty = market" unit={quote} messages={messages} hint={hints.slLimit} />
            </>
          ) : null}
          <TicketRow label="Trigger on" htmlFor="order-ticket-trigger-source" noteId="ticket-trigger-note">
            <select
              id="order-ticket-trigger-source"
              className="input"
              value={c.trigger}
              onChange={(e) => setConditional({ trigger: e.target.value as TriggerSource })}
              data-testid="ticket-trigger-source"
            >
              {sources.map((s) => (
                <option key={s} value={s}>
                  {triggerSourceLabels[s]}
                </option>
              ))}
            </select>
          </TicketRow>
          {isSingleMode(mode) ? (
            <TicketRow label="Placement" htmlFor="order-ticket-placement" noteId="ticket-placement-note">
              <select
                id="order-ticket-placement"
                className="input"
                value={c.placement}
                onChange={(e) => setConditional({ placement: e.target.value as 'app' | 'exchange' })}
                data-testid="ticket-placement"
              >
                <option value="app">In app (held by the engine)</option>
                <option value="exchange" disabled={!native.exchange}>
                  On exchange (native order){native.exchange ? '' : ' — not available'}
                </option>
              </select>
            </TicketRow>
          ) : null}
          {isSingleMode(mode) && native.why !== null ? (
            <p className="form-hint form-wide" data-testid="ticket-placement-why">
              On exchange: {native.why}.
            </p>
          ) : null}
          {isSingleMode(mode) && onExchange ? (
            <p className="form-hint form-wide" data-testid="ticket-exchange-note">
              {venue?.label ?? 'The exchange'} holds this order itself and triggers it on its last trade price, whether this app runs or not.
            </p>
          ) : null}
          {!isSingleMode(mode) || !onExchange ? (
            <p className="form-hint form-wide ot-armed-note" data-testid="ticket-armed-note">
              {ARMED_NOTE}
            </p>
          ) : null}
          {mode === 'bracket' ? (
            <p className="form-hint form-wide">The take-profit and stop-loss arm when the entry fills, sized to what filled.</p>
          ) : null}
        </>
      )}
    </div>
  )
}

function TrailingRows({ quote, messages }: { quote: string; messages: Messages }) {
  const c = useTicket((s) => s.fields.conditional)
  const setConditional = useTicket((s) => s.setConditional)
  const noteId = 'ticket-trailValue-note'
  return (
    <>
      <TicketRow label="Trail by" htmlFor={TICKET_IDS.trailValue} messages={messages.trailValue} noteId={noteId} testId="ticket-trailValue-error">
        <input
          {...numberInput(TICKET_IDS.trailValue, messages.trailValue, noteId)}
          value={c.trailValue}
          placeholder="distance"
          onChange={(e) => setConditional({ trailValue: e.target.value })}
          data-testid="ticket-trailValue"
        />
        <select
          className="input ot-unit-select"
          aria-label="Trailing distance in"
          value={c.trailUnit}
          onChange={(e) => setConditional({ trailUnit: e.target.value as 'percent' | 'price' })}
          data-testid="ticket-trail-unit"
        >
          <option value="percent">%</option>
          <option value="price">{quote || 'price'}</option>
        </select>
      </TicketRow>
      <PriceRow field="activationPrice" label="Activation" placeholder="optional: starts at" unit={quote} messages={messages} />
    </>
  )
}
