import Decimal from 'decimal.js'
import type { LedgerEntryInput } from '../model'
import type { PriceMarkInput } from '../pnl'
import { conversionTrade, type Side } from './conversion'
import { receiveFee } from './coinbase-receive'
import { sendFee } from './coinbase-send'
import { CsvImportError } from './errors'
import { splitSeparated } from './pairs'
import { readTable, type Layout } from './table'
import { countSkip, ownEntry, type CsvParser, type ParsedImport, type ParseContext } from './types'
import type { Parsing } from './pace'
import { assetCell, checkTotal, dateCell, decimalCell, feeCell, sideCell, type Where } from './values'

// Coinbase's exports.
// 1. The "transaction history" report: a preamble (a disclaimer, "Transactions", "User,…") above the table.
//    Buy/Sell and Advanced Trade Buy/Sell are trades of Asset against the spot price currency at the spot
//    price, the fee in that currency; Send/Receive/Deposit/Withdrawal move an asset in or out (a Send's fee,
//    stated in the spot currency, is the network fee paid in the coin: see coinbase-send.ts; a Receive's
//    rare fee was taken in the coin too: coinbase-receive.ts); Rewards Income,
//    Staking Income, Learning Reward, Inflation Reward and Interest are income, their spot price a price mark;
//    Convert is a conversion whose amounts are in its Notes ("Converted 0.1 ETH to 0.0059 BTC"; the fee is
//    Coinbase's spread, already in those amounts); every other type is counted as skipped. Newer reports
//    write prices as "$42,000.00" and sells' quantities as negative numbers; older ones had "USD Spot Price
//    at Transaction".
// 2. Coinbase Advanced's fills export (`portfolio,trade id,product,side,created at,size,size unit,price,fee,
//    total,price/fee/total unit`), whose trade ids become the ledger's external ids.

type HistoryKey = 'id' | 'timestamp' | 'type' | 'asset' | 'quantity' | 'currency' | 'price' | 'subtotal' | 'total' | 'fees' | 'notes'
const history: Layout<HistoryKey> = {
  name: 'transaction history',
  columns: {
    id: ['ID'],
    timestamp: ['Timestamp'],
    type: ['Transaction Type'],
    asset: ['Asset'],
    quantity: ['Quantity Transacted'],
    currency: ['Spot Price Currency', 'Price Currency'],
    price: ['Spot Price at Transaction', 'Price at Transaction', 'USD Spot Price at Transaction'],
    subtotal: ['Subtotal', 'USD Subtotal'],
    total: ['Total (inclusive of fees and/or spread)', 'Total (inclusive of fees)', 'USD Total (inclusive of fees)'],
    fees: ['Fees and/or Spread', 'Fees', 'USD Fees'],
    notes: ['Notes'],
  },
  // Only the oldest reports lack a currency column: they were all in USD.
  optional: ['id', 'currency', 'subtotal', 'total', 'notes'],
}

type FillKey = 'tradeId' | 'product' | 'side' | 'createdAt' | 'size' | 'sizeUnit' | 'price' | 'fee' | 'unit'
const fills: Layout<FillKey> = {
  name: 'Advanced fills',
  columns: {
    tradeId: ['trade id'],
    product: ['product'],
    side: ['side'],
    createdAt: ['created at'],
    size: ['size'],
    sizeUnit: ['size unit'],
    price: ['price'],
    fee: ['fee'],
    unit: ['price/fee/total unit'],
  },
}

/** The memo of a trade read from the Advanced fills export (see coinbase-overlap.ts). */
export const ADVANCED_FILL = 'Coinbase Advanced fill'

const DATE = { noZone: 'utc', expected: 'ISO-8601 like 2024-01-15T10:23:45Z or 2024-01-15 10:23:45 UTC' } as const
const MONEY = { thousands: true, currencySign: true } as const
// How far down the header may be: the preamble is a few lines.
const HEADER_SEARCH = 12

const TRADE_TYPES: Record<string, 'buy' | 'sell'> = {
  buy: 'buy', 'advanced trade buy': 'buy', sell: 'sell', 'advanced trade sell': 'sell',
}
const TRANSFER_TYPES: Record<string, 'deposit' | 'withdrawal' | 'income'> = {
  receive: 'deposit', deposit: 'deposit', send: 'withdrawal', withdrawal: 'withdrawal',
  'rewards income': 'income', 'staking income': 'income', 'learning reward': 'income', 'inflation reward': 'income',
  'coinbase earn': 'income', interest: 'income',
}

export const parseCoinbase: CsvParser = function* (csvRows, context) {
  const table = yield* readTable<HistoryKey | FillKey>(csvRows, [fills, history] as Layout<HistoryKey | FillKey>[], {
    format: 'Coinbase',
    searchRows: HEADER_SEARCH,
  })
  return table.layout.name === fills.name
    ? yield* parseFills(table.rows, context)
    : yield* parseHistory(table.rows, context, table.layout as Layout<HistoryKey>)
}

type Rows<K extends string> = { line: number; get(key: K): string; has(key: K): boolean }[]

function* parseHistory(rows: Rows<HistoryKey>, { account }: ParseContext, layout: Layout<HistoryKey>): Parsing<ParsedImport> {
  const entries: LedgerEntryInput[] = []
  const skipped: Record<string, number> = {}
  const marks: PriceMarkInput[] = []
  for (const row of rows) {
    yield
    const at = (column: HistoryKey): Where => ({ line: row.line, column: layout.columns[column][0]! })
    const type = row.get('type')
    if (type === '') throw new CsvImportError('the transaction type is empty', row.line, at('type').column, type)
    const side = ownEntry(TRADE_TYPES, type.toLowerCase())
    const transfer = ownEntry(TRANSFER_TYPES, type.toLowerCase())
    if (type.toLowerCase() === 'convert') {
      const converted = conversionOf(row.get('notes'), assetCell(row.get('asset'), at('asset')), at('notes'))
      if (converted === null) countSkip(skipped, 'Convert (no amounts in its Notes)')
      else entries.push({ ...conversionTrade(account, dateCell(row.get('timestamp'), at('timestamp'), DATE), converted.spent, converted.received, 'csv', null), ...reportId(type, row.get('id')) })
      continue
    }
    if (!side && !transfer) {
      countSkip(skipped, type)
      continue
    }
    const timestamp = dateCell(row.get('timestamp'), at('timestamp'), DATE)
    const asset = assetCell(row.get('asset'), at('asset'))
    const outgoing = side === 'sell' || transfer === 'withdrawal'
    const amount = unsignedQuantity(row.get('quantity'), outgoing, at('quantity'))
    const currency = row.has('currency') ? assetCell(row.get('currency'), at('currency')) : 'USD'
    const feeAmount = feeCell(row.get('fees'), at('fees'), MONEY)
    const fee = feeAmount === null ? null : { asset: currency, amount: feeAmount }
    const externalId = null
    if (side) {
      const price = decimalCell(row.get('price'), at('price'), MONEY)
      if (row.has('subtotal') && row.get('subtotal') !== '')
        checkTotal(price, amount, unsignedSubtotal(row.get('subtotal'), at('subtotal')), at('subtotal'))
      entries.push({
        kind: 'trade', account, timestamp, symbol: `${asset}/${currency}`, base: asset, quote: currency, side, price,
        amount, fee, source: 'csv', externalId, ...reportId(type, row.get('id')),
      })
    } else if (transfer === 'withdrawal' && fee !== null && asset !== currency) {
      // A Send's Fees column is the network fee valued in the spot currency; the fee left in the coin sent.
      const sent = sendFee(row, amount, fee.amount, { price: at('price'), total: at('total') })
      entries.push({
        kind: 'withdrawal', account, timestamp, asset, amount: sent.amount, fee: { asset, amount: sent.fee }, source: 'csv', externalId, ...reportId(type, row.get('id')),
        // Earlier versions stored the quantity with the fee as a payment in the spot currency: that row is this one.
        formerBooking: { amount, fee },
      })
    } else if (transfer === 'deposit' && fee !== null && asset !== currency) {
      // A Receive's fee, if any, is stated in the spot currency but was taken in the coin received.
      const got = receiveFee(row, amount, fee.amount, { price: at('price'), total: at('total') })
      entries.push({
        kind: 'deposit', account, timestamp, asset, amount: got.amount, fee: { asset, amount: got.fee }, source: 'csv', externalId, ...reportId(type, row.get('id')),
        // Earlier versions stored the quantity with the fee as a payment in the spot currency: that row is this one.
        formerBooking: { amount, fee },
      })
    } else {
      entries.push({ kind: transfer!, account, timestamp, asset, amount, fee, source: 'csv', externalId, ...reportId(type, row.get('id')), ...(transfer === 'income' ? { memo: type.slice(0, 120) } : {}) })
      // What the income was worth, as Coinbase states it (an empty price leaves it to the ledger's prices).
      if (transfer === 'income' && row.get('price') !== '') marks.push({ asset, quote: currency, price: decimalCell(row.get('price'), at('price'), MONEY), at: timestamp })
    }
  }
  return { format: 'coinbase', layout: history.name, rows: rows.length, entries, skipped, marks }
}

/**
 * Report rows are deduplicated by content, not by their ID: the 2021 reports had no ID column, and the same
 * trade in an old and a new report must be stored once. The ID stays with the row as its memo (income keeps
 * its type there), and as the id earlier versions stored it under.
 */
function reportId(type: string, id: string): { memo: string; formerExternalId: string | null } {
  return { memo: (id === '' ? type : `${type} ${id}`).slice(0, 120), formerExternalId: id === '' ? null : id }
}

const CONVERTED = /^converted\s+(\S+)\s+([a-z0-9]+)\s+to\s+(\S+)\s+([a-z0-9]+)\s*$/i

/** "Converted 1,000 USDC to 0.5 ETH" → what left and what arrived; null when the notes do not say. */
function conversionOf(notes: string, asset: string, where: Where): { spent: Side; received: Side } | null {
  const m = CONVERTED.exec(notes.trim())
  if (!m) return null
  const from = m[2]!.toUpperCase()
  if (from !== asset) throw new CsvImportError(`the notes convert ${from}, but the row's asset is ${asset}`, where.line, where.column, notes)
  return {
    spent: { asset: from, amount: decimalCell(m[1]!, where, MONEY) },
    received: { asset: m[4]!.toUpperCase(), amount: decimalCell(m[3]!, where, MONEY) },
  }
}

/** Newer reports sign quantities (sells and sends negative); older ones don't. A sign against the type is an error. */
function unsignedQuantity(raw: string, outgoing: boolean, where: Where): string {
  const value = new Decimal(decimalCell(raw, where, { ...MONEY, sign: 'signed' }))
  if (value.isZero()) throw new CsvImportError(`"${raw}" must not be zero`, where.line, where.column, raw)
  if (value.isNegative() && !outgoing)
    throw new CsvImportError(`"${raw}" is negative on an incoming transaction`, where.line, where.column, raw)
  return value.abs().toFixed()
}

/** Newer reports write a sell's subtotal as "-$174.00"; only its size is compared. */
function unsignedSubtotal(raw: string, where: Where): string {
  return new Decimal(decimalCell(raw, where, { ...MONEY, sign: 'signed' })).abs().toFixed()
}

function* parseFills(rows: Rows<FillKey>, { account }: ParseContext): Parsing<ParsedImport> {
  const entries: LedgerEntryInput[] = []
  for (const row of rows) {
    const at = (column: FillKey): Where => ({ line: row.line, column: fills.columns[column][0]! })
    const product = row.get('product')
    const pair = splitSeparated(product)
    if (!pair)
      throw new CsvImportError(`"${product}" is not a product like BTC-USD`, row.line, at('product').column, product)
    const unit = assetCell(row.get('unit'), at('unit'))
    if (unit !== pair.quote)
      throw new CsvImportError(`prices and fees in ${unit} on ${product} are not supported (expected ${pair.quote})`, row.line, at('unit').column, unit)
    const sizeUnit = assetCell(row.get('sizeUnit'), at('sizeUnit'))
    // A size in the quote asset would need a division to get the base amount, which would not be exact.
    if (sizeUnit !== pair.base)
      throw new CsvImportError(`a size in ${sizeUnit} is not supported (expected ${pair.base}, the product's base)`, row.line, at('sizeUnit').column, sizeUnit)
    const feeAmount = feeCell(row.get('fee'), at('fee'))
    const tradeId = row.get('tradeId')
    if (tradeId === '') throw new CsvImportError('the trade id is empty', row.line, at('tradeId').column, tradeId)
    entries.push({
      kind: 'trade', account, timestamp: dateCell(row.get('createdAt'), at('createdAt'), DATE), symbol: `${pair.base}/${pair.quote}`,
      base: pair.base, quote: pair.quote, side: sideCell(row.get('side'), at('side')),
      price: decimalCell(row.get('price'), at('price')), amount: decimalCell(row.get('size'), at('size')),
      fee: feeAmount === null ? null : { asset: unit, amount: feeAmount }, source: 'csv', externalId: tradeId, memo: ADVANCED_FILL,
    })
    yield
  }
  return { format: 'coinbase', layout: fills.name, rows: rows.length, entries, skipped: {} }
}
