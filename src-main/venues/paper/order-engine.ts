import type { Fill, MarketInfo, OrderRequest, PublicTrade, Side, VenueOrder } from '../port'
import { VenueError } from '../port'
import { D, ZERO, fmt, parseDec, type D as Dec } from './decimal'
import { PaperLedger } from './ledger'
import { inView, oppositeOf, ownSideOf } from './market-source'
import type { WatchedMarket } from './market-watch'
import { BOOK_CUT_MS, applyTrade, commitTaken, crossingFill, planTaker, withinLimit, type TakerPlan } from './matching'
import type { PaperChange, PaperStore, StoredOrder } from './store'

// One paper account's orders and balances, matched by the model in matching.ts. Every step is
// synchronous: it reads the book, changes memory, writes one transaction, then tells the listeners. A step
// that is refused changes nothing.

interface OpenOrder {
  view: StoredOrder
  seq: number
  side: Side
  price: Dec
  amount: Dec
  filled: Dec
  cost: Dec
  reserved: Dec
  /** The rate its maker fills pay: the venue's when it was placed (what a buy reserved for). */
  makerFee: Dec
  queueAhead: Dec | null
  /** What the book took off the queue, not yet explained by a trade, oldest first: each cut waits BOOK_CUT_MS on its own. */
  bookCuts: BookCut[]
  /** Our own orders ahead (ownAhead) when the queue was last measured against the book. */
  ownSeen: Dec
  market: MarketInfo
}

interface Saved {
  ledger: ReturnType<PaperLedger['snapshot']>
  fillSeq: number
  orders: { o: OpenOrder; filled: Dec; cost: Dec; reserved: Dec; view: StoredOrder }[]
}

export interface OrderEvents {
  onOrder(order: VenueOrder): void
  onFill(fill: Fill): void
  /** Balances changed (after the change is saved). */
  onBalances(): void
  /** Saving fills of resting orders failed: they were undone. */
  onWriteFailed(err: unknown): void
}

export class PaperOrderEngine {
  readonly ledger: PaperLedger
  private readonly open = new Map<string, OpenOrder>()
  /** Open orders restore could not match any more (their market is no longer listed): they hold their reservation until canceled. */
  private readonly stranded = new Map<string, StoredOrder>()
  private orderSeq: number
  private fillSeq: number
  private nextRank = 0

  constructor(
    private readonly accountId: string,
    private readonly store: PaperStore,
    private readonly events: OrderEvents,
    private readonly now: () => number,
  ) {
    this.ledger = new PaperLedger(store.balances(accountId))
    const last = store.lastIds(accountId)
    this.orderSeq = last.orders
    this.fillSeq = last.fills
  }

  /**
   * Restored resting orders (they rejoin the back of their queue when their book is next live). `stranded`:
   * the open ones whose market the source no longer lists (or that have no price): they cannot match, stay
   * open with their reservation and can be canceled.
   */
  restore(markets: MarketInfo[]): { restored: StoredOrder[]; stranded: StoredOrder[] } {
    const restored: StoredOrder[] = []
    for (const view of this.store.openOrders(this.accountId)) {
      const market = markets.find((m) => m.symbol === view.symbol)
      const price = parseDec(view.price)
      if (market === undefined || price === null) {
        this.stranded.set(view.venueOrderId, view)
        continue
      }
      this.open.set(view.venueOrderId, {
        view,
        seq: this.nextRank++,
        side: view.side,
        price,
        amount: new D(view.amount),
        filled: new D(view.filled),
        cost: new D(view.cost),
        reserved: new D(view.reserved),
        makerFee: placedMakerFee(view, price) ?? feeRate(market.makerFee),
        queueAhead: null,
        bookCuts: [],
        ownSeen: ZERO,
        market,
      })
      restored.push(view)
    }
    return { restored, stranded: [...this.stranded.values()] }
  }

  openOrders(symbol?: string): VenueOrder[] {
    const stranded = [...this.stranded.values()].filter((o) => symbol === undefined || o.symbol === symbol)
    return [...this.sorted(symbol).map((o) => o.view), ...stranded].map(portOrder)
  }

  hasOpen(symbol: string): boolean {
    return this.sorted(symbol).length > 0
  }

  findOrder(ref: { venueOrderId?: string; clientOrderId?: string }): VenueOrder | null {
    for (const o of this.open.values()) {
      if (o.view.venueOrderId === ref.venueOrderId || o.view.clientOrderId === ref.clientOrderId) return portOrder(o.view)
    }
    const stored = this.store.findOrder(this.accountId, ref)
    return stored ? portOrder(stored) : null
  }

  /** Refuses a client order id this account has used already. */
  checkNewClientId(clientOrderId: string): void {
    const known = this.findOrder({ clientOrderId })
    if (known !== null) {
      throw new VenueError('invalid-order', `Duplicate client order id "${clientOrderId}": it is paper order #${known.venueOrderId} (${known.status})`)
    }
  }

  /**
   * A new order against the market's live book (the caller has checked the book is live and the request's
   * shape): takes what it can, rests the rest (GTC limit) or lets it expire. Returns the order as it stands.
   */
  place(request: OrderRequest, market: MarketInfo, watched: WatchedMarket): VenueOrder {
    this.checkNewClientId(request.clientOrderId)
    const side = request.side
    const amount = new D(request.amount)
    const limit = request.type === 'limit' ? new D(request.price as string) : null
    const taker = feeRate(market.takerFee)
    const maker = feeRate(market.makerFee)
    const book = watched.book

    if (limit !== null && request.postOnly) {
      const best = book.level(oppositeOf(side), 0)
      if (best !== undefined && withinLimit(side, new D(best[0]), limit)) {
        throw new VenueError(
          'invalid-order',
          `Post-only order would take liquidity: the best ${side === 'buy' ? 'ask' : 'bid'} ${best[0]} is at or through the limit ${fmt(limit)}`,
        )
      }
    }
    const plan: TakerPlan = request.postOnly ? { fills: [], filled: ZERO, cost: ZERO } : planTaker(book, side, amount, limit, watched.taken)
    if (request.type === 'market' && plan.filled.isZero()) {
      throw new VenueError('invalid-order', `No ${side === 'buy' ? 'asks' : 'bids'} on the ${market.symbol} book to fill a market order`)
    }
    if (request.timeInForce === 'FOK' && plan.filled.lt(amount)) {
      const where = limit === null ? 'in the visible book' : `at ${fmt(limit)} or better`
      throw new VenueError('invalid-order', `FOK order cannot be filled in full: ${fmt(plan.filled)} of ${fmt(amount)} ${market.base} available ${where}`)
    }
    const minNotional = parseDec(market.minNotional) ?? ZERO
    if (limit === null && plan.cost.lt(minNotional)) {
      throw new VenueError('invalid-order', `Order value ${fmt(plan.cost)} ${market.quote} is below the minimum notional ${market.minNotional} of ${market.symbol}`)
    }
    const rests = limit !== null && request.timeInForce === 'GTC' && plan.filled.lt(amount)
    const rest = rests ? amount.minus(plan.filled) : ZERO

    // What the account must have free: the taken part with its fee, plus the resting part's reservation.
    const what = `${side} ${fmt(amount)} ${market.symbol}`
    const reserve = side === 'buy' ? rest.times(limit ?? ZERO).times(maker.plus(1)) : rest
    // A sell needs its whole amount, as on an exchange; a buy what it pays now plus what its rest reserves.
    if (side === 'buy') this.ledger.requireFree(market.quote, plan.cost.times(taker.plus(1)).plus(reserve), what)
    else this.ledger.requireFree(market.base, amount, what)

    const at = this.now()
    const id = String(this.orderSeq + 1)
    const order: OpenOrder = {
      view: {
        venueOrderId: id,
        clientOrderId: request.clientOrderId,
        symbol: market.symbol,
        side,
        type: request.type,
        price: limit === null ? null : fmt(limit),
        amount: fmt(amount),
        filled: '0',
        cost: '0',
        status: 'open',
        timeInForce: request.timeInForce,
        postOnly: request.postOnly,
        createdAt: at,
        updatedAt: at,
        reserved: '0',
        reservedAsset: side === 'buy' ? market.quote : market.base,
        makerFee: fmt(maker),
      },
      seq: this.nextRank,
      side,
      price: limit ?? ZERO,
      amount,
      filled: ZERO,
      cost: ZERO,
      reserved: ZERO,
      makerFee: maker,
      queueAhead: null,
      bookCuts: [],
      ownSeen: ZERO,
      market,
    }
    const saved = this.ledger.snapshot()
    const savedFillSeq = this.fillSeq
    const fills: Fill[] = []
    try {
      for (const f of plan.fills) fills.push(this.fill(order, f.price, f.amount, 'taker', false))
      if (rests) {
        this.ledger.reserve(order.view.reservedAsset, reserve, what)
        order.reserved = reserve
        // Beyond the visible depth what queues at its price is unknown: it joins once in view (onBook).
        order.ownSeen = this.ownAhead(order)
        order.queueAhead = inView(book, side, order.price) ? book.sizeAt(ownSideOf(side), order.price).plus(order.ownSeen) : null
      }
      order.view = { ...order.view, status: rests ? 'open' : order.filled.eq(amount) ? 'closed' : 'expired', reserved: fmt(order.reserved) }
      this.store.commit(this.accountId, { orders: [order.view], fills, balances: this.ledger.takeDirty() })
    } catch (err) {
      this.ledger.restore(saved)
      this.fillSeq = savedFillSeq
      throw err
    }
    this.orderSeq++
    this.nextRank++
    commitTaken(book, side, plan, watched.taken)
    if (rests) this.open.set(id, order)
    this.announce([order.view], fills)
    return portOrder(order.view)
  }

  cancel(venueOrderId: string): VenueOrder {
    const order = this.open.get(venueOrderId)
    if (order === undefined) {
      const known = this.store.findOrder(this.accountId, { venueOrderId })
      if (known?.status === 'open') return this.cancelStranded(known)
      throw new VenueError('order-not-found', known ? `Paper order #${venueOrderId} is ${known.status} already, not open` : `No paper order #${venueOrderId}`)
    }
    this.ledger.release(order.view.reservedAsset, order.reserved)
    order.reserved = ZERO
    order.view = { ...order.view, status: 'canceled', reserved: '0', updatedAt: this.now() }
    this.store.commit(this.accountId, { orders: [order.view], fills: [], balances: this.ledger.takeDirty() })
    this.open.delete(venueOrderId)
    this.announce([order.view], [])
    return portOrder(order.view)
  }

  /** An order open in the database that matching does not follow (its market is gone): canceled there, its reservation freed. */
  private cancelStranded(stored: StoredOrder): VenueOrder {
    const saved = this.ledger.snapshot()
    const view: StoredOrder = { ...stored, status: 'canceled', reserved: '0', updatedAt: this.now() }
    try {
      this.ledger.release(stored.reservedAsset, new D(stored.reserved))
      this.store.commit(this.accountId, { orders: [view], fills: [], balances: this.ledger.takeDirty() })
    } catch (err) {
      this.ledger.restore(saved)
      throw err
    }
    this.stranded.delete(stored.venueOrderId)
    this.announce([view], [])
    return portOrder(view)
  }

  /** The book changed: resting orders join or shorten their queue, and fill from liquidity crossing their price. */
  onBook(watched: WatchedMarket): void {
    const book = watched.book
    if (book.health().status !== 'live') return
    if (watched.taken.size > 0) watched.taken.refresh(book)
    const orders = this.sorted(watched.symbol)
    if (orders.length === 0) return
    const saved = this.save(orders)
    const now = this.now()
    for (const o of orders) {
      // Not yet in view (placed or restored beyond the visible depth): it joins the back of its queue later.
      if (o.queueAhead === null && !inView(book, o.side, o.price)) continue
      const own = this.ownAhead(o)
      const visible = book.sizeAt(ownSideOf(o.side), o.price).plus(own)
      bookCutOf(o, now) // drops the expired cuts, so a level shrinking for long without trades keeps a short list
      if (o.queueAhead !== null && visible.lt(o.queueAhead)) {
        // Only the venue's level shrinking waits for a trade: our own earlier order there cancelled or
        // filled from crossing liquidity leaves no trade to come, and would make the next one skip us.
        const cut = o.queueAhead.minus(visible).minus(D.max(ZERO, o.ownSeen.minus(own)))
        if (cut.gt(0)) o.bookCuts.push({ amount: cut, at: now })
      }
      o.ownSeen = own
      o.queueAhead = o.queueAhead === null || visible.lt(o.queueAhead) ? visible : o.queueAhead
    }
    const changed: OpenOrder[] = []
    const fills: Fill[] = []
    const matched = this.matching(saved, () => {
      for (const o of orders) {
        const plan = crossingFill(book, { side: o.side, price: o.price, remaining: o.amount.minus(o.filled), queueAhead: o.queueAhead }, watched.taken)
        if (plan.filled.isZero()) continue
        commitTaken(book, o.side, plan, watched.taken)
        fills.push(this.fill(o, o.price, plan.filled, 'maker', true))
        changed.push(o)
      }
    })
    if (matched) this.settle(changed, fills, saved)
  }

  /** Public trades of a market: each consumes queues and fills resting orders (matching.ts). */
  onTrades(symbol: string, trades: PublicTrade[]): void {
    const orders = this.sorted(symbol)
    if (orders.length === 0) return
    const saved = this.save(orders)
    const changed = new Set<OpenOrder>()
    const fills: Fill[] = []
    const now = this.now()
    const matched = this.matching(saved, () => this.tradesAgainst(orders, trades, now, changed, fills))
    if (matched) this.settle([...changed], fills, saved)
  }

  private tradesAgainst(orders: OpenOrder[], trades: PublicTrade[], now: number, changed: Set<OpenOrder>, fills: Fill[]): void {
    for (const t of trades) {
      const price = parseDec(t.price)
      const amount = parseDec(t.amount)
      if (price === null || amount === null || amount.lte(0)) continue
      // What is left of this trade for each side's orders (sorted best price first, as applyTrade needs).
      const left = { buy: { price, left: amount }, sell: { price, left: amount } }
      for (const o of orders) {
        const remaining = o.amount.minus(o.filled)
        if (remaining.isZero()) continue
        // A taker of the order's own side (a buyer, for a resting buy) lifted opposite liquidity at or
        // through its price: that liquidity was already ours through crossingFill or placement (see matching.ts).
        if (t.side === o.side) continue
        const cut = bookCutOf(o, now)
        const r = applyTrade({ side: o.side, price: o.price, remaining, queueAhead: o.queueAhead, bookCut: cut }, left[o.side])
        o.queueAhead = r.queueAhead
        useBookCuts(o, cut.minus(r.bookCut))
        if (r.fill.isZero()) continue
        fills.push(this.fill(o, o.price, r.fill, 'maker', true))
        changed.add(o)
      }
    }
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────

  /** What `settle` puts back when its write fails: the balances, the fill ids and each order's progress. */
  private save(orders: OpenOrder[]): Saved {
    return {
      ledger: this.ledger.snapshot(),
      fillSeq: this.fillSeq,
      orders: orders.map((o) => ({ o, filled: o.filled, cost: o.cost, reserved: o.reserved, view: o.view })),
    }
  }

  /**
   * Runs one matching step's fills; one that cannot be paid (a reservation short of its fill: never expected)
   * undoes the whole step, as a failed save does, and is reported. False when it was undone.
   */
  private matching(saved: Saved, body: () => void): boolean {
    try {
      body()
      return true
    } catch (err) {
      this.undo(saved)
      this.events.onWriteFailed(err)
      return false
    }
  }

  /** Memory back to what the database holds: the balances, the fill ids and each order's progress. */
  private undo(saved: Saved): void {
    this.ledger.restore(saved.ledger)
    this.fillSeq = saved.fillSeq
    for (const s of saved.orders) {
      Object.assign(s.o, { filled: s.filled, cost: s.cost, reserved: s.reserved, view: s.view })
      this.open.set(s.o.view.venueOrderId, s.o)
    }
  }

  /** Saves and announces resting orders that filled (closing the ones now complete). */
  private settle(changed: OpenOrder[], fills: Fill[], saved: Saved): void {
    if (changed.length === 0) return
    const at = this.now()
    for (const o of changed) {
      const done = o.filled.eq(o.amount)
      if (done) {
        this.ledger.release(o.view.reservedAsset, o.reserved)
        o.reserved = ZERO
        this.open.delete(o.view.venueOrderId)
      }
      o.view = { ...o.view, status: done ? 'closed' : 'open', reserved: fmt(o.reserved), updatedAt: at }
    }
    const views = changed.map((o) => o.view)
    const change: PaperChange = { orders: views, fills, balances: this.ledger.takeDirty() }
    try {
      this.store.commit(this.accountId, change)
    } catch (err) {
      // These fills did not happen: memory goes back to what the database holds (so their ids are not
      // spent and a restart sees the same account), nobody hears of them, and the failure is reported.
      // The queue they consumed stays consumed (that trade is gone).
      this.undo(saved)
      this.events.onWriteFailed(err)
      return
    }
    this.announce(views, fills)
  }

  /** One fill of an order: moves the money (from its reservation when resting) and updates its progress. */
  private fill(o: OpenOrder, price: Dec, amount: Dec, liquidity: 'maker' | 'taker', fromReserve: boolean): Fill {
    const m = o.market
    const value = price.times(amount)
    const fee = value.times(liquidity === 'maker' ? o.makerFee : feeRate(m.takerFee))
    const what = `${o.side} ${fmt(amount)} ${m.symbol}`
    if (o.side === 'buy') {
      const pay = value.plus(fee)
      if (fromReserve && o.reserved.lt(pay)) {
        throw new VenueError('insufficient-funds', `Paper order #${o.view.venueOrderId} reserves ${fmt(o.reserved)} ${m.quote}, less than its fill of ${what} costs (${fmt(pay)} ${m.quote})`)
      }
      if (fromReserve) {
        this.ledger.spendReserved(m.quote, pay)
        o.reserved = o.reserved.minus(pay)
      } else this.ledger.debit(m.quote, pay, what)
      this.ledger.credit(m.base, amount)
    } else {
      if (fromReserve) {
        this.ledger.spendReserved(m.base, amount)
        o.reserved = o.reserved.minus(amount)
      } else this.ledger.debit(m.base, amount, what)
      this.ledger.credit(m.quote, value.minus(fee))
    }
    o.filled = o.filled.plus(amount)
    o.cost = o.cost.plus(value)
    const at = this.now()
    o.view = { ...o.view, filled: fmt(o.filled), cost: fmt(o.cost), updatedAt: at }
    return {
      tradeId: String(++this.fillSeq),
      venueOrderId: o.view.venueOrderId,
      clientOrderId: o.view.clientOrderId,
      symbol: m.symbol,
      side: o.side,
      price: fmt(price),
      amount: fmt(amount),
      fee: { asset: m.quote, amount: fmt(fee) },
      liquidity,
      timestamp: at,
    }
  }

  /** Our own orders resting at the same price and side before this one (they queue ahead of it). */
  private ownAhead(order: OpenOrder): Dec {
    let sum = ZERO
    for (const o of this.open.values()) {
      if (o !== order && o.view.symbol === order.view.symbol && o.side === order.side && o.price.eq(order.price) && o.seq < order.seq) {
        sum = sum.plus(o.amount.minus(o.filled))
      }
    }
    return sum
  }

  /** Open orders of a market by priority: best price first per side, then oldest. */
  private sorted(symbol?: string): OpenOrder[] {
    return [...this.open.values()]
      .filter((o) => symbol === undefined || o.view.symbol === symbol)
      .sort((a, b) => {
        if (a.side !== b.side) return a.side === 'buy' ? -1 : 1
        const byPrice = a.side === 'buy' ? b.price.cmp(a.price) : a.price.cmp(b.price)
        return byPrice || a.seq - b.seq
      })
  }

  private announce(orders: StoredOrder[], fills: Fill[]): void {
    for (const f of fills) this.events.onFill(f)
    for (const o of orders) this.events.onOrder(portOrder(o))
    this.events.onBalances()
  }
}

interface BookCut {
  amount: Dec
  at: number
}

/**
 * The order's book cuts still waiting for their trade. Each is forgotten BOOK_CUT_MS after the book showed
 * it (no trade came: it was a cancellation), so a level losing size to cancels every second or so does not
 * keep old cancels waiting and have them swallow later trades.
 */
function bookCutOf(o: OpenOrder, now: number): Dec {
  o.bookCuts = o.bookCuts.filter((c) => now - c.at <= BOOK_CUT_MS)
  return o.bookCuts.reduce((sum, c) => sum.plus(c.amount), ZERO)
}

/** A trade explained `used` of the order's book cuts: the oldest go first. */
function useBookCuts(o: OpenOrder, used: Dec): void {
  let rest = used
  for (let first = o.bookCuts[0]; rest.gt(0) && first !== undefined; first = o.bookCuts[0]) {
    if (first.amount.gt(rest)) {
      o.bookCuts[0] = { amount: first.amount.minus(rest), at: first.at }
      return
    }
    rest = rest.minus(first.amount)
    o.bookCuts.shift()
  }
}

/**
 * The maker rate a restored order was placed at: stored with it, or for an earlier version's buy what its
 * reservation holds over the rest's value (it reserved rest × price × (1 + rate) and its fills paid at that
 * rate); null when neither tells.
 */
function placedMakerFee(view: StoredOrder, price: Dec): Dec | null {
  if (view.makerFee !== null) return feeRate(view.makerFee)
  const rest = new D(view.amount).minus(view.filled).times(price)
  if (view.side !== 'buy' || rest.lte(0)) return null
  const rate = new D(view.reserved).div(rest).minus(1)
  return rate.gte(0) && rate.lt(1) ? rate : null
}

/** A market's fee rate; anything unusable counts as no fee. */
function feeRate(text: string): Dec {
  const rate = parseDec(text)
  return rate !== null && rate.gt(-1) && rate.lt(1) ? rate : ZERO
}

function portOrder(o: StoredOrder): VenueOrder {
  const { reserved: _reserved, reservedAsset: _asset, makerFee: _makerFee, ...order } = o
  return order
}
