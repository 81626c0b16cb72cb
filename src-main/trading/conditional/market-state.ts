import type { MarketInfo } from '../../venues/port'
import type { Leg, LegMarket } from './legs'
import { SourceIndex } from './trigger-index'
import { toUnits, unitScale, unitsToText, type UnitScale } from './units'

// One watched market inside the conditional engine: its latest prices per trigger source (as the venue's
// text and as exact units), the book's health, and one trigger index per source in use. Sources are
// numbered 0 last, 1 bid, 2 ask, 3 mid (semantics.ts sourceIndexOf).

export type Health = 'live' | 'resyncing' | 'stale'

export class MarketState implements LegMarket {
  readonly scale: UnitScale
  /** Active legs (armed, waiting, triggered) of this market. */
  readonly legs = new Set<Leg>()
  readonly indexes: (SourceIndex<Leg> | null)[] = [null, null, null, null]
  readonly texts: (string | null)[] = [null, null, null, null]
  readonly values = new Float64Array([NaN, NaN, NaN, NaN])
  /** null until the first tick. */
  health: Health | null = null
  healthReason: string | null = null
  stopWatch: (() => void) | null = null
  /** No longer watched (the engine let go of it or stopped): late ticks are ignored. */
  released = false
  /** Creations in progress that keep the watch even with no leg yet. */
  holds = 0
  /** Prices moved since the last live emission. */
  moved = false
  /** Called after every tick (creations waiting for a first live price). */
  readonly waiters = new Set<() => void>()

  constructor(
    readonly key: string,
    readonly venueId: string,
    readonly symbol: string,
    readonly info: MarketInfo,
  ) {
    this.scale = unitScale(info.tickSize)
  }

  index(source: number): SourceIndex<Leg> {
    let idx = this.indexes[source]
    if (idx === null || idx === undefined) this.indexes[source] = idx = new SourceIndex<Leg>()
    return idx
  }

  private midText: string | null = null
  private midFor = NaN

  /** Current price text of a source (null when unknown). */
  priceText(source: number): string | null {
    if (source < 3) return this.texts[source] ?? null
    const v = this.values[3] as number
    if (Number.isNaN(v)) return null
    if (v !== this.midFor) {
      this.midFor = v
      this.midText = unitsToText(v, this.scale)
    }
    return this.midText
  }

  /**
   * Set a source's price from a tick; applies it to that source's index when it changed (or `force`).
   * Returns nothing; fired / started legs are pushed to the arrays.
   */
  setPrice(source: number, text: string | null, force: boolean, fired: Leg[], started: Leg[]): void {
    if (text === this.texts[source] && !force) return
    if (text === null) {
      this.texts[source] = null
      this.values[source] = NaN
      return
    }
    const v = toUnits(text, this.scale.digits)
    if (Number.isNaN(v)) return
    this.texts[source] = text
    const changed = v !== this.values[source]
    this.values[source] = v
    if (changed) this.moved = true
    if (changed || force) this.applyValue(source, v, fired, started)
  }

  /** The mid from the current bid and ask. */
  setMid(force: boolean, fired: Leg[], started: Leg[]): void {
    const b = this.values[1] as number
    const a = this.values[2] as number
    const v = Number.isNaN(b) || Number.isNaN(a) ? NaN : (a + b) / 2
    const prev = this.values[3] as number
    if (Number.isNaN(v)) {
      this.values[3] = NaN
      return
    }
    if (v === prev && !force) return
    this.values[3] = v
    this.moved = true
    this.applyValue(3, v, fired, started)
  }

  /** Apply every known price to its index again (new legs just armed, or a book live again). */
  applyAll(fired: Leg[], started: Leg[]): void {
    for (let s = 0; s < 4; s++) {
      const v = this.values[s] as number
      if (!Number.isNaN(v)) this.applyValue(s, v, fired, started)
    }
  }

  private applyValue(source: number, v: number, fired: Leg[], started: Leg[]): void {
    const idx = this.indexes[source]
    if (idx !== null && idx !== undefined && idx.size > 0) idx.apply(v, fired, started)
  }
}

export function marketKey(venueId: string, symbol: string): string {
  return `${venueId}\u0000${symbol}`
}
