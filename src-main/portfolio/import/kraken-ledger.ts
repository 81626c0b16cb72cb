import Decimal from 'decimal.js'
import type { LedgerEntryInput } from '../model'
import { conversionTrade, type Side } from './conversion'
import { CsvImportError } from './errors'
import { krakenAsset } from './pairs'
import type { Layout, TableRow } from './table'
import { countSkip, type ParsedImport, type ParseContext } from './types'
import { assetCell, dateCell, feeCell, transferAmount, type Where } from './values'

// Kraken's ledgers.csv (History → Export → Ledgers): one row per change of one asset's balance.
//   txid,refid,time,type,subtype,aclass,asset,wallet,amount,fee,balance
// What it adds to trades.csv: deposits, withdrawals and rewards (staking, Kraken Rewards, opt-in rewards,
// invite bonuses), and Buy Crypto / app purchases (a `spend` and a `receive` row sharing a refid: one
// conversion, fees folded into its sides), which appear nowhere else. Its `trade` rows are one row per side
// and are in trades.csv too: they are skipped (counted) and read from there, into the same account. Kraken
// books staked and reward-earning balances under suffixed codes (DOT.S, USDC.M, ETH2.S); they are the same
// coins, so the suffix is dropped, and moves between those wallets (earn allocation, spot-to-staking
// transfers) change nothing here.

export type LedgerKey = 'txid' | 'refid' | 'time' | 'type' | 'subtype' | 'asset' | 'amount' | 'fee'
export const krakenLedger: Layout<LedgerKey> = {
  name: 'ledgers',
  columns: {
    txid: ['txid'], refid: ['refid'], time: ['time'], type: ['type'], subtype: ['subtype'], asset: ['asset'],
    amount: ['amount'], fee: ['fee'],
  },
  optional: ['subtype'],
}

const DATE = { noZone: 'utc', expected: 'YYYY-MM-DD HH:MM:SS[.ssss], in UTC' } as const

/** Rewards, by type (any subtype) or type/subtype. */
const INCOME = new Set(['staking', 'earn/reward', 'invite bonus'])
/** The wallet suffixes Kraken writes on staked / reward-earning balances (and its cash-rewards hold). */
const WALLET_SUFFIX = /\.(S|M|P|F|B|HOLD)$/

/** XXBT → BTC, DOT.S → DOT, ETH2.S → ETH (Kraken's staked ether, the same coin), XBT.M → BTC. */
export function krakenLedgerAsset(code: string): string {
  const bare = code.toUpperCase().replace(WALLET_SUFFIX, '')
  const asset = krakenAsset(bare)
  return asset === 'ETH2' ? 'ETH' : asset
}

interface Leg {
  txid: string
  timestamp: number
  side: Side
}

export function parseKrakenLedger(rows: readonly TableRow<LedgerKey>[], { account }: ParseContext): ParsedImport {
  const entries: LedgerEntryInput[] = []
  const skipped: Record<string, number> = {}
  const conversions = new Map<string, { spend: Leg[]; receive: Leg[] }>()
  for (const row of rows) {
    const at = (column: LedgerKey): Where => ({ line: row.line, column: krakenLedger.columns[column][0]! })
    const type = row.get('type').toLowerCase()
    if (type === '') throw new CsvImportError('the ledger type is empty', row.line, 'type', row.get('type'))
    const subtype = row.get('subtype').toLowerCase()
    const named = subtype === '' ? type : `${type} (${subtype})`
    // Kraken lists a deposit once while it is pending, without a ledger id, and again when credited.
    const txid = row.get('txid')
    if (txid === '') {
      countSkip(skipped, `${named}, pending (no ledger id)`)
      continue
    }
    if (type === 'spend' || type === 'receive') {
      const refid = row.get('refid')
      const group = conversions.get(refid) ?? { spend: [], receive: [] }
      group[type].push(conversionLeg(row, type, txid))
      conversions.set(refid, group)
      continue
    }
    const kind = type === 'deposit' ? 'deposit' : type === 'withdrawal' ? 'withdrawal' : INCOME.has(type) || INCOME.has(`${type}/${subtype}`) ? 'income' : null
    if (kind === null) {
      countSkip(skipped, named)
      continue
    }
    const code = assetCell(row.get('asset'), at('asset'))
    // KFEE are Kraken's fee credits, not an asset anyone holds.
    if (code === 'KFEE') {
      countSkip(skipped, `${named} of KFEE (fee credits)`)
      continue
    }
    const amount = transferAmount(row.get('amount'), kind, type, at('amount'))
    // A reward paid back is not income.
    if (amount === 'taken back') {
      countSkip(skipped, `${named}, outgoing`)
      continue
    }
    const asset = krakenLedgerAsset(code)
    const fee = feeCell(row.get('fee'), at('fee'))
    entries.push({
      kind, account, timestamp: dateCell(row.get('time'), at('time'), DATE), asset, amount,
      fee: fee === null ? null : { asset, amount: fee }, source: 'csv', externalId: txid,
    })
  }
  for (const [refid, { spend, receive }] of conversions) {
    const [out] = spend
    const [into] = receive
    if (refid === '' || spend.length !== 1 || receive.length !== 1 || !out || !into) {
      for (const _ of spend) countSkip(skipped, 'spend (unpaired)')
      for (const _ of receive) countSkip(skipped, 'receive (unpaired)')
      continue
    }
    entries.push(conversionTrade(account, into.timestamp, out.side, into.side, 'csv', into.txid))
  }
  return { format: 'kraken', layout: krakenLedger.name, rows: rows.length, entries, skipped }
}

/** One side of a Buy Crypto purchase, its fee folded in: what left (amount + fee), what arrived (amount − fee). */
function conversionLeg(row: TableRow<LedgerKey>, type: 'spend' | 'receive', txid: string): Leg {
  const at = (column: LedgerKey): Where => ({ line: row.line, column: krakenLedger.columns[column][0]! })
  // A spend leaves like a withdrawal, a receive arrives like a deposit: the same sign rule.
  const moved = new Decimal(transferAmount(row.get('amount'), type === 'spend' ? 'withdrawal' : 'deposit', type, at('amount')))
  const fee = new Decimal(feeCell(row.get('fee'), at('fee')) ?? 0)
  const amount = type === 'spend' ? moved.plus(fee) : moved.minus(fee)
  if (!amount.isPositive() || amount.isZero()) throw new CsvImportError(`the fee ${fee.toFixed()} takes all of the ${moved.toFixed()} received`, row.line, 'fee', row.get('fee'))
  const asset = krakenLedgerAsset(assetCell(row.get('asset'), at('asset')))
  return { txid, timestamp: dateCell(row.get('time'), at('time'), DATE), side: { asset, amount: amount.toFixed() } }
}
