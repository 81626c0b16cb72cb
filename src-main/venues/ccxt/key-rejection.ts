import { KeyRejectedError, type VenueError, type VenueErrorKind } from '../port'

// When the exchange has refused an account's API key (revoked, mistyped, wrong secret, this computer's IP
// off the key's whitelist), asking again changes nothing until the user fixes the key, and an exchange
// asked over and over with a bad key may ban the IP. So one such refusal stops the account's private
// requests and streams, and its status says what to do.

/** Refusals of the key itself, whatever was asked. */
const KEY_REFUSED = new Set<VenueErrorKind>(['invalid-key', 'invalid-signature', 'ip-not-allowed'])

/**
 * Whether this refusal means the exchange rejects the key. A private stream (orders, fills) needs nothing
 * but a working key, so a missing permission there (Binance's -2015 once the key has worked: revoked) is one
 * too; for a request it may be that one endpoint's permission (a history the key may not read), not the key.
 */
export function rejectsKey(error: VenueError, on: 'stream' | 'request'): boolean {
  return KEY_REFUSED.has(error.kind) || (on === 'stream' && error.kind === 'permission-denied')
}

/** The error every later private request or watch gets: the exchange's words and what to do. */
export function keyRejection(error: VenueError): KeyRejectedError {
  return new KeyRejectedError(error.kind, `The exchange rejected the API key: ${error.message} — update the key in Accounts`, error)
}
