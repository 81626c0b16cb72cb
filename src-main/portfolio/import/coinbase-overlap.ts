import { AppError } from '../../api/errors'
import type { LedgerEntryInput } from '../model'
import { sqliteOf, type LedgerDb } from '../sqlite'
import { ADVANCED_FILL } from './coinbase'
import { visibleEntry } from '../visible'

// Coinbase lists each Advanced Trade fill twice: as an "Advanced Trade Buy/Sell" row of the transaction
// history report (the fee and price rounded, the time to the second) and in the Advanced fills export (its
// trade id, the time to the millisecond). Nothing matches the two, so importing both into one account would
// count every such trade twice: the second kind is refused for the times the first already covers.

const HISTORY_ADVANCED = 'Advanced Trade %'
/** The history report writes fills' times to the second. */
const SLACK_MS = 1_000

/** Throws BAD_INPUT when the entries hold one kind of Advanced Trade rows and the account the other kind for overlapping times. */
export function refuseCoinbaseOverlap(db: LedgerDb, account: string, entries: readonly LedgerEntryInput[]): void {
  const fills = entries.filter((e) => e.kind === 'trade' && e.memo === ADVANCED_FILL)
  const history = entries.filter((e) => e.kind === 'trade' && typeof e.memo === 'string' && e.memo.startsWith('Advanced Trade '))
  for (const [mine, theirs, what, other] of [
    [fills, HISTORY_ADVANCED, 'Coinbase Advanced fills', 'transaction history report (its Advanced Trade Buy/Sell rows)'],
    [history, ADVANCED_FILL, 'transaction history report’s Advanced Trade rows', 'Coinbase Advanced fills export'],
  ] as const) {
    if (mine.length === 0) continue
    // A loop, not Math.min(...times): spreading a large file's times (~120,000) overflows the stack.
    let first = Number.POSITIVE_INFINITY
    let last = Number.NEGATIVE_INFINITY
    for (const e of mine) {
      if (e.timestamp < first) first = e.timestamp
      if (e.timestamp > last) last = e.timestamp
    }
    const from = first - SLACK_MS
    const to = last + SLACK_MS
    const found = sqliteOf(db)
      .prepare(`select count(*) as n, min(timestamp) as first from ledger_entries where account = ? and kind = 'trade' and memo like ? and timestamp between ? and ? and ${visibleEntry()}`)
      .get(account, theirs, from, to) as { n: number; first: number | null }
    if (found.n > 0)
      throw new AppError(
        'BAD_INPUT',
        `account "${account}" already holds ${found.n} trade${found.n === 1 ? '' : 's'} from a ${other} in the time this file's ${what} cover (from ${new Date(found.first!).toISOString()}): the same fills would count twice. Import one of the two exports for that period (or this one into another account); nothing was imported`,
      )
  }
}
