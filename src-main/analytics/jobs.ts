import type { LedgerDb } from '../portfolio/sqlite'
import { collectFlows, type Flow } from '../tax/flows'
import { isSimTraderAccount, SIM_LEDGER_ACCOUNT } from '../portfolio/sim-feed'
import { MatchWarnings } from '../tax/disposals'
import { matchLotsPerAccount } from '../tax/per-account'
import { fixedArith as ar } from '../portfolio/arith'
import { MONEY } from '../stablecoins'

// Every account's closed trades over a period, from the ledger: each sale (or swap) matched FIFO to its
// own account's lots, valued in the reporting currency at the trade's time (the tax engine's matching, so
// the leaderboard and the tax report agree on what a trade made). A trade is won when its realized P&L is
// above zero. Fees paid in a coin count in the realized P&L but are not trades, nor is money spent: the
// fiats and stablecoins (MONEY). Reported in EUR, paying with USDT for a buy on a USDT market disposes of
// USDT — its FX result is realized P&L, but no closed trade (one round trip was two trades, the dollar's
// drift its "worst"); likewise FDUSD or DAI paid on their markets.
//
// A sale the book could not value — its quote had no price then, or its coins were bought with one that
// had none — has a P&L of nothing real (proceeds or cost counted as 0): it is counted as unpriced, not as
// a trade, so it neither wins nor loses.

export interface TradeStatsJob {
  kind: 'tradeStats'
  /** Trades at or after this time (ms); null for all. */
  since: number | null
  now: number
  currency: string
}

export interface AccountTradeStats {
  trades: number
  /** Sales left out of the trades because they could not be valued (see above). */
  unpriced: number
  wins: number
  losses: number
  realized: string
  grossProfit: string
  grossLoss: string
  best: string | null
  worst: string | null
  /** 168 cells, Monday 00:00 UTC first, then by hour: realized P&L and trades closed in that hour of the week. */
  heatmap: { pnl: string; trades: number }[]
}

interface Acc {
  trades: number
  unpriced: number
  wins: number
  losses: number
  realized: bigint
  profit: bigint
  loss: bigint
  best: bigint | null
  worst: bigint | null
  cells: { pnl: bigint; trades: number }[]
}

/** Monday = 0 … Sunday = 6, in UTC; then the hour. */
export function weekHour(t: number): number {
  const d = new Date(t)
  return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours()
}

/**
 * Flows split by who can move coins between them: the user's own accounts (exchange and imported ones send
 * coins to each other), and each account the app keeps alone (the paper account, each simulated trader,
 * each paper account on a venue). Matched together, a simulated trader's opening balance took the lots of
 * coins the user had withdrawn, and its first sale showed the user's gain.
 */
function byFamily(flows: readonly Flow[]): Map<string, Flow[]> {
  const out = new Map<string, Flow[]>()
  for (const f of flows) {
    const family = f.account === SIM_LEDGER_ACCOUNT || isSimTraderAccount(f.account) || f.account.startsWith('paper:') ? f.account : ''
    let list = out.get(family)
    if (!list) out.set(family, (list = []))
    list.push(f)
  }
  return out
}

/**
 * The trade movements the book valued at 0 because the quote had no price then (lots.ts values an unpriced
 * quote at 0, and a real trade moving coins never is worth exactly nothing): sales by account, asset and
 * time; purchases by asset and time (their lots may have moved to another of the user's accounts since).
 */
function unvalued(byAsset: Map<string, Flow[]>): { sales: Set<string>; buys: Set<string> } {
  const sales = new Set<string>()
  const buys = new Set<string>()
  for (const [asset, list] of byAsset)
    for (const f of list) {
      if (f.cause !== 'trade' || f.value !== 0n || f.amount === 0n) continue
      if (f.dir === 'out') sales.add(`${f.account}\u0000${asset}\u0000${f.t}`)
      else buys.add(`${asset}\u0000${f.t}`)
    }
  return { sales, buys }
}

export function runTradeStatsJob(db: LedgerDb, job: TradeStatsJob): Record<string, AccountTradeStats> {
  const flows = collectFlows({ db }, { currency: job.currency, until: job.now, includes: () => true })
  const unpriced = unvalued(flows.byAsset)
  const since = job.since ?? Number.NEGATIVE_INFINITY
  const byAccount = new Map<string, Acc>()
  let id = 0
  const disposals = [...flows.byAsset].flatMap(([asset, list]) =>
    [...byFamily(list).values()].flatMap((flows) => matchLotsPerAccount(asset, flows, 'fifo', new MatchWarnings(), () => ++id)),
  )
  // A closed trade is one sale: the fills of one order arrive as several disposals of the same asset in
  // the same account at the same moment, and count once (their P&L summed) — not one win per fill.
  const sales = new Map<string, { account: string; t: number; pnl: bigint; unpriced: boolean }>()
  for (const d of disposals) {
    if (d.t < since) continue
    let a = byAccount.get(d.account)
    if (!a) {
      a = { trades: 0, unpriced: 0, wins: 0, losses: 0, realized: 0n, profit: 0n, loss: 0n, best: null, worst: null, cells: Array.from({ length: 168 }, () => ({ pnl: 0n, trades: 0 })) }
      byAccount.set(d.account, a)
    }
    const pnl = d.parts.reduce((p, part) => p - part.cost, d.proceeds)
    a.realized += pnl
    const cell = a.cells[weekHour(d.t)] as { pnl: bigint; trades: number }
    cell.pnl += pnl
    if (d.cause !== 'trade' || MONEY.has(d.asset)) continue
    const key = `${d.account}\u0000${d.asset}\u0000${d.t}`
    const blind = unpriced.sales.has(key) || d.parts.some((part) => part.acquiredAt !== null && unpriced.buys.has(`${d.asset}\u0000${part.acquiredAt}`))
    const sale = sales.get(key)
    if (sale) {
      sale.pnl += pnl
      sale.unpriced ||= blind
    } else sales.set(key, { account: d.account, t: d.t, pnl, unpriced: blind })
  }
  for (const { account, t, pnl, unpriced } of sales.values()) {
    const a = byAccount.get(account) as Acc
    if (unpriced) {
      a.unpriced++
      continue
    }
    const cell = a.cells[weekHour(t)] as { pnl: bigint; trades: number }
    a.trades++
    cell.trades++
    if (pnl > 0n) {
      a.wins++
      a.profit += pnl
    } else if (pnl < 0n) {
      a.losses++
      a.loss -= pnl
    }
    if (a.best === null || pnl > a.best) a.best = pnl
    if (a.worst === null || pnl < a.worst) a.worst = pnl
  }
  const out: Record<string, AccountTradeStats> = {}
  for (const [account, a] of byAccount) {
    out[account] = {
      trades: a.trades,
      unpriced: a.unpriced,
      wins: a.wins,
      losses: a.losses,
      realized: ar.format(a.realized),
      grossProfit: ar.format(a.profit),
      grossLoss: ar.format(a.loss),
      best: a.best === null ? null : ar.format(a.best),
      worst: a.worst === null ? null : ar.format(a.worst),
      heatmap: a.cells.map((c) => ({ pnl: ar.format(c.pnl), trades: c.trades })),
    }
  }
  return out
}
