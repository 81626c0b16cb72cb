import type { Logger } from '../log'
import type { EventBus } from '../bus'
import type { AccountsService } from '../accounts/service'
import type { AccountView } from '../api/contract'
import type { BalancesView, FormerVenue, MarketView, VenueBalances, VenueView } from '../api/schemas/venues'
import { AppError } from '../api/errors'
import { KeyRejectedError, VenueError, type MarketInfo, type OnVenueDropped, type Venue, type VenueCapabilities, type VenueDrop } from './port'
import type { SimHost } from './sim/host'
import { SIM_ACCOUNT_LABEL } from './sim/label'
import { VALUATION_ASSET, valueBalances } from './valuation'
import { totalBalances } from './balance-totals'
import { midOfFeed, venuePrices, type PriceCache, type VenuePrices } from './venue-prices'
import type { MarketDataService } from '../market/service'
import { isPaperVenueId, PaperAccounts, type OpenPaperInput, type PaperAccountsDeps } from './paper/paper-accounts'
import { marketDataSource } from './paper/market-source'
import type { PaperStore } from './paper/store'
import { nativeStopSupport } from './ccxt/native-stop-exchanges'
import { nativeSupportOf, noNativeSupport } from './native-support'
import { exchangeTimeInForce } from './time-in-force'
import type { ExchangeId } from '../accounts/exchanges'
import { accountStatus, type FollowFailure } from './private-streams'

export const SIM_VENUE_ID = 'sim'
const CALL_TIMEOUT_MS = 10_000
const PRICE_TTL_MS = 10_000
/** The paper account's balances reach the screen at most this often while it trades. */
const PAPER_BALANCE_PUSH_MS = 250
/**
 * An exchange account's balances are fetched again (one REST call) this long after a fill, once per burst
 * of fills: the order ticket's "available" and the Balances page follow the trades without polling.
 */
const EXCHANGE_BALANCE_PUSH_MS = 1_000
/** Past a rate hold's end, its balances are read again (a timer may fire a little early: then it waits again). */
const HELD_PUSH_MARGIN_MS = 100
/** The longest setTimeout waits (a longer delay fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1

interface AccountEntry {
  venue?: Venue
  opening?: Promise<Venue>
  markets?: MarketInfo[]
  error?: string
  /** What the venue last said about its connection when not live (a stream's error, the key refused). */
  reason?: string
  /** Connecting found the key refused: not tried again until the account is edited or reconnected. */
  rejected?: KeyRejectedError
  prices: PriceCache
  stopWatching?: () => void
  /** The balances last read: shown (saying so) while the exchange's rate limit holds the account's requests. */
  lastBalances?: VenueBalances
}

/**
 * Every venue the user can see: the simulated exchange (always there, the paper account) and one per
 * exchange account, opened on first use. Above this, nothing knows which kind of venue it talks to.
 */
export class VenueRegistry {
  private readonly entries = new Map<string, AccountEntry>()
  private readonly offAccounts: () => void
  private readonly offPaper: () => void
  private paperPush: ReturnType<typeof setTimeout> | undefined
  /** Paper accounts on real venues (attached once the market module exists: they match against its loops). */
  private paper: PaperAccounts | undefined
  /** The market module's live books (attached with the paper accounts): they price balances when open. */
  private books: Pick<MarketDataService, 'bookFeed'> | undefined
  /** Pending balance pushes of paper and exchange accounts, by venue id. */
  private readonly balancePushes = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly offFills: () => void
  private readonly dropListeners = new Set<(venueId: string, how: VenueDrop) => void>()
  /** Paper accounts still following an edited or removed account (awaited at stop). */
  private readonly settling = new Set<Promise<void>>()
  /** Accounts the order manager could not open to follow their streams, tried again (its followFailed). */
  private readonly followFailures = new Map<string, FollowFailure>()

  constructor(
    private readonly sim: SimHost,
    private readonly accounts: AccountsService,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    // An edited or removed account gets a fresh venue next time (new credentials, URL or sandbox flag).
    // Whoever still holds the old object (the market module's loops) is told at once; paper venues trading
    // on it are rebuilt once it is closed, and told about in turn.
    this.offAccounts = bus.on('accountsChanged', (e) => {
      // (A new label only: the venue object stays, nothing reconnects.)
      if ((e.change !== 'updated' || e.reconnects === false) && e.change !== 'removed') return
      this.drop(e.id, e.change === 'removed' ? 'removed' : 'replaced')
    })
    // An exchange account may not take the simulated exchange's or a paper account's name.
    accounts.reserveLabels(() => [this.simView().label, ...(this.paper?.views().map((v) => v.label) ?? [])])
    this.offFills = bus.on('orderFilled', ({ fill }) => {
      const id = fill.venueId
      if (this.accounts.list().some((a) => a.id === id)) this.pushBalances(id, EXCHANGE_BALANCE_PUSH_MS, () => this.accounts.list().some((a) => a.id === id))
    })
    this.offPaper = sim.engine.on((e) => {
      if (e.type === 'balance' && e.accountId === sim.paperAccount && !this.paperPush) {
        this.paperPush = setTimeout(() => {
          this.paperPush = undefined
          void this.venueBalances(SIM_VENUE_ID).then((balances) => this.bus.emit('balancesChanged', { balances }))
        }, PAPER_BALANCE_PUSH_MS)
      }
    })
  }

  list(): VenueView[] {
    return [this.simView(), ...this.accounts.list().map((a) => this.accountView(a)), ...(this.paper?.views() ?? [])]
  }

  /** The removed exchange accounts and closed paper accounts, by the names they had. */
  former(): FormerVenue[] {
    return [...this.accounts.formerList().map((a) => ({ ...a, kind: 'exchange' as const })), ...(this.paper?.formerList() ?? []).map((p) => ({ ...p, kind: 'paper' as const }))]
  }

  /** A removed exchange account's or a closed paper account's name, for the history that still names it. */
  formerLabel(id: string): string | undefined {
    return this.accounts.formerLabel(id) ?? this.paper?.formerLabel(id)
  }

  /**
   * Turns on paper accounts on real venues: each matches against the market module's loops of its own
   * venue id (the same the screen shows for it). Resting orders resume following their markets at once.
   */
  attachPaper(options: { store: PaperStore; market: MarketDataService } & Pick<PaperAccountsDeps, 'createPublicVenue' | 'venueOptions'>): void {
    this.books = options.market
    this.paper = new PaperAccounts({
      store: options.store,
      // (Not this.list(): that lists the paper accounts, whose views ask this.)
      venues: { list: () => [this.simView(), ...this.accounts.list().map((a) => this.accountView(a))], open: (id) => this.open(id) },
      marketSource: (id) => marketDataSource(options.market, id),
      log: this.log,
      now: this.now,
      onChanged: (view) => this.bus.emit('venueChanged', { view }),
      onBalances: (id) => this.pushBalances(id, PAPER_BALANCE_PUSH_MS, () => this.paper?.has(id) === true),
      onOpened: (row, balances) => this.bus.emit('paperAccountOpened', { venueId: row.id, label: row.label, balances, at: row.createdAt }),
      onClosed: (row, at, held) => this.bus.emit('paperAccountClosed', { venueId: row.id, label: row.label, at, held }),
      ...(options.createPublicVenue ? { createPublicVenue: options.createPublicVenue } : {}),
      ...(options.venueOptions ? { venueOptions: options.venueOptions } : {}),
    })
    void this.paper.resume()
  }

  /** Told when a venue object open() handed out was dropped: its account was edited ('replaced') or removed. */
  onDropped: OnVenueDropped = (listener) => {
    this.dropListeners.add(listener)
    return () => this.dropListeners.delete(listener)
  }

  /** paper.open: a paper account on a venue's (or an exchange's public) live markets. */
  async openPaper(input: OpenPaperInput): Promise<VenueView> {
    if (!this.paper) throw new AppError('UNAVAILABLE', 'Paper accounts on real venues are not available in this engine')
    return this.paper.create(input)
  }

  /** Open paper accounts trading on the exchange account `accountId`. */
  papersOn(accountId: string): { id: string; label: string }[] {
    return (this.paper?.onSource(accountId) ?? []).map((r) => ({ id: r.id, label: r.label }))
  }

  /** Paper accounts that can never trade again: closed, or on a removed account (`source`: its id). */
  papersGone(): { id: string; label: string; closed: boolean; source: string | null }[] {
    return (this.paper?.gone() ?? []).map(({ row, closed }) => ({ id: row.id, label: row.label, closed, source: row.sourceVenueId }))
  }

  async closePaper(id: string): Promise<void> {
    if (!this.paper) throw new AppError('UNAVAILABLE', 'Paper accounts on real venues are not available in this engine')
    await this.paper.close(id)
  }

  async open(id: string): Promise<Venue> {
    if (id === SIM_VENUE_ID) return this.sim.paper
    if (isPaperVenueId(id)) {
      if (!this.paper) throw new AppError('NOT_FOUND', `No venue "${id}"`)
      return this.paper.open(id)
    }
    const account = this.accountOrThrow(id)
    const entry = this.entry(account.id)
    if (entry.venue) return entry.venue
    if (entry.rejected) throw entry.rejected
    entry.opening ??= this.connectEntry(account, entry)
    return entry.opening
  }

  /**
   * accounts.reconnect: a fresh connection for an exchange account, as after an edit (whoever followed the
   * old one follows the new one). For when its key was refused and the cause was fixed at the exchange (an
   * IP added to the whitelist), or a connection seems stuck. Resolves with its status once connected or not.
   */
  async reconnect(id: string): Promise<VenueView> {
    const account = this.accountOrThrow(id)
    this.drop(id, 'replaced')
    this.log.info(`reconnecting ${account.label} on request`)
    try {
      await this.open(id)
    } catch {
      // the status says why
    }
    return this.accountView(this.accounts.get(id))
  }

  /**
   * The order manager could not open an exchange account to follow its order and fill stream, and tries again
   * (`failure`), or follows it now / gave up (null): the account's status says so (private-streams.ts).
   */
  followFailed(id: string, failure: FollowFailure | null): void {
    const account = this.accounts.list().find((a) => a.id === id)
    if (failure === null || account === undefined) {
      if (!this.followFailures.delete(id) || account === undefined) return
    } else {
      this.followFailures.set(id, failure)
    }
    this.bus.emit('venueChanged', { view: this.accountView(account) })
  }

  async markets(query: string, venueId: string | undefined, limit: number): Promise<MarketView[]> {
    const q = query.trim().toUpperCase().replace(/[-_ ]/g, '/')
    // Typed as exchanges write pairs (BTCUSDT, ethbtc): compared with the symbols' separators removed too.
    const bare = q.includes('/') ? null : q
    const views = this.list().filter((v) => venueId === undefined || v.id === venueId)
    if (venueId !== undefined && views.length === 0) throw new AppError('NOT_FOUND', `No venue "${venueId}"`)
    const found: { v: VenueView; m: MarketInfo; rank: number }[] = []
    for (const v of views) {
      let markets: MarketInfo[]
      try {
        markets = await this.marketsOf(v.id)
      } catch (err) {
        // Asked of this venue alone, [] would read "no such market" (a ticket refusing a real pair, a chart
        // waiting forever): say why. Over every venue, its error shows on the venue itself.
        if (venueId !== undefined) throw new AppError('UNAVAILABLE', `Markets of ${v.label} could not be loaded: ${messageOf(err)}`)
        continue
      }
      for (const m of markets) {
        const rank = q ? searchRank(m, q, bare) : 0
        if (rank !== null) found.push({ v, m, rank })
      }
    }
    // The pair typed first (Open market… opens the first on Enter), the limit after: Kraken lists BTC/USDC
    // before BTC/USD, and "BTCUSD" opened BTC/USDC. Within a rank, the venues' own order (a stable sort).
    return found
      .sort((a, b) => a.rank - b.rank)
      .slice(0, limit)
      .map((f) => this.marketView(f.v, f.m))
  }

  async venueBalances(id: string): Promise<VenueBalances> {
    const view = this.list().find((v) => v.id === id)
    if (!view) throw new AppError('NOT_FOUND', `No venue "${id}"`)
    const base = { venueId: view.id, label: view.label, kind: view.kind, updatedAt: this.now() }
    try {
      const venue = await this.open(id)
      const balances = await withTimeout(venue.fetchBalances(), `fetching balances from ${view.label}`)
      const prices = this.pricesOf(id, venue)
      const valued = await valueBalances(balances, prices.priceOf)
      const pricesAt = prices.readAt()
      const read: VenueBalances = { ...base, balances: valued.rows, value: valued.value, error: null, ...(pricesAt !== undefined ? { pricesAt } : {}) }
      if (view.kind === 'exchange') this.entry(id).lastBalances = read
      return read
    } catch (err) {
      // Held for the exchange's rate limit (the read was not sent: request-hold.ts): the last balances, as of
      // when they were read, rather than none; asking again before the hold ends sends nothing either.
      const last = view.kind === 'exchange' ? this.entries.get(id)?.lastBalances : undefined
      if (last !== undefined && err instanceof VenueError && err.kind === 'rate-limited') {
        // Read again and pushed once the hold ends: a fill may have come on the stream meanwhile, and the
        // screen would otherwise keep these (and a note whose time has passed) until asked again.
        if (err.retryAfterMs !== undefined) this.pushBalances(id, Math.min(err.retryAfterMs + HELD_PUSH_MARGIN_MS, MAX_TIMER_MS), () => this.accounts.list().some((a) => a.id === id))
        return { ...last, label: view.label, error: `${messageOf(err)}. Showing the balances as last read.` }
      }
      return { ...base, balances: [], value: null, error: messageOf(err) }
    }
  }

  async balances(): Promise<BalancesView> {
    const venues = await Promise.all(this.list().map((v) => this.venueBalances(v.id)))
    return { valuationAsset: VALUATION_ASSET, venues, ...totalBalances(venues) }
  }

  async stop(): Promise<void> {
    this.offAccounts()
    this.offPaper()
    this.offFills()
    clearTimeout(this.paperPush)
    for (const t of this.balancePushes.values()) clearTimeout(t)
    this.balancePushes.clear()
    await Promise.allSettled([...this.settling])
    await this.paper?.stop()
    await Promise.all([...this.entries.keys()].map((id) => this.closeEntry(id)))
  }

  private async marketsOf(id: string): Promise<MarketInfo[]> {
    if (id === SIM_VENUE_ID) return this.sim.paper.loadMarkets()
    if (isPaperVenueId(id)) {
      const venue = await this.open(id)
      return withTimeout(venue.loadMarkets(), 'loading markets')
    }
    const entry = this.entry(id)
    if (!entry.markets) {
      const venue = await this.open(id)
      entry.markets = await withTimeout(venue.loadMarkets(), 'loading markets')
      this.bus.emit('venueChanged', { view: this.accountView(this.accounts.get(id)) })
    }
    return entry.markets
  }

  private marketView(v: VenueView, m: MarketInfo): MarketView {
    const common = {
      venueId: v.id,
      venueLabel: v.label,
      symbol: m.symbol,
      base: m.base,
      quote: m.quote,
      tickSize: m.tickSize,
      stepSize: m.stepSize,
      minNotional: m.minNotional,
    }
    if (v.id !== SIM_VENUE_ID) return { ...common, last: null, changePct24h: null, volume24h: null }
    const t = this.sim.engine.ticker(m.symbol)
    return { ...common, last: t.last, changePct24h: t.changePct24h, volume24h: t.volume24h }
  }

  /**
   * Prices for valuation: the simulated engine's last trades for the simulated exchange and the paper
   * accounts on it (the Portfolio's prices too); for the others, a live book the app watches, else the
   * exchange's ticker (cached briefly, and then said when it was read).
   */
  private pricesOf(id: string, venue: Venue): VenuePrices {
    const source = isPaperVenueId(id) ? this.paper?.sourceOf(id) : undefined
    if (id === SIM_VENUE_ID || source === SIM_VENUE_ID) {
      const symbols = new Set(this.sim.engine.markets().map((m) => m.symbol))
      return { priceOf: async (symbol) => (symbols.has(symbol) ? this.sim.engine.ticker(symbol).last : null), readAt: () => undefined }
    }
    const entry = this.entry(id)
    return venuePrices({
      bookIds: source ? [id, source] : [id],
      liveMid: (venueId, symbol) => midOfFeed(this.books?.bookFeed(venueId, symbol)),
      markets: entry.markets,
      fetchLast: async (symbol) => {
        try {
          return (await withTimeout(venue.fetchTicker(symbol), `fetching ${symbol}`)).last
        } catch (err) {
          this.log.warn(`no price for ${symbol} on ${id}`, { error: messageOf(err) })
          return null
        }
      },
      cache: entry.prices,
      now: this.now,
      ttlMs: PRICE_TTL_MS,
    })
  }

  /** A venue's balances reach the screen `delayMs` after a change, once per burst (if it is still there then). */
  private pushBalances(id: string, delayMs: number, stillThere: () => boolean): void {
    if (this.balancePushes.has(id)) return
    this.balancePushes.set(
      id,
      setTimeout(() => {
        this.balancePushes.delete(id)
        if (!stillThere()) return
        void this.venueBalances(id).then((balances) => this.bus.emit('balancesChanged', { balances }))
      }, delayMs),
    )
  }

  private simView(): VenueView {
    return {
      id: SIM_VENUE_ID,
      exchange: 'sim',
      label: SIM_ACCOUNT_LABEL,
      kind: 'simulated',
      accountId: null,
      connection: this.sim.paper.connection(),
      reason: null,
      marketCount: this.sim.engine.markets().length,
    }
  }

  private accountView(a: AccountView): VenueView {
    const entry = this.entries.get(a.id)
    const state = entry?.venue ? entry.venue.connection() : entry?.opening ? 'connecting' : 'down'
    const stated = state === 'live' ? null : (entry?.error ?? entry?.reason ?? (entry?.venue ? null : 'Not connected yet'))
    // Live but its order and fill streams not subscribed: 'rest-only', saying why (private-streams.ts).
    // (The follow failure names the account as it is called now: a rename keeps the failure, not its old name.)
    const follow = this.followFailures.get(a.id)
    const { connection, reason } = accountStatus(state, stated, entry?.venue?.privateStreams?.(), follow && { ...follow, label: a.label })
    return {
      id: a.id,
      exchange: a.exchange,
      label: a.label,
      kind: 'exchange',
      accountId: a.id,
      connection,
      reason,
      marketCount: entry?.markets?.length ?? null,
      ...this.nativeStopsView(entry?.venue?.capabilities, a.exchange as ExchangeId),
      ...timeInForceView(entry?.venue?.capabilities, a.exchange as ExchangeId),
    }
  }

  /** What the venue list says about "on exchange": the connected venue's own capabilities, else the table. */
  private nativeStopsView(capabilities: VenueCapabilities | undefined, exchange: ExchangeId): Pick<VenueView, 'nativeStops' | 'nativeStopKinds' | 'nativeStopsNote'> {
    const support = capabilities !== undefined ? nativeSupportOf(capabilities) : (nativeStopSupport[exchange] ?? noNativeSupport)
    return {
      nativeStops: support.kinds.length > 0,
      nativeStopKinds: [...support.kinds],
      ...(support.note !== null ? { nativeStopsNote: support.note } : {}),
    }
  }

  private accountOrThrow(id: string): AccountView {
    const account = this.accounts.list().find((a) => a.id === id)
    if (!account) throw new AppError('NOT_FOUND', `No venue "${id}"`)
    return account
  }

  private entry(id: string): AccountEntry {
    let entry = this.entries.get(id)
    if (!entry) this.entries.set(id, (entry = { prices: new Map() }))
    return entry
  }

  private async connectEntry(account: AccountView, entry: AccountEntry): Promise<Venue> {
    const current = () => this.entries.get(account.id) === entry
    let venue: Venue | undefined
    try {
      venue = await this.accounts.openVenue(account.id)
      const stopConnection = venue.onConnection((_state, reason) => {
        entry.reason = reason
        this.bus.emit('venueChanged', { view: this.accountView(account) })
      })
      const stopStreams = venue.onPrivateStreams?.(() => {
        if (current() && entry.venue === venue) this.bus.emit('venueChanged', { view: this.accountView(account) })
      })
      entry.stopWatching = () => {
        stopConnection()
        stopStreams?.()
      }
      await withTimeout(venue.connect(), `connecting to ${account.label}`)
      if (current()) {
        entry.venue = venue
        entry.error = undefined
        return venue
      }
    } catch (err) {
      if (current()) {
        entry.error = messageOf(err)
        if (err instanceof KeyRejectedError) entry.rejected = err
        // Nobody holds a venue that could not connect: closed, or each try again (the order manager's
        // follow retry, every minute while the exchange is unreachable) would keep one more open for ever.
        entry.stopWatching?.()
        entry.stopWatching = undefined
        await venue?.close().catch(() => undefined)
        throw err
      }
    } finally {
      entry.opening = undefined
      if (current()) this.bus.emit('venueChanged', { view: this.accountView(this.accounts.get(account.id)) })
    }
    // The account was edited or removed while this venue was opening (closeEntry could not close it yet):
    // it is closed here, and the caller gets the current one (or NOT_FOUND).
    entry.stopWatching?.()
    await venue?.close().catch(() => undefined)
    return this.open(account.id)
  }

  /** Closes an account's venue; open() from here on makes a fresh one. Whoever holds the old one is told. */
  private drop(id: string, how: VenueDrop): void {
    // A follow failure was about the old connection (the order manager tries the fresh one at once, or no more).
    this.followFailures.delete(id)
    const closing = this.closeEntry(id) // the entry is gone at once
    this.dropped(id, how)
    // Paper venues on a removed account are dropped as removed too: they cannot connect again.
    // (Awaited by stop(): an engine stopped right after a removal must not reach a closed database.)
    const settled = closing
      .then(() => this.paper?.sourceChanged(id, (paperId) => this.dropped(paperId, how)))
      .catch((err: unknown) => this.log.warn('paper accounts could not follow an account change', { account: id, error: messageOf(err) }))
    this.settling.add(settled)
    void settled.finally(() => this.settling.delete(settled))
  }

  private dropped(venueId: string, how: VenueDrop): void {
    for (const listener of [...this.dropListeners]) {
      try {
        listener(venueId, how)
      } catch (err) {
        this.log.error(`a listener for the dropped venue ${venueId} failed`, err)
      }
    }
  }

  private async closeEntry(id: string): Promise<void> {
    const entry = this.entries.get(id)
    this.entries.delete(id)
    entry?.stopWatching?.()
    await entry?.venue?.close().catch(() => undefined)
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out ${what} after ${CALL_TIMEOUT_MS / 1000} s`)), CALL_TIMEOUT_MS)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** What the venue list says about times in force: the connected venue's capabilities, else the table. */
function timeInForceView(capabilities: VenueCapabilities | undefined, exchange: ExchangeId): Pick<VenueView, 'timeInForce' | 'timeInForceNote'> {
  const allowed = capabilities !== undefined ? capabilities.timeInForce : exchangeTimeInForce[exchange]?.allowed
  const note = capabilities !== undefined ? capabilities.timeInForceNote : exchangeTimeInForce[exchange]?.note
  return { ...(allowed !== undefined ? { timeInForce: [...allowed] } : {}), ...(note !== undefined ? { timeInForceNote: note } : {}) }
}

/** A symbol without its separators: 'BTC/USDT' → 'BTCUSDT', 'BTC/USDT:USDT' → 'BTCUSDTUSDT'. */
/**
 * How well a market matches a search (smaller first), or null for no match: 0 the pair itself (BTC/USD,
 * BTCUSD), 1 a pair it begins (BTC/USDC), 2 an asset it begins, 3 a pair containing it (WBTC/USDT, ETH/BTC).
 */
function searchRank(m: MarketInfo, q: string, bare: string | null): number | null {
  const flat = bare === null ? '' : squashed(m.symbol)
  if (m.symbol === q || (bare !== null && flat === bare)) return 0
  if (m.symbol.startsWith(q) || (bare !== null && flat.startsWith(bare))) return 1
  if (m.base.startsWith(q)) return 2
  if (m.symbol.includes(q) || (bare !== null && flat.includes(bare))) return 3
  return null
}

function squashed(symbol: string): string {
  return symbol.replace(/[^A-Z0-9]/gi, '').toUpperCase()
}
