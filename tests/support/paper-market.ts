import type { BookLevel, ConnectionState, MarketInfo, PublicTrade, Side, Venue } from '../../src-main/venues/port'
import type { BookSideName, PaperBook, PaperBookHealth, PaperMarketSource } from '../../src-main/venues/paper/market-source'
import { D } from '../../src-main/venues/paper/decimal'
import { PaperVenue, type PaperVenueOptions } from '../../src-main/venues/paper/paper-venue'
import { PaperStore } from '../../src-main/venues/paper/store'
import { openStore, type Store } from '../../src-main/store/open'
import { silentLogger } from '../../src-main/log'
import { FakeClock } from './fake-clock'
import { migrationsDir, tempDir } from './temp-core'

// Paper trading by hand: a book and a tape the test sets level by level and trade by trade, a source venue
// with one market, and a real SQLite store.

export const BTC_USDT: MarketInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.1',
  stepSize: '0.0001',
  minAmount: '0.0001',
  minNotional: '5',
  makerFee: '0.0008',
  takerFee: '0.001',
  active: true,
}

/** A book the test sets by hand; every set tells the listeners, like the engine's feed does. */
export class ManualBook implements PaperBook {
  bids: BookLevel[] = []
  asks: BookLevel[] = []
  status: PaperBookHealth = { status: 'live', reason: null }
  holds = 0
  private readonly listeners = new Set<() => void>()

  set(levels: { bids?: [string, string][]; asks?: [string, string][] }): void {
    if (levels.bids) this.bids = [...levels.bids].sort((a, b) => Number(b[0]) - Number(a[0]))
    if (levels.asks) this.asks = [...levels.asks].sort((a, b) => Number(a[0]) - Number(b[0]))
    this.changed()
  }

  setHealth(status: PaperBookHealth['status'], reason: string | null = null): void {
    this.status = { status, reason }
    this.changed()
  }

  health(): PaperBookHealth {
    return this.status
  }

  level(side: BookSideName, rank: number): BookLevel | undefined {
    return this[side][rank]
  }

  sizeAt(side: BookSideName, price: InstanceType<typeof D>): InstanceType<typeof D> {
    const level = this[side].find(([p]) => new D(p).eq(price))
    return new D(level ? level[1] : 0)
  }

  depth(side: BookSideName): number {
    return this[side].length
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  release(): void {
    this.holds--
  }

  private changed(): void {
    for (const l of [...this.listeners]) l()
  }
}

export class ManualMarket implements PaperMarketSource {
  readonly books = new Map<string, ManualBook>()
  private readonly tapes = new Map<string, Set<(trades: PublicTrade[]) => void>>()
  private seq = 0

  bookOf(symbol: string): ManualBook {
    let book = this.books.get(symbol)
    if (!book) this.books.set(symbol, (book = new ManualBook()))
    return book
  }

  book(symbol: string): PaperBook {
    const book = this.bookOf(symbol)
    book.holds++
    return book
  }

  trades(symbol: string, onTrades: (trades: PublicTrade[]) => void): () => void {
    let set = this.tapes.get(symbol)
    if (!set) this.tapes.set(symbol, (set = new Set()))
    set.add(onTrades)
    return () => set.delete(onTrades)
  }

  /** A public trade printed on the venue. */
  trade(symbol: string, price: string, amount: string, side: Side = 'sell'): void {
    const trade: PublicTrade = { id: `t${++this.seq}`, symbol, price, amount, side, timestamp: 1_000 + this.seq }
    for (const l of [...(this.tapes.get(symbol) ?? [])]) l([trade])
  }

  listeners(symbol: string): number {
    return this.tapes.get(symbol)?.size ?? 0
  }
}

/** A source venue with one market; market data calls other than loadMarkets are not used by these tests. */
export function fakeSource(markets: MarketInfo[] = [BTC_USDT]): Venue & { orderCalls: number } {
  let state: ConnectionState = 'down'
  const unused = () => {
    throw new Error('not used in this test')
  }
  const source = {
    id: 'src',
    exchange: 'binance',
    capabilities: { nativeStops: false, sandbox: false, watchOrderBook: true, watchMyFills: true },
    orderCalls: 0,
    connect: async () => {
      state = 'live'
    },
    close: async () => {
      state = 'down'
    },
    connection: () => state,
    onConnection: () => () => undefined,
    loadMarkets: async () => markets,
    fetchBalances: unused,
    fetchOrderBook: unused,
    fetchTicker: unused,
    fetchCandles: unused,
    fetchTrades: unused,
    watchOrderBook: unused,
    watchTrades: unused,
    watchTicker: unused,
    placeOrder: async () => {
      source.orderCalls++
      throw new Error('a paper venue must never send an order to its source')
    },
    cancelOrder: async () => {
      source.orderCalls++
      throw new Error('a paper venue must never cancel on its source')
    },
    fetchOrder: unused,
    fetchOpenOrders: unused,
    fetchMyFills: unused,
    watchMyFills: unused,
    watchMyOrders: unused,
  }
  return source as unknown as Venue & { orderCalls: number }
}

export interface PaperRig {
  venue: PaperVenue
  market: ManualMarket
  book: ManualBook
  store: PaperStore
  db: Store
  clock: FakeClock
  source: Venue & { orderCalls: number }
  accountId: string
  dataDir: string
  /** A fresh PaperVenue on the same database (a restart), with a new market source. */
  restart(): Promise<PaperRig>
  close(): Promise<void>
}

/** A connected paper venue with `balances` on a fresh database (or the given one). */
export async function paperRig(
  balances: { asset: string; amount: string }[] = [{ asset: 'USDT', amount: '10000' }],
  options: Partial<PaperVenueOptions> & { dataDir?: string; accountId?: string } = {},
): Promise<PaperRig> {
  const dataDir = options.dataDir ?? tempDir('co-paper-')
  const db = openStore(dataDir, migrationsDir)
  const store = new PaperStore(db.db)
  const accountId =
    options.accountId ??
    store.createAccount({ label: 'Paper · test', sourceKind: 'exchange', sourceVenueId: null, exchange: 'binance', apiBaseUrl: null }, balances, 0).id
  const market = new ManualMarket()
  const clock = new FakeClock(1_000)
  const source = fakeSource()
  const venue = new PaperVenue({ id: accountId, source, ownsSource: true, market, store, log: silentLogger, clock, liveWaitMs: 0, lingerMs: 1000, ...options })
  await venue.connect()
  const rig: PaperRig = {
    venue,
    market,
    book: market.bookOf('BTC/USDT'),
    store,
    db,
    clock,
    source,
    accountId,
    dataDir,
    restart: async () => {
      await venue.close()
      db.close()
      return paperRig([], { ...options, dataDir, accountId })
    },
    close: async () => {
      await venue.close()
      db.close()
    },
  }
  return rig
}

let n = 0
/** A request with a fresh client id. */
export function order(fields: Partial<Parameters<PaperVenue['placeOrder']>[0]> & Pick<Parameters<PaperVenue['placeOrder']>[0], 'side' | 'amount'>) {
  return {
    clientOrderId: `c${++n}`,
    symbol: 'BTC/USDT',
    type: 'market' as const,
    timeInForce: 'GTC' as const,
    postOnly: false,
    ...fields,
  }
}

/** A balance row as fetchBalances returns it, or zeros. */
export async function balanceOf(venue: Venue, asset: string): Promise<{ free: string; used: string; total: string }> {
  const b = (await venue.fetchBalances()).find((x) => x.asset === asset)
  return b ? { free: b.free, used: b.used, total: b.total } : { free: '0', used: '0', total: '0' }
}

/** How much of a paper order on BTC/USDT has filled (undefined: no such order). */
export async function filledOf(rig: PaperRig, id: string): Promise<string | undefined> {
  return (await rig.venue.fetchOrder(BTC_USDT.symbol, { venueOrderId: id }))?.filled
}
