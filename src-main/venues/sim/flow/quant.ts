import Decimal from 'decimal.js'
import type { SimMarketSpec } from '../engine-api'

// Exact decimal strings from integer multiples of a step. Agents decide with plain numbers (they are
// signals, like a chart); what they send to the engine is always an exact multiple of the market's tick or
// step, written without floating-point noise.

export class StepGrid {
  /** The step as an integer count of 10^-decimals (e.g. "0.05" → 5 with decimals 2). */
  private readonly mantissa: number
  readonly decimals: number
  readonly step: number

  constructor(step: string) {
    const d = new Decimal(step)
    if (!d.isFinite() || d.lte(0)) throw new RangeError(`step must be positive, got ${step}`)
    this.decimals = d.decimalPlaces()
    const mantissa = d.mul(new Decimal(10).pow(this.decimals))
    if (!mantissa.isInteger() || mantissa.gt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`unsupported step ${step}`)
    this.mantissa = mantissa.toNumber()
    this.step = d.toNumber()
  }

  /** Units (multiples of the step) nearest below / above / nearest to a value. */
  floor(value: number): number {
    return Math.floor(value / this.step + 1e-9)
  }

  ceil(value: number): number {
    return Math.ceil(value / this.step - 1e-9)
  }

  round(value: number): number {
    return Math.round(value / this.step)
  }

  /** The value of a count of units as a number (for decisions). */
  value(units: number): number {
    return units * this.step
  }

  /** Units of an exact decimal string (which must lie on the grid, as engine prices do). */
  unitsOf(text: string): number {
    return Math.round(Number(text) / this.step)
  }

  /** The exact decimal string of a count of units. */
  format(units: number): string {
    if (!Number.isSafeInteger(units)) throw new RangeError(`units out of range: ${units}`)
    const scaled = units * this.mantissa
    if (!Number.isSafeInteger(scaled)) throw new RangeError(`value out of range: ${units} × step`)
    if (this.decimals === 0) return String(scaled)
    const negative = scaled < 0
    const digits = String(Math.abs(scaled)).padStart(this.decimals + 1, '0')
    const cut = digits.length - this.decimals
    return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`
  }
}

/** A market's grids and limits as numbers, for agents. */
export class MarketGrid {
  readonly symbol: string
  readonly base: string
  readonly quote: string
  readonly price: StepGrid
  readonly amount: StepGrid
  readonly minAmount: number
  readonly minNotional: number
  readonly makerFee: number
  readonly takerFee: number
  readonly initialPrice: number

  constructor(readonly spec: SimMarketSpec) {
    this.symbol = spec.symbol
    this.base = spec.base
    this.quote = spec.quote
    this.price = new StepGrid(spec.tickSize)
    this.amount = new StepGrid(spec.stepSize)
    this.minAmount = Number(spec.minAmount)
    this.minNotional = Number(spec.minNotional)
    this.makerFee = Number(spec.makerFee)
    this.takerFee = Number(spec.takerFee)
    this.initialPrice = Number(spec.initialPrice)
  }

  get tick(): number {
    return this.price.step
  }

  /**
   * Amount units for a desired base amount at a price: rounded down to the step, then raised if needed to
   * meet the minimum amount and minimum notional. Returns 0 when the desired amount is not positive.
   */
  amountUnits(amount: number, price: number): number {
    if (!(amount > 0) || !(price > 0)) return 0
    let units = this.amount.floor(amount)
    const minUnits = Math.max(this.amount.ceil(this.minAmount), this.amount.ceil((this.minNotional * 1.0001) / price), 1)
    if (units < minUnits) units = minUnits
    return units
  }

  /** The smallest tradable amount at this price (units). */
  minUnitsAt(price: number): number {
    return this.amountUnits(Number.MIN_VALUE, price)
  }
}
