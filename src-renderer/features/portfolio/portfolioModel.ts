import { compareDecimal, signOf } from '../../ui/decimal'
import type {
  EquityPoint,
  ImportResultView,
  LedgerAccountView,
  PortfolioPeriod,
  PortfolioQuery,
  PortfolioView,
  PositionView,
  SyncStatus,
} from '../../../src-main/api/schemas/portfolio'

export type { EquityPoint, LedgerAccountView, PortfolioPeriod, PortfolioQuery, PortfolioView, PositionView, SyncStatus }

// The Portfolio page's view model: which period and account are asked for, how the engine's rows are
// ordered and keyed, the chart points and donut arcs, sync progress and import errors. Nothing here adds
// money: figures are the engine's decimal strings; only chart geometry uses plain numbers. Pure (no DOM),
// so it is tested in Node.

export interface PeriodOption {
  id: PortfolioPeriod
  label: string
  title: string
}

/** The period filters in the order of the segmented control and of the keys 1–5. */
export const PERIODS: readonly PeriodOption[] = [
  { id: '24h', label: '24h', title: 'Last 24 hours' },
  { id: '7d', label: '7d', title: 'Last 7 days' },
  { id: '30d', label: '30d', title: 'Last 30 days' },
  { id: 'year', label: 'Year', title: 'Last 12 months' },
  { id: 'all', label: 'All', title: 'Since the first ledger entry' },
]

export const periodLabel = (id: PortfolioPeriod): string => PERIODS.find((p) => p.id === id)?.label ?? id

/** The period a segmented-control key moves to (←/→ wrap, Home/End), or null for any other key. */
export function stepPeriod(current: PortfolioPeriod, key: string): PortfolioPeriod | null {
  const at = PERIODS.findIndex((p) => p.id === current)
  const n = PERIODS.length
  let next: number
  if (key === 'ArrowRight' || key === 'ArrowDown') next = (at + 1) % n
  else if (key === 'ArrowLeft' || key === 'ArrowUp') next = (at - 1 + n) % n
  else if (key === 'Home') next = 0
  else if (key === 'End') next = n - 1
  else return null
  return PERIODS[next]!.id
}

// The account filter's choice: '' = the user's own accounts (the engine's default scope), SCOPE_TRADERS /
// SCOPE_ALL = the simulated traders / everything, anything else = one ledger account. ('*' is never in a
// ledger account's name: imports refuse it, and the app's own names are ids.)
export const SCOPE_MINE = ''
export const SCOPE_TRADERS = '*traders'
export const SCOPE_ALL = '*all'

export const isScopeChoice = (choice: string): boolean => choice === SCOPE_MINE || choice === SCOPE_TRADERS || choice === SCOPE_ALL

/** What the screen asks the engine for; method and currency follow the settings. */
export function portfolioQuery(period: PortfolioPeriod, choice: string): PortfolioQuery {
  if (choice === SCOPE_MINE) return { period }
  if (choice === SCOPE_TRADERS) return { period, scope: 'traders' }
  if (choice === SCOPE_ALL) return { period, scope: 'all' }
  return { period, account: choice }
}

/** The filter choice a view (or equity curve) answers. */
export function choiceOf(view: Pick<PortfolioView, 'account' | 'scope'>): string {
  if (view.account !== null) return view.account
  return view.scope === 'traders' ? SCOPE_TRADERS : view.scope === 'all' ? SCOPE_ALL : SCOPE_MINE
}

/** Whether a view (summary reply or live event) answers the query the screen asks now. */
export function answers(view: Pick<PortfolioView, 'period' | 'account' | 'scope'>, period: PortfolioPeriod, choice: string): boolean {
  return view.period === period && choiceOf(view) === choice
}

/**
 * The view to keep when another arrives: the newer one that answers the current query. A summary reply
 * can arrive after a live event computed later; it must not replace it.
 */
export function newerView(current: PortfolioView | null, next: PortfolioView, period: PortfolioPeriod, account: string): PortfolioView | null {
  if (!answers(next, period, account)) return current
  if (current && answers(current, period, account) && current.at > next.at) return current
  return next
}

/** Row key of a position: one per account and asset. */
export const positionKey = (p: Pick<PositionView, 'account' | 'asset'>) => `${p.account}|${p.asset}`

/** The account shown on a per-asset row (the engine's sum over the accounts shown). */
export const ALL_ACCOUNTS_ROW = '*'

/** A row of the positions table: a position, or an asset's sums with the amount held where it has no price. */
export type PositionRow = PositionView & { unpricedAmount?: string }

/** The engine's per-asset sums as rows of the positions table (account '*'), ordered like positions. */
export function assetRows(view: Pick<PortfolioView, 'assets'>): PositionRow[] {
  return sortPositions(view.assets.map(({ accounts: _accounts, ...a }) => ({ ...a, account: ALL_ACCOUNTS_ROW })))
}

/** Valued positions first, largest value first; unpriced after them by asset; ties by account. */
export function sortPositions<T extends PositionView>(positions: readonly T[]): T[] {
  return [...positions].sort((a, b) => {
    if (a.value !== null && b.value !== null) {
      const byValue = compareDecimal(b.value, a.value)
      if (byValue !== 0) return byValue
    } else if (a.value !== null || b.value !== null) return a.value === null ? 1 : -1
    return a.asset.localeCompare(b.asset) || a.account.localeCompare(b.account)
  })
}

/** CSS class for a P&L figure: gains green, losses red, zero and unknown plain. */
export function pnlClass(value: string | null | undefined): string {
  const s = signOf(value)
  return s > 0 ? 'pos' : s < 0 ? 'neg' : ''
}

export interface AccountOption {
  value: string
  label: string
}

export interface AccountOptions {
  /** The user's own accounts (exchange, paper, imported). */
  mine: AccountOption[]
  /** The simulated exchange's traders. */
  traders: AccountOption[]
}

/**
 * The account filter's choices: every ledger account (from portfolio.accounts), plus any account the P&L
 * view names that the list has not caught up with yet, plus the one selected (so a choice never vanishes);
 * the simulated traders apart from the user's own.
 */
export function accountOptions(
  ledger: readonly Pick<LedgerAccountView, 'account' | 'label' | 'kind'>[],
  pnl: readonly { account: string; label: string }[],
  selected: string,
): AccountOptions {
  const out = new Map<string, { label: string; trader: boolean }>()
  for (const a of ledger) out.set(a.account, { label: a.label, trader: a.kind === 'trader' })
  for (const a of pnl) if (!out.has(a.account)) out.set(a.account, { label: a.label, trader: false })
  if (!isScopeChoice(selected) && !out.has(selected)) out.set(selected, { label: selected, trader: false })
  const options: AccountOptions = { mine: [], traders: [] }
  for (const [value, o] of out) (o.trader ? options.traders : options.mine).push({ value, label: o.label })
  return options
}

// --- Equity chart ---------------------------------------------------------------------------------------

export interface ChartPoint {
  /** UTC seconds (lightweight-charts' UTCTimestamp). */
  time: number
  value: number
}

/**
 * The engine's equity points as chart series: ascending, one point per second (the last wins), with the
 * live total appended when it is newer than the last point (so the curve ends where the totals say).
 */
export function equitySeries(
  points: readonly EquityPoint[],
  live: { at: number; value: string } | null = null,
): { value: ChartPoint[]; deposits: ChartPoint[] } {
  const bySecond = new Map<number, EquityPoint>()
  for (const p of [...points].sort((a, b) => a.time - b.time)) bySecond.set(Math.floor(p.time / 1000), p)
  const value: ChartPoint[] = []
  const deposits: ChartPoint[] = []
  for (const [time, p] of bySecond) {
    value.push({ time, value: p.value })
    deposits.push({ time, value: p.netDeposits })
  }
  if (live) {
    const time = Math.floor(live.at / 1000)
    const v = Number(live.value)
    const last = value.at(-1)
    if (Number.isFinite(v) && (last === undefined || time > last.time)) value.push({ time, value: v })
  }
  return { value, deposits }
}

// --- Allocation donut -----------------------------------------------------------------------------------

export interface DonutArc {
  asset: string
  /** The engine's share in % (decimal string), for the label. */
  share: string
  value: string
  /** SVG path of the ring segment; '' for a slice too small to draw. */
  path: string
  /** Colour slot (0–7). */
  slot: number
}

const SLOTS = 8

function point(cx: number, cy: number, r: number, turn: number): string {
  const a = turn * 2 * Math.PI - Math.PI / 2
  return `${(cx + r * Math.cos(a)).toFixed(3)} ${(cy + r * Math.sin(a)).toFixed(3)}`
}

/** One ring segment from turn `from` to `to` (0–1, clockwise from 12 o'clock). */
export function ringPath(from: number, to: number, outer: number, inner: number, cx = outer, cy = outer): string {
  const span = to - from
  if (span <= 0) return ''
  // A whole ring cannot be one arc (start = end): two halves.
  if (span >= 0.9999) {
    return `${ringPath(0, 0.5, outer, inner, cx, cy)} ${ringPath(0.5, 1, outer, inner, cx, cy)}`
  }
  const large = span > 0.5 ? 1 : 0
  return [
    `M ${point(cx, cy, outer, from)}`,
    `A ${outer} ${outer} 0 ${large} 1 ${point(cx, cy, outer, to)}`,
    `L ${point(cx, cy, inner, to)}`,
    `A ${inner} ${inner} 0 ${large} 0 ${point(cx, cy, inner, from)}`,
    'Z',
  ].join(' ')
}

/**
 * Donut segments from the engine's allocation (asset, value, share %), in its order. Shares become
 * angles (plain numbers: drawing); the labels keep the engine's strings. Negative or unparseable shares
 * are not drawn; if the shares add up to more than 100 (rounding), the ring is scaled to fit.
 */
export function donutArcs(allocation: readonly { asset: string; value: string; share: string }[], outer = 60, inner = 38): DonutArc[] {
  const shares = allocation.map((s) => {
    const n = Number(s.share)
    return Number.isFinite(n) && n > 0 ? n : 0
  })
  const total = Math.max(100, shares.reduce((a, b) => a + b, 0))
  let at = 0
  return allocation.map((slice, i) => {
    const turn = shares[i]! / total
    const path = turn > 0 ? ringPath(at, at + turn, outer, inner) : ''
    at += turn
    return { asset: slice.asset, share: slice.share, value: slice.value, path, slot: i % SLOTS }
  })
}

// --- Sync and import ------------------------------------------------------------------------------------

/** Sync progress as a fraction 0–1, or null when the total is not known yet (an indeterminate bar). */
export function syncFraction(status: Pick<SyncStatus, 'done' | 'total'>): number | null {
  if (status.total <= 0) return null
  return Math.min(1, Math.max(0, status.done / status.total))
}

export const isSyncRunning = (status: SyncStatus | null | undefined): boolean => status?.state === 'running'

const PHASES: Record<NonNullable<SyncStatus['phase']>, string> = {
  markets: 'finding markets',
  trades: 'trades',
  deposits: 'deposits',
  withdrawals: 'withdrawals',
  conversions: 'conversions',
  purchases: 'card and bank purchases',
  rewards: 'rewards',
  done: 'done',
}

/** One line for a sync's state: 'trades 12 / 40 · 350 fetched, 120 new', 'failed: …', 'interrupted (resumes)'. */
export function syncLabel(status: SyncStatus): string {
  const skipped = Object.entries(status.skipped ?? {})
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${n} × ${reason}`)
  const counts = `${status.fetched} fetched, ${status.inserted} new${skipped.length > 0 ? ` · not read: ${skipped.join(', ')}` : ''}`
  switch (status.state) {
    case 'running': {
      const phase = status.phase ? PHASES[status.phase] : 'starting'
      const steps = status.total > 0 ? ` ${status.done} / ${status.total}` : ''
      return `${phase}${steps} · ${counts}`
    }
    case 'done':
      return `done · ${counts}`
    case 'failed':
      return `failed${status.error ? `: ${status.error}` : ''}`
    case 'interrupted':
      return `interrupted at ${status.done} / ${status.total} (Sync resumes)`
    case 'idle':
      return 'never synced'
  }
}

/** The accounts list with a sync status from the stream applied (the account's row, if listed). */
export function applySync(accounts: readonly LedgerAccountView[], status: SyncStatus): LedgerAccountView[] {
  return accounts.map((a) => (a.account === status.account ? { ...a, sync: status } : a))
}

/** The line an import refusal names ('line 3, column "amount": …'), or null. */
export function importErrorLine(message: string): number | null {
  const m = /\bline (\d+)\b/i.exec(message)
  return m ? Number(m[1]) : null
}

/**
 * An import refusal split for the dialog: the line (shown first, on its own), the rest of the engine's
 * sentence without it ('trades.csv: line 3, column "amount": …' → 'trades.csv: column "amount": ….'), and
 * whether the user is to fix that line: only a line of data (from 2); line 1 is the header, and a wrong
 * header (another format, not a CSV at all) is not mended by editing a line.
 */
export function describeImportError(message: string): { line: number | null; detail: string; fixLine: boolean } {
  const line = importErrorLine(message)
  const rest = line === null ? message : message.replace(/\bline \d+(?:,\s*|:\s*)/i, '').replace(/:\s*$/, '')
  return { line, detail: asSentence(rest), fixLine: line !== null && line > 1 }
}

/** The engine's words end without a full stop ("…; nothing was imported"); the dialog shows sentences. */
export function asSentence(text: string): string {
  const trimmed = text.trimEnd()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

/**
 * A default ledger account name for an import, from the file's name: 'binance-2024.csv' → 'import:binance-2024'.
 * A browser's numbering of a second download ('Trades (1).csv', 'Trades-1.csv') is dropped: the same
 * export saved twice is proposed the same account, where its rows are already and count once.
 */
export function suggestAccountName(fileName: string): string {
  const stem = fileName
    .replace(/\.[^.]*$/, '')
    .replace(/\s*\(\d{1,3}\)$|(?<=\D)-\d$/, '').replace(/[^\w .:@-]+/g, '-').replace(/^-+|-+$/g, '')
  return stem ? `import:${stem}`.slice(0, 100) : ''
}

/**
 * Binance's date column header with the zone the user exported in: Date(UTC), Date(UTC+1), Date(UTC-5).
 * The engine's ZONED_DATE_HEADER (portfolio/import/header-zone.ts), which the renderer may not import; a
 * test holds the two equal.
 */
export const BINANCE_DATE_HEADER = /^date\s*\(.*\)$/i

/**
 * A format guessed from a file's header, or null (the user's choice then stands). Coinbase's transaction
 * history opens with a few preamble lines, so the first dozen lines are looked at.
 */
export function guessFormat(text: string): 'binance' | 'coinbase' | 'kraken' | 'generic' | null {
  for (const raw of text.split(/\r?\n/, 12)) {
    const header = raw.toLowerCase().replace(/"/g, '')
    if (/^\s*timestamp,\s*type,\s*base,\s*quote/.test(header)) return 'generic'
    if (header.includes('txid') && (header.includes('pair') || header.includes('refid'))) return 'kraken'
    if (header.includes('transaction type') || (header.includes('trade id') && header.includes('product'))) return 'coinbase'
    // Any zone Binance writes (Date(UTC+1) …), as the engine's Binance parser reads them.
    if (header.split(/[,;\t]/).some((cell) => BINANCE_DATE_HEADER.test(cell.trim())) || (header.includes('utc_time') && header.includes('operation'))) return 'binance'
  }
  return null
}

/** The toast after an import: what was added, and what was not read and why (most rows first). */
export function describeImport(result: ImportResultView, fileName: string): { title: string; body: string } {
  const dupes = result.duplicates > 0 ? `, ${result.duplicates} already there` : ''
  const skipped = Object.entries(result.skipped)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${n} × ${reason}`)
  return {
    title: `Imported ${result.inserted} of ${result.rows} rows`,
    body: `${fileName} (${result.layout}) into ${result.account}${dupes}${skipped.length > 0 ? `. Not read: ${skipped.join(', ')}` : ''}`,
  }
}

// --- Warnings -------------------------------------------------------------------------------------------

export const WARNING_LABELS: Record<PortfolioView['warnings'][number]['kind'], string> = {
  'missing-cost-basis': 'Missing cost basis',
  'unpriced-fee': 'Fee without a price',
  'unpriced-asset': 'No price',
  'unpriced-income': 'Income without a price',
  'stale-price': 'Old price',
}

/** Warnings newest first (the engine's order kept among equal times). */
export function sortWarnings<W extends { timestamp: number }>(warnings: readonly W[]): W[] {
  return warnings
    .map((w, i) => ({ w, i }))
    .sort((a, b) => b.w.timestamp - a.w.timestamp || a.i - b.i)
    .map((x) => x.w)
}

// --- Figures --------------------------------------------------------------------------------------------

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/

/**
 * Decimals to show for a price or an average cost: at least two, and about six significant digits for
 * small prices ('0.000012345678' keeps 0.0000123457). The exact figure goes in the cell's title.
 */
export function priceDecimals(value: string): number {
  const m = DECIMAL.exec(value.trim())
  if (!m) return 2
  const int = m[2]!.replace(/^0+/, '')
  if (int.length > 0) return Math.max(2, 6 - int.length)
  const frac = m[3] ?? ''
  const zeros = /^0*/.exec(frac)![0].length
  if (zeros === frac.length) return 2
  return Math.min(12, zeros + 6)
}

/** The earliest "history from" the engine takes (the first Bitcoin block's day, UTC). */
export const HISTORY_FLOOR = Date.UTC(2009, 0, 3)

/**
 * The sync dialog's "History from" field (a date input's "YYYY-MM-DD", read as UTC midnight) as the door's
 * `since`: empty means everything the exchange keeps (no since); a day in the future or before 2009-01-03
 * is refused with what to type instead.
 */
export function historyFrom(text: string, now: number): { since: number | undefined } | { error: string } {
  const value = text.trim()
  if (value === '') return { since: undefined }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const since = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN
  if (!match || new Date(since).toISOString().slice(0, 10) !== value) return { error: `"${value.slice(0, 20)}" is not a date (YYYY-MM-DD).` }
  if (since < HISTORY_FLOOR) return { error: 'Choose a day from 2009-01-03 on: nothing older exists.' }
  if (since > now) return { error: 'Choose a day that has begun: history from the future is empty.' }
  return { since }
}

/**
 * The same field on an account already synced from `syncedFrom`: only an earlier day moves its start (the
 * engine reads every history again from there); a later one cannot, as what is stored stays in the ledger.
 */
export function earlierHistoryFrom(text: string, now: number, syncedFrom: number): { since: number } | { error: string } {
  const from = new Date(syncedFrom).toISOString().slice(0, 10)
  const chosen = historyFrom(text, now)
  if ('error' in chosen) return chosen
  if (chosen.since === undefined || chosen.since >= syncedFrom) return { error: `Choose a day before ${from}: the history is synced from there already.` }
  return { since: chosen.since }
}
