import type { LedgerEntryInput } from '../model'
import type { PriceMarkInput } from '../pnl'
import { ratio } from './conversion'
import { CsvImportError } from './errors'
import { readTable, type Layout } from './table'
import { ownEntry, type CsvParser } from './types'
import { assetCell, dateCell, decimalCell, feeCell, sideCell, type Where } from './values'

// The generic format, for any other source (see docs/import-formats.md):
//   timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id
// timestamp: ISO-8601 with a zone, or epoch milliseconds. type: trade | deposit | withdrawal | income (a
// transfer uses base for its asset and leaves side empty; staking, reward, airdrop and interest are income).
// An income row may give its value as price in quote (a price mark); else the ledger's prices value it.
// trade_id is optional (the dedup key when given). A trade may state its quote amount exactly in an optional
// total column (a conversion); its price may then be left empty (the ratio, rounded, is shown).

type Key = 'timestamp' | 'type' | 'base' | 'quote' | 'side' | 'price' | 'amount' | 'fee' | 'feeAsset' | 'tradeId' | 'total'
const generic: Layout<Key> = {
  name: 'generic',
  columns: {
    timestamp: ['timestamp'], type: ['type'], base: ['base'], quote: ['quote'], side: ['side'], price: ['price'],
    amount: ['amount'], fee: ['fee'], feeAsset: ['fee_asset'], tradeId: ['trade_id'], total: ['total'],
  },
  optional: ['tradeId', 'total'],
}

const DATE = { noZone: 'reject', epochMs: true, expected: 'ISO-8601 with a zone, like 2024-01-15T10:23:45Z, or epoch milliseconds' } as const

const TYPES: Record<string, LedgerEntryInput['kind']> = {
  trade: 'trade', deposit: 'deposit', withdrawal: 'withdrawal',
  income: 'income', staking: 'income', reward: 'income', airdrop: 'income', interest: 'income',
}

export const parseGeneric: CsvParser = function* (csvRows, { account }) {
  const table = yield* readTable(csvRows, [generic], { format: 'generic' })
  const marks: PriceMarkInput[] = []
  const ids = new Map<string, { line: number; entry: string }>()
  const entries: LedgerEntryInput[] = []
  for (const row of table.rows) {
    const entry = genericEntry(row)
    if (entry.externalId) refuseRepeatedId(ids, entry, row.line)
    entries.push(entry)
    yield
  }
  return { format: 'generic', layout: generic.name, rows: table.rows.length, entries, skipped: {}, marks }

  function genericEntry(row: (typeof table.rows)[number]): LedgerEntryInput {
    const at = (column: Key): Where => ({ line: row.line, column: generic.columns[column][0]! })
    const type = ownEntry(TYPES, row.get('type').toLowerCase())
    if (type === undefined)
      throw new CsvImportError(`"${row.get('type')}" is not a type (expected trade, deposit, withdrawal or income: staking, reward, airdrop, interest)`, row.line, 'type', row.get('type'))
    const timestamp = dateCell(row.get('timestamp'), at('timestamp'), DATE)
    const base = assetCell(row.get('base'), at('base'))
    const amount = decimalCell(row.get('amount'), at('amount'))
    const feeAmount = feeCell(row.get('fee'), at('fee'))
    const fee = feeAmount === null ? null : { asset: assetCell(row.get('feeAsset'), at('feeAsset')), amount: feeAmount }
    const externalId = row.get('tradeId') || null
    if (type === 'trade') {
      const quote = assetCell(row.get('quote'), at('quote'))
      const total = row.get('total') === '' ? null : decimalCell(row.get('total'), at('total'))
      const price = total !== null && row.get('price') === '' ? ratio(total, amount) : decimalCell(row.get('price'), at('price'))
      return {
        kind: 'trade', account, timestamp, symbol: `${base}/${quote}`, base, quote, side: sideCell(row.get('side'), at('side')),
        price, amount, ...(total === null ? {} : { total }), fee, source: 'csv', externalId,
      }
    }
    if (type === 'income' && row.get('price') !== '') {
      marks.push({ asset: base, quote: assetCell(row.get('quote'), at('quote')), price: decimalCell(row.get('price'), at('price')), at: timestamp })
    }
    // The row's own word for income ("airdrop", "staking") says what it was.
    return { kind: type, account, timestamp, asset: base, amount, fee, source: 'csv', externalId, ...(type === 'income' ? { memo: row.get('type').toLowerCase() } : {}) }
  }
}

/**
 * A trade_id is the ledger's key for its row: a second row with it would be dropped as "already in the
 * ledger". Refused instead, naming both lines — rows that differ (an order id given to each fill) and the
 * same row repeated alike, since the file cannot tell a duplicate line from two fills given one id. Rows
 * without an id are matched by content, and identical ones both count (as Binance's identical fills).
 */
function refuseRepeatedId(ids: Map<string, { line: number; entry: string }>, entry: LedgerEntryInput, line: number): void {
  const id = entry.externalId as string
  const text = JSON.stringify(entry)
  const first = ids.get(id)
  if (first === undefined) {
    ids.set(id, { line, entry: text })
    return
  }
  const how =
    first.entry === text
      ? 'the same row repeated; a trade_id names one trade — delete the repeated row, or if these are two fills give each its own trade_id (or leave it empty: identical rows without one both count)'
      : 'which differs; a trade_id names one trade — give each row its own, or leave trade_id empty'
  throw new CsvImportError(`"${id}" is also the trade_id of line ${first.line}, ${how}`, line, 'trade_id', id)
}
