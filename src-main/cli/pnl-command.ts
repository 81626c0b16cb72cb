import type { CostMethod, LedgerWarning, PositionPnl } from '../portfolio/model'
import type { AccountTotals, PortfolioTotals } from '../portfolio/lots'
import { dateCell, decimalCell } from '../portfolio/import/values'
import { unknownAccount } from '../tax/report-accounts'
import type { LedgerContext } from './ledger-context'
import { oneOf, parseCommand, UsageError } from './usage'

// `pnl`: the ledger replayed (FIFO or average cost) and valued — per account and asset the amount, cost
// basis, realized and unrealized P&L as exact decimal strings. Unrealized is at the last stored price
// (price marks and the ledger's own trades; each account's own venue's first, see venue-prices.ts) unless
// --price ASSET=PRICE gives one; with --at, the ledger up to that moment valued at the prices stored at or
// before it.

export interface ParsedPnlArgs {
  account: string | undefined
  at: number | undefined
  method: CostMethod
  currency: string | undefined
  prices: Map<string, string>
  dataDir: string | undefined
  json: boolean
}

export interface PnlReport {
  reportingCurrency: string
  method: CostMethod
  /** As of this moment (ISO-8601, UTC); null for now. */
  at: string | null
  /**
   * The newest stored price from a real venue or a rates file of each asset the real and imported accounts
   * shown hold (reporting currency per unit; what an imported account is valued at), or the one given, and
   * where each came from. An account on a venue is valued at its own venue's price first: its rows' `price`.
   */
  prices: Record<string, PnlPrice>
  /**
   * Only when a simulated account (the simulated exchange's traders, a paper account on it) is shown: the
   * prices valuing those accounts' assets, the simulated exchange's included — never the real accounts'.
   */
  simulatedPrices?: Record<string, PnlPrice>
  accounts: (AccountTotals & { assets: Omit<PositionPnl, 'account'>[] })[]
  totals: PortfolioTotals
  warnings: LedgerWarning[]
}

export interface PnlPrice {
  price: string
  source: 'given' | 'stored'
}

const DAY_MS = 86_400_000

export function pnlArgs(args: string[]): ParsedPnlArgs {
  const { values, positionals } = parseCommand('pnl', args, {
    account: { type: 'string' },
    at: { type: 'string' },
    method: { type: 'string' },
    currency: { type: 'string' },
    price: { type: 'string', multiple: true },
  })
  if (positionals.length > 0) throw new UsageError(`pnl: unexpected argument "${positionals[0]}"`)
  if (values.account !== undefined && values.account.trim() === '') throw new UsageError('pnl: --account NAME must not be empty')
  const prices = new Map<string, string>()
  for (const p of values.price ?? []) {
    const [asset, price] = priceArg(p)
    prices.set(asset, price)
  }
  return {
    account: values.account?.trim(),
    at: values.at === undefined ? undefined : atArg(values.at),
    method: oneOf('pnl', values.method ?? 'fifo', '--method', ['fifo', 'average'] as const),
    currency: values.currency === undefined ? undefined : assetArg(values.currency, '--currency'),
    prices,
    dataDir: values['data-dir'],
    json: values.json,
  }
}

/** "2024-01-31" is the end of that day (UTC); a date-time without a zone is UTC. */
function atArg(text: string): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim())
  try {
    const start = dateCell(day ? `${text.trim()} 00:00:00` : text, { line: 0, column: '--at' }, { noZone: 'utc', expected: '', allowFuture: true })
    return day ? start + DAY_MS - 1 : start
  } catch {
    throw new UsageError(`pnl: --at wants an ISO-8601 date or date-time (2024-01-31, 2024-01-31T18:00:00Z), got "${text}"`)
  }
}

function priceArg(text: string): [string, string] {
  const eq = text.indexOf('=')
  const bad = () => new UsageError(`pnl: --price wants ASSET=PRICE with a positive decimal price (BTC=45000.5), got "${text}"`)
  if (eq <= 0) throw bad()
  const asset = assetArg(text.slice(0, eq), '--price')
  try {
    return [asset, decimalCell(text.slice(eq + 1), { line: 0, column: '--price' })]
  } catch {
    throw bad()
  }
}

function assetArg(text: string, flag: string): string {
  const asset = text.trim().toUpperCase()
  if (!/^[A-Z0-9][A-Z0-9._-]*$/.test(asset)) throw new UsageError(`pnl: ${flag}: "${text}" is not an asset code`)
  return asset
}

export function runPnl(args: ParsedPnlArgs, ledger: LedgerContext): PnlReport {
  // A mistyped name would print an empty report that reads as an account holding nothing (as tax refuses it).
  const unknown = unknownAccount(ledger.store.db, args.account)
  if (unknown !== null) throw new UsageError(`pnl: --account ${unknown}`)
  const currency = args.currency ? { reportingCurrency: args.currency } : {}
  // As of --at: the prices stored at or before that moment, not today's.
  const stored = ledger.portfolio.storedPrices({ ...currency, ...(args.at !== undefined ? { at: args.at } : {}) })
  // Each account at its own venue's stored prices first; a --price given values every account.
  const given = new Map<Map<string, string>, Map<string, string>>()
  const pricesOf = (account: string): Map<string, string> => {
    const own = stored.of(account)
    let merged = given.get(own)
    if (merged === undefined) given.set(own, (merged = new Map([...own, ...args.prices])))
    return merged
  }
  const result = ledger.portfolio.compute({
    ...currency,
    method: args.method,
    prices: pricesOf,
    ...(args.at !== undefined ? { at: args.at } : {}),
    ...(args.account !== undefined ? { account: args.account } : {}),
  })
  const byAccount = new Map<string, Omit<PositionPnl, 'account'>[]>()
  for (const { account, ...position } of result.positions) {
    const list = byAccount.get(account) ?? []
    list.push(position)
    byAccount.set(account, list)
  }
  const accounts = result.accounts.filter((a) => args.account === undefined || a.account === args.account)
  // The prices listed are those the accounts shown fall back to: real and imported ones never the
  // simulated exchange's (stored.real), simulated ones all (stored.general), apart.
  const simulated = accounts.filter((a) => stored.simulated(a.account))
  const real = accounts.filter((a) => !stored.simulated(a.account))
  const listed = (group: typeof accounts, book: Map<string, string>): Record<string, PnlPrice> => {
    const held = new Set(group.flatMap((a) => (byAccount.get(a.account) ?? []).map((p) => p.asset)))
    return Object.fromEntries(
      [...new Map([...book, ...args.prices])]
        .filter(([asset]) => held.has(asset))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([asset, price]) => [asset, { price, source: args.prices.has(asset) ? ('given' as const) : ('stored' as const) }]),
    )
  }
  return {
    reportingCurrency: result.totals.reportingCurrency,
    method: result.totals.method,
    at: args.at === undefined ? null : new Date(args.at).toISOString(),
    prices: listed(real, stored.real),
    ...(simulated.length > 0 ? { simulatedPrices: listed(simulated, stored.general) } : {}),
    accounts: accounts.map((a) => ({ ...a, assets: (byAccount.get(a.account) ?? []).sort((x, y) => x.asset.localeCompare(y.asset)) })),
    totals: result.totals,
    warnings: result.warnings,
  }
}

export function formatPnl(r: PnlReport): string {
  const out: string[] = [
    `P&L in ${r.reportingCurrency} (${r.method === 'fifo' ? 'FIFO' : 'average cost'})${r.at ? ` as of ${r.at}` : ''}`,
  ]
  const columns = ['asset', 'amount', 'avg cost', 'price', 'value', 'cost basis', 'realized', 'unrealized'] as const
  for (const account of r.accounts) {
    out.push('', `Account ${account.account}`)
    const rows = account.assets.map((a) => [a.asset, a.amount, a.averageCost ?? '-', a.price ?? '-', a.value ?? '-', a.costBasis, a.realized, a.unrealized ?? '-'])
    rows.push(['total', '', '', '', account.value, account.costBasis, account.realized, account.unrealized])
    const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)))
    const line = (cells: readonly string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`
    out.push(line(columns), ...rows.map(line))
  }
  if (r.accounts.length === 0) out.push('', 'The ledger holds nothing for this selection.')
  out.push('', `Total: value ${r.totals.value}, realized ${r.totals.realized}, unrealized ${r.totals.unrealized}`)
  for (const w of r.warnings) out.push(`warning: ${w.account} ${w.asset}: ${w.message}`)
  return `${out.join('\n')}\n`
}
