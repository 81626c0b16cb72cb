import type { Jurisdiction, TaxLine, TaxMethod, TaxPooling, TaxWarning } from '../../../src-main/api/contract'
import type { LedgerAccountView } from '../../../src-main/api/schemas/portfolio'

// Words and choices of the Tax page. The figures and the methods a jurisdiction allows are the engine's;
// these are only their names.

export const JURISDICTIONS: readonly { id: Jurisdiction; label: string }[] = [
  { id: 'us', label: 'United States (USD)' },
  { id: 'uk', label: 'United Kingdom (GBP)' },
  { id: 'de', label: 'Germany (EUR)' },
]

export const METHOD_LABELS: Record<TaxMethod, string> = {
  fifo: 'FIFO (first in, first out)',
  lifo: 'LIFO (last in, first out)',
  hifo: 'HIFO (highest cost first)',
  average: 'Average cost',
  hmrc: 'HMRC share pooling',
}

export const POOLING_LABELS: Record<TaxPooling, string> = {
  universal: 'All accounts as one',
  'per-account': 'Per account (wallet by wallet)',
}

export const RULE_LABELS: Record<TaxLine['rule'], string> = {
  fifo: 'FIFO',
  lifo: 'LIFO',
  hifo: 'HIFO',
  average: 'Average',
  'same-day': 'Same day',
  'bed-and-breakfast': '30-day (B&B)',
  'section-104': 'S104 pool',
  'no-cost-basis': 'No cost basis',
}

/** How each jurisdiction's return states losses carried from earlier years, for the carry-in form. */
export const CARRY_IN_WORDS: Record<Jurisdiction, { currency: string; amountLabel: string; hint: string }> = {
  us: {
    currency: 'USD',
    amountLabel: 'Loss',
    hint: "From last year's Schedule D capital loss carryover worksheet, by term. Reports from this year on start from these instead of this ledger's earlier years.",
  },
  uk: {
    currency: 'GBP',
    amountLabel: 'Losses brought forward',
    hint: 'Allowable losses from earlier tax years that your returns claimed and that are still unused. Reports from this year on start from them instead of this ledger’s earlier years.',
  },
  de: {
    currency: 'EUR',
    amountLabel: 'Verlustvortrag',
    hint: 'The loss carried forward from private sales (§ 23 EStG) as the tax office recorded it for the year before (Feststellungsbescheid). Only a recorded amount is applied.',
  },
}

/** A tax year's name: "2025", or "2024/25" for the UK year starting in 2024. */
export function taxYearLabel(jurisdiction: Jurisdiction, year: number): string {
  return jurisdiction === 'uk' ? `${year}/${String((year + 1) % 100).padStart(2, '0')}` : String(year)
}

// Each jurisdiction's zone, the one its reports reckon the year in (src-main/tax/rules.ts; the renderer
// imports no engine code): the year in progress is the report's, whatever zone the computer is set to.
const YEAR_ZONES: Record<Jurisdiction, string> = { us: 'America/New_York', uk: 'Europe/London', de: 'Europe/Berlin' }
const dayIn = new Map<Jurisdiction, Intl.DateTimeFormat>()

/** The tax year in progress: the calendar year in the jurisdiction's zone, or for the UK the year whose 6 April (London time) last passed. */
export function currentTaxYear(jurisdiction: Jurisdiction, now = new Date()): number {
  let f = dayIn.get(jurisdiction)
  if (!f) dayIn.set(jurisdiction, (f = new Intl.DateTimeFormat('en-CA', { timeZone: YEAR_ZONES[jurisdiction], year: 'numeric', month: 'numeric', day: 'numeric' })))
  const parts = f.formatToParts(now)
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const [y, m, d] = [part('year'), part('month'), part('day')]
  if (jurisdiction !== 'uk') return y
  return m < 4 || (m === 4 && d < 6) ? y - 1 : y
}

/** The tax years offered: the one in progress and the ten before it. */
export function yearOptions(jurisdiction: Jurisdiction, now = new Date()): { year: number; label: string }[] {
  const current = currentTaxYear(jurisdiction, now)
  return Array.from({ length: 11 }, (_, i) => current - i).map((year) => ({ year, label: taxYearLabel(jurisdiction, year) }))
}

/** The user's own ledger accounts (the simulated traders' books are not theirs to declare). */
export function ownAccounts(accounts: readonly LedgerAccountView[]): LedgerAccountView[] {
  return accounts.filter((a) => a.kind !== 'trader')
}

/** A paper account (the simulated exchange's or one on a venue's book): "All of mine" leaves it out. */
export const isPaperKind = (a: Pick<LedgerAccountView, 'kind'>): boolean => a.kind === 'sim' || a.kind === 'paper'

/** What the page says of the paper accounts a report over all accounts left out (the engine names them). */
export function paperLeftOutNote(leftOut: readonly { account: string; label: string }[]): string {
  return `Paper accounts are not in this report (${leftOut.map((p) => `${p.account} ${p.label}`).join(', ')}): pick one in Accounts to see it alone.`
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** A moment as the calendar day of the report's time zone (the day that decides its tax year): 2024-03-01. */
export function reportDay(ms: number, zone: string): string {
  let f = dayFormats.get(zone)
  if (!f) dayFormats.set(zone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(new Date(ms))
}

/** When a warning began (its first occurrence, in the report's zone) and how often: "from 2024-03-05, 2 times". */
export function warningWhen(w: Pick<TaxWarning, 'timestamp' | 'count'>, zone: string): string {
  return `from ${reportDay(w.timestamp, zone)}${w.count ? `, ${w.count} times` : ''}`
}

/** What the Acquired column says when a line has no acquisition date. */
export function acquiredLabel(line: TaxLine, zone: string): string {
  if (line.acquiredAt !== null) return reportDay(line.acquiredAt, zone)
  return line.rule === 'section-104' ? 'pool' : 'unknown'
}
