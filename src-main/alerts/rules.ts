import Decimal from 'decimal.js'
import type { MarketTick } from '../trading/model'
import type { AlertCondition } from '../api/schemas/alerts'
import type { TriggerSource } from '../api/schemas/trading'

// What a price alert means, as pure functions: which price of a tick it watches, when that price has
// reached the level, and the words a fired alert is shown with. Exact decimals: an alert at 95000 fires
// on 95000.00, never on 94999.999999 rounded up.

export interface AlertTerms {
  symbol: string
  condition: AlertCondition
  price: string
  source: TriggerSource
  note: string | null
}

/** The tick's price for a source as exact text (mid = (bid + ask) / 2, exact); null when unknown. */
export function sourcePrice(tick: Pick<MarketTick, 'bid' | 'ask' | 'last'>, source: TriggerSource): string | null {
  if (source === 'last') return tick.last
  if (source === 'bid') return tick.bid
  if (source === 'ask') return tick.ask
  if (tick.bid === null || tick.ask === null) return null
  return new Decimal(tick.bid).plus(tick.ask).div(2).toFixed()
}

/**
 * Where a repeating alert that fired arms again: a tenth of a percent back past its level on the side it
 * came from (110 above → at 109.89 or under). A price sitting on the level, a tick either side of it,
 * would otherwise fire it on every other tick, on every channel.
 */
export function rearmLevel(condition: AlertCondition, level: string): string {
  const band = new Decimal(level).times('0.001')
  return (condition === 'above' ? new Decimal(level).minus(band) : new Decimal(level).plus(band)).toFixed()
}

/** 'above': the price is at or over the level; 'below': at or under it. */
export function reached(condition: AlertCondition, level: string, price: string): boolean {
  const cmp = new Decimal(price).cmp(level)
  return condition === 'above' ? cmp >= 0 : cmp <= 0
}

const sourceWords: Record<TriggerSource, string> = { last: 'Last', bid: 'Bid', ask: 'Ask', mid: 'Mid' }

/** Why an alert cannot be set where it is asked: the price is already there, so it would fire at once. */
export function alreadyReachedMessage(t: AlertTerms, current: string): string {
  const where = t.condition === 'above' ? 'at or above' : 'at or below'
  const side = t.condition === 'above' ? 'higher' : 'lower'
  return (
    `${t.symbol} ${sourceWords[t.source].toLowerCase()} is ${current}, already ${where} ${t.price}: ` +
    `the alert would fire at once. Set it ${side} than ${current}, or the other way round.`
  )
}

/** Title and body of a fired alert, as the notification centre, the desktop and the webhook show them. */
export function firedTexts(t: AlertTerms, price: string, venueLabel: string): { title: string; body: string } {
  const title = `${t.symbol} ${t.condition === 'above' ? 'rose to' : 'fell to'} ${t.price}`
  const body = `${sourceWords[t.source]} ${price} on ${venueLabel}${t.note ? ` — ${t.note}` : ''}`
  return { title, body }
}
