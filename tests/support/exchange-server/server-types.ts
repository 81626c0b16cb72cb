import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'

// What starting a local exchange server takes and what it gives back, apart from the exchange's own parts.

/** `Account` and `Timings` are the exchange's. */
export interface ExchangeServerOptions<Account, Timings> {
  engine: MatchingEngine
  accounts: Account[]
  /** 0 (default) picks a free port. */
  port?: number
  /** Server clock for the time endpoint, timestamps and signature windows. Defaults to engine.now(). */
  now?: () => number
  /** Stream cadences; defaults are the exchange's. */
  timings?: Partial<Timings>
}

/** A running server; each exchange adds its WebSocket URLs. */
export interface ExchangeServer<Faults> {
  /** http://127.0.0.1:<port> */
  restUrl: string
  port: number
  faults: Faults
  close(): Promise<void>
}
