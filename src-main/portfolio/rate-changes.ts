// The stored rates a rates file corrected, in words: for the CLI's answer and the audit log.

export interface RateChanges {
  changed: number
  /** The first of them, each with its pair, its day (ms, UTC), the stored rate and the file's. */
  changes: readonly { pair: string; at: number; from: string; to: string }[]
}

/** "2 changed (GBP/USD on 2024-02-01: 12.712 → 1.2712, …)"; '' when none changed. */
export function describeRateChanges(r: RateChanges): string {
  if (r.changed === 0) return ''
  const listed = r.changes.map((c) => `${c.pair} on ${new Date(c.at).toISOString().slice(0, 10)}: ${c.from} → ${c.to}`)
  return `${r.changed} changed (${listed.join(', ')}${r.changed > listed.length ? ', …' : ''})`
}
