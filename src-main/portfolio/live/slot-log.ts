import { FIVE_MIN } from './periods'

// Amounts over time (realized P&L of one position, net deposits of one account), summed per 5-minute slot.
// Periods start on a 5-minute boundary (or a coarser one), so "the sum from the period's start on" is
// exact from the slots: total − the cumulative sum before the first slot at or after the start.

export class SlotLog {
  private readonly starts: number[] = []
  private readonly cumulative: bigint[] = []

  get total(): bigint {
    return this.cumulative.length === 0 ? 0n : (this.cumulative[this.cumulative.length - 1] as bigint)
  }

  add(t: number, amount: bigint): void {
    if (amount === 0n) return
    const slot = Math.floor(t / FIVE_MIN) * FIVE_MIN
    const n = this.starts.length
    const last = n === 0 ? Number.NEGATIVE_INFINITY : (this.starts[n - 1] as number)
    if (slot === last) {
      this.cumulative[n - 1] = (this.cumulative[n - 1] as bigint) + amount
    } else if (slot > last) {
      this.starts.push(slot)
      this.cumulative.push(this.total + amount)
    } else {
      // An entry that arrived after later ones (another account's older fill): rare, O(n).
      const i = this.firstAtOrAfter(slot)
      if (this.starts[i] !== slot) {
        this.starts.splice(i, 0, slot)
        this.cumulative.splice(i, 0, i === 0 ? 0n : (this.cumulative[i - 1] as bigint))
      }
      for (let j = i; j < this.cumulative.length; j++) this.cumulative[j] = (this.cumulative[j] as bigint) + amount
    }
  }

  /** The sum of everything at or after `start` (null start: everything). */
  since(start: number | null): bigint {
    if (start === null) return this.total
    const i = this.firstAtOrAfter(start)
    return i === 0 ? this.total : this.total - (this.cumulative[i - 1] as bigint)
  }

  /** The sum of everything up to and including `t`. */
  upTo(t: number): bigint {
    const i = this.firstAtOrAfter(Math.floor(t / FIVE_MIN) * FIVE_MIN + FIVE_MIN)
    return i === 0 ? 0n : (this.cumulative[i - 1] as bigint)
  }

  private firstAtOrAfter(t: number): number {
    let lo = 0
    let hi = this.starts.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.starts[mid] as number) < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
