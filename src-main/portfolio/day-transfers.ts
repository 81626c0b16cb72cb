import { sqliteOf, type LedgerDb } from './sqlite'
import { visibleEntry } from './visible'

// The deposits and withdrawals the ledger holds for one account after a moment: what the risk module's daily
// loss limit takes out of the day's change (a paper reset, an exchange account's synced transfers). Income is
// not among them: it is earned, not money moved.

export interface LedgerTransfer {
  /** The entry's external id ("withdrawal:<venue id>", "reset:…"), else "ledger:<row id>". */
  key: string
  kind: 'deposit' | 'withdrawal'
  asset: string
  amount: string
  fee: { asset: string; amount: string } | null
  timestamp: number
}

interface Row {
  id: number
  kind: 'deposit' | 'withdrawal'
  base: string
  amount: string
  feeAsset: string | null
  feeAmount: string | null
  externalId: string | null
  timestamp: number
}

/** The account's deposits and withdrawals with timestamp > `after`, oldest first. */
export function ledgerTransfersAfter(db: LedgerDb, account: string, after: number): LedgerTransfer[] {
  const rows = sqliteOf(db)
    .prepare(
      `select id, kind, base, amount, fee_asset as feeAsset, fee_amount as feeAmount, external_id as externalId, timestamp
       from ledger_entries where account = @account and kind in ('deposit', 'withdrawal') and timestamp > @after and ${visibleEntry()}
       order by timestamp, id`,
    )
    .all({ account, after }) as Row[]
  return rows.map((r) => ({
    key: r.externalId ?? `ledger:${r.id}`,
    kind: r.kind,
    asset: r.base,
    amount: r.amount,
    fee: r.feeAsset !== null && r.feeAmount !== null ? { asset: r.feeAsset, amount: r.feeAmount } : null,
    timestamp: r.timestamp,
  }))
}
