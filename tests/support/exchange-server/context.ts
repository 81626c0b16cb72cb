import type { MatchingEngine, SimOrder } from '../../../src-main/venues/sim/engine-api'

// The exchange-neutral part of a server's shared state: the engine, auth, faults and clock, the channel
// through which orders the server makes up itself (never held by the engine) reach the streams, and the
// asset list. Each exchange's context.ts extends it with its market table, id mapping and formatting.

export class EngineContext<Auth, Faults> {
  private readonly syntheticListeners: ((accountId: string, order: SimOrder) => void)[] = []

  constructor(
    readonly engine: MatchingEngine,
    readonly auth: Auth,
    readonly faults: Faults,
    readonly now: () => number,
  ) {}

  /** Orders the server made up reach the streams through here. */
  onSynthetic(listener: (accountId: string, order: SimOrder) => void): void {
    this.syntheticListeners.push(listener)
  }

  emitSynthetic(accountId: string, order: SimOrder): void {
    for (const l of this.syntheticListeners) l(accountId, order)
  }

  /** Every base and quote asset of the engine's markets, sorted. */
  assets(): string[] {
    const set = new Set<string>()
    for (const spec of this.engine.markets()) {
      set.add(spec.base)
      set.add(spec.quote)
    }
    return [...set].sort()
  }
}
