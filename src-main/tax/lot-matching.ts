import { fixedArith as ar } from '../portfolio/arith'
import type { Acquisition, Disposal, MatchedPart, MatchWarnings } from './disposals'
import { splitFlows } from './disposals'
import type { Flow } from './flows'

// Matching a disposal to lots, by method:
//   fifo     the oldest lots first
//   lifo     the newest lots first
//   hifo     the lots with the highest cost per unit first (ties: the older first) — a binary heap, so a
//            disposal costs O(log n) per lot it touches, not a scan of every open lot
//   average  the cost of all units held, pooled; the holding period of the units sold still comes from
//            their acquisition dates, oldest first (so a sale can be part short-, part long-term)
// A lot partly sold keeps its cost per unit: the part's cost is lot cost × part ÷ lot amount, exact to
// 18 places. Units sold beyond the holdings have no cost basis: a part at cost 0 (the report warns).

export type LotMethod = 'fifo' | 'lifo' | 'hifo' | 'average'

interface Lot {
  t: number
  amount: bigint
  cost: bigint
  account?: string
  unpriced?: boolean
}

/** A matched part of a lot valued without a price says so. */
const flag = (lot: Lot): { unpriced?: true } => (lot.unpriced ? { unpriced: true } : {})

/** Higher unit cost first, then older: a.cost/a.amount > b.cost/b.amount, cross-multiplied (exact). */
function before(a: Lot, b: Lot): boolean {
  const l = a.cost * b.amount
  const r = b.cost * a.amount
  return l !== r ? l > r : a.t < b.t
}

class HifoHeap {
  private readonly items: Lot[] = []

  get size(): number {
    return this.items.length
  }

  top(): Lot | undefined {
    return this.items[0]
  }

  /** Every lot in the heap (in no particular order). */
  all(): Lot[] {
    return [...this.items]
  }

  push(lot: Lot): void {
    const h = this.items
    h.push(lot)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(h[i] as Lot, h[parent] as Lot)) break
      ;[h[i], h[parent]] = [h[parent] as Lot, h[i] as Lot]
      i = parent
    }
  }

  pop(): void {
    const h = this.items
    const last = h.pop() as Lot
    if (h.length === 0) return
    h[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let best = i
      if (l < h.length && before(h[l] as Lot, h[best] as Lot)) best = l
      if (r < h.length && before(h[r] as Lot, h[best] as Lot)) best = r
      if (best === i) return
      ;[h[i], h[best]] = [h[best] as Lot, h[i] as Lot]
      i = best
    }
  }
}

/** One asset's open lots under one method. */
export class Lots {
  private readonly queue: Lot[] = []
  private head = 0
  private readonly heap = new HifoHeap()
  // average: the pooled totals (queue then only dates the units).
  private poolAmount = 0n
  private poolCost = 0n
  /**
   * Units held with no known cost basis (moved in from an account that had no record of buying them):
   * matched only once every known lot is used, as a 'no-cost-basis' part — the same outcome one pool gives.
   */
  private unknown = 0n

  constructor(private readonly method: LotMethod) {}

  add(a: Acquisition & { unknown?: boolean }): void {
    if (a.unknown) {
      this.unknown += a.amount
      return
    }
    const lot: Lot = { t: a.t, amount: a.amount, cost: a.cost, ...(a.account === undefined ? {} : { account: a.account }), ...(a.unpriced ? { unpriced: true } : {}) }
    if (this.method === 'hifo') this.heap.push(lot)
    else this.insertByTime(lot)
    if (this.method === 'average') {
      this.poolAmount += a.amount
      this.poolCost += a.cost
    }
  }

  /**
   * Keeps the queue in acquisition order. Acquisitions come in time order, except lots moved in from
   * another account (per-account matching), which keep their older dates.
   */
  private insertByTime(lot: Lot): void {
    const q = this.queue
    if (q.length === this.head || (q[q.length - 1] as Lot).t <= lot.t) {
      q.push(lot)
      return
    }
    let lo = this.head
    let hi = q.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((q[mid] as Lot).t <= lot.t) lo = mid + 1
      else hi = mid
    }
    q.splice(lo, 0, lot)
  }

  /** Takes `qty` units; returns the parts matched and the units left without a cost basis. */
  take(qty: bigint): { parts: MatchedPart[]; missing: bigint } {
    const known = this.method === 'average' ? this.takeAverage(qty) : this.takeLots(qty)
    if (known.missing === 0n || this.unknown === 0n) return known
    const part = known.missing < this.unknown ? known.missing : this.unknown
    this.unknown -= part
    known.parts.push({ amount: part, cost: 0n, acquiredAt: null, rule: 'no-cost-basis' })
    return { parts: known.parts, missing: known.missing - part }
  }

  /**
   * The units still held, oldest first, each with its cost (average: its share of the pooled cost); units
   * without a known cost basis last, flagged.
   */
  openLots(atTime: number): (Lot & { unknown: boolean })[] {
    const open = this.method === 'hifo' ? this.heap.all() : this.queue.slice(this.head)
    const lots = open.map((l) => ({ ...l, unknown: false })).sort((a, b) => a.t - b.t)
    if (this.method === 'average' && this.poolAmount > 0n) {
      let costLeft = this.poolCost
      lots.forEach((l, i) => {
        l.cost = i === lots.length - 1 ? costLeft : ar.mulDiv(this.poolCost, l.amount, this.poolAmount)
        costLeft -= l.cost
      })
    }
    if (this.unknown > 0n) lots.push({ t: atTime, amount: this.unknown, cost: 0n, unknown: true })
    return lots
  }

  private takeLots(qty: bigint): { parts: MatchedPart[]; missing: bigint } {
    const parts: MatchedPart[] = []
    let left = qty
    while (left > 0n) {
      const lot = this.next()
      if (!lot) break
      if (lot.amount <= left) {
        parts.push({ amount: lot.amount, cost: lot.cost, acquiredAt: lot.t, rule: this.method, ...flag(lot) })
        left -= lot.amount
        this.drop()
      } else {
        const cost = ar.mulDiv(lot.cost, left, lot.amount)
        parts.push({ amount: left, cost, acquiredAt: lot.t, rule: this.method, ...flag(lot) })
        lot.cost -= cost
        lot.amount -= left
        left = 0n
      }
    }
    return { parts, missing: left }
  }

  private next(): Lot | undefined {
    if (this.method === 'hifo') return this.heap.top()
    if (this.method === 'lifo') return this.queue.length > this.head ? this.queue[this.queue.length - 1] : undefined
    return this.queue[this.head]
  }

  private drop(): void {
    if (this.method === 'hifo') this.heap.pop()
    else if (this.method === 'lifo') this.queue.pop()
    else this.advance()
  }

  private advance(): void {
    this.head++
    // Drop consumed lots now and then so a long history does not keep them all.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
  }

  private takeAverage(qty: bigint): { parts: MatchedPart[]; missing: bigint } {
    const taken = qty < this.poolAmount ? qty : this.poolAmount
    const missing = qty - taken
    if (taken === 0n) return { parts: [], missing }
    const costOut = taken === this.poolAmount ? this.poolCost : ar.mulDiv(this.poolCost, taken, this.poolAmount)
    this.poolAmount -= taken
    this.poolCost -= costOut
    // Date the units oldest first; share the pooled cost among the dated parts pro rata, the last taking the rest.
    const parts: MatchedPart[] = []
    let left = taken
    let costLeft = costOut
    while (left > 0n) {
      const lot = this.queue[this.head] as Lot
      const part = lot.amount <= left ? lot.amount : left
      const last = part === left
      const cost = last ? costLeft : ar.mulDiv(costOut, part, taken)
      parts.push({ amount: part, cost, acquiredAt: lot.t, rule: 'average', ...flag(lot) })
      costLeft -= cost
      left -= part
      if (part === lot.amount) this.advance()
      else lot.amount -= part
    }
    return { parts, missing }
  }
}

/** Every disposal of one asset, matched under `method`. */
export function matchLots(asset: string, flows: readonly Flow[], method: LotMethod, warnings: MatchWarnings, nextId: () => number): Disposal[] {
  const lots = new Lots(method)
  const out: Disposal[] = []
  splitFlows(asset, flows, warnings, {
    acquire: (a) => lots.add(a),
    dispose: (d) => {
      const { parts, missing } = lots.take(d.amount)
      if (missing > 0n) parts.push({ amount: missing, cost: 0n, acquiredAt: null, rule: 'no-cost-basis' })
      out.push({ ...d, id: nextId(), parts })
    },
  })
  return out
}
