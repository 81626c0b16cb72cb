import { fixedArith } from '../portfolio/arith'
import { PortfolioBook, type BookFlow } from '../portfolio/lots'
import type { TaxWarning } from '../api/schemas/tax'
import { WarningGroups } from './warning-groups'
import type { LedgerEntryInput } from '../portfolio/model'
import { replayLedger, simPaperOf, type PriceMarkInput } from '../portfolio/pnl'
import { cashAssets, DEFAULT_EQUIVALENTS, priceAliases } from '../portfolio/prices'
import type { LedgerDb } from '../portfolio/sqlite'
import type { SimPaperAccounts } from '../portfolio/venue-prices'
import { MatchWarnings, warnOldPrice, warnUnpricedTransferFee, type KeepWarning } from './disposals'
import { withdrawalsFirst } from './transfer-order'

// The ledger as tax sees it: every movement of a non-cash asset with its value in the report's currency
// at that moment, per asset, in time order. The valuation is the portfolio's own (lots.ts: fees, third-asset
// fees, prices at the time of each trade), so the P&L screen and the tax report never disagree about what
// a trade was worth.

export type Flow = BookFlow<bigint>

export interface FlowSource {
  db?: LedgerDb
  entries?: Iterable<LedgerEntryInput>
  marks?: Iterable<PriceMarkInput>
  /** The paper accounts on the simulated exchange; default: read from `db` (none with `entries`). */
  simPaper?: SimPaperAccounts
}

/** An asset received as income (cash assets too), valued at its arrival; in time order. */
export interface IncomeFlow {
  account: string
  asset: string
  t: number
  amount: bigint
  value: bigint
}

export interface Flows {
  /** asset → its flows in time order. */
  byAsset: Map<string, Flow[]>
  income: IncomeFlow[]
  /** Unpriced trades and fees (transfer fees too), and old prices, met while valuing (sales beyond holdings are the matcher's to find). */
  warnings: TaxWarning[]
  /** The same, only those `keep` keeps (a one-account report's: its own, and those its lines rest on); needs `each`. */
  warningsFor(keep: KeepWarning): TaxWarning[]
  /** With a `year`: the unpriced trades before it, whose warnings count there only if its lines use their coins. */
  earlier: UnpricedEarlier
}

/** Unpriced trades (unpriced-asset) before the report's year: the report counts them only through its lines. */
export interface UnpricedEarlier {
  /** Their warnings, grouped as the book groups them. */
  warnings: TaxWarning[]
  /** asset → the times it was acquired through one of them, in time order, and the asset that had no price. */
  acquired: Map<string, { t: number; via: string }[]>
}

export function collectFlows(
  source: FlowSource,
  options: {
    currency: string
    until: number
    includes: (account: string) => boolean
    step?: () => void
    year?: { start: number; end: number }
    /** Keep each warning as it arose, for `warningsFor` (a one-account report); else they are grouped as they come. */
    each?: boolean
  },
): Flows {
  const year = options.year ?? null
  const each = options.each === true
  const byAsset = new Map<string, Flow[]>()
  const income: IncomeFlow[] = []
  // Old prices as tax sees them: a deposit's only where its value is used (disposals.ts), the rest here,
  // once per entry (a trade's two flows carry the same old price).
  const old = new MatchWarnings(null, year, { each })
  const fees = new MatchWarnings(options.currency, null, { each })
  let lastOld = ''
  // An unpriced trade counts toward its own year: the book groups its warnings over all years, so they are
  // grouped again here, the year's and the earlier ones apart (report.ts keeps the earlier ones only for
  // lines that use the coins they acquired).
  const unpricedIn = new WarningGroups({ each })
  const unpricedBefore = new WarningGroups()
  const acquired = new Map<string, { t: number; via: string }[]>()
  let lastUnpriced: { account: string; t: number; asset: string } | null = null
  // When each of the book's warnings arose (it lists them grouped by kind, account and asset).
  const bookTimes = new Map<string, number[]>()
  const bookKey = (w: { kind: string; account: string; asset: string }) => `${w.kind}\u0000${w.account}\u0000${w.asset}`
  const book = new PortfolioBook(fixedArith, {
    // Average: the book's own lots are not needed here, only its valuation.
    method: 'average',
    reporting: options.currency,
    cash: cashAssets(options.currency, DEFAULT_EQUIVALENTS),
    alias: priceAliases(options.currency, DEFAULT_EQUIVALENTS),
    simPaper: simPaperOf(source),
    onFlow: (flow) => {
      let list = byAsset.get(flow.asset)
      if (!list) byAsset.set(flow.asset, (list = []))
      list.push(flow)
      warnUnpricedTransferFee(fees, flow)
      // The coins an earlier unpriced trade brought in (its warning came just before, same account and time).
      if (flow.dir === 'in' && flow.cause === 'trade' && flow.unpriced && lastUnpriced?.account === flow.account && lastUnpriced.t === flow.t) {
        let times = acquired.get(flow.asset)
        if (!times) acquired.set(flow.asset, (times = []))
        times.push({ t: flow.t, via: lastUnpriced.asset })
      }
      if (flow.oldPrice === undefined || flow.cause === 'deposit') return
      const key = `${flow.account}\u0000${flow.t}\u0000${flow.oldPrice.asset}`
      if (key !== lastOld) warnOldPrice(old, flow, flow.cause === 'income' ? `the ${flow.asset} income` : flow.cause === 'fee' ? `the ${flow.asset} fee` : 'the trade')
      lastOld = key
    },
    onIncome: (i) => income.push(i),
    onWarning: (w) => {
      if (each) {
        const key = bookKey(w)
        const times = bookTimes.get(key)
        if (times) times.push(w.timestamp)
        else bookTimes.set(key, [w.timestamp])
      }
      if (year === null || w.kind !== 'unpriced-asset') return
      if (w.timestamp < year.start) {
        unpricedBefore.add(w)
        lastUnpriced = { account: w.account, t: w.timestamp, asset: w.asset }
      } else if (w.timestamp <= year.end) unpricedIn.add(w)
    },
  })
  replayLedger(book, { ...source, at: options.until, includes: options.includes, step: options.step })
  // The book's warnings of deposits it could not price (missing-cost-basis) and of old prices count
  // deposits matched to a withdrawal too, whose value tax does not use: the matchers warn of those they
  // acquire (disposals.ts warnFreshDeposit). Its sales beyond the holdings are the matchers' to find.
  const booked = book.replayWarnings().filter((w) => w.kind !== 'missing-cost-basis' && w.kind !== 'stale-price' && (year === null || w.kind !== 'unpriced-asset'))
  for (const [asset, list] of byAsset) byAsset.set(asset, withdrawalsFirst(list))
  // A group of the book's is one account's: kept whole when any of its warnings is.
  const warningsFor = (keep: KeepWarning) => {
    if (!each) throw new Error('collectFlows: choosing among warnings needs them kept each (each: true)')
    return [
      ...booked.filter((w) => (bookTimes.get(bookKey(w)) ?? [w.timestamp]).some((timestamp) => keep({ account: w.account, timestamp }))),
      ...unpricedIn.list(keep),
      ...fees.list(keep),
      ...old.list(keep),
    ]
  }
  const warnings = [...booked, ...unpricedIn.list(), ...fees.list(), ...old.list()]
  return { byAsset, income, warnings, warningsFor, earlier: { warnings: unpricedBefore.list(), acquired } }
}
