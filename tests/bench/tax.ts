// Tax reports (tests/bench/portfolio-workload.ts: 4 accounts, BTC/USDT, ETH/USDT, BNB/USDT and ETH/BTC,
// fees in the quote, the base and BNB, lots opened, split and closed throughout; all in January 2023 in
// every time zone, US Eastern included).
//
//   tax.hifo.match   HIFO matching of every disposal (src-main/tax/lot-matching.ts: a binary heap by exact
//                    cost per unit), against the plain way — scan every open lot for the dearest on each
//                    take — with the same exact BigInt comparisons and the same results (checked)
//   tax.report.us    a whole US report for 2023 (FIFO): the ledger valued, matched, rounded to cents and
//                    summed, against computePortfolio's FIFO replay of the same fills (P&L only: the floor
//                    a report cannot go under, since it values the same trades first)
//   tax.report.one-account  one account's US report for 2025 beside another account's 25,000 warnings
//                    (tax-one-account-workload.ts), against the report over both accounts: choosing which
//                    of the other account's warnings its lines rest on must not cost a pass per warning
//
//   npm run bench -- --only tax
import type { BenchResult } from './run'
import { bestOfAlternating } from './best-of'
import { makeFills } from './portfolio-workload'
import { oneAccountBesideWarnings } from './tax-one-account-workload'
import { collectFlows, type Flow } from '../../src-main/tax/flows'
import { matchLots } from '../../src-main/tax/lot-matching'
import { MatchWarnings, splitFlows, type Disposal } from '../../src-main/tax/disposals'
import { buildTaxReport } from '../../src-main/tax/report'
import { taxReportInputSchema } from '../../src-main/api/schemas/tax'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { fixedArith as ar } from '../../src-main/portfolio/arith'

export const area = 'tax'

const MATCH_FILLS = 100_000
const REPORT_FILLS = 200_000
const ONE_ACCOUNT_N = 25_000

interface NaiveLot {
  t: number
  amount: bigint
  cost: bigint
}

/** HIFO the plain way: every take scans the open lots for the highest cost per unit (older first on ties). */
function naiveHifo(asset: string, flows: readonly Flow[]): Disposal[] {
  const lots: NaiveLot[] = []
  const out: Disposal[] = []
  let id = 0
  splitFlows(asset, flows, new MatchWarnings(), {
    acquire: (a) => lots.push({ t: a.t, amount: a.amount, cost: a.cost }),
    dispose: (d) => {
      const parts: Disposal['parts'] = []
      let left = d.amount
      while (left > 0n && lots.length > 0) {
        let best = 0
        for (let i = 1; i < lots.length; i++) {
          const a = lots[i] as NaiveLot
          const b = lots[best] as NaiveLot
          const l = a.cost * b.amount
          const r = b.cost * a.amount
          if (l > r || (l === r && a.t < b.t)) best = i
        }
        const lot = lots[best] as NaiveLot
        if (lot.amount <= left) {
          parts.push({ amount: lot.amount, cost: lot.cost, acquiredAt: lot.t, rule: 'hifo' })
          left -= lot.amount
          lots.splice(best, 1)
        } else {
          const cost = ar.mulDiv(lot.cost, left, lot.amount)
          parts.push({ amount: left, cost, acquiredAt: lot.t, rule: 'hifo' })
          lot.cost -= cost
          lot.amount -= left
          left = 0n
        }
      }
      if (left > 0n) parts.push({ amount: left, cost: 0n, acquiredAt: null, rule: 'no-cost-basis' })
      out.push({ ...d, id: ++id, parts })
    },
  })
  return out
}

const costOf = (ds: Disposal[]) => ds.reduce((s, d) => d.parts.reduce((x, p) => x + p.cost, s), 0n)

export async function run(): Promise<BenchResult[]> {
  const matchEntries = makeFills(MATCH_FILLS)
  const flows = collectFlows({ entries: matchEntries }, { currency: 'USD', until: Number.MAX_SAFE_INTEGER, includes: () => true })
  const assets = [...flows.byAsset.keys()].sort()
  let id = 0
  const nextId = () => ++id
  // Best of 3 for both, alternating which goes first (the baseline was once a single cold run against ours warm).
  const [ours, naive] = bestOfAlternating(
    3,
    () => assets.flatMap((a) => matchLots(a, flows.byAsset.get(a) ?? [], 'hifo', new MatchWarnings(), nextId)),
    () => assets.flatMap((a) => naiveHifo(a, flows.byAsset.get(a) ?? [])),
  )
  if (ours.result.length !== naive.result.length || costOf(ours.result) !== costOf(naive.result)) throw new Error('tax bench: HIFO and the naive scan matched differently — not the same work')
  const disposals = ours.result.length
  process.stderr.write(`tax.hifo.match: ${disposals} disposals of ${MATCH_FILLS} fills; ${ours.seconds.toFixed(3)} s heap vs ${naive.seconds.toFixed(3)} s scan; matched cost ${ar.format(costOf(ours.result))}\n`)

  const reportEntries = makeFills(REPORT_FILLS)
  const query = taxReportInputSchema.parse({ jurisdiction: 'us', year: 2023, method: 'fifo' })
  const [report, pnl] = bestOfAlternating(
    3,
    () => buildTaxReport({ entries: reportEntries, query, includes: () => true, now: 0 }),
    () => computePortfolio({ entries: reportEntries, method: 'fifo', reportingCurrency: 'USD' }),
  )
  process.stderr.write(
    `tax.report.us: ${report.result.report.lineCount} lines, gain ${report.result.report.summary.all.gain} USD in ${report.seconds.toFixed(3)} s; P&L replay ${pnl.seconds.toFixed(3)} s (realized ${pnl.result.totals.realized})\n`,
  )
  const besideEntries = oneAccountBesideWarnings(ONE_ACCOUNT_N)
  const [one, both] = bestOfAlternating(
    3,
    () => buildTaxReport({ entries: besideEntries, query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2025, account: 'B' }), includes: () => true, now: 0 }),
    () => buildTaxReport({ entries: besideEntries, query: taxReportInputSchema.parse({ jurisdiction: 'us', year: 2025 }), includes: () => true, now: 0 }),
  )
  if (one.result.report.lineCount !== ONE_ACCOUNT_N) throw new Error(`tax bench: the one-account report has ${one.result.report.lineCount} lines, not ${ONE_ACCOUNT_N}`)
  return [
    { bench: `tax.hifo.match (${MATCH_FILLS / 1000}k fills)`, value: disposals / ours.seconds, unit: 'disposals/s', baseline: 'scan every open lot per take', baselineValue: disposals / naive.seconds },
    { bench: `tax.report.us (${REPORT_FILLS / 1000}k fills, FIFO)`, value: report.seconds * 1000, unit: 'ms', baseline: 'computePortfolio FIFO replay (P&L only)', baselineValue: pnl.seconds * 1000 },
    {
      bench: `tax.report.one-account (${ONE_ACCOUNT_N / 1000}k sales beside ${ONE_ACCOUNT_N / 1000}k warnings)`,
      value: one.seconds * 1000,
      unit: 'ms',
      baseline: 'the report over both accounts',
      baselineValue: both.seconds * 1000,
    },
  ]
}
