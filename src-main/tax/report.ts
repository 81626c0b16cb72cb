import { AppError } from '../api/errors'
import type { TaxLine, TaxMethod, TaxPooling, TaxReport, TaxReportQuery, TaxSums, TaxWarning } from '../api/schemas/tax'
import { dayOf, heldOverAYear } from './calendar'
import { MatchWarnings, type Disposal } from './disposals'
import { collectFlows, type FlowSource } from './flows'
import { matchHmrc } from './hmrc'
import { matchLots } from './lot-matching'
import { matchLotsPerAccount } from './per-account'
import { fixedArith as ar } from '../portfolio/arith'
import { cents, groupedMoney, moneyText, parseMoney } from './money'
import { rulesFor, yearBounds, type JurisdictionRules } from './rules'

// A tax year's capital gains report: the ledger valued in the jurisdiction's currency (flows.ts), every
// disposal matched to its acquisitions (lot-matching.ts, hmrc.ts), the year's disposals as lines to the
// cent, and the summary the rules make of them. Proceeds are rounded per disposal and shared among its
// lines so that the lines add up to it exactly; each line's cost is rounded on its own.

export interface TaxReportOptions extends FlowSource {
  query: TaxReportQuery
  /** Accounts counted when the query names none (the user's own). */
  includes: (account: string) => boolean
  now: number
}

const DAY_MS = 86_400_000

export function buildTaxReport(options: TaxReportOptions): { report: TaxReport; lines: TaxLine[] } {
  const q = options.query
  const rules = rulesFor(q.jurisdiction)
  const method: TaxMethod = q.method ?? rules.defaultMethod
  if (!rules.methods.includes(method)) {
    throw new AppError('BAD_INPUT', `${rules.name} reports use ${rules.methods.map((m) => METHOD_NAMES[m]).join(', ')}; "${method}" does not apply there`)
  }
  const pooling: TaxPooling = q.pooling ?? rules.defaultPooling(q.year)
  if (!rules.poolings.includes(pooling)) {
    throw new AppError('BAD_INPUT', `${rules.name} reports pool cost ${rules.poolings.map((p) => POOLING_NAMES[p]).join(' or ')}; "${pooling}" does not apply there`)
  }
  const zone = q.timeZone ?? rules.zone
  const { start, end } = yearBounds(rules, q.year, zone)
  // HMRC's 30-day rule looks past the year's end (plus a day for zone offsets).
  const until = method === 'hmrc' ? end + 31 * DAY_MS : end
  const account = q.account ?? null
  const includes = account === null ? options.includes : (a: string) => a === account
  const flows = collectFlows(options, { currency: rules.currency, until, includes })

  const matchWarnings = new MatchWarnings()
  let id = 0
  const nextId = () => ++id
  const disposals: Disposal[] = []
  for (const asset of [...flows.byAsset.keys()].sort()) {
    const list = flows.byAsset.get(asset) ?? []
    disposals.push(
      ...(method === 'hmrc'
        ? matchHmrc(asset, list, zone, matchWarnings, nextId)
        : pooling === 'per-account'
          ? matchLotsPerAccount(asset, list, method, matchWarnings, nextId)
          : matchLots(asset, list, method, matchWarnings, nextId)),
    )
  }
  const inYear = disposals.filter((d) => d.t >= start && d.t <= end).sort((a, b) => a.t - b.t || a.id - b.id)
  const priced: Priced[] = []
  for (const d of inYear) linesOf(d, rules, zone, priced)
  const lines = priced.map((p) => p.line)

  const warnings: TaxWarning[] = [
    ...missingBasis(lines),
    ...matchWarnings.list().filter((w) => w.timestamp <= end),
    ...flows.warnings.filter((w) => w.timestamp <= end).map((w): TaxWarning => ({ ...w, kind: w.kind as TaxWarning['kind'] })),
  ]
  const report: TaxReport = {
    jurisdiction: rules.id,
    jurisdictionName: rules.name,
    method,
    methods: [...rules.methods],
    pooling,
    poolings: [...rules.poolings],
    currency: rules.currency,
    timeZone: zone,
    year: q.year,
    yearLabel: rules.yearLabel(q.year),
    start,
    end,
    account,
    summary: { ...summarize(priced, rules, q.year, method, pooling), incomplete: incompleteness(warnings, rules.currency) },
    lines: lines.slice(0, q.lineLimit),
    lineCount: lines.length,
    warnings,
    generatedAt: options.now,
  }
  return { report, lines }
}

export const POOLING_NAMES: Record<TaxPooling, string> = {
  universal: 'across all accounts',
  'per-account': 'account by account',
}

export const METHOD_NAMES: Record<TaxMethod, string> = {
  fifo: 'FIFO',
  lifo: 'LIFO',
  hifo: 'HIFO',
  average: 'average cost',
  hmrc: 'HMRC share pooling',
}

/** A line with its money still in cents, for the sums. */
interface Priced {
  line: TaxLine
  proceeds: bigint
  cost: bigint
}

function linesOf(d: Disposal, rules: JurisdictionRules, zone: string, out: Priced[]): void {
  const proceeds = cents(d.proceeds)
  const disposedDay = dayOf(d.t, zone)
  let shared = 0n
  d.parts.forEach((part, i) => {
    const last = i === d.parts.length - 1
    const share = last ? proceeds - shared : cents((d.proceeds * part.amount) / d.amount)
    shared += share
    const cost = cents(part.cost)
    const term = !rules.holdingPeriod ? null : part.acquiredAt !== null && heldOverAYear(dayOf(part.acquiredAt, zone), disposedDay) ? 'long' : 'short'
    const line: TaxLine = {
      asset: d.asset,
      amount: ar.format(part.amount),
      acquiredAt: part.acquiredAt,
      disposedAt: d.t,
      proceeds: moneyText(share),
      cost: moneyText(cost),
      gain: moneyText(share - cost),
      term,
      rule: part.rule,
      cause: d.cause,
      account: d.account,
      disposal: d.id,
    }
    out.push({ line, proceeds: share, cost })
  })
}

/** Trades valued at 0 for want of a price make every figure after them wrong: said first, plainly. */
function incompleteness(warnings: readonly TaxWarning[], currency: string): string | null {
  const unpriced = warnings.filter((w) => w.kind === 'unpriced-asset' || w.kind === 'unpriced-fee')
  if (unpriced.length === 0) return null
  const count = unpriced.reduce((n, w) => n + (w.count ?? 1), 0)
  const assets = [...new Set(unpriced.map((w) => w.asset))].sort().join(', ')
  return `Incomplete: ${count} trade${count === 1 ? '' : 's'} could not be valued in ${currency} (no ${currency} price for ${assets} at the time) and count as 0. Import daily ${currency} exchange rates (a rates file: date,base,quote,rate, the ECB's or the Bank of England's), or the trades you made against ${currency}: their prices value the rest.`
}

function missingBasis(lines: readonly TaxLine[]): TaxWarning[] {
  const byAsset = new Map<string, { first: TaxLine; count: number }>()
  for (const l of lines) {
    if (l.rule !== 'no-cost-basis') continue
    const g = byAsset.get(l.asset)
    if (g) g.count++
    else byAsset.set(l.asset, { first: l, count: 1 })
  }
  return [...byAsset.values()].map(({ first, count }) => ({
    kind: 'missing-cost-basis',
    asset: first.asset,
    account: first.account,
    timestamp: first.disposedAt,
    message: `sold or spent more ${first.asset} than the ledger shows acquired: those units count at zero cost (import the missing history to fix it)`,
    ...(count > 1 ? { count } : {}),
  }))
}

interface Acc {
  /** Disposals counted (a disposal's lines are consecutive, so a new id is a new disposal). */
  disposals: number
  last: number
  proceeds: bigint
  cost: bigint
}

const acc = (): Acc => ({ disposals: 0, last: -1, proceeds: 0n, cost: 0n })
const add = (a: Acc, p: Priced) => {
  if (p.line.disposal !== a.last) {
    a.disposals++
    a.last = p.line.disposal
  }
  a.proceeds += p.proceeds
  a.cost += p.cost
}
const sums = (a: Acc): TaxSums => ({ disposals: a.disposals, proceeds: moneyText(a.proceeds), cost: moneyText(a.cost), gain: moneyText(a.proceeds - a.cost) })

function summarize(priced: readonly Priced[], rules: JurisdictionRules, year: number, method: TaxMethod, pooling: TaxPooling): Omit<TaxReport['summary'], 'incomplete'> {
  const all = acc()
  const short = acc()
  const long = acc()
  let gains = 0n
  let losses = 0n
  // Gains and losses are per disposal (the sum of its lines).
  let current = -1
  let gain = 0n
  const close = () => {
    if (gain > 0n) gains += gain
    else losses += gain
    gain = 0n
  }
  for (const p of priced) {
    add(all, p)
    if (p.line.term === 'short') add(short, p)
    else if (p.line.term === 'long') add(long, p)
    if (p.line.disposal !== current) {
      close()
      current = p.line.disposal
    }
    gain += p.proceeds - p.cost
  }
  close()
  const allowance = rules.allowance(year)
  const allowanceCents = allowance ? parseMoney(allowance.amount) : 0n
  const ccy = rules.currency
  const notes: string[] = [
    pooling === 'universal'
      ? `Cost basis by ${METHOD_NAMES[method]}, in ${ccy} at each trade's time, across the accounts reported as one holding.`
      : `Cost basis by ${METHOD_NAMES[method]}, in ${ccy} at each trade's time, account by account: a sale takes its cost from its own account's lots, and coins moved between accounts keep theirs.`,
  ]
  if (rules.id === 'us' && pooling === 'universal' && year >= 2025) notes.push('From 2025 US rules (Rev. Proc. 2024-28) track basis wallet by wallet: this report pools all accounts as you asked.')
  let net: bigint
  let taxable: bigint
  if (rules.id === 'us') {
    net = all.proceeds - all.cost
    taxable = net > 0n ? net : 0n
    notes.push('Short-term: held one year or less. Long-term: held more than one year (from the day after acquisition).')
    notes.push('A net capital loss offsets up to 3,000 USD of other income a year; the rest carries forward (not applied here).')
  } else if (rules.id === 'uk') {
    net = gains + losses
    const over = net - allowanceCents
    taxable = over > 0n ? over : 0n
    notes.push('Each disposal is matched with same-day acquisitions, then those of the next 30 days, then the Section 104 pool.')
    notes.push(`Taxable gain: net gains less the ${groupedMoney(moneyText(allowanceCents))} GBP annual exempt amount for ${rules.yearLabel(year)}; losses of earlier years are not applied here.`)
  } else {
    net = short.proceeds - short.cost
    taxable = net >= allowanceCents ? net : 0n
    notes.push('Held more than one year: tax-free (§ 23 Abs. 1 Nr. 2 EStG). Held one year or less: a private sale.')
    notes.push(
      `Private sales' net gain under the Freigrenze of ${groupedMoney(moneyText(allowanceCents))} EUR is tax-free in full; at or above it, taxable in full. The Freigrenze covers all private sales of the year, not only crypto.`,
    )
  }
  if (priced.length === 0) notes.push('No disposal in this tax year.')
  return {
    all: sums(all),
    short: rules.holdingPeriod ? sums(short) : null,
    long: rules.holdingPeriod ? sums(long) : null,
    gains: moneyText(gains),
    losses: moneyText(losses),
    allowance: allowance ? { label: allowance.label, amount: moneyText(allowanceCents) } : null,
    taxable: moneyText(taxable),
    net: moneyText(net),
    notes,
  }
}
