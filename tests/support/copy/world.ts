import Decimal from 'decimal.js'
import { EventBus } from '../../../src-main/bus'
import { silentLogger, type Logger } from '../../../src-main/log'
import { openStore, type Store } from '../../../src-main/store/open'
import { followSettingsSchema, type FollowSettingsInput } from '../../../src-main/api/schemas/copy'
import { Copier } from '../../../src-main/copy/copier'
import { heldChange, type LeaderSource, type LeaderWatch, type SourceFill } from '../../../src-main/copy/leaders'
import type { FollowerVenues } from '../../../src-main/copy/ports'
import type { OrderGateway, OrderIntent, OrderRecord } from '../../../src-main/trading/model'
import type { MarketInfo } from '../../../src-main/venues/port'
import { migrationsDir, tempDir } from '../temp-core'

// A copier over a real store, with a leader trading any market, a follower venue whose markets, books and
// quote values the test sets, and a gateway that fills every order at a set price (optionally held back: a
// slow venue). For tests that need markets other than copy-copier.test.ts's BTC/USDT.

export const market = (symbol: string, over: Partial<MarketInfo> = {}): MarketInfo => {
  const [base = symbol, quote = ''] = symbol.split('/')
  return { symbol, base, quote, tickSize: '0.01', stepSize: '0.0001', minAmount: '0.0001', minNotional: '5', makerFee: '0', takerFee: '0', active: true, ...over }
}

/** An exchange leader whose fills the test makes: its history, clock and watchers (each test's leader adds how it trades). */
export abstract class ScriptedLeaderBase implements LeaderSource {
  readonly id = 'acct-leader'
  readonly kind = 'exchange' as const
  readonly exchange = 'binance'
  clock = 1_700_000_000_000
  history: SourceFill[] = []
  watchers = new Set<LeaderWatch>()
  equityValue = new Decimal(100000)
  label = () => 'Leader'
  now = () => this.clock
  watch(w: LeaderWatch) {
    this.watchers.add(w)
    return () => this.watchers.delete(w)
  }
  async fetchSince(since: number) {
    return this.history.filter((f) => f.timestamp >= since)
  }
  async recent() {
    return []
  }
  async equity() {
    return this.equityValue
  }
  abstract balances(): Promise<Map<string, Decimal>>
  abstract markets(): Promise<MarketInfo[]>
}

export class AnyMarketLeader extends ScriptedLeaderBase {
  /** The venue its markets are priced on (LeaderSource.venueId); set to 'acct-follower' to share the follower's. */
  venueId = 'acct-leader'
  /** Nothing before the test's trades. */
  async balances() {
    const m = new Map<string, Decimal>()
    for (const f of this.history) {
      const base = f.symbol.split('/')[0]!
      m.set(base, (m.get(base) ?? new Decimal(0)).plus(heldChange(f)))
    }
    return m
  }
  async markets(): Promise<MarketInfo[]> {
    return []
  }
  /** Makes a fill; told to the watchers unless `silent` (then tell them with `tell`). */
  trade(symbol: string, side: 'buy' | 'sell', amount: string, price: string, opts: { tradeId?: string; orderId?: string; silent?: boolean } = {}): SourceFill {
    const fill: SourceFill = { leaderId: this.id, tradeId: opts.tradeId ?? `t${this.history.length + 1}`, symbol, side, price, amount, timestamp: this.clock, ...(opts.orderId ? { orderId: opts.orderId } : {}) }
    this.history.push(fill)
    if (!opts.silent) this.tell([fill])
    return fill
  }
  tell(fills: SourceFill[]): void {
    for (const w of this.watchers) w.onFills(fills, 'stream')
  }
}

export class FillingGateway implements OrderGateway {
  /** Fill price per symbol. */
  fillPrice: Record<string, string> = {}
  /** While set, submit waits on it (a slow venue). */
  gate: Promise<void> | null = null
  readonly orders = new Map<string, OrderRecord>()
  submits: OrderIntent[] = []
  async submit(intent: OrderIntent): Promise<OrderRecord> {
    this.submits.push(intent)
    if (this.gate) await this.gate
    const id = intent.clientOrderId!
    const existing = this.orders.get(id)
    if (existing) return existing
    const filled = new Decimal(intent.amount)
    const order: OrderRecord = {
      clientOrderId: id,
      venueOrderId: '1',
      venueId: intent.venueId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      timeInForce: intent.timeInForce,
      postOnly: false,
      amount: intent.amount,
      price: intent.price ?? null,
      filled: filled.toFixed(),
      cost: filled.times(this.fillPrice[intent.symbol] ?? '1').toFixed(),
      status: 'filled',
      origin: intent.origin,
      error: null,
      attempts: 1,
      createdAt: 0,
      updatedAt: 0,
    }
    this.orders.set(id, order)
    return order
  }
  async cancel(): Promise<OrderRecord> {
    throw new Error('not used')
  }
  get(id: string) {
    return this.orders.get(id)
  }
  open() {
    return []
  }
}

export interface World {
  markets: Record<string, MarketInfo>
  books: Record<string, { bid: Decimal; ask: Decimal }>
  /** One unit of a non-par asset in USDT on the follower venue. */
  quoteUnits: Record<string, Decimal>
  equity: Decimal
  /** The leader venue's books (its prices now), when it is another venue than the follower's. */
  leaderBooks?: Record<string, { bid: Decimal; ask: Decimal }>
}

export function followerVenues(w: World): FollowerVenues {
  return {
    list: () => [{ id: 'acct-follower', label: 'Follower', kind: 'exchange' }],
    canTrade: () => true,
    market: async (_v, s) => w.markets[s],
    quoteValue: async (_v, a) => w.quoteUnits[a] ?? null,
    top: async (_v, s) => w.books[s] ?? { bid: null, ask: null },
    equity: async () => w.equity,
    mark: async (v, s) => {
      const book = v === 'acct-follower' ? w.books[s] : w.leaderBooks?.[s]
      return book ? book.bid.plus(book.ask).div(2) : null
    },
    free: async () => null,
  }
}

export function makeCopier(opts: {
  dir?: string
  leader: AnyMarketLeader
  gateway: FillingGateway
  world: World
  log?: Logger
  /** Instead of followerVenues(world) (e.g. one slow to answer). */
  followers?: FollowerVenues
  /** The copier's monotonic clock (default performance.now). */
  monotonic?: () => number
}): { copier: Copier; store: Store; dir: string } {
  const dir = opts.dir ?? tempDir('co-copy-world-')
  const store = openStore(dir, migrationsDir)
  const copier = new Copier({
    db: store.db,
    bus: new EventBus(),
    log: opts.log ?? silentLogger,
    gateway: opts.gateway,
    leaders: { list: () => [opts.leader], get: (id) => (id === opts.leader.id ? opts.leader : undefined) },
    followers: opts.followers ?? followerVenues(opts.world),
    now: () => opts.leader.clock,
    ...(opts.monotonic ? { monotonic: opts.monotonic } : {}),
    everyUtcMidnight: () => () => {},
  })
  copier.start()
  return { copier, store, dir }
}

export const followSettings = (over: Partial<FollowSettingsInput>) =>
  followSettingsSchema.parse({ leaderId: 'acct-leader', followerVenueId: 'acct-follower', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100', ...over })
