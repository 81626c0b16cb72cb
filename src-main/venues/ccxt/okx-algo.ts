import type { Exchange } from 'ccxt'
import type { Fill, VenueOrder } from '../port'
import { VenueError } from '../port'
import { isAppGeneratedClientOrderId } from '../app-client-order-ids'

// OKX keeps a spot stop-loss / take-profit as an algo order ("conditional"): ccxt's createOrder with
// stopLossPrice / takeProfitPrice sends it to POST trade/order-algo and answers with its algoId. The regular
// order calls do not know that id; ccxt reaches the algo endpoints with `{ trigger: true }` (fetchOrder →
// GET trade/order-algo, cancelOrder → POST trade/cancel-algos, fetchOpenOrders → GET
// trade/orders-algo-pending, which needs ordType "conditional" or it lists "trigger" orders only).
//
// When its price trades, the algo becomes "effective" and places a regular order (its `ordId`): that
// order's fills are the stop's. OKX shows that order with the algo's algoId / algoClOrdId (ccxt's parseOrder
// takes the algoId as the order's id, so pushed updates and fills of it already name the algo); its REST
// fills (GET trade/fills) name the regular order only and are tied back here.

type Raw = Record<string, unknown>

/** Params that make ccxt send an OKX spot stop as this app needs it. */
export function okxStopParams(clientOrderId: string): Raw {
  // ccxt sends the algo with the account's margin mode ("cross": on a margin account, a sell of coins not
  // held would borrow them); a spot stop trades what the account holds: "cash". The client id OKX keeps
  // and shows for an algo is algoClOrdId.
  return { tdMode: 'cash', algoClOrdId: clientOrderId }
}

export const ALGO_LOOKUP: Raw = { trigger: true }
export const ALGO_LIST: Raw = { trigger: true, ordType: 'conditional' }

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** The algo's client id where ccxt left none (it reads clOrdId, "" on algos and the orders they place). */
export function algoClientId(info: unknown): string | undefined {
  return info !== null && typeof info === 'object' ? text((info as Raw).algoClOrdId) : undefined
}

/**
 * A fill's client id from OKX's own reply: ccxt's okx parseTrade leaves out the clOrdId its fills carry. The
 * orders an algo places have none ("") or one OKX made up.
 */
export function okxFillClientId(info: unknown): string | undefined {
  return info !== null && typeof info === 'object' ? text((info as Raw).clOrdId) : undefined
}

export interface OkxAlgoDeps {
  ex: Exchange
  call<T>(fn: () => Promise<T>, access: 'read' | 'trade'): Promise<T>
  order(parsed: Raw): VenueOrder
}

/** The algo orders of one OKX account: look-up, cancel, and the regular orders they placed. */
export class OkxAlgos {
  /** algoId → the regular order it placed when it triggered. */
  private readonly childOf = new Map<string, string>()
  /** Regular order id → the algo that placed it (null: placed by no algo). */
  private readonly algoOf = new Map<string, { algoId: string; clientOrderId: string | null } | null>()

  constructor(private readonly deps: OkxAlgoDeps) {}

  /**
   * The algo as one order: untriggered, as OKX holds it; triggered, the regular order it placed (its fills,
   * its status) under the algo's id. Null when OKX does not know it.
   */
  async fetch(symbol: string, ref: { venueOrderId?: string; clientOrderId?: string }): Promise<VenueOrder | null> {
    const params = ref.venueOrderId ? ALGO_LOOKUP : { ...ALGO_LOOKUP, clientOrderId: ref.clientOrderId }
    let raw: Raw
    try {
      raw = (await this.deps.call(() => this.deps.ex.fetchOrder(ref.venueOrderId ?? '', symbol, params), 'read')) as unknown as Raw
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'order-not-found') return null
      throw err
    }
    const algo = this.deps.order(raw)
    const info = (raw.info ?? {}) as Raw
    const state = text(info.state)
    if (state !== 'effective' && state !== 'partially_effective') return algo
    const childId = text(info.ordId)
    // Triggered, its order not placed yet: still working.
    if (childId === undefined) return { ...algo, status: 'open' }
    this.childOf.set(algo.venueOrderId, childId)
    this.algoOf.set(childId, { algoId: algo.venueOrderId, clientOrderId: algo.clientOrderId || null })
    let child: Raw
    try {
      child = (await this.deps.call(() => this.deps.ex.fetchOrder(childId, symbol), 'read')) as unknown as Raw
    } catch (err) {
      if (err instanceof VenueError && err.kind === 'order-not-found') return { ...algo, status: 'open' }
      throw err
    }
    const placed = this.deps.order(child)
    return { ...placed, venueOrderId: algo.venueOrderId, clientOrderId: algo.clientOrderId, ...(algo.triggerPrice ? { triggerPrice: algo.triggerPrice } : {}) }
  }

  /** Cancels the algo, or the order it placed once triggered; answers with the order as it is then. */
  async cancel(symbol: string, algoId: string): Promise<VenueOrder> {
    let refused: unknown
    try {
      await this.deps.call(() => this.deps.ex.cancelOrder(algoId, symbol, ALGO_LOOKUP), 'trade')
    } catch (err) {
      // Already triggered (or gone): what it is now decides.
      refused = err
    }
    const now = await this.fetch(symbol, { venueOrderId: algoId })
    if (now === null) throw refused ?? new VenueError('order-not-found', `OKX does not know stop order ${algoId}`)
    const childId = this.childOf.get(algoId)
    if (now.status !== 'open' || refused === undefined) return now
    if (childId === undefined) throw refused
    await this.deps.call(() => this.deps.ex.cancelOrder(childId, symbol), 'trade')
    return (await this.fetch(symbol, { venueOrderId: algoId })) ?? now
  }

  /** Untriggered algos (ordType conditional: the stop-loss / take-profit orders this app places). */
  async open(symbol?: string): Promise<VenueOrder[]> {
    const rows = await this.deps.call(() => this.deps.ex.fetchOpenOrders(symbol, undefined, undefined, ALGO_LIST), 'read')
    if (!Array.isArray(rows)) throw new VenueError('bad-reply', 'OKX sent an unexpected reply for open stop orders: not a list')
    return rows.map((o) => this.deps.order(o as unknown as Raw))
  }

  /**
   * REST fills name the regular order only: those of an order an algo placed become the algo's. A fill of an
   * order not seen yet costs one look-up of that order, kept; a look-up that failed is tried again at the
   * next pass. A fill carrying one of the ids this app generates (okxFillClientId) is of our own regular
   * order and costs none; any other id may be one OKX gave the order an algo placed (OKX does not document
   * that it has none), so it is looked up like a fill without one.
   */
  async tie(fills: Fill[], symbol: string): Promise<Fill[]> {
    const out: Fill[] = []
    for (const fill of fills) {
      if (fill.clientOrderId !== null && isAppGeneratedClientOrderId(fill.clientOrderId)) {
        out.push(fill)
        continue
      }
      if (!this.algoOf.has(fill.venueOrderId)) await this.learn(fill.venueOrderId, symbol)
      const algo = this.algoOf.get(fill.venueOrderId)
      out.push(algo ? { ...fill, venueOrderId: algo.algoId, clientOrderId: algo.clientOrderId } : fill)
    }
    return out
  }

  private async learn(ordId: string, symbol: string): Promise<void> {
    try {
      const raw = (await this.deps.call(() => this.deps.ex.fetchOrder(ordId, symbol), 'read')) as unknown as Raw
      const info = (raw.info ?? {}) as Raw
      const algoId = text(info.algoId)
      this.algoOf.set(ordId, algoId === undefined ? null : { algoId, clientOrderId: algoClientId(info) ?? null })
    } catch {
      // Not known now: asked again at the next pass.
    }
  }
}
