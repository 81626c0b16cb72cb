// When to stop believing a Kraken book's checksum. A book that drifted from the exchange fails its checksum
// after it had matched; a book that fails right away, snapshot after fresh snapshot, is far more likely
// written with other decimals than Kraken's (a pair whose precision differs from what this app was told)
// than corrupt each time — and resyncing it would go on without end, the book never live. So after
// FRESH_FAILURES_LIMIT fresh books in a row fail before any message of theirs matched, the symbol's
// checksum is not checked again for the session: the book stays live, as it would without a checksum.

export const FRESH_FAILURES_LIMIT = 3

export type Verdict = 'deliver' | 'resync' | 'stop-checking'

interface SymbolTrust {
  /** A message of the current book (since its snapshot) matched its checksum. */
  matched: boolean
  /** Fresh books in a row that failed before any message of theirs matched. */
  freshFailures: number
  off: boolean
}

export class ChecksumTrust {
  private readonly bySymbol = new Map<string, SymbolTrust>()

  private of(symbol: string): SymbolTrust {
    let t = this.bySymbol.get(symbol)
    if (!t) this.bySymbol.set(symbol, (t = { matched: false, freshFailures: 0, off: false }))
    return t
  }

  /** Whether the symbol's checksum is still checked. */
  checks(symbol: string): boolean {
    return !this.of(symbol).off
  }

  /** A fresh snapshot replaced the symbol's book. */
  snapshot(symbol: string): void {
    this.of(symbol).matched = false
  }

  /** What to do with a book whose checksum did or did not match. */
  verdict(symbol: string, matches: boolean): Verdict {
    const t = this.of(symbol)
    if (matches) {
      t.matched = true
      t.freshFailures = 0
      return 'deliver'
    }
    if (t.matched) return 'resync'
    t.freshFailures += 1
    if (t.freshFailures < FRESH_FAILURES_LIMIT) return 'resync'
    t.off = true
    return 'stop-checking'
  }
}
