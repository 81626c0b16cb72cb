import { LedgerDecimal } from './arith'
import { sqliteOf, type LedgerDb } from './sqlite'
import { visibleEntry } from './visible'

// One ledger account's entries as stored, newest first, a page at a time: what a sync or an import
// actually brought in, for the user to check (Ledger accounts → E). Read-only.

export type EntryKind = 'trade' | 'deposit' | 'withdrawal' | 'income'

export interface EntriesQuery {
  account: string
  kind?: EntryKind
  /** Entries that move this asset: the base or quote of a trade, a transfer's asset, or a fee's. */
  asset?: string
  /** The last entry of the previous page: this page starts after it. */
  before?: { timestamp: number; id: number }
  limit: number
}

export interface LedgerEntryRecord {
  id: number
  kind: EntryKind
  timestamp: number
  symbol: string | null
  /** A trade's base asset, or the asset a transfer or income moved. */
  base: string
  quote: string | null
  side: 'buy' | 'sell' | null
  price: string | null
  amount: string
  /** A trade's quote amount when its source stated it (a conversion); null: amount × price. */
  total: string | null
  /** What a trade moved of its quote: the stated total, else amount × price, exactly; null for transfers. */
  quoteAmount: string | null
  fee: { asset: string; amount: string } | null
  source: 'venue' | 'csv' | 'app'
  externalId: string | null
  memo: string | null
  /** The file (or sync run) that added it; null for the app's own fills. */
  importId: number | null
}

interface Row extends Omit<LedgerEntryRecord, 'fee' | 'quoteAmount'> {
  feeAsset: string | null
  feeAmount: string | null
}

export function listEntries(db: LedgerDb, q: EntriesQuery): { entries: LedgerEntryRecord[]; more: boolean } {
  const where = ['account = @account', visibleEntry()]
  const params: Record<string, string | number> = { account: q.account, take: q.limit + 1 }
  if (q.kind) {
    where.push('kind = @kind')
    params.kind = q.kind
  }
  if (q.asset) {
    where.push('(base = @asset or quote = @asset or fee_asset = @asset)')
    params.asset = q.asset
  }
  if (q.before) {
    where.push('(timestamp < @beforeTime or (timestamp = @beforeTime and id < @beforeId))')
    params.beforeTime = q.before.timestamp
    params.beforeId = q.before.id
  }
  const rows = sqliteOf(db)
    .prepare(
      `select id, kind, timestamp, symbol, base, quote, side, price, amount, total, fee_asset as feeAsset, fee_amount as feeAmount,
              source, external_id as externalId, memo, import_id as importId
       from ledger_entries where ${where.join(' and ')} order by timestamp desc, id desc limit @take`,
    )
    .all(params) as Row[]
  const entries = rows.slice(0, q.limit).map(({ feeAsset, feeAmount, ...r }) => ({
    ...r,
    quoteAmount: r.kind !== 'trade' ? null : (r.total ?? (r.price === null ? null : new LedgerDecimal(r.amount).times(r.price).toFixed())),
    fee: feeAsset !== null && feeAmount !== null ? { asset: feeAsset, amount: feeAmount } : null,
  }))
  return { entries, more: rows.length > q.limit }
}
