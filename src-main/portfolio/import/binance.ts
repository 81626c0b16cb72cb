import type { LedgerEntryInput } from '../model'
import { CsvImportError } from './errors'
import { binanceStatement, parseBinanceStatement, type StatementKey } from './binance-statement'
import { BINANCE_AMBIGUOUS_PAIRS, BINANCE_QUOTES, splitsByQuotes, type Pair } from './pairs'
import { readTable, type Layout, type Table, type TableRow } from './table'
import { ownEntry, type CsvParser, type ParsedImport, type ParseContext } from './types'
import type { Parsing } from './pace'
import { assetCell, checkTotal, dateCell, decimalCell, feeCell, sideCell, type Where } from './values'
import { headerZoneOffsetMs, ZONED_DATE_HEADER } from './header-zone'

// Binance's transaction history statement (deposits, withdrawals, rewards: binance-statement.ts), and its
// spot "Trade History" exports, of which two layouts are in the wild:
//   Date(UTC),Pair,Side,Price,Executed,Amount,Fee             amounts carry their asset: 0.5BTC, 0.0001BNB
//   Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin     plain amounts, the fee's asset in its own column
// The date header names the zone the user chose for the export (Date(UTC+1), Date(UTC-5), Date(UTC+05:30):
// header-zone.ts); its times are that zone's and are converted to UTC.
// Neither has a trade id, so the ledger deduplicates these rows by content.

type Key = 'date' | 'pair' | 'side' | 'price' | 'executed' | 'amount' | 'total' | 'fee' | 'feeCoin'

const suffixed: Layout<Key> = {
  name: 'trade history',
  columns: {
    date: ['Date(UTC)'], pair: ['Pair'], side: ['Side'], price: ['Price'], executed: ['Executed'], amount: ['Amount'],
    fee: ['Fee'], total: [], feeCoin: [],
  },
  optional: ['total', 'feeCoin'],
  patterns: { date: ZONED_DATE_HEADER },
}
const plain: Layout<Key> = {
  name: 'trade history with fee coin',
  columns: {
    date: ['Date(UTC)'], pair: ['Market'], side: ['Type'], price: ['Price'], amount: ['Amount'], total: ['Total'],
    fee: ['Fee'], feeCoin: ['Fee Coin'], executed: [],
  },
  optional: ['executed'],
  patterns: { date: ZONED_DATE_HEADER },
}

const DATE = { noZone: 'utc', twoDigitYear: true } as const
const NUMBER = { thousands: true } as const

export const parseBinance: CsvParser = function* (rows, context) {
  const table = yield* readTable<Key | StatementKey>(rows, [plain, suffixed, binanceStatement] as Layout<Key | StatementKey>[], { format: 'Binance' })
  return table.layout.name === binanceStatement.name
    ? yield* parseBinanceStatement(table.rows as TableRow<StatementKey>[], context)
    : yield* parseTrades(table as Table<Key>, context)
}

function* parseTrades(table: Table<Key>, { account }: ParseContext): Parsing<ParsedImport> {
  const { rows, layout } = table
  const withCoin = layout === plain
  const dateHeader = table.headerOf('date') ?? 'Date(UTC)'
  const offset = headerZoneOffsetMs(dateHeader, table.headerLine)
  const date = { ...DATE, noZoneOffsetMs: offset, expected: `YYYY-MM-DD HH:MM:SS, in ${offset === 0 ? 'UTC' : `the header's zone (${dateHeader})`}` }
  const entries: LedgerEntryInput[] = []
  for (const row of rows) {
    const at = (column: Key): Where => ({ line: row.line, column: column === 'date' ? dateHeader : layout.columns[column][0]! })
    const pair = splitPair(row, at('pair'), withCoin)
    const timestamp = dateCell(row.get('date'), at('date'), date)
    const side = sideCell(row.get('side'), at('side'))
    const price = decimalCell(row.get('price'), at('price'), NUMBER)
    let amount: string
    let fee: { asset: string; amount: string } | null
    if (withCoin) {
      amount = decimalCell(row.get('amount'), at('amount'), NUMBER)
      checkTotal(price, amount, decimalCell(row.get('total'), at('total'), NUMBER), at('total'))
      const feeAmount = feeCell(row.get('fee'), at('fee'), NUMBER)
      fee = feeAmount === null ? null : { asset: assetCell(row.get('feeCoin'), at('feeCoin')), amount: feeAmount }
    } else {
      amount = decimalCell(withAsset(row.get('executed'), pair.base, at('executed')), at('executed'), NUMBER)
      checkTotal(price, amount, decimalCell(withAsset(row.get('amount'), pair.quote, at('amount')), at('amount'), NUMBER), at('amount'))
      fee = suffixedFee(row.get('fee'), pair, at('fee'))
    }
    entries.push({
      kind: 'trade', account, timestamp, symbol: `${pair.base}/${pair.quote}`, base: pair.base, quote: pair.quote,
      side, price, amount, fee, source: 'csv', externalId: null,
    })
    yield
  }
  return { format: 'binance', layout: layout.name, rows: rows.length, entries, skipped: {} }
}

/**
 * A pair name may end in two quote assets (ADAEUR: AEUR or EUR). The row decides where it can: in the
 * suffixed layout Executed and Amount carry the base and quote; in the fee-coin layout a fee paid in one of
 * the pair's assets names it. Otherwise a known ambiguous pair is looked up, else the longest quote wins.
 */
function splitPair(row: TableRow<Key>, where: Where, withCoin: boolean): Pair {
  const raw = row.get('pair')
  const splits = splitsByQuotes(raw, BINANCE_QUOTES)
  if (splits.length === 0)
    throw new CsvImportError(
      `cannot tell the base and quote assets of the pair "${raw}" (known quote assets: ${BINANCE_QUOTES.join(', ')})`,
      where.line, where.column, raw,
    )
  if (splits.length === 1) return splits[0]!
  const fitting = withCoin
    ? splits.find((s) => [s.base, s.quote].includes(row.get('feeCoin').trim().toUpperCase()))
    : splits.find((s) => isAmountOf(row.get('executed'), s.base) && isAmountOf(row.get('amount'), s.quote))
  return fitting ?? ownEntry(BINANCE_AMBIGUOUS_PAIRS, raw.trim().toUpperCase()) ?? splits[0]!
}

/** "1000.0ADA" is an amount of ADA; "1000.0ADA" is not one of AD. */
const isAmountOf = (cell: string, asset: string) => {
  const text = cell.trim().toUpperCase()
  return text.endsWith(asset) && /^[+-]?[\d.,]+$/.test(text.slice(0, -asset.length))
}

/** "0.5BTC" → "0.5", checking the asset is the one expected. */
function withAsset(raw: string, asset: string, where: Where): string {
  const text = raw.trim()
  if (!text.toUpperCase().endsWith(asset) || text.length === asset.length)
    throw new CsvImportError(`"${raw}" should be an amount of ${asset}, like 0.5${asset}`, where.line, where.column, raw)
  return text.slice(0, -asset.length)
}

/** "0.0001BNB": the fee's asset is usually the base, the quote or BNB; otherwise whatever follows the number. */
function suffixedFee(raw: string, pair: Pair, where: Where): { asset: string; amount: string } | null {
  const text = raw.trim()
  if (text === '') return null
  const upper = text.toUpperCase()
  const known = [pair.base, pair.quote, 'BNB'].sort((a, b) => b.length - a.length).find((a) => upper.endsWith(a) && upper.length > a.length)
  const match = known ? [text, text.slice(0, -known.length), known] : /^([0-9.,]+)([A-Za-z][A-Za-z0-9]*)$/.exec(text)
  if (!match) throw new CsvImportError(`"${raw}" should be a fee with its asset, like 0.0001BNB`, where.line, where.column, raw)
  const amount = feeCell(match[1]!, where, NUMBER)
  return amount === null ? null : { asset: match[2]!.toUpperCase(), amount }
}
