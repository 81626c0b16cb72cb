import type { CoalescerClock } from '../../src-main/market/view-coalescer'

/** A manual clock with timers, for deterministic tests of anything that schedules (coalescers, feeds). */
export class FakeClock implements CoalescerClock {
  private seq = 0
  private timers = new Map<number, { at: number; fn: () => void }>()

  constructor(public t = 0) {}

  now(): number {
    return this.t
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.t + ms, fn })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }
  get pending(): number {
    return this.timers.size
  }
  /** Move time forward to `to`, firing due timers in order. */
  advance(to: number): void {
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const e of this.timers) if (e[1].at <= to && (next === undefined || e[1].at < next[1].at)) next = e
      if (next === undefined) break
      this.timers.delete(next[0])
      this.t = Math.max(this.t, next[1].at)
      next[1].fn()
    }
    this.t = Math.max(this.t, to)
  }
}
