// The exchange process's copy of each market's top levels, kept from the depth messages it sends, so that
// noting "the book right after message u" costs a small sort rather than a formatted engine snapshot per send.

type Side = Map<number, number>

export class BookMirror {
  private readonly bids: Side = new Map()
  private readonly asks: Side = new Map()

  /** Seeds from a full snapshot (string levels, as the engine gives them). */
  constructor(snapshot: { bids: [string, string][]; asks: [string, string][] }) {
    for (const [p, q] of snapshot.bids) this.bids.set(Number(p), Number(q))
    for (const [p, q] of snapshot.asks) this.asks.set(Number(p), Number(q))
  }

  /** Applies a depth message's changed levels (quantity 0 removes the level). */
  apply(b: [string, string][], a: [string, string][]): void {
    for (const [side, levels] of [
      [this.bids, b],
      [this.asks, a],
    ] as const) {
      for (const [p, q] of levels) {
        const qty = Number(q)
        if (qty === 0) side.delete(Number(p))
        else side.set(Number(p), qty)
      }
    }
  }

  /** JSON of [top bids, top asks] as [price, size] number pairs: the same text a book frame's levels give. */
  topKey(depth: number): string {
    return JSON.stringify([top(this.bids, depth, -1), top(this.asks, depth, 1)])
  }
}

function top(side: Side, depth: number, order: 1 | -1): [number, number][] {
  const prices = [...side.keys()].sort((x, y) => (x - y) * order).slice(0, depth)
  return prices.map((p) => [p, side.get(p)!])
}
