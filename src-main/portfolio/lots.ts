import type { Arith } from './arith'
import type { CostMethod, LedgerWarning, Lot, PositionPnl } from './model'
import { PriceBook } from './prices'
import { TradeTimePrices } from './trade-prices'
import { GeneralPrices, OWN_PRICE_FRESH_MS, type SimPaperAccounts } from './venue-prices'

// Lots, cost basis and realized P&L, replayed from the ledger in time order (one entry at a time, so it also
// works incrementally). Every amount is valued in the reporting currency at the entry's time:
//
//   buy  base/quote, fee f:  quote out (amount × price [+ f if f is in quote]), proceeds = its value
//                            base in  (amount [− f if f is in base]), cost = value [+ value of f]
//   sell base/quote, fee f:  base out (amount [+ f if f is in base]), proceeds = value [− value of f]
//                            quote in (amount × price [− f if f is in quote]), cost = its value
//   (amount × price is the trade's stated total instead when it has one: a conversion, both sides exact)
//   fee in a third asset (BNB): also a disposal of that asset, proceeds = its value at the trade's time
//   deposit:     a lot at the market price then (unknown → missing-cost-basis warning, cost 0)
//   income:      the same lot, and its value realized at once (earned, not put in: no net deposit)
//   withdrawal:  leaves at its market value then: the difference from its cost is realized (the gain made
//                while it was held stays the account's); unpriced, at cost. A fee is a disposal with no proceeds
//
// Realized P&L = proceeds − cost of what left (FIFO: oldest lots first; average: pooled cost pro rata).
// A disposal beyond the holdings warns missing-cost-basis and counts the excess at zero cost. The
// reporting currency and its equivalents ("cash") are held as a plain balance worth 1 each: they have no
// lots, no P&L, and may go negative (a trade history imported without its deposits).
//
// Cost moves between assets and the difference is realized, so for every account
//   Σ cost basis = realized + net deposits (deposits and withdrawals at value; income is realized)
// exactly — the property test checks its consequence, realized + unrealized = value − net deposits.
//
// "The market price then" is the account's own venue's first, else a real venue's or a rates file's; the
// simulated exchange's synthetic prices value only its own accounts (trade-prices.ts).

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10)

export interface BookOptions<N = unknown> {
  method: CostMethod
  reporting: string
  /** Assets worth exactly 1 in the reporting currency (itself and its equivalents). */
  cash: ReadonlySet<string>
  /** Realized P&L at or after this time is also summed separately (realized in period). */
  since?: number
  /** Assets priced as another (EUR reporting: USDT, USDC → one "USD"); see prices.ts priceAliases. */
  alias?: ReadonlyMap<string, string>
  /** The paper accounts on the simulated exchange (simulatedPaperAccounts): valued as simulated accounts. */
  simPaper: SimPaperAccounts
  /** Told of every realized amount as it happens (the live model keeps realized-in-period from these). */
  onRealized?: (account: string, asset: string, t: number, pnl: N) => void
  /** Told of every change of an account's net deposits (deposit at value, withdrawal at −value). */
  onDeposit?: (account: string, t: number, value: N) => void
  /** Told of every valued movement of a non-cash asset, as it is booked (tax reporting matches these). */
  onFlow?: (flow: BookFlow<N>) => void
  /** Told of every income received (cash assets included), valued at its arrival (tax reports it). */
  onIncome?: (income: { account: string; asset: string; t: number; amount: N; value: N }) => void
  /** Told of every warning as it is met, before grouping (tax counts a year's own: tax/flows.ts). */
  onWarning?: (warning: LedgerWarning) => void
}

export type TransferKind = 'deposit' | 'withdrawal' | 'income'

/**
 * A non-cash asset entering or leaving an account, valued in the reporting currency at that moment:
 * for 'in' the cost it is booked at, for 'out' the proceeds (0 for a withdrawal, which is not a sale, and
 * for a transfer's network fee). `amount` is always positive.
 */
export interface BookFlow<N> {
  account: string
  asset: string
  t: number
  dir: 'in' | 'out'
  amount: N
  value: N
  cause: 'trade' | 'fee' | 'deposit' | 'withdrawal' | 'income'
  /**
   * A fee paid on a transfer: the coins' market value then (absent when unpriced). The book takes such a
   * fee as an expense (no proceeds: `value` is 0); tax sees a disposal at this value (HMRC CRYPTO22280).
   */
  worth?: N
  /** A fee paid on a transfer: which kind of transfer (a trade's fee in a third asset has none). */
  transfer?: TransferKind
  /** Valued at a price more than a week older than the flow (the newest known then): which asset's, and its time. */
  oldPrice?: { asset: string; at: number }
  /** Valued without a price for some of it (the entry's other side, its fee): its value is short by that. */
  unpriced?: true
}

class Position<N> {
  amount: N
  cost: N
  realized: N
  realizedSince: N
  missing: N
  openedAt = 0
  // FIFO lots, oldest first from `head` (parallel arrays: no object per lot).
  times: number[] = []
  amounts: N[] = []
  costs: N[] = []
  head = 0

  constructor(
    readonly account: string,
    readonly asset: string,
    readonly cash: boolean,
    zero: N,
  ) {
    this.amount = zero
    this.cost = zero
    this.realized = zero
    this.realizedSince = zero
    this.missing = zero
  }
}

interface WarningGroup {
  first: LedgerWarning
  count: number
  amount: unknown
  last: number
}

export interface Valued<N> {
  positions: PositionPnl[]
  warnings: LedgerWarning[]
  totals: PortfolioTotals
  accounts: AccountTotals[]
  /** For callers that keep computing (tests): the raw totals. */
  raw?: { realized: N; unrealized: N; value: N; netDeposits: N }
}

export interface PortfolioTotals {
  reportingCurrency: string
  method: CostMethod
  /** Sum over priced positions. */
  value: string
  costBasis: string
  realized: string
  unrealized: string
  /** Deposits at their value when made, minus withdrawals at cost. */
  netDeposits: string
  realizedInPeriod?: string
}

export interface AccountTotals extends Omit<PortfolioTotals, 'reportingCurrency' | 'method'> {
  account: string
}

const COMPACT_AT = 4096

export class PortfolioBook<N> {
  /** Every price observed, the newest winning, and the real ones alone (valuing what is held; see `equity`). */
  readonly prices: GeneralPrices<N>
  /** The same prices by venue: what an entry was worth to its account when it happened. */
  private readonly atEntry: TradeTimePrices<N>
  private readonly accounts = new Map<string, Map<string, Position<N>>>()
  private readonly deposits = new Map<string, N>()
  /** Per account, the money put in so far, withdrawals not taken off (the capital of an account closed soon after it opened). */
  private readonly depositedIn = new Map<string, N>()
  private readonly warningGroups = new Map<string, WarningGroup>()
  /** The old price (valueAtEntry) the entry being booked was valued at, told with its flows; reset per entry. */
  private entryOldPrice: BookFlow<N>['oldPrice']
  /** Whether a price the entry being booked needed was missing (valueAtEntry); reset per entry. */
  private entryUnpriced = false
  private cacheAccount: string | null = null
  private cachePositions: Map<string, Position<N>> | null = null
  private readonly fifo: boolean
  private readonly since: number

  constructor(
    private readonly ar: Arith<N>,
    private readonly options: BookOptions<N>,
  ) {
    const book = () => new PriceBook(ar, options.reporting, options.cash, options.alias)
    this.prices = new GeneralPrices(book(), book(), options.simPaper)
    this.atEntry = new TradeTimePrices(this.prices)
    this.fifo = options.method === 'fifo'
    this.since = options.since ?? Number.POSITIVE_INFINITY
  }

  /** A price observed outside the ledger's trades (a stored mark) at `at` (ms), on `venue` (null: of none). */
  mark(asset: string, quote: string, price: string, at: number, venue: string | null = null): void {
    this.see(venue, asset, quote, this.ar.parse(price), at)
  }

  /** Only observe a trade's price (another account's trade when computing one account); its venue: venueOfTrade. */
  observe(base: string, quote: string, price: string, at: number, venue: string | null = null): void {
    this.see(venue, base, quote, this.ar.parse(price), at)
  }

  private see(venue: string | null, base: string, quote: string, price: N, at: number): void {
    this.prices.observe(venue, base, quote, price, at)
    this.atEntry.observe(venue, base, quote, price, at)
  }

  trade(
    account: string,
    t: number,
    base: string,
    quote: string,
    side: 'buy' | 'sell',
    priceText: string,
    amountText: string,
    feeAsset: string | null,
    feeText: string | null,
    /** The quote amount when stated exactly (a conversion); null: amount × price. */
    totalText: string | null = null,
    /** Where the trade's price is from (venueOfTrade); null: of no venue (a file's). */
    venue: string | null = null,
  ): void {
    const ar = this.ar
    const zero = ar.zero
    this.entryOldPrice = undefined
    this.entryUnpriced = false
    const amount = ar.parse(amountText)
    const price = ar.parse(priceText)
    this.see(venue, base, quote, price, t)
    const quoteAmount = totalText === null ? ar.mul(amount, price) : ar.parse(totalText)
    let quoteValue = this.valueAtEntry(account, quote, t, `the ${base}/${quote} trade`)
    if (quoteValue === null) {
      this.warn('unpriced-asset', account, quote, t, `no ${this.options.reporting} price for ${quote} at this time; the trade is valued at 0`)
      quoteValue = zero
    }
    const isCashQuote = quoteValue === ar.one
    const value = isCashQuote ? quoteAmount : ar.mul(quoteAmount, quoteValue)

    let feeQuote = zero
    let feeQuoteValue = zero
    let feeBase = zero
    let third: string | null = null
    let thirdAmount = zero
    let thirdValue = zero
    if (feeAsset !== null && feeText !== null) {
      const fee = ar.parse(feeText)
      if (ar.sign(fee) !== 0) {
        if (feeAsset === quote) {
          feeQuote = fee
          feeQuoteValue = isCashQuote ? fee : ar.mul(fee, quoteValue)
        } else if (feeAsset === base) {
          feeBase = fee
        } else {
          third = feeAsset
          thirdAmount = fee
          const p = this.valueAtEntry(account, feeAsset, t, 'the fee')
          if (p === null) {
            this.warn('unpriced-fee', account, feeAsset, t, `no ${this.options.reporting} price for the fee asset ${feeAsset} at this time; the fee counts as 0`, fee)
          } else {
            thirdValue = p === ar.one ? fee : ar.mul(fee, p)
          }
        }
      }
    }

    if (side === 'buy') {
      this.dispose(account, quote, ar.add(quoteAmount, feeQuote), ar.add(value, feeQuoteValue), t)
      this.acquire(account, base, ar.sub(amount, feeBase), ar.add(ar.add(value, feeQuoteValue), thirdValue), t)
    } else {
      this.dispose(account, base, ar.add(amount, feeBase), ar.sub(ar.sub(value, feeQuoteValue), thirdValue), t)
      this.acquire(account, quote, ar.sub(quoteAmount, feeQuote), ar.sub(value, feeQuoteValue), t)
    }
    if (third !== null) this.dispose(account, third, thirdAmount, thirdValue, t, 'fee')
  }

  transfer(
    kind: TransferKind,
    account: string,
    t: number,
    asset: string,
    amountText: string,
    feeAsset: string | null,
    feeText: string | null,
  ): void {
    const ar = this.ar
    this.entryOldPrice = undefined
    this.entryUnpriced = false
    const amount = ar.parse(amountText)
    const fee = feeAsset !== null && feeText !== null ? ar.parse(feeText) : ar.zero
    const hasFee = ar.sign(fee) !== 0
    if (kind === 'deposit' || kind === 'income') {
      // A deposit's fee in the deposited asset: all of it arrived, and the fee was paid out of it (below).
      // Income's is netted (what was earned is what arrived). A fee in another asset is an expense.
      const netted = hasFee && feeAsset === asset && kind === 'income'
      const received = netted ? ar.sub(amount, fee) : amount
      const price = this.valueAtEntry(account, asset, t, kind === 'income' ? 'the income' : 'the deposit')
      let cost = ar.zero
      if (price === null && kind === 'income') {
        // Income valued at 0 understates the year's income: unpriced, which a report says first.
        // Its own kind: income, not a trade, is what a tax report must say is missing (and how to fix it).
        this.warn('unpriced-income', account, asset, t, `no ${this.options.reporting} price for ${asset} when it was received as income; counted as 0 income, at zero cost`, received, true)
      } else if (price === null) {
        this.warn('missing-cost-basis', account, asset, t, `no ${this.options.reporting} price for ${asset} when it was deposited; counted at zero cost`, received, true)
      } else {
        cost = price === ar.one ? received : ar.mul(received, price)
      }
      this.acquire(account, asset, received, cost, t, kind)
      if (kind === 'deposit') this.addDeposit(account, cost, t)
      else {
        // Earned at its value on arrival: realized now, so Σ cost basis = realized + net deposits still holds.
        if (ar.sign(cost) !== 0) this.realize(this.position(account, asset), cost, t)
        this.options.onIncome?.({ account, asset, t, amount: received, value: cost })
      }
      if (hasFee && !netted) this.payTransferFee(kind, account, feeAsset as string, fee, t)
      return
    }
    const p = this.position(account, asset)
    const costOut = p.cash ? this.takeCash(p, amount) : this.takeCost(p, amount, t)
    if (!p.cash && ar.sign(amount) > 0) this.options.onFlow?.({ account, asset, t, dir: 'out', amount, value: ar.zero, cause: 'withdrawal' })
    // What left is taken out at its value then: the gain made while it was here stays the account's
    // (realized), and the period's P&L does not read a transfer as a loss. Unpriced, it leaves at cost.
    const price = p.cash ? ar.one : this.atEntry.valueOf(account, asset, t)
    const valueOut = price === null ? costOut : price === ar.one ? amount : ar.mul(amount, price)
    if (!p.cash && ar.cmp(valueOut, costOut) !== 0) this.realize(p, ar.sub(valueOut, costOut), t)
    this.addDeposit(account, ar.neg(valueOut), t)
    if (hasFee) this.payTransferFee(kind, account, feeAsset as string, fee, t)
  }

  /**
   * A transfer's fee: an expense to the book (no proceeds), a disposal at market value to tax (`worth`;
   * unpriced, tax takes the book's 0 and warns of it: tax/flows.ts). The book's figures need no price here.
   */
  private payTransferFee(transfer: TransferKind, account: string, asset: string, fee: N, t: number): void {
    // The fee is valued on its own: a deposit's missing or old price is not the fee coin's.
    this.entryOldPrice = undefined
    this.entryUnpriced = false
    const p = this.valueAtEntry(account, asset, t, 'the network fee')
    const worth = p === null ? undefined : p === this.ar.one ? fee : this.ar.mul(fee, p)
    this.dispose(account, asset, fee, this.ar.zero, t, 'fee', worth, transfer)
  }

  /**
   * What an entry was worth at its time (trade-prices.ts), warned when the price is more than a week older
   * than the entry (the age at which the Portfolio page calls a holding's price old): with no newer price
   * anywhere, a trade of 2024 can be valued at a 2021 price, and what it is worth decides cost basis and gains.
   */
  private valueAtEntry(account: string, asset: string, t: number, what: string): N | null {
    const q = this.atEntry.priceAt(account, asset, t)
    if (q === null) {
      this.entryUnpriced = true
      return null
    }
    if (q.at !== null && t - q.at > OWN_PRICE_FRESH_MS) {
      const days = Math.floor((t - q.at) / 86_400_000)
      this.entryOldPrice ??= { asset, at: q.at }
      this.warn('stale-price', account, asset, t, `${what} on ${isoDay(t)} is valued at the newest ${this.options.reporting} price of ${asset} known then, from ${isoDay(q.at)} (${days} days older): import a price of ${asset} for that time`)
    }
    return q.price
  }

  /** What a flow of the entry being booked says of its valuation: an old price, a missing one. */
  private valuationOfEntry(): Pick<BookFlow<N>, 'oldPrice' | 'unpriced'> {
    return { ...(this.entryOldPrice === undefined ? {} : { oldPrice: this.entryOldPrice }), ...(this.entryUnpriced ? { unpriced: true as const } : {}) }
  }

  private addDeposit(account: string, value: N, t: number): void {
    this.deposits.set(account, this.ar.add(this.deposits.get(account) ?? this.ar.zero, value))
    if (this.ar.sign(value) > 0) this.depositedIn.set(account, this.ar.add(this.depositedIn.get(account) ?? this.ar.zero, value))
    this.options.onDeposit?.(account, t, value)
  }

  /** The amount of `asset` the account holds now (zero when none). */
  amountOf(account: string, asset: string): N {
    return this.accounts.get(account)?.get(asset)?.amount ?? this.ar.zero
  }

  /** The account's net deposits so far (deposits at value, withdrawals at cost). */
  netDepositsOf(account: string): N {
    return this.deposits.get(account) ?? this.ar.zero
  }

  /** The money the account was given so far: its deposits at value, withdrawals not taken off. */
  depositedOf(account: string): N {
    return this.depositedIn.get(account) ?? this.ar.zero
  }

  /** Every account the book knows (with positions or deposits), sorted. */
  accountNames(): string[] {
    return [...new Set([...this.accounts.keys(), ...this.deposits.keys()])].sort()
  }

  /**
   * Equity per account at `prices` (default: this book's own, i.e. the newest prices as of the last entry
   * and mark applied that may value each account; or per account, for live prices that differ by venue): Σ held amount × price (unpriced
   * assets count 0), net deposits and the money put in (deposits only). Also the price of every asset held by anyone (null when unknown),
   * when one book prices every account, and per account the prices of its book (accounts valued by one
   * book share one map). Cheap: one pass over the positions, no strings.
   */
  equity(prices: PriceBook<N> | ((account: string) => PriceBook<N>) = (account) => this.prices.for(account)): {
    accounts: Map<string, { value: N; netDeposits: N; deposited: N }>
    prices: Map<string, N | null>
    byAccount: Map<string, Map<string, N | null>>
  } {
    const ar = this.ar
    const out = new Map<string, { value: N; netDeposits: N; deposited: N }>()
    const perBook = new Map<PriceBook<N>, Map<string, N | null>>()
    const byAccount = new Map<string, Map<string, N | null>>()
    for (const [account, positions] of this.accounts) {
      const book = typeof prices === 'function' ? prices(account) : prices
      let priceOf = perBook.get(book)
      if (priceOf === undefined) perBook.set(book, (priceOf = new Map()))
      byAccount.set(account, priceOf)
      let value = ar.zero
      for (const p of positions.values()) {
        if (ar.sign(p.amount) === 0) continue
        let price = priceOf.get(p.asset)
        if (price === undefined) priceOf.set(p.asset, (price = p.cash ? ar.one : book.valueOf(p.asset)))
        if (price !== null) value = ar.add(value, price === ar.one ? p.amount : ar.mul(p.amount, price))
      }
      out.set(account, { value, netDeposits: this.deposits.get(account) ?? ar.zero, deposited: this.depositedIn.get(account) ?? ar.zero })
    }
    for (const [account, d] of this.deposits) if (!out.has(account)) out.set(account, { value: ar.zero, netDeposits: d, deposited: this.depositedIn.get(account) ?? ar.zero })
    return { accounts: out, prices: typeof prices === 'function' ? new Map() : (perBook.get(prices) ?? new Map()), byAccount }
  }

  private position(account: string, asset: string): Position<N> {
    let positions: Map<string, Position<N>> | null | undefined = this.cacheAccount === account ? this.cachePositions : undefined
    if (!positions) {
      positions = this.accounts.get(account)
      if (!positions) this.accounts.set(account, (positions = new Map()))
      this.cacheAccount = account
      this.cachePositions = positions
    }
    let p = positions.get(asset)
    if (!p) positions.set(asset, (p = new Position(account, asset, this.options.cash.has(asset), this.ar.zero)))
    return p
  }

  private realize(p: Position<N>, pnl: N, t: number): void {
    p.realized = this.ar.add(p.realized, pnl)
    if (t >= this.since) p.realizedSince = this.ar.add(p.realizedSince, pnl)
    this.options.onRealized?.(p.account, p.asset, t, pnl)
  }

  private acquire(account: string, asset: string, qty: N, cost: N, t: number, cause: BookFlow<N>['cause'] = 'trade'): void {
    const ar = this.ar
    const s = ar.sign(qty)
    if (s < 0) return this.dispose(account, asset, ar.neg(qty), ar.neg(cost), t, cause)
    const p = this.position(account, asset)
    if (s > 0 && !p.cash) this.options.onFlow?.({ account, asset, t, dir: 'in', amount: qty, value: cost, cause, ...this.valuationOfEntry() })
    if (s === 0) {
      // Paid for, nothing received (a base fee as large as the fill): the cost is lost.
      if (ar.sign(cost) !== 0) this.realize(p, ar.neg(cost), t)
      return
    }
    if (p.cash) {
      p.amount = ar.add(p.amount, qty)
      p.cost = ar.add(p.cost, qty)
      if (cost !== qty && ar.cmp(cost, qty) !== 0) this.realize(p, ar.sub(qty, cost), t)
      return
    }
    if (ar.sign(p.amount) === 0) p.openedAt = t
    p.amount = ar.add(p.amount, qty)
    p.cost = ar.add(p.cost, cost)
    if (this.fifo) {
      p.times.push(t)
      p.amounts.push(qty)
      p.costs.push(cost)
    }
  }

  private dispose(account: string, asset: string, qty: N, proceeds: N, t: number, cause: BookFlow<N>['cause'] = 'trade', worth?: N, transfer?: TransferKind): void {
    const ar = this.ar
    const s = ar.sign(qty)
    if (s < 0) return this.acquire(account, asset, ar.neg(qty), ar.neg(proceeds), t, cause)
    const p = this.position(account, asset)
    if (s > 0 && !p.cash) {
      const fee = { ...(worth === undefined ? {} : { worth }), ...(transfer === undefined ? {} : { transfer }) }
      this.options.onFlow?.({ account, asset, t, dir: 'out', amount: qty, value: proceeds, cause, ...fee, ...this.valuationOfEntry() })
    }
    if (s === 0) {
      if (ar.sign(proceeds) !== 0) this.realize(p, proceeds, t)
      return
    }
    const costOut = p.cash ? this.takeCash(p, qty) : this.takeCost(p, qty, t)
    if (proceeds !== costOut && ar.cmp(proceeds, costOut) !== 0) this.realize(p, ar.sub(proceeds, costOut), t)
  }

  private takeCash(p: Position<N>, qty: N): N {
    p.amount = this.ar.sub(p.amount, qty)
    p.cost = this.ar.sub(p.cost, qty)
    return qty
  }

  /** Removes `qty` from the position's lots; returns the cost that left. Excess → missing cost basis. */
  private takeCost(p: Position<N>, qty: N, t: number): N {
    const ar = this.ar
    let remaining = qty
    let costOut = ar.zero
    if (this.fifo) {
      const amounts = p.amounts
      const costs = p.costs
      let head = p.head
      const end = amounts.length
      while (head < end) {
        const a = amounts[head] as N
        const c = ar.cmp(a, remaining)
        if (c <= 0) {
          costOut = ar.add(costOut, costs[head] as N)
          remaining = ar.sub(remaining, a)
          head++
          if (c === 0) break
        } else {
          const lotCost = costs[head] as N
          const part = ar.mulDiv(lotCost, remaining, a)
          costOut = ar.add(costOut, part)
          costs[head] = ar.sub(lotCost, part)
          amounts[head] = ar.sub(a, remaining)
          remaining = ar.zero
          break
        }
      }
      p.head = head
      if (head === end) {
        p.times.length = 0
        amounts.length = 0
        costs.length = 0
        p.head = 0
      } else if (head >= COMPACT_AT && head * 2 >= end) {
        p.times.splice(0, head)
        amounts.splice(0, head)
        costs.splice(0, head)
        p.head = 0
      }
    } else if (ar.cmp(p.amount, remaining) <= 0) {
      costOut = p.cost
      remaining = ar.sub(remaining, p.amount)
    } else {
      costOut = ar.mulDiv(p.cost, remaining, p.amount)
      remaining = ar.zero
    }
    if (ar.sign(remaining) > 0) {
      p.missing = ar.add(p.missing, remaining)
      this.warn('missing-cost-basis', p.account, p.asset, t, `sold or sent more ${p.asset} than the ledger holds; the excess counts at zero cost`, remaining)
      p.amount = ar.zero
      p.cost = ar.zero
    } else {
      p.amount = ar.sub(p.amount, qty)
      p.cost = ar.sub(p.cost, costOut)
    }
    return costOut
  }

  private warn(kind: LedgerWarning['kind'], account: string, asset: string, timestamp: number, message: string, amount?: N, zeroCostLot = false): void {
    this.options.onWarning?.({ kind, account, asset, timestamp, message })
    const key = `${kind}\u0000${account}\u0000${asset}`
    const group = this.warningGroups.get(key)
    if (group) {
      group.count++
      group.last = Math.max(group.last, timestamp)
      if (zeroCostLot) group.first.zeroCostLot = true
      if (amount !== undefined) group.amount = group.amount === undefined ? amount : this.ar.add(group.amount as N, amount)
      return
    }
    this.warningGroups.set(key, { first: { kind, account, asset, timestamp, message, ...(zeroCostLot ? { zeroCostLot } : {}) }, count: 1, amount, last: timestamp })
  }

  /** The problems met while replaying (unpriced trades and fees, sales beyond the holdings), grouped. */
  replayWarnings(): LedgerWarning[] {
    const f = (n: N) => this.ar.format(n)
    return [...this.warningGroups.values()].map((g) => ({
      ...g.first,
      ...(g.count > 1 ? { count: g.count } : {}),
      ...(g.last !== g.first.timestamp ? { lastAt: g.last } : {}),
      ...(g.amount !== undefined ? { amount: f(g.amount as N) } : {}),
    }))
  }

  /** Open lots (FIFO: each; average: one pooled lot per position). Cash balances have none. */
  lots(): Lot[] {
    const ar = this.ar
    const out: Lot[] = []
    const costAsset = this.options.reporting
    for (const p of this.allPositions()) {
      if (p.cash || ar.sign(p.amount) === 0) continue
      if (this.fifo) {
        for (let i = p.head; i < p.amounts.length; i++) {
          out.push({ account: p.account, asset: p.asset, acquiredAt: p.times[i] as number, amount: ar.format(p.amounts[i] as N), cost: ar.format(p.costs[i] as N), costAsset })
        }
      } else {
        out.push({ account: p.account, asset: p.asset, acquiredAt: p.openedAt, amount: ar.format(p.amount), cost: ar.format(p.cost), costAsset })
      }
    }
    return out
  }

  private *allPositions(): Iterable<Position<N>> {
    const accounts = [...this.accounts.keys()].sort()
    for (const account of accounts) {
      const positions = this.accounts.get(account) as Map<string, Position<N>>
      for (const asset of [...positions.keys()].sort()) yield positions.get(asset) as Position<N>
    }
  }

  /**
   * Positions valued at `prices` (asset → price in the reporting currency, or such a map per account;
   * cash is always 1). A held asset without a price gets value/unrealized null and an unpriced-asset
   * warning, and is left out of the totals' value and unrealized.
   */
  valued(prices: ReadonlyMap<string, string> | ((account: string) => ReadonlyMap<string, string>), at: number): Valued<N> {
    const ar = this.ar
    const f = (n: N) => ar.format(n)
    const positions: PositionPnl[] = []
    const warnings: LedgerWarning[] = []
    const periodAsked = Number.isFinite(this.since)
    const parsedMaps = new Map<ReadonlyMap<string, string>, Map<string, N>>()
    const parsedFor = (account: string): Map<string, N> => {
      const texts = typeof prices === 'function' ? prices(account) : prices
      let parsed = parsedMaps.get(texts)
      if (parsed === undefined) {
        parsedMaps.set(texts, (parsed = new Map()))
        for (const [asset, text] of texts) parsed.set(asset, ar.parse(text))
      }
      return parsed
    }
    const sums = new Map<string, { value: N; cost: N; realized: N; unrealized: N; since: N }>()
    const unpricedSeen = new Set<string>()
    for (const p of this.allPositions()) {
      const held = ar.sign(p.amount) !== 0
      if (!held && ar.sign(p.realized) === 0 && ar.sign(p.missing) === 0 && ar.sign(p.cost) === 0) continue
      const price = p.cash ? ar.one : (parsedFor(p.account).get(p.asset) ?? null)
      const value = price === null ? null : held ? ar.mul(p.amount, price) : ar.zero
      const unrealized = value === null ? null : ar.sub(value, p.cost)
      positions.push({
        account: p.account,
        asset: p.asset,
        amount: f(p.amount),
        costBasis: f(p.cost),
        averageCost: ar.sign(p.amount) > 0 ? f(ar.div(p.cost, p.amount)) : null,
        price: price === null ? null : f(price),
        value: value === null ? null : f(value),
        realized: f(p.realized),
        unrealized: unrealized === null ? null : f(unrealized),
        missingCostBasis: f(p.missing),
        ...(periodAsked ? { realizedInPeriod: f(p.realizedSince) } : {}),
      })
      if (price === null && held) {
        const key = `${p.account}\u0000${p.asset}`
        // Already warned while replaying (the asset had no price at some trade): one warning is enough.
        if (!unpricedSeen.has(key) && !this.warningGroups.has(`unpriced-asset\u0000${key}`)) {
          unpricedSeen.add(key)
          warnings.push({ kind: 'unpriced-asset', account: p.account, asset: p.asset, timestamp: at, message: `no price for ${p.asset}; its value and unrealized P&L are unknown` })
        }
      }
      let s = sums.get(p.account)
      if (!s) sums.set(p.account, (s = { value: ar.zero, cost: ar.zero, realized: ar.zero, unrealized: ar.zero, since: ar.zero }))
      if (value !== null) s.value = ar.add(s.value, value)
      if (unrealized !== null) s.unrealized = ar.add(s.unrealized, unrealized)
      s.cost = ar.add(s.cost, p.cost)
      s.realized = ar.add(s.realized, p.realized)
      s.since = ar.add(s.since, p.realizedSince)
    }
    warnings.push(...this.replayWarnings())
    const accounts: AccountTotals[] = []
    const total = { value: ar.zero, cost: ar.zero, realized: ar.zero, unrealized: ar.zero, since: ar.zero, deposits: ar.zero }
    const names = new Set([...sums.keys(), ...this.deposits.keys()])
    for (const account of [...names].sort()) {
      const s = sums.get(account) ?? { value: ar.zero, cost: ar.zero, realized: ar.zero, unrealized: ar.zero, since: ar.zero }
      const deposits = this.deposits.get(account) ?? ar.zero
      accounts.push({
        account,
        value: f(s.value),
        costBasis: f(s.cost),
        realized: f(s.realized),
        unrealized: f(s.unrealized),
        netDeposits: f(deposits),
        ...(periodAsked ? { realizedInPeriod: f(s.since) } : {}),
      })
      total.value = ar.add(total.value, s.value)
      total.cost = ar.add(total.cost, s.cost)
      total.realized = ar.add(total.realized, s.realized)
      total.unrealized = ar.add(total.unrealized, s.unrealized)
      total.since = ar.add(total.since, s.since)
      total.deposits = ar.add(total.deposits, deposits)
    }
    return {
      positions,
      warnings,
      accounts,
      totals: {
        reportingCurrency: this.options.reporting,
        method: this.options.method,
        value: f(total.value),
        costBasis: f(total.cost),
        realized: f(total.realized),
        unrealized: f(total.unrealized),
        netDeposits: f(total.deposits),
        ...(periodAsked ? { realizedInPeriod: f(total.since) } : {}),
      },
      raw: { realized: total.realized, unrealized: total.unrealized, value: total.value, netDeposits: total.deposits },
    }
  }
}
