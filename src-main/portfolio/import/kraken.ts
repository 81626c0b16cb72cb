import Decimal from 'decimal.js'
import type { LedgerEntryInput } from '../model'
import { CsvImportError } from './errors'
import { krakenLedger, parseKrakenLedger, type LedgerKey } from './kraken-ledger'
import { splitKrakenPair } from './pairs'
import { readTable, type Layout, type TableRow } from './table'
import { countSkip, type CsvParser, type ParsedImport, type ParseContext } from './types'
import type { Parsing } from './pace'
import { dateCell, decimalCell, feeCell, sideCell, type Where } from './values'

// Kraken's two exports: ledgers.csv (everything: trades, transfers, rewards; kraken-ledger.ts) and trades.csv
// (History → Export → Trades):
//   txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers
// vol is the base amount, price and fee are in the quote; txid is the trade id. Pairs are written without
// a separator and often in Kraken's legacy codes (XXBTZUSD → BTC/USD). Margin trades (margin > 0) do not
// move spot holdings and are counted as skipped.

type Key = 'txid' | 'pair' | 'time' | 'type' | 'price' | 'fee' | 'vol' | 'margin'
const trades: Layout<Key> = {
  name: 'trades',
  columns: {
    txid: ['txid'], pair: ['pair'], time: ['time'], type: ['type'], price: ['price'], fee: ['fee'], vol: ['vol'],
    margin: ['margin'],
  },
  optional: ['margin'],
}

const DATE = { noZone: 'utc', expected: 'YYYY-MM-DD HH:MM:SS.ssss, in UTC' } as const

export const parseKraken: CsvParser = function* (rows, context) {
  const table = yield* readTable<Key | LedgerKey>(rows, [trades, krakenLedger] as Layout<Key | LedgerKey>[], { format: 'Kraken' })
  return table.layout.name === krakenLedger.name
    ? yield* parseKrakenLedger(table.rows as TableRow<LedgerKey>[], context)
    : yield* parseTrades(table.rows as TableRow<Key>[], context)
}

function* parseTrades(rows: readonly TableRow<Key>[], { account }: ParseContext): Parsing<ParsedImport> {
  const entries: LedgerEntryInput[] = []
  const skipped: Record<string, number> = {}
  for (const row of rows) {
    yield
    const at = (column: Key): Where => ({ line: row.line, column: trades.columns[column][0]! })
    const margin = row.get('margin')
    if (margin !== '' && !new Decimal(decimalCell(margin, at('margin'), { sign: 'non-negative' })).isZero()) {
      countSkip(skipped, 'margin trade')
      continue
    }
    const txid = row.get('txid')
    if (txid === '') throw new CsvImportError('the trade id is empty', row.line, 'txid', txid)
    const rawPair = row.get('pair')
    const pair = splitKrakenPair(rawPair)
    if (!pair) throw new CsvImportError(`cannot tell the base and quote assets of the pair "${rawPair}"`, row.line, 'pair', rawPair)
    const fee = feeCell(row.get('fee'), at('fee'))
    entries.push({
      kind: 'trade', account, timestamp: dateCell(row.get('time'), at('time'), DATE), symbol: `${pair.base}/${pair.quote}`,
      base: pair.base, quote: pair.quote, side: sideCell(row.get('type'), at('type')),
      price: decimalCell(row.get('price'), at('price')), amount: decimalCell(row.get('vol'), at('vol')),
      fee: fee === null ? null : { asset: pair.quote, amount: fee }, source: 'csv', externalId: txid,
    })
  }
  return { format: 'kraken', layout: trades.name, rows: rows.length, entries, skipped }
}
