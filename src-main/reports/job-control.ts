import { AppError } from '../api/errors'

// A report job's cancel flag and its count of work done, in shared memory: the engine's thread sets the flag
// while the job runs on the report worker's thread, and the job sees it at its next step without waiting for
// a message (a synchronous computation reads no messages). The engine's side also hears the cancel at once
// (onCancel), so the caller's answer does not wait for the job to notice.

export type CancelReason = 'canceled' | 'superseded'

const RUNNING = 0
const REASONS: readonly CancelReason[] = ['canceled', 'superseded']

export const SUPERSEDED_MESSAGE = 'superseded by a newer request'
export const CANCELED_MESSAGE = 'canceled at your request'

export function canceledError(reason: CancelReason): AppError {
  return new AppError('CANCELED', reason === 'superseded' ? SUPERSEDED_MESSAGE : CANCELED_MESSAGE)
}

export class JobControl {
  /** [0]: 0 running, else 1 + the index of the reason in REASONS; [1]: steps done. */
  private readonly cells: Int32Array
  private readonly listeners: ((err: AppError) => void)[] = []

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.cells = new Int32Array(buffer)
  }

  /** Why the job was stopped, or null while it may run. */
  get reason(): CancelReason | null {
    const state = Atomics.load(this.cells, 0)
    return state === RUNNING ? null : (REASONS[state - 1] ?? 'canceled')
  }

  /** Chunks of work the job got through (its checkpoints passed). */
  get steps(): number {
    return Atomics.load(this.cells, 1)
  }

  /** Stops the job; the first reason given stands. */
  cancel(reason: CancelReason): void {
    if (Atomics.compareExchange(this.cells, 0, RUNNING, REASONS.indexOf(reason) + 1) !== RUNNING) return
    const err = canceledError(reason)
    for (const listener of this.listeners.splice(0)) listener(err)
  }

  onCancel(listener: (err: AppError) => void): void {
    const reason = this.reason
    if (reason) listener(canceledError(reason))
    else this.listeners.push(listener)
  }

  /** A checkpoint between chunks of work: counts one and throws CANCELED once the job was stopped. */
  step(): void {
    Atomics.add(this.cells, 1, 1)
    const reason = this.reason
    if (reason) throw canceledError(reason)
  }
}
