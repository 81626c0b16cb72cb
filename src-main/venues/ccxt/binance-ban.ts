// Binance's 418 (IP banned) and 429 (-1003, request weight) carry "Retry-After"; one without it (a proxy may drop
// the header) must not leave the app sending on — Binance bans an IP that keeps sending, 2 minutes at first, up to
// 3 days for repeat offenders. Its -1003 messages say the time themselves (its error list):
//   "Way too much request weight used; IP banned until %s. Please use WebSocket Streams for live updates to avoid bans."
//   "Too much request weight used; current limit is %s request weight per %s. Please use WebSocket Streams …"
// So the wait is read from the reply: until the ban's end (epoch ms, Binance's clock); until the weight's window
// ends (a 1 MINUTE window starts every minute on its clock; a 429's only); a 418 that does not say until when, or a time that cannot be
// right (in the past, more than 5 minutes past the 3-day longest ban, not a number), the shortest ban; any other
// -1003, one minute.
// The reply is the exchange's (or a proxy's) text: only numbers are taken from it, never echoed.

/** A wait read from a rate-limit refusal without Retry-After, and how it was read (words for the hold's message). */
export interface DerivedWait {
  ms: number
  said: string
}

/** Binance's shortest IP ban, what a 418 that does not say until when is held for. */
export const SHORTEST_BAN_MS = 2 * 60_000
/** Binance's longest IP ban. */
export const LONGEST_BAN_MS = 3 * 86_400_000
/**
 * How far past the longest ban an end may still read and be right: the clock it is counted from is a little
 * early (the Date header counts whole seconds; this computer's clock, without it, may run behind Binance's), so
 * the first 418 of a 3-day ban reads a moment more than 3 days off. Held for what it says, not 2 minutes.
 */
export const BAN_END_SLACK_MS = 5 * 60_000
const MINUTE_MS = 60_000

const UNIT_MS: Record<string, number> = { SECOND: 1000, MINUTE: MINUTE_MS, HOUR: 3_600_000, DAY: 86_400_000 }
/** Only this much of a reply is looked at (a proxy's page may be long). */
const READ_CHARS = 2000

/**
 * The wait a Binance 418 or 429 asks for when it carries no Retry-After; undefined where none is read (another
 * status, a 429 for the account's order count: its usual backoff). `exchangeNow`: Binance's clock when it answered
 * (the reply's Date header), else undefined; `localNow`: this computer's clock, used only without it.
 */
export function binanceWaitFromReply(status: number, body: unknown, exchangeNow: number | undefined, localNow: number): DerivedWait | undefined {
  if (status !== 418 && status !== 429) return undefined
  const { code, msg } = readBody(body)
  const now = exchangeNow !== undefined && Number.isFinite(exchangeNow) ? exchangeNow : localNow

  const banned = /\bbanned until (\d{1,20})\b/i.exec(msg)
  if (banned) {
    const until = Number(banned[1])
    const ms = until - now
    if (Number.isSafeInteger(until) && ms > 0 && ms <= LONGEST_BAN_MS + BAN_END_SLACK_MS) {
      return { ms, said: `it answered that it banned this IP address until ${utcTime(until, now)} UTC, for too much request weight (no "Retry-After")` }
    }
    return {
      ms: SHORTEST_BAN_MS,
      said: 'it answered an IP ban until a time that cannot be right (in the past, or further off than its 3-day longest ban): held for 2 minutes, the shortest ban Binance gives',
    }
  }

  // (A 418 is a ban, whatever else it says: the weight's window, which may end in a second, is no end of it.)
  const weight = status === 429 && /\bcurrent limit is (\d{1,9}) request weight per (\d{1,4}) (SECOND|MINUTE|HOUR|DAY)\b/i.exec(msg)
  if (weight) {
    const intervalNum = Number(weight[2])
    const unit = weight[3]!.toUpperCase()
    const window = intervalNum * UNIT_MS[unit]!
    if (intervalNum >= 1 && window <= UNIT_MS.DAY!) {
      const limit = `${Number(weight[1])} per ${intervalNum} ${unit}`
      if (exchangeNow === undefined || !Number.isFinite(exchangeNow)) {
        return { ms: window, said: `it answered that the request weight it allows an IP, ${limit}, is used up (no "Retry-After"): held for a whole ${intervalNum} ${unit}` }
      }
      // Windows start on the exchange's clock (a 1 MINUTE one every minute, a 1 DAY one at 00:00 UTC).
      const ms = Math.floor(exchangeNow / window) * window + window - exchangeNow
      return { ms, said: `it answered that the request weight it allows an IP, ${limit}, is used up (no "Retry-After"): held until that ${unit.toLowerCase()} ends on its clock` }
    }
  }

  if (status === 418) return { ms: SHORTEST_BAN_MS, said: 'it answered HTTP 418, an IP ban, without saying until when: held for 2 minutes, the shortest ban Binance gives' }
  if (code === -1003) {
    return { ms: MINUTE_MS, said: 'it answered -1003, too much request weight, without saying for how long: held for 1 minute, the window Binance counts request weight in' }
  }
  return undefined
}

/** The reply's -1003-style code and message; a body that is not Binance's JSON is read as text (its words only). */
function readBody(body: unknown): { code: number | undefined; msg: string } {
  const text = typeof body === 'string' ? body.slice(0, READ_CHARS) : ''
  let parsed: unknown = typeof body === 'object' && body !== null ? body : undefined
  if (parsed === undefined && text.trimStart().startsWith('{')) {
    try {
      parsed = JSON.parse(typeof body === 'string' ? body : '')
    } catch {
      parsed = undefined
    }
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const { code, msg } = parsed as { code?: unknown; msg?: unknown }
    return { code: typeof code === 'number' ? code : undefined, msg: typeof msg === 'string' ? msg.slice(0, READ_CHARS) : '' }
  }
  return { code: undefined, msg: text }
}

/** "14:03:07", with the date before it when not on `now`'s day (a ban may run for days). */
function utcTime(at: number, now: number): string {
  const iso = new Date(at).toISOString()
  return iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10) ? iso.slice(11, 19) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}
