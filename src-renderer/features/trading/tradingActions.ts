import { flushSync } from 'react-dom'
import { api } from '../../api'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'
import { toast } from '../toasts/toastStore'
import { accountLabel, accountNamesLoaded, useVenues, venueName } from '../markets/venuesStore'
import { awaitCancel, awaitCancels, cancelCountText, tellEndedFirst } from './cancelOutcome'
import { askConfirm } from './ConfirmDialog'
import { canceledAfterText, describeOrder, describeWithFills } from './labels'
import { lastOpenOrder } from './ordersModel'
import { messageOf, ordersFollowed, useOrders } from './ordersStore'
import { ORDERS_IDS, ORDERS_PAGE, TICKET_IDS, TICKET_ROOT } from './ticketIds'
import { ticketMarket } from './ticketMarket'
import { submitTicket, useTicket } from './ticketStore'
import type { Side } from './ticketForm'

// The trading actions, for the palette and the keys. The ticket's keys act on the ticket wherever it is
// mounted (the Orders page, the workspace); with none on screen they bring up the Orders page first.

/** How long focusId waits for its element to be drawn (a page whose data is still loading). */
const FOCUS_WAIT_MS = 3000

/** A field the user can type in (they went there: a late focus must not take them away from it). */
function isEditable(el: Element | null): boolean {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLElement && el.isContentEditable)
}

/**
 * Focuses an element by id now or, when it is not drawn (or still disabled) yet, on the next frames for up
 * to FOCUS_WAIT_MS: a form drawn once its data answers (the risk limits on a fresh session) takes longer
 * than a few frames. It gives up if the user went to a field or clicked meanwhile.
 */
export function focusId(id: string, select = false): void {
  const until = Date.now() + FOCUS_WAIT_MS
  let clicked = false
  const onPointer = () => void (clicked = true)
  const done = () => window.removeEventListener('pointerdown', onPointer, true)
  const attempt = (first: boolean) => {
    const el = document.getElementById(id)
    if (!first && (clicked || (isEditable(document.activeElement) && document.activeElement !== el))) return done()
    if (el && !(el instanceof HTMLInputElement && el.disabled)) {
      done()
      el.focus()
      if (select && el instanceof HTMLInputElement) el.select()
    } else if (Date.now() < until) requestAnimationFrame(() => attempt(false))
    else done()
  }
  window.addEventListener('pointerdown', onPointer, true)
  attempt(true)
}

/** Shows the Orders page unless a ticket is already on screen (or `page` is asked for), then focuses `id`. */
function showAndFocus(id: string, options: { page?: boolean; select?: boolean } = {}): void {
  const needPage = options.page === true || useTicket.getState().mounted === 0
  if (needPage && useRoute.getState().page !== ORDERS_PAGE) flushSync(() => navigate(ORDERS_PAGE))
  focusId(id, options.select)
}

export function focusSide(side: Side): void {
  useTicket.getState().set({ side })
  showAndFocus(TICKET_IDS.size, { select: true })
}

/** The first ticket field that shows a message. */
function focusFirstMessage(): void {
  const el = document.querySelector<HTMLElement>('[data-ticket-field][aria-invalid="true"]')
  if (el) el.focus()
}

/** Sends the ticket (button or Mod+Enter); when it is refused, focus goes to the first field with a message. */
export async function sendTicket(): Promise<void> {
  const outcome = await submitTicket()
  if (outcome === 'missing' || outcome === 'refused' || outcome === 'problems') requestAnimationFrame(focusFirstMessage)
}

/** Orders whose cancel is on its way: Delete again (key repeat, a quick second press) is ignored. */
const canceling = new Set<string>()

export async function cancelOrder(clientOrderId: string): Promise<void> {
  // A second cancel would come back "already canceled" as an error, though the order was canceled as asked.
  if (canceling.has(clientOrderId)) return
  // A row shown 'canceling' is still asked: the engine sends nothing while a cancel of it is on its way (it
  // answers 'canceling' at once), but sends again when that cancel's answer was lost and the order may be live.
  canceling.add(clientOrderId)
  try {
    const order = await api.invoke('orders.cancel', { clientOrderId })
    useOrders.getState().orderChanged(order)
    if (order.status === 'canceling') awaitCancel(order) // accepted, not done (OKX, Bybit): it may still fill
    else if (tellEndedFirst(order)) return // filled (or expired) before the cancel reached it: said so, no error
    // The row leaving the table says it was canceled; what filled first stays bought or sold, so it is said.
    else if (order.status === 'canceled' && !/^0*(\.0*)?$/.test(order.filled)) toast.success('Order canceled', describeWithFills(order))
  } catch (err) {
    toast.error('Order not canceled', messageOf(err))
  } finally {
    canceling.delete(clientOrderId)
  }
}

export async function cancelLast(): Promise<void> {
  if (!ordersFollowed()) await useOrders.getState().load()
  // An order whose cancel is on its way is done with: a second quick press cancels the one before it.
  const open = useOrders.getState().open.filter((o) => o.status !== 'canceling' && !canceling.has(o.clientOrderId))
  const order = lastOpenOrder(open, useTicket.getState().sent, ticketMarket())
  if (!order) {
    toast.info('No open order to cancel', 'Nothing this ticket sent (or on its market) is still open.')
    return
  }
  canceling.add(order.clientOrderId)
  try {
    const canceled = await api.invoke('orders.cancel', { clientOrderId: order.clientOrderId })
    useOrders.getState().orderChanged(canceled)
    if (canceled.status === 'canceling') awaitCancel(canceled) // accepted, not done (OKX, Bybit): it may still fill
    else if (!tellEndedFirst(canceled)) toast.success('Order canceled', describeWithFills(canceled)) // with what filled before it
  } catch (err) {
    toast.error('Order not canceled', messageOf(err))
  } finally {
    canceling.delete(order.clientOrderId)
  }
}

/** An account that is gone: its name, and whether it was an exchange account removed (else a paper account closed). */
export interface GoneAccount {
  label: string
  removed: boolean
}

/**
 * The account that is gone (a paper account closed, an exchange account removed, here or in another
 * window), else null. Unknown while the venues list has not loaded: then it counts as there.
 */
export function closedAccount(
  venueId: string,
  s: Parameters<typeof venueName>[0] & { status: string; formerKind?: Record<string, 'exchange' | 'paper'> } = useVenues.getState(),
): GoneAccount | null {
  if (s.status !== 'ready' || s.venues.some((v) => v.id === venueId)) return null
  return { label: s.former[venueId] ?? venueId, removed: s.formerKind?.[venueId] === 'exchange' }
}

/**
 * Why nothing is done on a gone account. A removed exchange account's open orders stay live on the exchange
 * (removing it does not cancel them): cancel-all says they must be canceled there.
 */
export function goneAccountText(gone: GoneAccount, cancel = false): string {
  if (!gone.removed) return `${gone.label} was closed`
  return cancel ? `${gone.label} was removed; its orders left on the exchange must be canceled there` : `${gone.label} was removed`
}

/** Orders that ended on their own before their cancel reached them (filled, expired): told apart, no failure. */
type EndedBeforeCancel = { clientOrderId: string; venueId: string; how: string }[]

const endedCount = (ended: EndedBeforeCancel): string => (ended.length > 0 ? `, ${ended.length} already ended` : '')

/** ". Already ended: o7 filled before the cancel reached it; …" (the account named when the orders span accounts). */
function endedText(ended: EndedBeforeCancel, withVenue: boolean): string {
  if (ended.length === 0) return ''
  return `. Already ended: ${ended.map((e) => `${withVenue ? `${accountLabel(e.venueId)} ` : ''}${e.clientOrderId} ${e.how}`).join('; ')}`
}

/** Orders canceled after part of them filled: what filled stays bought or sold, so each is named with it. */
type PartlyFilled = { clientOrderId: string; venueId: string; symbol: string; filled: string; amount: string }[]

/** "o9 canceled after 0.4 of 1 BTC filled; …" (the account named when the orders span accounts). */
function partlyFilledText(partly: PartlyFilled, withVenue: boolean): string {
  return partly.map((p) => `${withVenue ? `${accountLabel(p.venueId)} ` : ''}${p.clientOrderId} ${canceledAfterText(p)}`).join('; ')
}

/** Cancels every open order on a market: the ticket's, or the one given (a My orders view's). */
export async function cancelAllOnMarket(market: { venueId: string; symbol: string } | null = ticketMarket()): Promise<void> {
  if (!market) return
  const closed = closedAccount(market.venueId)
  if (closed !== null) return void toast.error('Orders not canceled', goneAccountText(closed, true))
  try {
    const names = accountNamesLoaded() // alongside the cancels (they wait for nothing): the toast names the account
    const result = await api.invoke('orders.cancelAll', { venueId: market.venueId, symbol: market.symbol })
    await names
    const failed = result.failed.map((f) => `${f.clientOrderId}: ${f.error}`).join('; ')
    const where = accountLabel(market.venueId)
    const partlyCount = result.partlyFilled.length > 0 ? `, ${result.partlyFilled.length} partly filled` : ''
    const counts = cancelCountText(result.canceled, result.awaiting.length) + partlyCount + endedCount(result.ended)
    const partly = result.partlyFilled.length > 0 ? `. ${partlyFilledText(result.partlyFilled, false)}` : ''
    const ended = endedText(result.ended, false)
    if (failed) toast.error(`${counts} on ${market.symbol}; some refused`, `${failed}${partly}${ended}`)
    else if (result.awaiting.length > 0) toast.warning(counts, `${market.symbol} on ${where}${partly}${ended}`)
    else toast.success(`Canceled ${result.canceled} open ${result.canceled === 1 ? 'order' : 'orders'}${partlyCount}${endedCount(result.ended)}`, `${market.symbol} on ${where}${partly}${ended}`)
    awaitCancels(result.awaiting)
  } catch (err) {
    toast.error('Orders not canceled', messageOf(err))
  }
}

export function flatten(): void {
  const market = ticketMarket()
  if (!market) return
  const closed = closedAccount(market.venueId)
  if (closed !== null) return void toast.error('Nothing flattened', goneAccountText(closed))
  const where = venueName(useVenues.getState(), market.venueId).label
  askConfirm({
    title: `Flatten ${market.symbol}?`,
    body: `Sends a market order that closes your ${market.symbol} position on ${where} (sells the free base balance).`,
    confirmLabel: 'Flatten',
    guarded: true, // Mod+Shift+F works in the ticket's fields
    run: async () => {
      const order = await api.invoke('positions.flatten', market)
      useOrders.getState().orderChanged(order)
      toast.success('Flatten order sent', describeOrder(order))
    },
  })
}

export function pullKillSwitch(): void {
  askConfirm({
    title: 'Pull the kill switch?',
    body: 'Cancels every open order on every account, disarms every conditional order and refuses new orders until you resume trading.',
    confirmLabel: 'Pull kill switch',
    guarded: true, // Mod+Shift+K works in the ticket's fields
    run: async () => {
      // Each order is named with its account's label (an exchange account's id is a UUID), read alongside the
      // switch (it waits for nothing) if no page had: the later "Exchange confirmed" toast uses the same list.
      const names = accountNamesLoaded()
      const result = await api.invoke('trading.killSwitch', {})
      await names
      void useOrders.getState().load()
      const failed = result.failed.map((f) => `${accountLabel(f.venueId)} ${f.clientOrderId}: ${f.error}`).join('; ')
      const awaiting = result.awaiting.length > 0 ? `, ${result.awaiting.length} awaiting confirmation` : ''
      const partlyCount = result.partlyFilled.length > 0 ? ` (${result.partlyFilled.length} partly filled)` : ''
      const summary = `${result.canceled} ${result.canceled === 1 ? 'order' : 'orders'} canceled${partlyCount}${awaiting}${endedCount(result.ended)}, ${result.disarmed} conditional disarmed`
      const partly = result.partlyFilled.length > 0 ? `. ${partlyFilledText(result.partlyFilled, true)}` : ''
      const ended = endedText(result.ended, true)
      if (failed) toast.error('Kill switch pulled; some orders were not canceled', `${summary}${partly}. ${failed}${ended}`)
      // Orders awaiting the exchange's confirmation may still fill: not all done yet.
      else if (result.awaiting.length > 0) toast.warning('Kill switch pulled: trading halted', `${summary}${partly}${ended}`)
      else toast.success('Kill switch pulled: trading halted', `${summary}${partly}${ended}`)
      awaitCancels(result.awaiting, 'kill-switch')
    },
  })
}

export async function resumeTrading(): Promise<void> {
  try {
    const risk = await api.invoke('trading.resume', {})
    useOrders.getState().riskChanged(risk)
    toast.success('Trading resumed', 'New orders are accepted again.')
  } catch (err) {
    toast.error('Trading not resumed', messageOf(err))
  }
}

const inTicket = (field: HTMLElement) => field.closest(TICKET_ROOT) !== null
/** Not inside another form (the risk limits, opening a paper account): Mod+Enter there submits that form. */
const notInOtherForm = (focused: HTMLElement) => inTicket(focused) || focused.closest('form') === null

/** Cancel-all and flatten: a market chosen, on an account that is still there. */
const hasMarket = () => {
  const market = ticketMarket()
  return market !== null && closedAccount(market.venueId) === null
}

export function tradingActions(): Action[] {
  return [
    { id: 'trading.buy', title: 'Ticket: buy', section: 'Trading', keys: ['B'], run: () => focusSide('buy') },
    { id: 'trading.sell', title: 'Ticket: sell', section: 'Trading', keys: ['S'], run: () => focusSide('sell') },
    {
      id: 'trading.submit',
      title: 'Ticket: send order',
      section: 'Trading',
      keys: ['Mod+Enter'],
      // Only where a ticket is on screen: elsewhere Mod+Enter stays the page's own.
      enabled: () => useTicket.getState().mounted > 0 && !useTicket.getState().submitting,
      // From a field, only the ticket's own: in another form (risk limits, an inline amend) it is that form's.
      whileTyping: inTicket,
      // Nor from another form's button or checkbox: Mod+Enter on the risk form's Save saves the limits.
      firesFrom: notInOtherForm,
      run: sendTicket,
    },
    {
      id: 'trading.market',
      title: 'Ticket: choose market',
      section: 'Trading',
      run: () => showAndFocus(TICKET_IDS.symbol, { select: true }),
    },
    {
      id: 'trading.conditional',
      title: 'Ticket: conditional order (stop, take-profit, trailing, OCO, bracket)',
      section: 'Trading',
      run: () => showAndFocus(TICKET_IDS.conditional),
    },
    {
      id: 'trading.cancelLast',
      title: 'Cancel the last order',
      section: 'Trading',
      keys: ['Mod+Backspace'],
      // Cancels at once: in a text field Mod+Backspace (and with Shift still held) is delete-a-word.
      whileTyping: false,
      run: cancelLast,
    },
    {
      id: 'trading.cancelAll',
      title: 'Cancel all orders on the ticket’s market',
      section: 'Trading',
      keys: ['Mod+Shift+Backspace'],
      whileTyping: false,
      enabled: hasMarket,
      run: () => cancelAllOnMarket(),
    },
    {
      id: 'trading.flatten',
      title: 'Flatten the position on the ticket’s market…',
      section: 'Trading',
      keys: ['Mod+Shift+F'],
      // Asks first (the confirm dialog is the guard, Cancel focused), so it works from the ticket's fields too.
      whileTyping: true,
      enabled: hasMarket,
      run: flatten,
    },
    {
      id: 'trading.killSwitch',
      title: 'Kill switch: cancel everything and halt trading…',
      section: 'Trading',
      keys: ['Mod+Shift+K'],
      // The emergency stop reaches from anywhere, a text field and a dialog too: it asks first, with Cancel focused.
      whileTyping: true,
      inDialogs: true,
      run: pullKillSwitch,
    },
    {
      id: 'trading.resume',
      title: 'Resume trading (after the kill switch)',
      section: 'Trading',
      enabled: () => useOrders.getState().risk?.halted === true,
      run: resumeTrading,
    },
    { id: 'orders.focusOpen', title: 'Focus open orders', section: 'Orders', keys: ['Alt+O'], run: () => showAndFocus(ORDERS_IDS.open, { page: true }) },
    { id: 'orders.focusConditional', title: 'Focus conditional orders', section: 'Orders', run: () => showAndFocus(ORDERS_IDS.conditional, { page: true }) },
    { id: 'orders.focusHistory', title: 'Focus order history', section: 'Orders', run: () => showAndFocus(ORDERS_IDS.history, { page: true }) },
    { id: 'orders.focusFills', title: 'Focus fills', section: 'Orders', run: () => showAndFocus(ORDERS_IDS.fills, { page: true }) },
    { id: 'orders.filter', title: 'Orders: show one account or all', section: 'Orders', run: () => showAndFocus(ORDERS_IDS.filter, { page: true }) },
    { id: 'risk.edit', title: 'Edit risk limits', section: 'Orders', run: () => showAndFocus(ORDERS_IDS.risk, { page: true, select: true }) },
    { id: 'paper.openOnVenue', title: 'Open a paper account on a real market…', section: 'Orders', run: () => showAndFocus(ORDERS_IDS.paper, { page: true }) },
    {
      id: 'paper.list',
      title: 'Paper accounts on real markets: list and close',
      section: 'Orders',
      run: () => showAndFocus(ORDERS_IDS.paperList, { page: true }),
    },
  ]
}

