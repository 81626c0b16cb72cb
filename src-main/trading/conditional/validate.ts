import Decimal from 'decimal.js'
import { AppError } from '../../api/errors'
import type { ConditionalLeg, TriggerSource } from '../../api/schemas/trading'
import type { MarketInfo, Side } from '../../venues/port'
import { firesOn, roleOf } from './semantics'

// Checks of a conditional order against the market's rules and the current price, before anything is
// stored. Each refusal is an AppError('BAD_INPUT') whose message names the numbers and what to change.

function bad(message: string): never {
  throw new AppError('BAD_INPUT', message)
}

function dec(value: string, what: string): Decimal {
  let d: Decimal
  try {
    d = new Decimal(value)
  } catch {
    return bad(`The ${what} "${value}" is not a number`)
  }
  if (!d.isFinite()) bad(`The ${what} "${value}" is not a number`)
  return d
}

/** Both valid multiples of `unit` around `value` (null when `value` is one). */
function neighbours(value: Decimal, unit: Decimal): [Decimal, Decimal] | null {
  if (unit.lte(0) || value.mod(unit).isZero()) return null
  const below = value.div(unit).floor().times(unit)
  return [below, below.plus(unit)]
}

/** A positive price on the market's tick. */
export function checkPrice(value: string, market: MarketInfo, what: string): Decimal {
  const d = dec(value, what)
  if (d.lte(0)) bad(`The ${what} must be greater than zero (got ${value})`)
  const near = neighbours(d, new Decimal(market.tickSize))
  if (near !== null) {
    const places = new Decimal(market.tickSize).decimalPlaces()
    bad(
      `The ${what} ${d.toFixed()} is not on the tick ${new Decimal(market.tickSize).toFixed()} of ${market.symbol}: ` +
        `the nearest valid prices are ${near[0].toFixed(places)} and ${near[1].toFixed(places)}`,
    )
  }
  // The trigger index compares prices as exact integers of a tenth of the tick (units.ts).
  const tick = new Decimal(market.tickSize)
  if (tick.gt(0) && d.div(tick).times(10).gt(Number.MAX_SAFE_INTEGER)) bad(`The ${what} ${d.toFixed()} is too large for the tick ${tick.toFixed()} of ${market.symbol}`)
  return d
}

/** A positive amount on the market's step, at least its minimum. */
export function checkAmount(value: string | Decimal, market: MarketInfo): Decimal {
  const d = typeof value === 'string' ? dec(value, 'amount') : value
  if (d.lte(0)) bad(`The amount must be greater than zero (got ${d.toFixed()})`)
  const step = new Decimal(market.stepSize)
  const near = neighbours(d, step)
  if (near !== null) {
    bad(`The amount ${d.toFixed()} is not a multiple of the step ${step.toFixed()} ${market.base} of ${market.symbol}: use ${near[0].toFixed()} or ${near[1].toFixed()}`)
  }
  const min = new Decimal(market.minAmount)
  if (d.lt(min)) bad(`The amount ${d.toFixed()} ${market.base} is below the minimum ${min.toFixed()} ${market.base} of ${market.symbol}`)
  return d
}

/** Decimal places of a tick or step ("0.01" → 2). */
function decimalsOf(step: string): number {
  return new Decimal(step).decimalPlaces()
}

/** The value of the order the leg would send (at its limit, else its trigger) against the market's minimum. */
function checkNotional(amount: Decimal, price: Decimal, market: MarketInfo, at: string): void {
  const min = new Decimal(market.minNotional)
  const value = amount.times(price)
  if (value.lt(min)) {
    bad(`The order value ${value.toFixed()} ${market.quote} at the ${at} is below the minimum ${min.toFixed()} ${market.quote} of ${market.symbol}`)
  }
}

/**
 * One leg on its own: amount, prices on the tick, trailing distance. `price`: the trigger source's price
 * now, where the caller has it — a trailing stop's order value is checked at the trigger it would start
 * from (from its activation price when it has one), as a fixed stop's is at its trigger.
 */
export function checkLeg(leg: ConditionalLeg, market: MarketInfo, options: { amountKnown?: boolean; price?: Decimal } = {}): void {
  const amount = options.amountKnown === false ? null : checkAmount(leg.amount, market)
  if (leg.kind === 'trailing-stop') {
    const value = dec(leg.distance.value, 'trailing distance')
    if (value.lte(0)) bad(`The trailing distance must be greater than zero (got ${leg.distance.value})`)
    if (leg.distance.unit === 'percent' && value.gte(100)) bad(`A trailing distance must be under 100% (got ${leg.distance.value}%)`)
    if (leg.distance.unit === 'price') checkPrice(leg.distance.value, market, 'trailing distance')
    const activation = leg.activationPrice === undefined ? null : checkPrice(leg.activationPrice, market, 'activation price')
    const from = activation ?? options.price ?? null
    if (from !== null) {
      const away = leg.distance.unit === 'percent' ? from.times(value).div(100) : value
      const trigger = leg.side === 'sell' ? from.minus(away) : from.plus(away)
      // A sell trail as wide as the price (or wider) would arm with a trigger at or below zero: it could never fire.
      if (trigger.lte(0)) {
        const what = activation !== null ? 'activation price' : 'price'
        bad(
          `The trailing distance ${value.toFixed()} is not below the ${what} it trails from (${from.toFixed()}): ` +
            `its trigger would be ${trigger.toFixed()} and it could never fire. Choose a distance under ${from.toFixed()}`,
        )
      }
      if (amount !== null) checkNotional(amount, trigger, market, `trailing trigger ${trigger.toDecimalPlaces(decimalsOf(market.tickSize), Decimal.ROUND_DOWN).toFixed()}`)
    }
    return
  }
  const trigger = checkPrice(leg.triggerPrice, market, 'trigger price')
  const limit = 'limitPrice' in leg ? checkPrice(leg.limitPrice, market, 'limit price') : null
  if (amount !== null) checkNotional(amount, limit ?? trigger, market, limit !== null ? 'limit price' : 'trigger price')
}

/** An OCO's shape: both legs sell or both buy, the same amount, one leg firing on a rise and one on a fall. */
export function checkOcoShape(legs: readonly [ConditionalLeg, ConditionalLeg], market: MarketInfo): void {
  const [a, b] = legs
  if (a.side !== b.side) bad(`Both legs of an OCO must be on the same side (both sells or both buys); here one ${a.side}s and one ${b.side}s`)
  for (const leg of legs) checkLeg(leg, market)
  if (!new Decimal(a.amount).eq(b.amount)) bad(`Both legs of an OCO close the same position: give them the same amount (${a.amount} and ${b.amount})`)
  const side = a.side
  const da = firesOn(a.kind, side)
  if (da === firesOn(b.kind, side)) {
    bad(
      `Both legs of this ${side} OCO fire when the price ${da === 'rise' ? 'rises' : 'falls'}: ` +
        `a ${side} OCO needs a take-profit ${side === 'sell' ? 'above' : 'below'} and a stop ${side === 'sell' ? 'below' : 'above'} the current price`,
    )
  }
}

/**
 * An OCO's legs on both sides of the current price: the leg that fires on a rise above it, the one that
 * fires on a fall below it (a sell OCO: take-profit above, stop below). `priceOf`: a trigger source's price.
 */
export function checkOcoPrices(legs: readonly [ConditionalLeg, ConditionalLeg], priceOf: (s: TriggerSource) => Decimal): void {
  for (const leg of legs) {
    if (leg.kind === 'trailing-stop') continue // relative to the price by construction
    const dir = firesOn(leg.kind, leg.side)
    const trigger = new Decimal(leg.triggerPrice)
    const current = priceOf(leg.trigger)
    const ok = dir === 'rise' ? trigger.gt(current) : trigger.lt(current)
    if (!ok) {
      bad(
        `The ${roleOf(leg.kind)} leg (${trigger.toFixed()}) must be ${dir === 'rise' ? 'above' : 'below'} the current ${sourceWord(leg.trigger)} ` +
          `(${current.toFixed()}) for a ${leg.side} OCO`,
      )
    }
  }
}

export interface BracketPrices {
  entryPrice: Decimal
  side: Side
  takeProfit: { triggerPrice: string; limitPrice?: string | undefined; trigger?: TriggerSource | undefined }
  stopLoss: { triggerPrice: string; limitPrice?: string | undefined; trigger?: TriggerSource | undefined }
}

/** A bracket's exits on the tick and on the right side of the entry price (a buy: TP above, SL below). */
export function checkBracketExits(b: BracketPrices, market: MarketInfo): void {
  const tp = checkPrice(b.takeProfit.triggerPrice, market, 'take-profit trigger price')
  if (b.takeProfit.limitPrice !== undefined) checkPrice(b.takeProfit.limitPrice, market, 'take-profit limit price')
  const sl = checkPrice(b.stopLoss.triggerPrice, market, 'stop-loss trigger price')
  if (b.stopLoss.limitPrice !== undefined) checkPrice(b.stopLoss.limitPrice, market, 'stop-loss limit price')
  const buy = b.side === 'buy'
  const entry = b.entryPrice.toFixed()
  if (buy ? !tp.gt(b.entryPrice) : !tp.lt(b.entryPrice)) {
    bad(`The take-profit (${tp.toFixed()}) must be ${buy ? 'above' : 'below'} the entry price (${entry}) for a ${b.side} bracket`)
  }
  if (buy ? !sl.lt(b.entryPrice) : !sl.gt(b.entryPrice)) {
    bad(`The stop-loss (${sl.toFixed()}) must be ${buy ? 'below' : 'above'} the entry price (${entry}) for a ${b.side} bracket`)
  }
}

export function sourceWord(s: TriggerSource): string {
  return s === 'last' ? 'price' : s === 'mid' ? 'mid price' : s
}

/**
 * A bracket whose entry limit is marketable (a buy at or above the ask, a sell at or below the bid) fills at
 * once, at about the price now: its exits are checked against their trigger sources' prices now too, as an
 * OCO's legs are — an exit already crossed would fire as the entry fills. `priceOf`: a source's price, or null.
 */
export function checkMarketableBracketExits(b: BracketPrices & { touch: Decimal }, priceOf: (s: TriggerSource) => Decimal | null): void {
  const buy = b.side === 'buy'
  if (buy ? b.entryPrice.lt(b.touch) : b.entryPrice.gt(b.touch)) return // rests on the book: checked against its own price
  const exitSide: Side = buy ? 'sell' : 'buy'
  const exits = [
    { role: 'take-profit', kind: 'take-profit-market', spec: b.takeProfit },
    { role: 'stop-loss', kind: 'stop-market', spec: b.stopLoss },
  ] as const
  for (const x of exits) {
    const source = x.spec.trigger ?? 'last'
    const current = priceOf(source)
    if (current === null) continue
    const rise = firesOn(x.kind, exitSide) === 'rise'
    const trigger = new Decimal(x.spec.triggerPrice)
    if (rise ? trigger.gt(current) : trigger.lt(current)) continue
    bad(
      `The ${x.role} (${trigger.toFixed()}) is already crossed: the entry limit ${b.entryPrice.toFixed()} is ${buy ? 'at or above the ask' : 'at or below the bid'} ` +
        `${b.touch.toFixed()}, so the entry fills at once, and the ${sourceWord(source)} is ${current.toFixed()} — this ${exitSide} ${x.role} fires at or ` +
        `${rise ? 'above' : 'below'} its trigger. Choose a ${x.role} ${rise ? 'above' : 'below'} ${current.toFixed()}`,
    )
  }
}
