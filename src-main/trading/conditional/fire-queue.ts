import type { Leg } from './legs'

// What the ticks of one turn decided, waiting for its one write.
//
// A tick only decides: the trigger index found the crossed legs (they left the index), the engine marked
// each triggered in memory with its client order id and canceled its OCO partner in memory (out of the
// index too), so no later tick — in this turn or after — can fire either of them again. Right after the
// tick handling (a microtask by default: after this market-data message's listeners, before the next
// message) one settle writes everything the batch decided in one SQLite transaction, then sends the
// orders. So a crash before that write leaves the rows armed (re-armed at start; nothing was sent), and a
// crash after it leaves them triggered with their client ids (sent again at start with the same ids).

/** Runs `fn` soon, after the current synchronous work (never synchronously). */
export type Defer = (fn: () => void) => void

const resolved = Promise.resolve()

/**
 * The default Defer: a microtask through an already resolved promise. (Node's queueMicrotask makes an
 * AsyncResource per call — several µs more on the tick that fires, measured in the trigger bench.)
 * `fn` must not throw (the engine's drain catches and logs).
 */
export const microtask: Defer = (fn) => {
  void resolved.then(fn)
}

export interface FireBatch {
  /** Legs that fired, in the order they fired (status 'triggered', client id set, not yet written). */
  readonly fired: Leg[]
  /** partners[i]: the OCO partner fired[i] canceled (not yet written), or null. */
  readonly partners: (Leg | null)[]
  /** refs[i]: a trailing stop's reference when it fired, in index units (NaN for the others). */
  readonly refs: number[]
  /** Trailing stops that started trailing (activation not yet written). */
  readonly started: Leg[]
}

export class FireQueue {
  private batch: FireBatch = { fired: [], partners: [], refs: [], started: [] }
  private scheduled = false
  private readonly runScheduled = (): void => {
    this.scheduled = false
    this.settle()
  }

  constructor(
    private readonly defer: Defer,
    /** Takes the batch and settles it (the engine's write → submit → announce). */
    private readonly settle: () => void,
  ) {}

  get pending(): boolean {
    const b = this.batch
    return b.fired.length > 0 || b.started.length > 0
  }

  fire(leg: Leg, partner: Leg | null, ref: number): void {
    this.batch.fired.push(leg)
    this.batch.partners.push(partner)
    this.batch.refs.push(ref)
    this.schedule()
  }

  start(leg: Leg): void {
    this.batch.started.push(leg)
    this.schedule()
  }

  /** The batch so far (the queue starts a new one); null when nothing is pending. */
  take(): FireBatch | null {
    if (!this.pending) return null
    const b = this.batch
    this.batch = { fired: [], partners: [], refs: [], started: [] }
    return b
  }

  /** Forget what is pending (the engine stopped without settling: as a crash, the rows stay armed). */
  clear(): void {
    this.batch = { fired: [], partners: [], refs: [], started: [] }
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    this.defer(this.runScheduled)
  }
}
