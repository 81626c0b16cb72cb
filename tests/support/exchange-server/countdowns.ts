// Per-key countdowns for fault knobs such as "skip the next n book updates of this market".

export class Countdowns {
  private readonly counts = new Map<string, number>()

  /** Adds `n` to the key's count. */
  add(key: string, n: number): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n)
  }

  /** Uses up one of the key's count; false when there is none left. */
  take(key: string): boolean {
    const n = this.counts.get(key) ?? 0
    if (n <= 0) return false
    if (n === 1) this.counts.delete(key)
    else this.counts.set(key, n - 1)
    return true
  }

  /** What is left of the key's count (0 once used up). */
  left(key: string): number {
    return this.counts.get(key) ?? 0
  }

  clear(): void {
    this.counts.clear()
  }
}
