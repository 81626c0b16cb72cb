import type { AssetPnlView, EquityView, PortfolioQuery, PortfolioView, PositionView, ReportingCurrency } from '../../api/schemas/portfolio'
import { selectAccounts } from './scope'
import { fixedArith, LedgerDecimal } from '../arith'
import type { CostMethod, LedgerWarning } from '../model'
import type { PriceBook } from '../prices'
import { endsEmptied } from '../../analytics/metrics'
import { needsRate } from './currency'
import { DAY, floorTo, HOUR, periodResolution, periodStart, STEP } from './periods'
import type { EquitySnapshot, FlowPoint, LedgerReplay } from './replay'

// The P&L view and the equity history from a kept-up-to-date replay: positions valued at the live prices
// (laid over the stored ones), realized in period from the 5-minute slots, equity at the period's start
// from the grid snapshots. Exact decimal strings throughout; only chart points are numbers.

const ar = fixedArith
const f = (n: bigint): string => ar.format(n)

export interface ViewContext {
  now: number
  method: CostMethod
  currency: ReportingCurrency
  /** The replay's prices with every venue's live ones laid over, the newest winning, the simulated exchange's included (see LivePrices). */
  prices: PriceBook<bigint>
  /** The prices valuing one account: its own venue's live and stored ones first (LivePrices.of). */
  pricesOf: (account: string) => PriceBook<bigint>
  labelOf: (account: string) => string
}

interface Sums {
  value: bigint
  cost: bigint
  realized: bigint
  inPeriod: bigint
  unrealized: bigint
}

export function buildView(replay: LedgerReplay, query: PortfolioQuery, ctx: ViewContext): PortfolioView {
  const shown = selectAccounts(query)
  const start = periodStart(query.period, ctx.now)
  const book = replay.book
  // Accounts on one venue (or none) share one price book: its prices as text, worked out once.
  const textsByBook = new Map<PriceBook<bigint>, Map<string, string>>()
  const priceTextsOf = (account: string): Map<string, string> => {
    const prices = ctx.pricesOf(account)
    let texts = textsByBook.get(prices)
    if (texts === undefined) {
      textsByBook.set(prices, (texts = new Map()))
      for (const [asset, p] of book.equity(prices).prices) if (p !== null) texts.set(asset, f(p))
    }
    return texts
  }
  const valued = book.valued(priceTextsOf, ctx.now)
  const atStart = start === null ? null : replay.stateAt(start)

  const positions: PositionView[] = []
  const byAccount = new Map<string, Sums>()
  for (const p of valued.positions) {
    if (!shown.includes(p.account)) continue
    const inPeriod = replay.realized.get(`${p.account}\u0000${p.asset}`)?.since(start) ?? 0n
    positions.push({
      account: p.account,
      asset: p.asset,
      amount: p.amount,
      costBasis: p.costBasis,
      averageCost: p.averageCost,
      price: p.price,
      value: p.value,
      unrealized: p.unrealized,
      realized: p.realized,
      realizedInPeriod: f(inPeriod),
      changePct: p.price === null ? null : pctChange(ar.parse(p.price), atStart?.prices.get(p.account)?.get(p.asset) ?? null),
      missingCostBasis: p.missingCostBasis,
    })
    let s = byAccount.get(p.account)
    if (!s) byAccount.set(p.account, (s = { value: 0n, cost: 0n, realized: 0n, inPeriod: 0n, unrealized: 0n }))
    if (p.value !== null) s.value += ar.parse(p.value)
    if (p.unrealized !== null) s.unrealized += ar.parse(p.unrealized)
    s.cost += ar.parse(p.costBasis)
    s.realized += ar.parse(p.realized)
    s.inPeriod += inPeriod
  }

  const names = [...new Set([...byAccount.keys(), ...valued.accounts.map((a) => a.account)])].filter(shown.includes).sort()
  const total: Sums = { value: 0n, cost: 0n, realized: 0n, inPeriod: 0n, unrealized: 0n }
  let depositsInPeriod = 0n
  let equityAtStart = 0n
  const accounts = names.map((account) => {
    const s = byAccount.get(account) ?? { value: 0n, cost: 0n, realized: 0n, inPeriod: 0n, unrealized: 0n }
    total.value += s.value
    total.cost += s.cost
    total.realized += s.realized
    total.inPeriod += s.inPeriod
    total.unrealized += s.unrealized
    const net = replay.deposits.get(account)
    depositsInPeriod += net?.since(start) ?? 0n
    const held = atStart?.accounts.get(account)?.value ?? 0n
    equityAtStart += held
    return {
      account,
      label: ctx.labelOf(account),
      value: f(s.value),
      costBasis: f(s.cost),
      realized: f(s.realized),
      realizedInPeriod: f(s.inPeriod),
      unrealized: f(s.unrealized),
    }
  })

  const warnings: LedgerWarning[] = [...valued.warnings.filter((w) => shown.includes(w.account)), ...stalePrices(positions, ctx)]
  if (needsRate(ctx.currency) && ctx.prices.valueOf('USD') === null) {
    warnings.unshift({
      kind: 'unpriced-asset',
      account: shown.account ?? '',
      asset: ctx.currency,
      timestamp: ctx.now,
      message: `no ${ctx.currency} exchange rate is known (a ${ctx.currency}/USDT or USDT/${ctx.currency} price from a watched market or a stored mark); values in ${ctx.currency} are unknown`,
    })
  }

  const change = total.value - equityAtStart
  // What the market made: the change less the money moved in. Its % is time-weighted, the Leaderboard's
  // (analytics/metrics.ts): the equity curve's steps, split where money moved, chained — so money moved in
  // an hour ago or profits taken out neither dilute nor inflate what the money there earned, and an account
  // closed keeps the return it made.
  const pnl = change - depositsInPeriod
  const curve = buildReturnCurve(replay, query, { now: ctx.now, liveValue: total.value })
  // The chain up to the last grid snapshot is kept (return-cache.ts); the curve's first point is the period's start.
  const chainKey = [shown.account ?? '', shown.scope ?? '', curve.resolution, curve.points[0]?.time ?? ''].join('\u0000')
  const pnlPct = replay.returns.pct(chainKey, curve.points, curve.stableBefore)
  const belowZero = curve.points.find((p) => p.value.startsWith('-'))
  if (belowZero !== undefined) {
    // The % counts such a step as all lost (−100 %, metrics.ts); the user is told why it cannot be more.
    warnings.push({
      kind: 'missing-cost-basis',
      account: shown.account ?? '',
      asset: ctx.currency,
      timestamp: belowZero.time,
      message: `the value fell below zero (${belowZero.value} ${ctx.currency}): more was spent or sold than the ledger holds (deposits missing?), so the % counts it as all lost`,
    })
  }
  return {
    at: ctx.now,
    account: shown.account,
    scope: shown.scope,
    period: query.period,
    periodStart: start,
    method: ctx.method,
    currency: ctx.currency,
    totals: {
      value: f(total.value),
      costBasis: f(total.cost),
      realized: f(total.realized),
      realizedInPeriod: f(total.inPeriod),
      unrealized: f(total.unrealized),
      change: f(change),
      changePct: start === null || equityAtStart <= 0n ? null : percent(change, equityAtStart),
      netDeposits: f(depositsInPeriod),
      pnl: f(pnl),
      pnlPct,
    },
    accounts,
    positions,
    assets: assetTotals(positions),
    allocation: allocation(positions),
    warnings,
  }
}

/**
 * Per asset across the shown accounts: sums of the positions; average cost over the amount held. An asset
 * can be priced in one account and not in another (the simulator prices its traders' SOL, not an imported
 * account's): then the row's value and unrealized sum the priced holdings, as the totals and the allocation
 * do, and `unpricedAmount` says how much is left out; with no priced holding they are unknown (null).
 */
function assetTotals(positions: PositionView[]): AssetPnlView[] {
  const byAsset = new Map<string, PositionView[]>()
  for (const p of positions) {
    const list = byAsset.get(p.asset)
    if (list) list.push(p)
    else byAsset.set(p.asset, [p])
  }
  const sum = (list: PositionView[], pick: (p: PositionView) => string | null): bigint => {
    let total = 0n
    for (const p of list) {
      const v = pick(p)
      if (v !== null) total += ar.parse(v)
    }
    return total
  }
  const out: AssetPnlView[] = []
  for (const [asset, list] of byAsset) {
    const priced = list.filter((p) => p.price !== null)
    const unpriced = list.filter((p) => p.price === null)
    const first = (priced[0] ?? list[0]) as PositionView
    const amount = sum(list, (p) => p.amount)
    const pricedAmount = sum(priced, (p) => p.amount)
    const cost = sum(list, (p) => p.costBasis)
    const value = priced.length === 0 ? null : sum(priced, (p) => p.value)
    const unrealized = priced.length === 0 ? null : sum(priced, (p) => p.unrealized)
    // Accounts on different venues may hold it at different prices: then the row's is their average
    // (value ÷ priced amount), so price × priced amount is still the value shown.
    const samePrice = priced.every((p) => p.price === first.price)
    const price = samePrice || value === null || pricedAmount <= 0n ? first.price : f(ar.div(value, pricedAmount))
    out.push({
      asset,
      accounts: list.length,
      amount: f(amount),
      unpricedAmount: f(sum(unpriced, (p) => p.amount)),
      costBasis: f(cost),
      averageCost: amount > 0n ? f(ar.div(cost, amount)) : null,
      price,
      value: value === null ? null : f(value),
      unrealized: unrealized === null ? null : f(unrealized),
      realized: f(sum(list, (p) => p.realized)),
      realizedInPeriod: f(sum(list, (p) => p.realizedInPeriod)),
      changePct: first.changePct,
      missingCostBasis: f(sum(list, (p) => p.missingCostBasis)),
    })
  }
  return out.sort((a, b) => a.asset.localeCompare(b.asset))
}

/** Value by asset across the shown positions (positive values only), largest first, share in % to 2 places. */
function allocation(positions: PositionView[]): PortfolioView['allocation'] {
  const byAsset = new Map<string, bigint>()
  for (const p of positions) {
    if (p.value === null) continue
    byAsset.set(p.asset, (byAsset.get(p.asset) ?? 0n) + ar.parse(p.value))
  }
  const slices = [...byAsset].filter(([, v]) => v > 0n)
  const total = slices.reduce((s, [, v]) => s + v, 0n)
  return slices
    .sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : a[0].localeCompare(b[0])))
    .map(([asset, v]) => ({ asset, value: f(v), share: percent(v, total) }))
}

/** a ÷ b × 100, to 2 decimals (half-even). */
function percent(a: bigint, b: bigint): string {
  return new LedgerDecimal(f(a)).times(100).div(new LedgerDecimal(f(b))).toDecimalPlaces(2).toFixed()
}

function pctChange(now: bigint, then: bigint | null): string | null {
  if (then === null || then <= 0n) return null
  return percent(now - then, then)
}

/** The equity curve: grid points of the period (see periods.ts) and a last point now, at live prices. */
export function buildEquity(replay: LedgerReplay, query: PortfolioQuery, ctx: ViewContext & { liveValue: bigint }): EquityView {
  const shown = selectAccounts(query)
  const points = curvePoints(replay, query, ctx, false).map((p) => ({ time: p.time, value: toNumber(p.value), netDeposits: toNumber(p.netDeposits), deposited: toNumber(p.deposited) }))
  return { account: shown.account, scope: shown.scope, period: query.period, currency: ctx.currency, resolution: periodResolution(query.period), points }
}

/**
 * The curve a period's time-weighted return is worked from (analytics/metrics.ts): the equity curve's
 * points, exact, with the equity just before each time money moved in or out between them (flow points).
 */
export function buildReturnCurve(replay: LedgerReplay, query: PortfolioQuery, ctx: Pick<ViewContext, 'now'> & { liveValue: bigint }): ReturnCurve {
  const points = curvePoints(replay, query, ctx, true).map((p) => ({
    time: p.time,
    value: f(p.value),
    netDeposits: f(p.netDeposits),
    deposited: f(p.deposited),
    ...(p.beforeFlow ? { beforeFlow: true } : {}),
    ...(p.closedBefore ? { closedBefore: true } : {}),
  }))
  return { resolution: periodResolution(query.period), points, stableBefore: replay.recordedUntil }
}

export interface ReturnCurve {
  resolution: ReturnType<typeof periodResolution>
  /** The points before this time stay as they are while rows come in in time order (the last grid snapshot's). */
  stableBefore: number
  points: { time: number; value: string; netDeposits: string; deposited: string; beforeFlow?: boolean; closedBefore?: boolean }[]
}

interface ExactPoint {
  time: number
  value: bigint
  netDeposits: bigint
  deposited: bigint
  beforeFlow?: boolean
  closedBefore?: boolean
}

function curvePoints(replay: LedgerReplay, query: PortfolioQuery, ctx: Pick<ViewContext, 'now'> & { liveValue: bigint }, withFlows: boolean): ExactPoint[] {
  const shown = selectAccounts(query)
  const resolution = periodResolution(query.period)
  const points: ExactPoint[] = []
  const first = replay.firstAt
  if (first === null) return points
  const start = periodStart(query.period, ctx.now) ?? floorTo(first, DAY)
  const times: number[] = []
  if (resolution === 'day') {
    // Daily, then hourly over the last two days (the snapshots keep hours for 8 days).
    const hourlyFrom = floorTo(ctx.now - 2 * DAY, DAY)
    for (let t = start; t < hourlyFrom && t <= ctx.now; t += DAY) times.push(t)
    for (let t = Math.max(hourlyFrom, start); t <= ctx.now; t += HOUR) times.push(t)
  } else {
    for (let t = start; t <= ctx.now; t += STEP[resolution]) times.push(t)
  }
  const flows = withFlows ? replay.flowPoints.filter((p) => p.t >= start && p.t <= ctx.now) : []
  let next = 0
  for (const t of times) {
    for (; next < flows.length && (flows[next] as FlowPoint).t < t; next++) points.push({ ...point((flows[next] as FlowPoint).t, flows[next] as FlowPoint, shown.includes), beforeFlow: true })
    const p = point(t, replay.stateAt(t), shown.includes)
    // A grid time's snapshot is taken before money moved at that very time (replay.advanceTo).
    if (next < flows.length && (flows[next] as FlowPoint).t === t) {
      p.beforeFlow = true
      next++
    }
    points.push(p)
  }
  for (; next < flows.length; next++) points.push({ ...point((flows[next] as FlowPoint).t, flows[next] as FlowPoint, shown.includes), beforeFlow: true })
  const atStart = points[0]
  if (withFlows && atStart !== undefined && closedBefore(replay.flowPoints, start, atStart, shown.includes)) atStart.closedBefore = true
  const last = points[points.length - 1]
  let deposits = 0n
  let deposited = 0n
  for (const [account, d] of replay.current(ctx.now).accounts) {
    if (!shown.includes(account)) continue
    deposits += d.netDeposits
    deposited += d.deposited
  }
  const nowPoint = { time: ctx.now, value: ctx.liveValue, netDeposits: deposits, deposited }
  if (last !== undefined && last.time === ctx.now && last.beforeFlow !== true) points[points.length - 1] = nowPoint
  else points.push(nowPoint)
  return points
}

/**
 * Whether the accounts were closed at the period's start (`first`, its point): the last money they moved
 * before it emptied them (dust left at most: metrics.ts) and nothing was put in since. Worked back from the
 * start over the flow points, each step to the next one (or the start), as the chain would have had it; a
 * withdrawal that left more than dust keeps the state from before it. Only steps with money moved change it.
 */
function closedBefore(flows: readonly FlowPoint[], start: number, first: ExactPoint, includes: (account: string) => boolean): boolean {
  let i = flows.length - 1
  while (i >= 0 && (flows[i] as FlowPoint).t >= start) i--
  let next = first
  for (; i >= 0; i--) {
    const a = point((flows[i] as FlowPoint).t, flows[i] as FlowPoint, includes)
    if (a.deposited !== next.deposited || a.netDeposits !== next.netDeposits) {
      // Judged just after the money moved (at the prices then: what was left is the value before less what
      // left), not at the next point: dust that rose since, even past 0.1 % of what was taken out, is still
      // a closed account's dust, as the chain that ran through the step found it.
      const after = { ...next, value: a.value + next.netDeposits - a.netDeposits }
      const emptied = endsEmptied(textOf(a), textOf(after))
      if (emptied || next.deposited > a.deposited) return emptied
    }
    next = a
  }
  return false
}

const textOf = (p: ExactPoint) => ({ time: p.time, value: f(p.value), netDeposits: f(p.netDeposits), deposited: f(p.deposited) })

function point(t: number, s: Pick<EquitySnapshot, 'accounts'> | null, includes: (account: string) => boolean): ExactPoint {
  let value = 0n
  let deposits = 0n
  let deposited = 0n
  if (s !== null) {
    for (const [account, a] of s.accounts) {
      if (!includes(account)) continue
      value += a.value
      deposits += a.netDeposits
      deposited += a.deposited
    }
  }
  return { time: t, value, netDeposits: deposits, deposited }
}

const toNumber = (n: bigint): number => Number(ar.format(n))

/** A price older than this values a holding only with a warning: nothing trades it where the app looks. */
const STALE_PRICE_MS = 7 * DAY

/** One warning per asset held whose price is older than STALE_PRICE_MS (its value is as of then), per price. */
function stalePrices(positions: readonly PositionView[], ctx: Pick<ViewContext, 'pricesOf' | 'now' | 'currency'>): LedgerWarning[] {
  const out: LedgerWarning[] = []
  const seen = new Set<string>()
  for (const p of positions) {
    if (p.price === null || p.amount === '0') continue
    const at = ctx.pricesOf(p.account).observedAt(p.asset)
    const key = `${p.asset}\u0000${at}`
    if (seen.has(key)) continue
    seen.add(key)
    if (at === null || ctx.now - at <= STALE_PRICE_MS) continue
    const days = Math.floor((ctx.now - at) / DAY)
    out.push({
      kind: 'stale-price',
      account: p.account,
      asset: p.asset,
      timestamp: at,
      message: `the latest ${ctx.currency} price of ${p.asset} is from ${new Date(at).toISOString().slice(0, 10)} (${days} days ago): its value and unrealized P&L are as of then`,
    })
  }
  return out
}
