import { LEDGER_SCALE, LedgerDecimal } from '../arith'
import { CsvImportError } from './errors'
import { decimalCell, writtenUnit, type Where } from './values'

// A Coinbase Receive (or a Deposit of a coin) usually states no fee. When its Fees column does, the fee is
// valued in the spot currency but was taken in the coin received — nothing left in that currency. Its
// amount in the coin is fee ÷ spot price (rounded half-even to the ledger's 18 places, as a Send's).
//
// The ledger books a deposit as what arrived, the fee then paid out of it. Whether Quantity Transacted is
// what arrived or what was credited after the fee, the row's Total tells:
//   |Total| = |Quantity| × price − fee → the quantity arrived and the fee came out of it;
//   |Total| = |Quantity| × price (+ fee), or no Total → the quantity is what was credited: the fee came out
//   before, so quantity + fee arrived. (The balance never rises by more than the report shows.)
// A Total that fits no reading rejects the file.

const MONEY = { thousands: true, currencySign: true, sign: 'signed' } as const

interface Row {
  get(key: 'price' | 'total'): string
  has(key: 'total'): boolean
}

/** What arrived and the fee in the coin, both positive exact decimals. */
export function receiveFee(row: Row, quantity: string, feeValue: string, where: { price: Where; total: Where }): { amount: string; fee: string } {
  const price = new LedgerDecimal(decimalCell(row.get('price'), where.price, { thousands: true, currencySign: true }))
  const fee = new LedgerDecimal(feeValue).div(price).toDecimalPlaces(LEDGER_SCALE, LedgerDecimal.ROUND_HALF_EVEN)
  const q = new LedgerDecimal(quantity)
  const credited = { amount: q.plus(fee).toFixed(), fee: fee.toFixed() }
  const raw = row.has('total') ? row.get('total') : ''
  if (raw.trim() === '') return credited
  const total = new LedgerDecimal(decimalCell(raw, where.total, MONEY)).abs()
  const value = q.times(price)
  // One unit in the last written digit of the total (Coinbase rounds it to cents) and of the price, read from
  // the cells as written ("$1,200.00": a cent, not a dollar, which would blur a fee of a dollar).
  const slack = new LedgerDecimal(writtenUnit(raw).toFixed()).plus(new LedgerDecimal(writtenUnit(row.get('price')).toFixed()).times(q))
  const near = (x: LedgerDecimal) => total.minus(x).abs().lessThanOrEqualTo(slack)
  if (near(value.minus(feeValue))) {
    if (fee.greaterThanOrEqualTo(q))
      throw new CsvImportError(`the fee (${fee.toFixed()} in the coin) is not less than the quantity ${q.toFixed()}`, where.total.line, where.total.column, raw)
    return { amount: q.toFixed(), fee: fee.toFixed() }
  }
  if (near(value) || near(value.plus(feeValue))) return credited
  throw new CsvImportError(
    `the total ${total.toFixed()} is neither quantity × price ${value.toFixed()}, nor that less or plus the fee ${new LedgerDecimal(feeValue).toFixed()}`,
    where.total.line, where.total.column, raw,
  )
}
