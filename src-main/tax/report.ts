import { AppError } from '../api/errors'
import type { TaxIncomeLine, TaxLine, TaxMethod, TaxPooling, TaxReport, TaxReportQuery, TaxSums, TaxWarning } from '../api/schemas/tax'
import { dayOf, heldOverAYearAt, isoDay } from './calendar'
import { MatchWarnings, type Disposal } from './disposals'
import { collectFlows, type FlowSource } from './flows'
import { matchHmrc } from './hmrc'
import { matchLots } from './lot-matching'
import { matchLotsFromCutover, matchLotsPerAccount } from './per-account'
import { fixedArith as ar } from '../portfolio/arith'
import { cents, groupedMoney, moneyText, parseMoney } from './money'
import { rulesFor, yearBounds, type JurisdictionRules } from './rules'
import { deCarryforward, deYear, everyYear, ukBroughtForward, ukYear, usCarryover, usYear, type Carry, type YearNet } from './carryforward'
import type { CarryInRow } from './carry-in'
import { incomeOf } from './income'
import { incomeMemos } from './income-memos'
import { boxNote } from './form8949'
import { shareCents } from './shares'
import { DEFAULT_EQUIVALENTS } from '../portfolio/prices'
import { earlierUnpricedLines, type EarlierUnpricedLines } from './unpriced-earlier'
import { paperAccountNote, type ReportPaper } from './paper-accounts'
import { keepForLines } from './lines-warnings'
import { ownDisposals } from './one-account'

// A tax year's capital gains report: the ledger valued in the jurisdiction's currency (flows.ts), every
// disposal matched to its acquisitions (lot-matching.ts, hmrc.ts), the year's disposals as lines to the
// cent, and the summary the rules make of them. Proceeds are rounded per disposal and shared among its
// lines by their units (shares.ts) so that the lines add up to it exactly and none goes negative; each
// line's cost is rounded on its own.

export interface TaxReportOptions extends FlowSource {
  query: TaxReportQuery
  /** The user's own accounts: counted when the query names none, and read for a named one of them (its transfers). */
  includes: (account: string) => boolean
  /** The paper accounts `includes` leaves out, or the named one if it is paper (paper-accounts.ts); none when absent. */
  paper?: ReportPaper
  now: number
  /** Losses the user entered as carried in from before the ledger, for this jurisdiction (carry-in.ts). */
  carryIn?: CarryInRow | null
  /** A long job's checkpoint, called between chunks of work (ledger rows, disposals); it throws to stop the report. */
  step?: () => void
}

export interface BuiltTaxReport {
  report: TaxReport
  allLines(): TaxLine[]
  incomeLines: TaxIncomeLine[]
}

const DAY_MS = 86_400_000
/** Disposals matched or priced between two checkpoints. */
const STEP_DISPOSALS = 256
/** The first US tax year of wallet-by-wallet basis (Rev. Proc. 2024-28). */
const US_WALLET_YEAR = 2025

/** The report (its lines capped at the query's lineLimit), every line on demand (for the files), the income lines. */
export function buildTaxReport(options: TaxReportOptions): BuiltTaxReport {
  const steps = reportSteps(options)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    options.step?.()
  }
}

/**
 * The same report, handing the thread back (`pause`) between stages, assets and chunks of lines, so that on
 * a thread with other work (the engine's, when there is no report worker) a cancel can arrive meanwhile.
 */
export async function buildTaxReportPausing(options: TaxReportOptions, pause: () => Promise<void>): Promise<BuiltTaxReport> {
  const steps = reportSteps(options)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    options.step?.()
    await pause()
  }
}

/** The report's computation; each `yield` is a checkpoint where it may pause (never inside a database read). */
function* reportSteps(options: TaxReportOptions): Generator<void, BuiltTaxReport> {
  const step = options.step ?? (() => {})
  const q = options.query
  const rules = rulesFor(q.jurisdiction)
  const method: TaxMethod = q.method ?? rules.defaultMethod
  if (!rules.methods.includes(method)) {
    const why = rules.refusedMethods?.[method]
    throw new AppError('BAD_INPUT', `${rules.name} reports use ${rules.methods.map((m) => METHOD_NAMES[m]).join(', ')}; "${method}" does not apply there${why ? `: ${why}` : ''}`)
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
  // One of the user's own accounts is matched among all of them (coins moved in from another keep their
  // cost and date there) and its lines kept (`own`); one left out of theirs (paper) on its own rows alone.
  const includes = account === null || options.includes(account) ? options.includes : (a: string) => a === account
  const own = <T extends { account: string }>(list: readonly T[]): T[] => (account === null ? [...list] : list.filter((x) => x.account === account))
  // An old price or an unpriced trade marks only the report of the year it was used in: an earlier year's,
  // its lots long sold, would otherwise mark every later year incomplete. (An unpriced trade's coins sold
  // this year still do: earlierUnpricedLines.)
  const year = { start, end }
  const flows = collectFlows(options, { currency: rules.currency, until, includes, step, year, each: account !== null })
  yield

  const matchWarnings = new MatchWarnings(rules.currency, year, { each: account !== null })
  // US reports from 2025 account by account: one pool up to 1 January 2025, then its unused basis shared
  // among the accounts (per-account.ts), so no lot an earlier year's report used is used again.
  const cutover = rules.id === 'us' && q.year >= US_WALLET_YEAR ? yearBounds(rules, US_WALLET_YEAR, zone).start : null
  function* matchAll(how: TaxPooling, warnings: MatchWarnings): Generator<void, Disposal[]> {
    let id = 0
    // Every matcher numbers each disposal it makes: the one place all of them pass, so the checkpoint is here.
    const nextId = () => {
      if (++id % STEP_DISPOSALS === 0) step()
      return id
    }
    const out: Disposal[] = []
    for (const asset of [...flows.byAsset.keys()].sort()) {
      yield
      const list = flows.byAsset.get(asset) ?? []
      out.push(
        ...(method === 'hmrc'
          ? matchHmrc(asset, list, zone, warnings, nextId)
          : how === 'per-account'
            ? cutover !== null
              ? matchLotsFromCutover(asset, list, method, warnings, nextId, cutover)
              : matchLotsPerAccount(asset, list, method, warnings, nextId)
            : matchLots(asset, list, method, warnings, nextId)),
      )
    }
    return out
  }
  const disposals = ownDisposals(yield* matchAll(pooling, matchWarnings), account)
  const inYear = disposals.filter((d) => d.t >= start && d.t <= end).sort((a, b) => a.t - b.t || a.id - b.id)
  // Earlier years, each pooled as its own report would pool it (US: one pool before 2025), for the losses they carry in.
  const byPooling = new Map<TaxPooling, Disposal[]>([[pooling, disposals]])
  const history = yield* earlierYears(rules, q.year, zone, start, function* (year) {
    const how = q.pooling ?? rules.defaultPooling(year)
    let list = byPooling.get(how)
    if (list === undefined) byPooling.set(how, (list = ownDisposals(yield* matchAll(how, new MatchWarnings()), account)))
    return list
  })
  const priced: Priced[] = []
  for (let i = 0; i < inYear.length; i++) {
    linesOf(inYear[i]!, rules, zone, priced)
    if ((i + 1) % STEP_DISPOSALS === 0) yield
  }
  const income = incomeOf(own(flows.income), rules, start, end, q.lineLimit, incomeMemos(options, start, end))

  // One account's report: its own warnings, and those its lines' costs rest on wherever they arose.
  const keep = account === null ? undefined : keepForLines(account, priced, flows.byAsset, zone)
  const ownWarnings: TaxWarning[] = [
    ...missingBasis(priced),
    ...matchWarnings.list(keep).filter((w) => w.timestamp <= end),
    ...(keep === undefined ? flows.warnings : flows.warningsFor(keep)).filter((w) => w.timestamp <= end),
  ]
  const unpricedParts = priced.flatMap((p) => {
    const part = p.d.parts[p.part]!
    return part.unpriced ? [{ asset: p.d.asset, acquiredAt: part.acquiredAt }] : []
  })
  const earlier = earlierUnpricedLines(unpricedParts, flows.earlier, start)
  const warnings = earlier === null ? ownWarnings : [...ownWarnings, ...earlier.warnings]
  const summary = summarize(priced, rules, q.year, method, pooling, history, carryInFor(options.carryIn ?? null, q.year, account))
  const paperNamed = account === null ? null : (options.paper?.named ?? null)
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
    summary: { ...summary, notes: paperNamed ? [paperAccountNote(paperNamed), ...summary.notes] : summary.notes, incomplete: incompleteness(ownWarnings, rules.currency, earlier, zone) },
    lines: priced.slice(0, q.lineLimit).map(lineOf),
    lineCount: priced.length,
    income: income.income,
    warnings,
    paperLeftOut: account === null ? (options.paper?.leftOut ?? []) : [],
    paperAccount: paperNamed !== null,
    generatedAt: options.now,
  }
  return { report, allLines: () => priced.map(lineOf), incomeLines: income.lines }
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

/**
 * One line of a disposal with its money in cents, for the sums. Its TaxLine (text for the screen and the
 * files) is made only for the lines sent: a year can have 250,000 of them, and a report sends 2,000.
 */
interface Priced {
  d: Disposal
  /** Which of the disposal's parts. */
  part: number
  proceeds: bigint
  cost: bigint
  term: TaxLine['term']
}

function linesOf(d: Disposal, rules: JurisdictionRules, zone: string, out: Priced[]): void {
  // UK same-day disposals (hmrc.ts) are one disposal too: their day's proceeds are shared the same way.
  const proceeds = cents(d.proceeds)
  const units = d.parts.map((part) => part.amount)
  // A fee worth more than the sale leaves net proceeds below zero, which no form takes: the proceeds are
  // 0.00 and the excess fee is a cost of the sale, shared among the lines as proceeds are (gains unchanged).
  const shares = shareCents(proceeds > 0n ? proceeds : 0n, units)
  const extraCost = shareCents(proceeds < 0n ? -proceeds : 0n, units)
  d.parts.forEach((part, i) => {
    const term = !rules.holdingPeriod ? null : part.acquiredAt !== null && heldOverAYearAt(part.acquiredAt, d.t, zone, rules.monthEnd) ? 'long' : 'short'
    out.push({ d, part: i, proceeds: shares[i]!, cost: cents(part.cost) + extraCost[i]!, term })
  })
}

function lineOf(p: Priced): TaxLine {
  const part = p.d.parts[p.part]!
  return {
    asset: p.d.asset,
    amount: ar.format(part.amount),
    acquiredAt: part.acquiredAt,
    disposedAt: p.d.t,
    proceeds: moneyText(p.proceeds),
    cost: moneyText(p.cost),
    gain: moneyText(p.proceeds - p.cost),
    term: p.term,
    rule: part.rule,
    cause: p.d.cause,
    account: p.d.account,
    disposal: p.d.id,
    ...(part.unpriced || p.d.unpriced ? { unpriced: true as const } : {}),
  }
}

/**
 * Trades, income and transfer fees valued at 0 for want of a price (an earlier year's trades only as far as this year's lines use what they acquired), or at one long out of date, make every figure after
 * them wrong: said first, plainly, with what would value them — a price of that asset (a rates file takes
 * any pair), and for a euro or pound report short of dollar rates the ECB's or the Bank of England's.
 */
function incompleteness(warnings: readonly TaxWarning[], currency: string, earlier: EarlierUnpricedLines | null, zone: string): string | null {
  const parts: string[] = []
  const of = (...kinds: TaxWarning['kind'][]) => warnings.filter((w) => kinds.includes(w.kind))
  const assetsOf = (ws: readonly TaxWarning[]) => [...new Set(ws.map((w) => w.asset))].sort()
  const trades = of('unpriced-asset', 'unpriced-fee')
  const income = of('unpriced-income')
  const fees = of('unpriced-transfer-fee')
  if (trades.length > 0) {
    const count = countOf(trades)
    parts.push(`${count} trade${count === 1 ? '' : 's'} could not be valued in ${currency} (no ${currency} price for ${assetsOf(trades).join(', ')} at the time) and count as 0.`)
  }
  if (income.length > 0) {
    const count = countOf(income)
    parts.push(`${count} income receipt${count === 1 ? '' : 's'} of ${assetsOf(income).join(', ')} could not be valued in ${currency} and count as 0 income, at zero cost.`)
  }
  if (fees.length > 0) {
    const count = countOf(fees)
    parts.push(`${count} network fee${count === 1 ? '' : 's'} paid in ${assetsOf(fees).join(', ')} could not be valued in ${currency} and count as disposed of for 0.`)
  }
  if (earlier !== null) {
    const date = isoDay(dayOf(earlier.first, zone))
    const n = earlier.count
    parts.push(`${n} line${n === 1 ? '' : 's'} of this year use${n === 1 ? 's' : ''} coins acquired through trades that could not be valued (first on ${date}).`)
  }
  const unpriced = assetsOf([...trades, ...(earlier?.warnings ?? []), ...income, ...fees])
  if (unpriced.length > 0) {
    const example = unpriced[0] as string
    parts.push(`Add a ${currency} price of ${unpriced.join(', ')} for those days — a rates file (Import rates…) takes rows of date,${example},${currency},rate — or import trades of ${unpriced.length === 1 ? 'it' : 'them'} against ${currency}: their prices value the rest.`)
    const rates = DOLLAR_RATES[currency]
    if (rates !== undefined && unpriced.some((a) => DEFAULT_EQUIVALENTS.includes(a))) parts.push(`For the dollar, import ${rates}.`)
  }
  const deposits = of('unpriced-deposit')
  if (deposits.length > 0) {
    const count = countOf(deposits)
    parts.push(`${count} deposit${count === 1 ? '' : 's'} of ${assetsOf(deposits).join(', ')} could not be valued in ${currency} and count at zero cost: what ${count === 1 ? 'it sells' : 'they sell'} for is all gain.`)
  }
  const stale = of('stale-price')
  if (stale.length > 0) {
    const count = countOf(stale)
    parts.push(`${count} ${count === 1 ? 'entry was' : 'entries were'} valued at a ${currency} price more than a week old (${assetsOf(stale).join(', ')}: see the warnings for the dates). Import prices or rates for those days.`)
  }
  return parts.length === 0 ? null : `Incomplete: ${parts.join(' ')}`
}

/** The daily dollar rates published for a report currency other than the dollar. */
const DOLLAR_RATES: Record<string, string> = {
  EUR: "the ECB's euro reference rates (eurofxref-hist.csv)",
  GBP: "the Bank of England's daily spot rates (XUDLUSS)",
}

const countOf = (ws: readonly TaxWarning[]) => ws.reduce((n, w) => n + (w.count ?? 1), 0)

function missingBasis(priced: readonly Priced[]): TaxWarning[] {
  const byAsset = new Map<string, { first: Disposal; count: number; amount: bigint }>()
  for (const p of priced) {
    const part = p.d.parts[p.part]!
    if (part.rule !== 'no-cost-basis') continue
    const g = byAsset.get(p.d.asset)
    if (g) {
      g.count++
      g.amount += part.amount
    } else byAsset.set(p.d.asset, { first: p.d, count: 1, amount: part.amount })
  }
  return [...byAsset.values()].map(({ first, count, amount }) => ({
    kind: 'missing-cost-basis',
    asset: first.asset,
    account: first.account,
    timestamp: first.t,
    message: `sold or spent more ${first.asset} than the ledger shows acquired: those units count at zero cost (import the missing history to fix it)`,
    amount: ar.format(amount),
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
  if (p.d.id !== a.last) {
    a.disposals++
    a.last = p.d.id
  }
  a.proceeds += p.proceeds
  a.cost += p.cost
}
const sums = (a: Acc): TaxSums => ({ disposals: a.disposals, proceeds: moneyText(a.proceeds), cost: moneyText(a.cost), gain: moneyText(a.proceeds - a.cost) })

/** The entered carry-in a report starts from: one for this year or an earlier one, over all the user's accounts. */
interface EnteredCarry {
  row: CarryInRow
  /** False for a one-account report, which the entry (the person's, not an account's) does not apply to. */
  applies: boolean
}

function carryInFor(row: CarryInRow | null, year: number, account: string | null): EnteredCarry | null {
  if (row === null || row.year > year) return null
  return { row, applies: account === null }
}

function summarize(
  priced: readonly Priced[],
  rules: JurisdictionRules,
  year: number,
  method: TaxMethod,
  pooling: TaxPooling,
  ledgerHistory: readonly YearNet[],
  entered: EnteredCarry | null,
): Omit<TaxReport['summary'], 'incomplete'> {
  const all = acc()
  const short = acc()
  const long = acc()
  let gains = 0n
  let losses = 0n
  // Gains and losses are per disposal (the sum of its lines); Germany's, like its net, are the private
  // sales' (lines held up to a year): the rest is tax-free.
  const counted = (p: Priced) => rules.id !== 'de' || p.term === 'short'
  let current = -1
  let gain = 0n
  const close = () => {
    if (gain > 0n) gains += gain
    else losses += gain
    gain = 0n
  }
  for (const p of priced) {
    add(all, p)
    if (p.term === 'short') add(short, p)
    else if (p.term === 'long') add(long, p)
    if (p.d.id !== current) {
      close()
      current = p.d.id
    }
    if (counted(p)) gain += p.proceeds - p.cost
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
  if (rules.id === 'de' && (method === 'lifo' || method === 'hifo')) {
    notes.push(`German tax offices take the oldest coins as sold first (FIFO, § 23 Abs. 1 Nr. 2 Satz 3 EStG; BMF letter of 10 May 2022): ${METHOD_NAMES[method]} needs every unit's purchase documented, and can move a sale out of the tax-free one-year holding.`)
  }
  if (rules.id === 'de' && pooling === 'universal') notes.push('German tax offices apply FIFO wallet by wallet (BMF letter of 10 May 2022, Rz. 61): this report pools all accounts as you asked.')
  if (rules.id === 'us' && pooling === 'universal' && year >= 2025) notes.push('From 2025 US rules (Rev. Proc. 2024-28) track basis wallet by wallet: this report pools all accounts as you asked.')
  let net: bigint
  let taxable: bigint
  let carriedIn: Carried | null = null
  let carriedOut: Carried | null = null
  let deductible: bigint | null = null
  const m = (c: bigint) => `${groupedMoney(moneyText(c))} ${ccy}`
  // Entered losses replace the ledger's reckoning of the years before theirs: the return they come from
  // already counted those years (and whatever else the user held).
  const from = entered?.applies ? entered.row : null
  // From the entry's year (or the ledger's first year with disposals) to the year before this one, quiet years included.
  const first = from ? from.year : ledgerHistory[0]?.year
  const history = first === undefined ? [] : everyYear(ledgerHistory.filter((y) => y.year >= first), first, year - 1)
  const spanOf = (years: readonly YearNet[]) =>
    years.length === 0 ? '' : years.length === 1 ? rules.yearLabel(years[0]!.year) : `${rules.yearLabel(years[0]!.year)} to ${rules.yearLabel(years.at(-1)!.year)}`
  const span = spanOf(history)
  const enteredStart = from ? parseMoney(from.amount) : 0n
  if (from) {
    const what = from.longTerm === null ? m(-enteredStart) : `short-term ${m(-enteredStart)}, long-term ${m(-parseMoney(from.longTerm))}`
    notes.push(
      `Losses carried into ${rules.yearLabel(from.year)} from before this ledger, as you entered them: ${what}. Ledger years before ${rules.yearLabel(from.year)} are not reckoned${history.length > 0 ? `; ${span} ${history.length === 1 ? 'is' : 'are'} reckoned from this ledger on top` : ''}.`,
    )
  } else if (entered && !entered.applies) {
    notes.push(`The losses you entered as carried into ${rules.yearLabel(entered.row.year)} apply to the report over all your accounts, not to one account's; this report reckons only this account's earlier years.`)
  }
  if (rules.id === 'us') {
    net = all.proceeds - all.cost
    const start: Carry = from ? { short: -enteredStart, long: -parseMoney(from.longTerm ?? '0') } : { short: 0n, long: 0n }
    const carry = usCarryover(history, start)
    const r = usYear(short.proceeds - short.cost + carry.short, long.proceeds - long.cost + carry.long)
    taxable = r.net > 0n ? r.net : 0n
    carriedIn = carried(carry.short, carry.long)
    carriedOut = carried(r.carry.short, r.carry.long)
    deductible = r.deducted
    notes.push('Short-term: held one year or less. Long-term: held more than one year (from the day after acquisition).')
    notes.push(boxNote(year))
    if (carry.short + carry.long < 0n) {
      notes.push(`Capital loss carried in${from ? '' : ` from ${span} (reckoned from this ledger the same way)`}: short-term ${m(carry.short)}, long-term ${m(carry.long)}.`)
    }
    if (r.net < 0n) {
      notes.push(
        `Net capital loss ${m(r.net)}: ${m(r.deducted)} of it offsets other income this year (at most 3,000 USD, assuming that much other income); ${m(r.carry.short + r.carry.long)} carries to ${year + 1}.`,
      )
    }
    notes.push(
      from
        ? 'Only this ledger and the losses you entered are counted: other capital gains are not known here.'
        : 'Only this ledger is counted: losses carried in from before it (enter them from your last return), and other capital gains, are not known here.',
    )
  } else if (rules.id === 'uk') {
    net = gains + losses
    const broughtForward = ukBroughtForward(history, (y) => parseMoney(rules.allowance(y)?.amount ?? '0'), enteredStart)
    const r = ukYear(net, broughtForward, allowanceCents)
    taxable = r.taxable
    carriedIn = carried(-broughtForward, null)
    carriedOut = carried(-r.carried, null)
    notes.push('All disposals of an asset on one day are one disposal (TCGA 1992 s.105(1)(a)), matched with same-day acquisitions, then those of the next 30 days, then the Section 104 pool.')
    notes.push(`Taxable gain: net gains less the ${groupedMoney(moneyText(allowanceCents))} GBP annual exempt amount for ${rules.yearLabel(year)}, and less losses brought forward.`)
    if (broughtForward > 0n) {
      notes.push(
        `Losses brought forward${from ? '' : ` from ${span} (this ledger)`}: ${m(broughtForward)}; ${m(r.used)} used, only down to the annual exempt amount; ${m(r.carried)} carries on (a loss must be claimed within four years of its tax year).`,
      )
    }
    notes.push(ukReporting(year, { proceeds: all.proceeds, gains, taxable, net }, allowanceCents, m))
  } else {
    net = short.proceeds - short.cost
    notes.push('Held more than one year: tax-free (§ 23 Abs. 1 Nr. 2 EStG). Held one year or less: a private sale.')
    notes.push(
      `Private sales' net gain under the Freigrenze of ${groupedMoney(moneyText(allowanceCents))} EUR is tax-free in full; at or above it, taxable in full. The Freigrenze covers all private sales of the year, not only crypto.`,
    )
    if (from) {
      // From the tax office's recorded amount on, each later year is reckoned as the office would.
      const freigrenzeOf = (y: number) => parseMoney(rules.allowance(y)?.amount ?? '0')
      const forward = deCarryforward(history, freigrenzeOf, enteredStart)
      const r = deYear(net, forward, allowanceCents, year)
      taxable = r.taxable
      carriedIn = carried(-forward, null)
      carriedOut = carried(-r.carried, null)
      if (forward > 0n) {
        notes.push(
          `Loss carried forward from private sales: ${m(forward)}; ${m(r.used)} used. It offsets only a year's private-sale gain at or above the Freigrenze (tested before the offset), in full up to 1,000,000 EUR and in part beyond (§ 10d Abs. 2 EStG); ${m(r.carried)} carries on. Later years' losses count once declared and recorded.`,
        )
      }
    } else {
      taxable = net >= allowanceCents ? net : 0n
      const lossYears = history.filter((y) => y.short < 0n)
      if (lossYears.length > 0) {
        notes.push(
          `Earlier years in this ledger closed with private-sale losses (${lossYears.map((y) => `${rules.yearLabel(y.year)}: ${m(y.short)}`).join(', ')}). They reduce later private-sale gains only once the tax office has recorded them (Verlustfeststellung, § 23 Abs. 3 EStG): enter the recorded amount to apply it.`,
        )
      }
    }
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
    carriedIn,
    carriedOut,
    deductible: deductible === null ? null : moneyText(deductible),
    notes,
  }
}

/** UK: 50,000 GBP of proceeds from 2023/24; four times the annual exempt amount before. */
const UK_PROCEEDS_LIMIT = 5_000_000n

/** A UK year's figures that decide whether it must be reported (cents; `gains` before any losses). */
interface UkYearFigures {
  proceeds: bigint
  gains: bigint
  taxable: bigint
  net: bigint
}

/** Whether HMRC expects this year's disposals on a return, and why (the engine's word for the notes). */
function ukReporting(year: number, { proceeds, gains, taxable, net }: UkYearFigures, exempt: bigint, m: (c: bigint) => string): string {
  const limit = year >= 2023 ? UK_PROCEEDS_LIMIT : 4n * exempt
  const limitWords = year >= 2023 ? m(limit) : `${m(limit)} (four times the annual exempt amount)`
  if (taxable > 0n) return 'Reporting: tax is due on these gains; report them on a Self Assessment return (or through HMRC’s real-time Capital Gains Tax service).'
  // HMRC: losses (the year's or brought forward) deducted from gains that before them exceed the exempt amount must be reported.
  if (gains > exempt) {
    return `Reporting: no tax is due after losses, but the gains before losses (${m(gains)}) exceed the ${m(exempt)} annual exempt amount: you must report these disposals, and the losses set against them, on a Self Assessment return.`
  }
  if (proceeds > limit) return `Reporting: no tax is due, but the disposals’ proceeds (${m(proceeds)}) exceed ${limitWords}: if you are registered for Self Assessment, they go on your return.`
  if (net < 0n) return 'Reporting: no tax is due; to use this year’s loss later, claim it on a return within four years.'
  return `Reporting: no tax is due and the proceeds are within ${limitWords}: nothing to report for these disposals alone.`
}

type Carried = NonNullable<TaxReport['summary']['carriedIn']>

/** Losses carried (≤ 0), by term where the jurisdiction has terms; null when nothing carries. */
function carried(short: bigint, long: bigint | null): Carried | null {
  const total = short + (long ?? 0n)
  if (total === 0n) return null
  return { short: long === null ? null : moneyText(short), long: long === null ? null : moneyText(long), total: moneyText(total) }
}

/** The tax year a moment falls in (the year its first day is in). */
function taxYearOf(rules: JurisdictionRules, t: number, zone: string): number {
  const day = dayOf(t, zone)
  const first = rules.yearStart(day.y)
  return day.m < first.m || (day.m === first.m && day.d < first.d) ? day.y - 1 : day.y
}

/**
 * Each earlier tax year's net results, oldest first: its disposals (matched as that year's report would
 * pool them) priced to the cent as the year's own lines are.
 */
function* earlierYears(
  rules: JurisdictionRules,
  year: number,
  zone: string,
  start: number,
  disposalsFor: (year: number) => Generator<void, readonly Disposal[]>,
): Generator<void, YearNet[]> {
  // Each list of disposals (one per pooling in use) is split by tax year once, not scanned once per year.
  const split = new Map<readonly Disposal[], Map<number, Disposal[]>>()
  const byYear = (list: readonly Disposal[]) => {
    let years = split.get(list)
    if (years === undefined) {
      years = new Map()
      for (const d of list) {
        if (d.t >= start) continue
        const y = taxYearOf(rules, d.t, zone)
        const of = years.get(y)
        if (of) of.push(d)
        else years.set(y, [d])
      }
      split.set(list, years)
    }
    return years
  }
  const out: YearNet[] = []
  for (const y of [...byYear(yield* disposalsFor(year - 1)).keys()].sort((a, b) => a - b)) {
    yield
    const priced: Priced[] = []
    for (const d of byYear(yield* disposalsFor(y)).get(y) ?? []) linesOf(d, rules, zone, priced)
    let short = 0n
    let long = 0n
    for (const p of priced) {
      if (p.term === 'long') long += p.proceeds - p.cost
      else short += p.proceeds - p.cost
    }
    out.push({ year: y, short, long })
  }
  return out
}
