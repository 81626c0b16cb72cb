// The naive trigger check, the reference the trigger index is measured and tested against: every tick
// looks at every order (of every market) and evaluates it from scratch, with the semantics written in
// src-main/trading/conditional/semantics.ts. Prices are integer units, as in the index.
// Not a bench itself (no `run` export): the runner imports it and skips it.
import Decimal from 'decimal.js'

export interface NaiveOrder {
  /** Market number (the bench's 0..49; one market in the unit tests). */
  market: number
  /** Trigger source 0..3 (last, bid, ask, mid). */
  source: number
  kind: 'level' | 'trail'
  /** level: fires when price ≥ units ('up') or ≤ units ('down'). */
  dir: 'up' | 'down'
  units: number
  /** trail */
  side: 'sell' | 'buy'
  pct: number
  factor: Decimal | null
  factorF: number
  dist: number
  activation: number
  /** NaN until trailing. */
  ref: number
  /** Set by the tick that started the trail (reported once in `started`). */
  justStarted: boolean
  id: number
  alive: boolean
}

export function naiveLevel(id: number, market: number, source: number, units: number, dir: 'up' | 'down'): NaiveOrder {
  return { id, market, source, kind: 'level', dir, units, side: 'sell', pct: NaN, factor: null, factorF: NaN, dist: NaN, activation: NaN, ref: NaN, justStarted: false, alive: true }
}

export function naiveTrail(
  id: number,
  market: number,
  source: number,
  side: 'sell' | 'buy',
  spec: { percent?: string; distance?: number; activation?: number; reference?: number },
): NaiveOrder {
  const pct = spec.percent === undefined ? NaN : Number(spec.percent)
  const factor =
    spec.percent === undefined ? null : side === 'sell' ? new Decimal(1).minus(new Decimal(spec.percent).div(100)) : new Decimal(1).plus(new Decimal(spec.percent).div(100))
  return {
    id,
    market,
    source,
    kind: 'trail',
    dir: 'up',
    units: NaN,
    side,
    pct,
    factor,
    factorF: factor === null ? NaN : factor.toNumber(),
    dist: spec.distance ?? NaN,
    activation: spec.activation ?? NaN,
    ref: spec.reference ?? NaN,
    justStarted: false,
    alive: true,
  }
}

export class NaiveScan {
  readonly orders: NaiveOrder[] = []

  add(o: NaiveOrder): void {
    this.orders.push(o)
  }

  remove(o: NaiveOrder): void {
    o.alive = false
    const i = this.orders.indexOf(o)
    if (i >= 0) {
      this.orders[i] = this.orders[this.orders.length - 1] as NaiveOrder
      this.orders.pop()
    }
  }

  /**
   * One tick of `market` whose source prices are `values` (NaN = none); `changed[s]` says which sources
   * moved (the index only looks at those too). Fired orders are removed and pushed to `fired`; trails
   * that start trailing are pushed to `started`.
   */
  apply(market: number, values: Float64Array, changed: readonly boolean[], fired: NaiveOrder[], started: NaiveOrder[]): void {
    const orders = this.orders
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as NaiveOrder
      if (o.market !== market || !changed[o.source]) continue
      const v = values[o.source] as number
      if (Number.isNaN(v)) continue
      if (naiveEvaluate(o, v)) {
        fired.push(o)
        o.alive = false
        orders[i] = orders[orders.length - 1] as NaiveOrder
        orders.pop()
        i--
      } else if (o.justStarted) {
        o.justStarted = false
        started.push(o)
      }
    }
  }
}

/** Does price v fire o (updating a trail's reference / activation on the way)? */
export function naiveEvaluate(o: NaiveOrder, v: number): boolean {
  if (o.kind === 'level') return o.dir === 'up' ? v >= o.units : v <= o.units
  const sell = o.side === 'sell'
  if (Number.isNaN(o.ref)) {
    const go = Number.isNaN(o.activation) || (sell ? v >= o.activation : v <= o.activation)
    if (go) {
      o.ref = v
      o.justStarted = true
    }
    return false
  }
  if (sell ? v > o.ref : v < o.ref) o.ref = v
  if (!Number.isNaN(o.dist)) return sell ? v <= o.ref - o.dist : v >= o.ref + o.dist
  const trigger = o.ref * o.factorF
  const slack = Math.abs(trigger) * 1e-12
  if (sell ? v < trigger - slack : v > trigger + slack) return true
  if (sell ? v > trigger + slack : v < trigger - slack) return false
  const exact = new Decimal(o.ref).times(o.factor as Decimal)
  return sell ? exact.gte(v) : exact.lte(v)
}
