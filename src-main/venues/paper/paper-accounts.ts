import type { Logger } from '../../log'
import { AppError } from '../../api/errors'
import type { VenueView } from '../../api/schemas/venues'
import { exchangeSpecs, isExchangeId, type ExchangeId } from '../../accounts/exchanges'
import { VenueError, type Venue } from '../port'
import { D, parseDec } from './decimal'
import type { PaperMarketSource } from './market-source'
import { PaperVenue, type PaperVenueOptions } from './paper-venue'
import { publicCcxtVenue, type PublicVenueFactory } from './public-venue'
import type { PaperAccountRow, PaperStore } from './store'
import { heldBy, type AssetAmount } from './funding'
import { holdTimerMs } from '../../trading/orders/rate-holds'

export const PAPER_PREFIX = 'paper:'
const CALL_TIMEOUT_MS = 10_000
/** Why a paper account whose source account was removed cannot connect (and what the user can do). */
export const PAPER_SOURCE_REMOVED =
  'The exchange account it traded on was removed: its balances and orders stay as they were. Close it, or open a paper account on another venue.'

export function isPaperVenueId(id: string): boolean {
  return id.startsWith(PAPER_PREFIX)
}

export type PaperSource = { kind: 'venue'; venueId: string } | { kind: 'exchange'; exchange: ExchangeId; apiBaseUrl?: string | undefined }

export interface OpenPaperInput {
  source: PaperSource
  label?: string | undefined
  balances: { asset: string; amount: string }[]
}

export interface PaperAccountsDeps {
  store: PaperStore
  /** The other venues of the app (a 'venue' source is one of them). */
  venues: { list(): VenueView[]; open(id: string): Promise<Venue> }
  /** The book and trades loops a paper venue matches against, by the paper venue's id. */
  marketSource(venueId: string): PaperMarketSource
  log: Logger
  now: () => number
  /** A paper venue's view changed (opened, connection, closed: then 'down' with reason 'Closed' and `closed`). */
  onChanged(view: VenueView): void
  /** A paper venue's balances changed. */
  onBalances(id: string): void
  /** A new account was stored with these starting balances (created at `row.createdAt`). */
  onOpened?(row: PaperAccountRow, balances: AssetAmount[]): void
  /** The account was closed (after its orders were canceled): whatever works through it must end. `held`: what it held then. */
  onClosed?(row: PaperAccountRow, at: number, held: AssetAmount[]): void
  createPublicVenue?: PublicVenueFactory
  /** Tuning for the venues (tests). */
  venueOptions?: Pick<PaperVenueOptions, 'clock' | 'liveWaitMs' | 'lingerMs'>
}

interface Entry {
  venue?: PaperVenue
  opening?: Promise<PaperVenue>
  error?: string
  off?: () => void
}

/** The paper accounts: made and closed by the user, restored at start, each a PaperVenue once opened. */
export class PaperAccounts {
  private readonly entries = new Map<string, Entry>()
  private readonly createPublicVenue: PublicVenueFactory
  private stopped = false
  /** Accounts whose resume met their source's rate hold, with the timer that tries them again once it ends. */
  private readonly resumeTimers = new Map<string, ReturnType<typeof setTimeout>>()

  constructor(private readonly deps: PaperAccountsDeps) {
    this.createPublicVenue = deps.createPublicVenue ?? publicCcxtVenue
  }

  views(): VenueView[] {
    return this.deps.store.accounts().map((row) => this.view(row))
  }

  has(id: string): boolean {
    const row = this.deps.store.account(id)
    return row !== undefined && row.closedAt === null
  }

  /** The app venue whose markets the account trades on ('sim', an exchange account), or null: an exchange's public data. */
  sourceOf(id: string): string | null {
    const row = this.deps.store.account(id)
    return row?.sourceKind === 'venue' ? row.sourceVenueId : null
  }

  /** Every closed account by its name, oldest first. */
  formerList(): { id: string; label: string }[] {
    return this.deps.store.closedAccounts().map((row) => ({ id: row.id, label: row.label }))
  }

  /** A closed account's name (its history keeps it); undefined for an open or unknown one. */
  formerLabel(id: string): string | undefined {
    const row = this.deps.store.account(id)
    return row !== undefined && row.closedAt !== null ? row.label : undefined
  }

  view(row: PaperAccountRow): VenueView {
    const entry = this.entries.get(row.id)
    const connection = entry?.venue ? entry.venue.connection() : entry?.opening ? 'connecting' : 'down'
    const reason =
      connection === 'live'
        ? null
        : entry?.venue
          ? (entry.error ?? null)
          : !entry?.opening && this.sourceRemoved(row)
            ? PAPER_SOURCE_REMOVED
            : (entry?.error ?? 'Not connected yet')
    return {
      id: row.id,
      exchange: row.exchange,
      label: row.label,
      kind: 'paper',
      // The exchange account whose markets it trades on (null for an exchange's public data or the simulator).
      accountId: row.sourceKind === 'venue' && row.sourceVenueId !== 'sim' ? row.sourceVenueId : null,
      connection,
      reason,
      marketCount: entry?.venue?.marketCount ?? null,
    }
  }

  /**
   * A new paper account. Its source is reached first (markets loaded), so a wrong venue or URL is refused
   * at once and nothing is stored.
   */
  async create(input: OpenPaperInput): Promise<VenueView> {
    const balances = checkBalances(input.balances)
    const { source } = input
    let venue: Venue
    let owned = false
    let defaultLabel: string
    let exchange: string
    if (source.kind === 'venue') {
      if (isPaperVenueId(source.venueId)) throw new AppError('BAD_INPUT', 'A paper account trades on a real venue’s markets, not on another paper account')
      const view = this.deps.venues.list().find((v) => v.id === source.venueId)
      if (view === undefined) throw new AppError('NOT_FOUND', `No venue "${source.venueId}"`)
      venue = await this.deps.venues.open(source.venueId).catch((err: unknown) => {
        throw new AppError('UNAVAILABLE', `Could not open ${view.label}: ${messageOf(err)}`)
      })
      exchange = view.exchange
      defaultLabel = view.kind === 'simulated' ? `Paper · ${view.label}` : `Paper · ${exchangeName(view.exchange)} (${view.label})`
    } else {
      const apiBaseUrl = source.apiBaseUrl ?? null
      venue = await this.createPublicVenue({ id: 'paper:new', exchange: source.exchange, apiBaseUrl })
      owned = true
      exchange = source.exchange
      defaultLabel = `Paper · ${exchangeName(source.exchange)}${apiBaseUrl ? ` (${new URL(apiBaseUrl).host})` : ''}`
    }
    try {
      if (owned || venue.connection() !== 'live') await withTimeout(venue.connect(), `connecting to ${exchange}`)
      await withTimeout(venue.loadMarkets(), `loading the markets of ${exchange}`)
    } catch (err) {
      if (owned) await venue.close().catch(() => undefined)
      throw new AppError('UNAVAILABLE', `Could not reach ${exchangeName(exchange)} for a paper account: ${messageOf(err)}`)
    }
    const row = this.deps.store.createAccount(
      {
        label: input.label ?? this.uniqueLabel(defaultLabel),
        sourceKind: source.kind,
        sourceVenueId: source.kind === 'venue' ? source.venueId : null,
        exchange,
        apiBaseUrl: source.kind === 'exchange' ? (source.apiBaseUrl ?? null) : null,
      },
      balances,
      this.deps.now(),
    )
    this.deps.log.info(`paper account ${row.id} opened (${row.label})`)
    this.deps.onOpened?.(row, balances)
    this.changed(row.id)
    // The source just reached becomes the account's (an owned one is not built twice).
    await this.open(row.id, owned ? venue : undefined).catch(() => undefined) // its error shows on the view
    return this.view(row)
  }

  /** The account's venue, built and connected on first use. `ready`: its own source, already connected. */
  async open(id: string, ready?: Venue): Promise<PaperVenue> {
    const row = this.deps.store.account(id)
    if (row === undefined || row.closedAt !== null) throw new AppError('NOT_FOUND', `No venue "${id}"`)
    if (this.sourceRemoved(row)) throw new AppError('NOT_FOUND', `${row.label}: ${PAPER_SOURCE_REMOVED}`)
    let entry = this.entries.get(id)
    if (entry === undefined) this.entries.set(id, (entry = {}))
    if (entry.venue) return entry.venue
    const e = entry
    e.opening ??= (async () => {
      let source: Venue | undefined
      try {
        source =
          ready ??
          (row.sourceKind === 'venue'
            ? await this.deps.venues.open(row.sourceVenueId ?? '')
            : await this.createPublicVenue({ id, exchange: exchangeOf(row), apiBaseUrl: row.apiBaseUrl }))
        const venue = new PaperVenue({
          id,
          source,
          ownsSource: row.sourceKind === 'exchange',
          market: this.deps.marketSource(id),
          store: this.deps.store,
          log: this.deps.log,
          onBalances: () => this.deps.onBalances(id),
          ...this.deps.venueOptions,
        })
        e.off = venue.onConnection(() => this.changed(id))
        await withTimeout(venue.connect(), `connecting ${row.label}`)
        if (this.stopped) {
          await venue.close()
          throw new AppError('UNAVAILABLE', 'The engine is stopping')
        }
        e.venue = venue
        e.error = undefined
        return venue
      } catch (err) {
        e.off?.()
        e.off = undefined
        if (row.sourceKind === 'exchange') await source?.close().catch(() => undefined)
        e.error = messageOf(err)
        throw err
      } finally {
        e.opening = undefined
        this.changed(id)
      }
    })()
    return e.opening
  }

  /** Closes the account: its open orders are cancelled (reservations back), it leaves the list; its id is never reused. */
  async close(id: string): Promise<void> {
    if (!isPaperVenueId(id)) throw new AppError('BAD_INPUT', `"${id}" is not a paper account; only paper accounts can be closed here`)
    if (!this.has(id)) throw new AppError('NOT_FOUND', `No paper account "${id}"`)
    const venue = this.entries.get(id)?.venue
    if (venue) for (const o of await venue.fetchOpenOrders()) await venue.cancelOrder(o.symbol, o.venueOrderId)
    const at = this.deps.now()
    this.deps.store.cancelOpenOrders(id, at)
    this.deps.store.closeAccount(id, at)
    await this.drop(id)
    this.deps.log.info(`paper account ${id} closed`)
    this.changed(id)
    const row = this.deps.store.account(id)
    if (row) this.deps.onClosed?.(row, at, heldBy(this.deps.store, id))
  }

  /** Open paper accounts trading on the app's venue `sourceVenueId` (an exchange account). */
  onSource(sourceVenueId: string): PaperAccountRow[] {
    return this.deps.store.accounts().filter((r) => r.sourceKind === 'venue' && r.sourceVenueId === sourceVenueId)
  }

  /** Paper accounts that can never trade again: closed, or on an exchange account that was removed. */
  gone(): { row: PaperAccountRow; closed: boolean }[] {
    return [
      ...this.deps.store.closedAccounts().map((row) => ({ row, closed: true })),
      ...this.deps.store
        .accounts()
        .filter((r) => this.sourceRemoved(r))
        .map((row) => ({ row, closed: false })),
    ]
  }

  /**
   * The venue a paper account reads from was changed or removed: its paper venues are closed, then rebuilt
   * (at once when they have resting orders, else on next use) or, when the source was removed, left down
   * with PAPER_SOURCE_REMOVED. `dropped` hears each paper venue id once its old object is closed (whoever
   * still holds that object must open it again, or let go when it was removed).
   */
  async sourceChanged(sourceVenueId: string, dropped?: (id: string) => void): Promise<void> {
    const affected = this.deps.store.accounts().filter((r) => r.sourceKind === 'venue' && r.sourceVenueId === sourceVenueId)
    for (const row of affected) {
      await this.drop(row.id)
      this.changed(row.id)
      dropped?.(row.id)
    }
    await this.resume(affected.map((r) => r.id))
  }

  /** A paper account on one of the app's venues whose account is gone (it cannot connect again). */
  private sourceRemoved(row: PaperAccountRow): boolean {
    return row.sourceKind === 'venue' && !this.deps.venues.list().some((v) => v.id === row.sourceVenueId)
  }

  /** Opens every account (of `ids`) with resting orders, so they follow their markets from the start. */
  async resume(ids?: string[]): Promise<void> {
    for (const row of this.deps.store.accounts()) {
      if (ids !== undefined && !ids.includes(row.id)) continue
      if (this.stopped || this.sourceRemoved(row) || this.deps.store.openOrders(row.id).length === 0) continue
      try {
        await this.open(row.id)
      } catch (err) {
        const waitMs = heldFor(err)
        this.deps.log.warn(`paper account ${row.id} could not resume its resting orders`, { error: messageOf(err), ...(waitMs ? { againInMs: waitMs } : {}) })
        if (waitMs !== undefined) this.resumeAfter(row.id, waitMs)
      }
    }
  }

  /**
   * Its source asked the app to wait (a rate hold: Binance's per IP covers the keyless connection too, and a
   * stored one outlives a restart): its resting orders follow their market once that ends, not only once
   * someone opens the account. A hold extended meanwhile refuses again with its new end, and is waited for.
   */
  private resumeAfter(id: string, waitMs: number): void {
    if (this.stopped || this.resumeTimers.has(id)) return
    const timer = setTimeout(() => {
      this.resumeTimers.delete(id)
      void this.resume([id])
    }, holdTimerMs(waitMs))
    this.resumeTimers.set(id, timer)
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const timer of this.resumeTimers.values()) clearTimeout(timer)
    this.resumeTimers.clear()
    await Promise.all([...this.entries.values()].map((e) => e.opening?.catch(() => undefined)))
    await Promise.all([...this.entries.keys()].map((id) => this.drop(id)))
  }

  private changed(id: string): void {
    const row = this.deps.store.account(id)
    if (row === undefined) return
    const view = this.view(row)
    this.deps.onChanged(row.closedAt === null ? view : { ...view, connection: 'down', reason: 'Closed', closed: true })
  }

  private async drop(id: string): Promise<void> {
    const entry = this.entries.get(id)
    this.entries.delete(id)
    entry?.off?.()
    await entry?.venue?.close().catch(() => undefined)
  }

  private uniqueLabel(base: string): string {
    const taken = new Set(this.deps.store.accounts().map((r) => r.label))
    if (!taken.has(base)) return base
    for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`
  }
}

function checkBalances(rows: { asset: string; amount: string }[]): { asset: string; amount: string }[] {
  const seen = new Set<string>()
  const out: { asset: string; amount: string }[] = []
  for (const row of rows) {
    const asset = row.asset.trim().toUpperCase()
    if (!/^[A-Z0-9]{1,20}$/.test(asset)) throw new AppError('BAD_INPUT', `Asset "${row.asset}" is not an asset symbol such as USDT`)
    if (seen.has(asset)) throw new AppError('BAD_INPUT', `${asset} is listed twice in the starting balances`)
    seen.add(asset)
    const amount = parseDec(row.amount)
    if (amount === null || amount.lt(0)) throw new AppError('BAD_INPUT', `The starting ${asset} balance must be zero or more, not ${row.amount}`)
    if (amount.gt(new D('1e15'))) throw new AppError('BAD_INPUT', `The starting ${asset} balance must be at most 1000000000000000`)
    out.push({ asset, amount: amount.toFixed() })
  }
  return out
}

function exchangeOf(row: PaperAccountRow): ExchangeId {
  if (!isExchangeId(row.exchange)) throw new AppError('UNAVAILABLE', `Paper account ${row.id} is on ${row.exchange}, which this version does not support`)
  return row.exchange
}

function exchangeName(exchange: string): string {
  return isExchangeId(exchange) ? exchangeSpecs[exchange].name : exchange
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

/** How long the error's venue asked to wait before it is tried again (its rate hold or Retry-After); undefined: it did not say. */
function heldFor(err: unknown): number | undefined {
  return err instanceof VenueError && err.kind === 'rate-limited' && (err.retryAfterMs ?? 0) > 0 ? err.retryAfterMs : undefined
}
