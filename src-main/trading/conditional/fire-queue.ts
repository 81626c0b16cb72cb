import type { Leg } from './legs'
import { objectArray } from './array-kinds'

// What the ticks of one turn decided, waiting for its one write.
//
// A tick only decides: the trigger index found the crossed legs (they left the index, so no later tick can
// fire them again) and the engine queued them here, touching nothing else. Right after the tick handling
// (a microtask by default: after this market-data message's listeners, before the next message) one
// settle goes through the batch in firing order — a leg canceled since, or whose OCO partner fired before
// it, is dropped; the others are marked triggered with their client ids and cancel their partners — writes
// all of it in one SQLite transaction, then sends the orders. So a crash before that write leaves the rows
// armed (re-armed at start; nothing was sent), and a crash after it leaves them triggered with their client
// ids (sent again at start with the same ids).

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
  /** Legs the index fired, in the order they fired (still armed; the settle decides). */
  readonly fired: Leg[]
  /** Trailing stops that started trailing (activation not yet written). */
  readonly started: Leg[]
}

export class FireQueue {
  private batch = newBatch()
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

  /**
   * The batch being filled: the trigger index pushes what a price fires or starts straight into it (no
   * copy on the tick), and the caller then calls queued().
   */
  get current(): FireBatch {
    return this.batch
  }

  /** Something was pushed into `current`: settle it soon. */
  queued(): void {
    this.schedule()
  }

  /**
   * The tick handler's queued(): called on every tick with the size `current` had before the tick, it
   * schedules the settle when the tick pushed something. Called on every tick, not only on the rare one
   * that fires, so V8 compiles it into the handler: a call made only on firing ticks stays in V8's
   * baseline tier (too rare to be optimised or inlined), and each of its levels (queued → schedule →
   * defer) costed about a µs of cold inline-cache reads on the tick that fires (trigger bench).
   */
  queuedSince(before: number): void {
    const b = this.batch
    if (b.fired.length + b.started.length === before || this.scheduled) return
    this.scheduled = true
    if (this.defer === microtask) void resolved.then(this.runScheduled)
    else this.defer(this.runScheduled)
  }

  /** The batch so far (the queue starts a new one); null when nothing is pending. */
  take(): FireBatch | null {
    if (!this.pending) return null
    const b = this.batch
    this.batch = newBatch()
    return b
  }

  /** Forget what is pending (the engine stopped without settling: as a crash, the rows stay armed). */
  clear(): void {
    this.batch = newBatch()
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    this.defer(this.runScheduled)
  }
}

function newBatch(): FireBatch {
  return { fired: objectArray(), started: objectArray() }
}
