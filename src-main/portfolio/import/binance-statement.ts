import Decimal from 'decimal.js'
import type { LedgerEntryInput } from '../model'
import { conversionTrade, type Side } from './conversion'
import { CsvImportError } from './errors'
import type { Layout, TableRow } from './table'
import { countSkip, type ParsedImport, type ParseContext } from './types'
import type { Parsing } from './pace'
import { assetCell, dateCell, decimalCell, transferAmount, type Where } from './values'

// Binance's transaction history (Orders → Transaction History → Generate all statements), one row per
// change of one coin's balance in one wallet:
//   User_ID,UTC_Time,Account,Operation,Coin,Change,Remark
// What it adds to the trade history: deposits, withdrawals and rewards (Simple Earn interest, staking,
// airdrops, distributions, Launchpool, vouchers, referral commission) and Binance Convert (a pair of rows
// at one time: one conversion), which appear nowhere else. Spot trades are one row per side and are in the
// Trade History export too: they are skipped (counted by operation) and read from there, into the same
// account. Moves between Binance's own wallets (Spot, Funding, Earn: subscriptions, redemptions,
// transfers) change nothing in a ledger account and are counted as skipped.

export type StatementKey = 'time' | 'operation' | 'coin' | 'change' | 'account'
export const binanceStatement: Layout<StatementKey> = {
  name: 'transaction history',
  columns: { time: ['UTC_Time'], operation: ['Operation'], coin: ['Coin'], change: ['Change'], account: ['Account'] },
  optional: ['account'],
}

const DATE = { noZone: 'utc', twoDigitYear: true, expected: 'YYYY-MM-DD HH:MM:SS, in UTC (export with UTC+0 chosen)' } as const

/** Operations that are rewards, lower-cased. */
const INCOME = new Set([
  'simple earn flexible interest', 'simple earn locked rewards', 'simple earn flexible airdrop', 'staking rewards',
  'eth 2.0 staking rewards', 'bnb vault rewards', 'savings interest', 'pos savings interest', 'launchpool interest',
  'launchpool airdrop', 'launchpool airdrop - system distribution', 'launchpool airdrop - user claim distribution',
  'hodler airdrops distribution', 'earn - airdrop distribution', 'airdrop assets', 'distribution', 'cash voucher',
  'cash voucher distribution', 'mission reward distribution', 'referral commission', 'commission rebate', 'crypto box',
])
const DEPOSITS = new Set(['deposit', 'fiat deposit'])
const WITHDRAWALS = new Set(['withdraw', 'withdrawal', 'fiat withdraw', 'fiat withdrawal'])

export function* parseBinanceStatement(rows: readonly TableRow<StatementKey>[], { account }: ParseContext): Parsing<ParsedImport> {
  const entries: LedgerEntryInput[] = []
  const skipped: Record<string, number> = {}
  const swaps = yield* tokenSwaps(rows)
  const converts = new Map<string, ConvertLeg[]>()
  for (const row of rows) {
    yield
    const at = (column: StatementKey): Where => ({ line: row.line, column: binanceStatement.columns[column][0]! })
    const operation = row.get('operation')
    if (operation === '') throw new CsvImportError('the operation is empty', row.line, at('operation').column, operation)
    const op = operation.toLowerCase()
    if (op === 'binance convert') {
      const time = row.get('time')
      converts.set(time, [...(converts.get(time) ?? []), convertLeg(row)])
      continue
    }
    const kind = DEPOSITS.has(op) ? 'deposit' : WITHDRAWALS.has(op) ? 'withdrawal' : INCOME.has(op) ? 'income' : null
    if (kind === null) {
      countSkip(skipped, operation)
      continue
    }
    if (kind === 'income' && swaps.has(swapKey(row))) {
      countSkip(skipped, `${operation}, token swap`)
      continue
    }
    const amount = transferAmount(row.get('change'), kind, operation, at('change'))
    // A reward taken back is not income.
    if (amount === 'taken back') {
      countSkip(skipped, `${operation}, outgoing`)
      continue
    }
    entries.push({
      kind, account, timestamp: dateCell(row.get('time'), at('time'), DATE), asset: assetCell(row.get('coin'), at('coin')),
      amount, fee: null, source: 'csv', externalId: null, ...(kind === 'income' ? { memo: operation.slice(0, 120) } : {}),
    })
  }
  for (const legs of converts.values()) {
    yield
    const out = legs.filter((l) => l.out)
    const into = legs.filter((l) => !l.out)
    if (out.length !== 1 || into.length !== 1) {
      for (const _ of legs) countSkip(skipped, 'Binance Convert (unpaired)')
      continue
    }
    entries.push(conversionTrade(account, into[0]!.timestamp, out[0]!.side, into[0]!.side, 'csv', null))
  }
  return { format: 'binance', layout: binanceStatement.name, rows: rows.length, entries, skipped }
}

interface ConvertLeg {
  timestamp: number
  side: Side
  out: boolean
}

/** One side of a Binance Convert: the coin and how much of it left (negative) or arrived. */
function convertLeg(row: TableRow<StatementKey>): ConvertLeg {
  const at = (column: StatementKey): Where => ({ line: row.line, column: binanceStatement.columns[column][0]! })
  const raw = row.get('change')
  const change = new Decimal(decimalCell(raw, at('change'), { sign: 'signed' }))
  if (change.isZero()) throw new CsvImportError(`"${raw}" must not be zero`, row.line, at('change').column, raw)
  return {
    timestamp: dateCell(row.get('time'), at('time'), DATE),
    side: { asset: assetCell(row.get('coin'), at('coin')), amount: change.abs().toFixed() },
    out: change.isNegative(),
  }
}

const swapKey = (row: TableRow<StatementKey>) => `${row.get('time')}|${row.get('operation').toLowerCase()}`

/**
 * Binance books a token swap or redenomination (BTT → BTTC) as a "Distribution" or "Airdrop Assets" pair at
 * one time: the old coin taken away, the new one credited. That is no reward: both rows are skipped.
 */
function* tokenSwaps(rows: readonly TableRow<StatementKey>[]): Parsing<Set<string>> {
  const taken = new Set<string>()
  const given = new Set<string>()
  for (const row of rows) {
    yield
    if (!INCOME.has(row.get('operation').toLowerCase())) continue
    if (row.get('change').trim().startsWith('-')) taken.add(swapKey(row))
    else given.add(swapKey(row))
  }
  return new Set([...taken].filter((key) => given.has(key)))
}
