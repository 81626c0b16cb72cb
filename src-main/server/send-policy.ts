// How much the engine queues for one tab that reads slowly or not at all. Without a cap a stalled tab
// (frozen, or a laptop asleep behind an SSH tunnel) made the engine hold ~470 MB more every hour.

/** Over this many queued bytes, stream events for the socket are skipped (replies to commands still go). */
export const SOFT_BUFFER_BYTES = 4 * 1024 * 1024
/** Over this many, the socket is cut: it is not draining, and the tab reconnects when it wakes. */
export const HARD_BUFFER_BYTES = 16 * 1024 * 1024

export type SendDecision = 'send' | 'skip' | 'terminate'

export function sendDecision(bufferedBytes: number, kind: 'event' | 'reply'): SendDecision {
  if (bufferedBytes > HARD_BUFFER_BYTES) return 'terminate'
  if (kind === 'event' && bufferedBytes > SOFT_BUFFER_BYTES) return 'skip'
  return 'send'
}
