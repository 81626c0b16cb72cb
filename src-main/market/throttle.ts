import type { CoalescerClock } from './view-coalescer'

/**
 * Runs `send` at most once per `intervalMs`: at once when the interval has passed since the last send,
 * otherwise once when it has (requests meanwhile join that one). `send` returns whether it sent
 * anything; only a real send starts a new interval.
 */
export class Throttle {
  private timer: unknown = null
  private lastSentAt = -Infinity

  constructor(
    private readonly clock: CoalescerClock,
    private readonly intervalMs: number,
    private readonly send: () => boolean,
  ) {}

  request(): void {
    if (this.timer !== null) return
    const wait = this.lastSentAt + this.intervalMs - this.clock.now()
    if (wait <= 0) this.fire()
    else
      this.timer = this.clock.setTimeout(() => {
        this.timer = null
        this.fire()
      }, wait)
  }

  cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
  }

  private fire(): void {
    if (this.send()) this.lastSentAt = this.clock.now()
  }
}
