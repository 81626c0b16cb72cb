import { LEDGER_SCALE, LedgerDecimal } from '../arith'
import { CsvImportError } from './errors'
import { decimalCell, writtenUnit, type Where } from './values'

// A Coinbase Send of a coin: the report's Fees column is the network fee valued in the spot currency, but
// the fee left the account in the coin itself. Its amount in the coin is fee ÷ spot price (rounded half-even
// to the ledger's 18 places when the quotient has no finite decimal).
//
// Whether Quantity Transacted includes that fee, the row's Total (inclusive of fees) tells:
//   |Total| = |Quantity| × price + fee → the fee came on top: the quantity was sent, the fee left besides;
//   |Total| = |Quantity| × price       → the quantity is all that left: it was sent less the fee.
// Without a Total (or an empty one) the quantity is read as all that left, so no more coin leaves the
// ledger than the report shows. A Total that fits neither reading rejects the file.

const MONEY = { thousands: true, currencySign: true, sign: 'signed' } as const

interface Row {
  get(key: 'price' | 'total'): string
  has(key: 'total'): boolean
}

/** What the destination received and the fee in the coin, both positive exact decimals. */
export function sendFee(row: Row, quantity: string, feeValue: string, where: { price: Where; total: Where }): { amount: string; fee: string } {
  const price = new LedgerDecimal(decimalCell(row.get('price'), where.price, { thousands: true, currencySign: true }))
  const fee = new LedgerDecimal(feeValue).div(price).toDecimalPlaces(LEDGER_SCALE, LedgerDecimal.ROUND_HALF_EVEN)
  const q = new LedgerDecimal(quantity)
  const raw = row.has('total') ? row.get('total') : ''
  if (raw.trim() === '') return inside(q, fee, where.price, row.get('price'))
  const total = new LedgerDecimal(decimalCell(raw, where.total, MONEY)).abs()
  const value = q.times(price)
  // One unit in the last written digit of the total (Coinbase rounds it to cents) and of the price, read from
  // the cells as written ("$1,200.00": a cent, not a dollar, which would blur a fee of a dollar).
  const slack = new LedgerDecimal(writtenUnit(raw).toFixed()).plus(new LedgerDecimal(writtenUnit(row.get('price')).toFixed()).times(q))
  if (total.minus(value.plus(feeValue)).abs().lessThanOrEqualTo(slack)) return { amount: q.toFixed(), fee: fee.toFixed() }
  if (total.minus(value).abs().lessThanOrEqualTo(slack)) return inside(q, fee, where.total, raw)
  throw new CsvImportError(
    `the total ${total.toFixed()} is neither quantity × price ${value.toFixed()} nor that plus the network fee ${new LedgerDecimal(feeValue).toFixed()}`,
    where.total.line, where.total.column, raw,
  )
}

function inside(quantity: LedgerDecimal, fee: LedgerDecimal, where: Where, raw: string): { amount: string; fee: string } {
  const sent = quantity.minus(fee)
  if (sent.lessThanOrEqualTo(0))
    throw new CsvImportError(`the network fee (${fee.toFixed()} in the coin) is not less than the quantity ${quantity.toFixed()}`, where.line, where.column, raw)
  return { amount: sent.toFixed(), fee: fee.toFixed() }
}
