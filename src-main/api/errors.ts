// Error codes every door returns in `{ ok: false, error: { code, message } }`. Messages are for people;
// codes are for code. A handler throws AppError for an expected failure; anything else becomes INTERNAL
// and its stack stays in the engine's log.
export const errorCodes = [
  'UNKNOWN_COMMAND',
  'UNKNOWN_STREAM',
  'BAD_INPUT',
  'BAD_FRAME',
  'TOO_LARGE',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'LOCKED',
  'TOO_MANY_ATTEMPTS',
  'INTERNAL',
  // A long job (a tax report) stopped: canceled by its caller, or superseded by a newer request for the same view.
  'CANCELED',
  // Said by a client, never by the engine: the connection dropped after a command that changes something left.
  'OUTCOME_UNKNOWN',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export interface ApiErrorBody {
  code: ErrorCode
  message: string
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody }

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function fail(code: ErrorCode, message: string): { ok: false; error: ApiErrorBody } {
  return { ok: false, error: { code, message } }
}

/** An error's words for a log line or a stored detail (anything thrown, not only Error). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
