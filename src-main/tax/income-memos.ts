import { sqliteOf } from '../portfolio/sqlite'
import type { FlowSource, IncomeFlow } from './flows'
import { visibleEntry } from '../portfolio/visible'

// What each income line was, in its source's words ("ETH 2.0 Staking", "airdrop"): the ledger's memo of the
// income entry the flow came from. The valuation replay carries no memos (it reads a million rows for P&L),
// so the year's income entries are read again here, few as they are, and matched by account, asset and time
// (not amount: a fee in the same asset makes the flow smaller than the entry).

export function incomeMemos(source: FlowSource, start: number, end: number): (flow: IncomeFlow) => string | null {
  const memos = new Map<string, string>()
  const keep = (account: string, asset: string, t: number, memo: string) => {
    const key = keyOf(account, asset, t)
    if (!memos.has(key)) memos.set(key, memo)
  }
  if (source.db) {
    const rows = sqliteOf(source.db)
      .prepare(`select account, base, timestamp, memo from ledger_entries where kind = 'income' and memo is not null and timestamp between ? and ? and ${visibleEntry()}`)
      .raw()
      .all(start, end) as [string, string, number, string][]
    for (const [account, asset, t, memo] of rows) keep(account, asset, t, memo)
  } else {
    for (const e of source.entries ?? []) {
      if (e.kind === 'income' && e.memo && e.timestamp >= start && e.timestamp <= end) keep(e.account, e.asset, e.timestamp, e.memo)
    }
  }
  return (flow) => memos.get(keyOf(flow.account, flow.asset, flow.t)) ?? null
}

function keyOf(account: string, asset: string, t: number): string {
  return `${account}\u001f${asset}\u001f${t}`
}
