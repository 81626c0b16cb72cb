// The order ticket's idempotency key: one per order (or conditional order) the ticket means to place. Made
// when a form is first sent, kept while the very same form is sent again after the connection dropped
// before its answer (OUTCOME_UNKNOWN), so the engine answers with what it placed then instead of placing it
// twice. An answer, a refusal or an edit ends it: the next send is a new order with a new key.

export interface TicketIntent {
  key: string
  /** The command and input the key was made for (inputKey): another input gets another key. */
  input: string
}

/** The message under the ticket after OUTCOME_UNKNOWN: a resend of the same ticket carries the same key. */
export const RESEND_IS_SAFE =
  'The connection dropped after this was sent: it may have been placed. Sending this ticket again unchanged is safe: it will not place a second order.'

/** The intent for this input: the kept one when it was made for the same input, else a new one. */
export function intentFor(kept: TicketIntent | null, input: string): TicketIntent {
  return kept !== null && kept.input === input ? kept : { key: newKey(), input }
}

/** "t-" and 32 hex digits (128 random bits); getRandomValues also works where randomUUID does not (plain http). */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `t-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}
