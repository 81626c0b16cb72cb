import { LedgerDecimal } from '../arith'
import type { LedgerEntryInput } from '../model'
import { conversionTrade, type Side } from './conversion'
import { CsvImportError } from './errors'
import { krakenAsset } from './pairs'
import type { Layout, TableRow } from './table'
import { countSkip, type ParsedImport, type ParseContext } from './types'
import type { Parsing } from './pace'
import { assetCell, dateCell, feeCell, transferAmount, type Where } from './values'

// Kraken's ledgers.csv (History → Export → Ledgers): one row per change of one asset's balance.
//   txid,refid,time,type,subtype,aclass,asset,wallet,amount,fee,balance
// It holds everything the account did: deposits, withdrawals, rewards (staking, Kraken Rewards, opt-in
// rewards, invite bonuses), Buy Crypto / app purchases (a `spend` and a `receive` row sharing a refid) and
// trades (two `trade` rows sharing a refid, which is the trade's id in trades.csv). A pair is one
// conversion, fees folded into its sides; a trade keeps its trade id, so the same trade from trades.csv,
// imported into the same account before or after, is stored once. Kraken
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

type PairedType = 'spend' | 'receive' | 'trade'

interface Leg {
  type: PairedType
  txid: string
  timestamp: number
  side: Side
  out: boolean
}

export function* parseKrakenLedger(rows: readonly TableRow<LedgerKey>[], { account }: ParseContext): Parsing<ParsedImport> {
  const entries: LedgerEntryInput[] = []
  const skipped: Record<string, number> = {}
  // Rows that make one movement together, by refid (a trade's two sides; a purchase's spend and receive).
  const pairs = new Map<string, { refid: string; trade: boolean; legs: Leg[] }>()
  for (const row of rows) {
    yield
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
    if (type === 'spend' || type === 'receive' || type === 'trade') {
      // A trade paid with fee credits has a third row: KFEE, amount 0, the fee in credits. The credits are
      // not an asset anyone holds, and the trade's own two rows are the trade.
      if (assetCell(row.get('asset'), at('asset')) === 'KFEE') {
        countSkip(skipped, `${named} of KFEE (fee credits)`)
        continue
      }
      const refid = row.get('refid')
      const key = `${type === 'trade' ? 'trade' : 'purchase'}|${refid}`
      const group = pairs.get(key) ?? { refid, trade: type === 'trade', legs: [] }
      group.legs.push(pairedLeg(row, type, txid))
      pairs.set(key, group)
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
      fee: fee === null ? null : { asset, amount: fee }, source: 'csv', externalId: txid, ...(kind === 'income' ? { memo: named.slice(0, 120) } : {}),
    })
  }
  for (const { refid, trade, legs } of pairs.values()) {
    yield
    const out = legs.filter((l) => l.out)
    const into = legs.filter((l) => !l.out)
    if (refid === '' || out.length !== 1 || into.length !== 1) {
      for (const leg of legs) countSkip(skipped, `${leg.type} (unpaired)`)
      continue
    }
    const [spent, received] = [out[0]!, into[0]!]
    entries.push(conversionTrade(account, received.timestamp, spent.side, received.side, 'csv', trade ? refid : received.txid))
  }
  return { format: 'kraken', layout: krakenLedger.name, rows: rows.length, entries, skipped }
}

/**
 * One side of a pair, its fee folded in: what left (amount + fee), what arrived (amount − fee). A spend
 * must leave and a receive arrive; a trade row's sign says which side it is.
 */
function pairedLeg(row: TableRow<LedgerKey>, type: PairedType, txid: string): Leg {
  const at = (column: LedgerKey): Where => ({ line: row.line, column: krakenLedger.columns[column][0]! })
  const raw = row.get('amount')
  const out = type === 'spend' || (type === 'trade' && raw.trim().startsWith('-'))
  // A side that leaves is read as a withdrawal is, one that arrives as a deposit: the same sign rule.
  // The ledger's own decimals (100 digits): the 20 of decimal.js's default would round a large amount.
  const moved = new LedgerDecimal(transferAmount(raw, out ? 'withdrawal' : 'deposit', type, at('amount')))
  const fee = new LedgerDecimal(feeCell(row.get('fee'), at('fee')) ?? 0)
  const amount = out ? moved.plus(fee) : moved.minus(fee)
  if (!amount.isPositive() || amount.isZero()) throw new CsvImportError(`the fee ${fee.toFixed()} takes all of the ${moved.toFixed()} received`, row.line, 'fee', row.get('fee'))
  const asset = krakenLedgerAsset(assetCell(row.get('asset'), at('asset')))
  return { type, txid, timestamp: dateCell(row.get('time'), at('time'), DATE), side: { asset, amount: amount.toFixed() }, out }
}
