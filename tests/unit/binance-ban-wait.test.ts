import { describe, expect, it } from 'vitest'
import ccxt, { type Exchange } from 'ccxt'
import { BAN_END_SLACK_MS, LONGEST_BAN_MS, SHORTEST_BAN_MS, binanceWaitFromReply } from '../../src-main/venues/ccxt/binance-ban'
import { installRetryAfter, retryAfterOf, waitSaidOf } from '../../src-main/venues/ccxt/retry-after'

// A Binance 418 / 429 without Retry-After: the wait is read from the reply (its -1003 messages say the time), and
// whatever the text, the answer is a wait in the future no longer than Binance's longest ban, or none.

const NOW = Date.UTC(2026, 10, 25, 14, 0, 45) // 14:00:45 on Binance's clock
const LOCAL = NOW + 3_000 // this computer's clock, a little ahead
const body = (code: number, msg: string) => JSON.stringify({ code, msg })
const banned = (until: string | number) =>
  body(-1003, `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`)
const WEIGHT = body(-1003, 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.')
const FALLBACK_BAN = 'it answered an IP ban until a time that cannot be right (in the past, or further off than its 3-day longest ban): held for 2 minutes, the shortest ban Binance gives'

describe("an IP ban's end from its message", () => {
  it('holds until the end it names, on Binance\'s clock, and says until when (UTC)', () => {
    expect(binanceWaitFromReply(418, banned(NOW + 90_000), NOW, LOCAL)).toEqual({
      ms: 90_000,
      said: 'it answered that it banned this IP address until 14:02:15 UTC, for too much request weight (no "Retry-After")',
    })
    // The other wording Binance has used, naming the IP; the ms count read from the reply, not the local clock.
    expect(binanceWaitFromReply(429, body(-1003, `Way too many requests; IP(1.2.3.4) banned until ${NOW + 5_000}. Please use the websocket for live updates to avoid bans.`), NOW, LOCAL)?.ms).toBe(5_000)
  })

  it("without Binance's clock (no Date header) counts from this computer's", () => {
    expect(binanceWaitFromReply(418, banned(NOW + 90_000), undefined, LOCAL)?.ms).toBe(87_000)
  })

  it('a ban of days says the date', () => {
    expect(binanceWaitFromReply(418, banned(NOW + 2 * 86_400_000), NOW, LOCAL)?.said).toContain('until 2026-11-27 14:00:45 UTC')
  })

  it("the first 418 of a 3-day ban is held for it, though its end is a little more than 3 days after the reply's clock", () => {
    // The Date header counts whole seconds (its time is up to 1 s early), and this computer's clock, without it,
    // may be a little behind Binance's: the end then reads as more than 3 days off. It is still the ban's end.
    const first = binanceWaitFromReply(418, banned(NOW + LONGEST_BAN_MS + 731), NOW, LOCAL)
    expect(first).toEqual({
      ms: LONGEST_BAN_MS + 731,
      said: 'it answered that it banned this IP address until 2026-11-28 14:00:45 UTC, for too much request weight (no "Retry-After")',
    })
    expect(binanceWaitFromReply(418, banned(LOCAL + LONGEST_BAN_MS + 4_000), undefined, LOCAL)?.ms).toBe(LONGEST_BAN_MS + 4_000)
  })

  it.each([
    ['in the past', NOW - 1_000],
    ['now', NOW],
    ['past the 3-day longest ban, by more than a clock may be off', NOW + LONGEST_BAN_MS + BAN_END_SLACK_MS + 1],
    ['beyond exact integers', '99999999999999999999'],
    ['in seconds, not ms (1970)', Math.floor(NOW / 1000)],
  ])('an end %s is not used: 2 minutes, the shortest ban, and the words say why', (_what, until) => {
    expect(binanceWaitFromReply(418, banned(until), NOW, LOCAL)).toEqual({ ms: SHORTEST_BAN_MS, said: FALLBACK_BAN })
  })
})

describe("the request weight's window from its message", () => {
  it("holds until the minute ends on Binance's clock", () => {
    expect(binanceWaitFromReply(429, WEIGHT, NOW, LOCAL)).toEqual({
      ms: 15_000,
      said: 'it answered that the request weight it allows an IP, 6000 per 1 MINUTE, is used up (no "Retry-After"): held until that minute ends on its clock',
    })
    // Exactly on a minute: the whole next one.
    expect(binanceWaitFromReply(429, WEIGHT, Date.UTC(2026, 10, 25, 14, 1, 0), LOCAL)?.ms).toBe(60_000)
  })

  it("without Binance's clock: a whole window", () => {
    expect(binanceWaitFromReply(429, WEIGHT, undefined, LOCAL)).toEqual({
      ms: 60_000,
      said: 'it answered that the request weight it allows an IP, 6000 per 1 MINUTE, is used up (no "Retry-After"): held for a whole 1 MINUTE',
    })
  })

  it("a 418 naming only the weight's window is a ban all the same: 2 minutes, the shortest, not until the minute ends", () => {
    // 1 s before the minute ends on Binance's clock: holding only until then would send into the ban.
    expect(binanceWaitFromReply(418, WEIGHT, Date.UTC(2026, 10, 25, 14, 0, 59), LOCAL)).toEqual({
      ms: SHORTEST_BAN_MS,
      said: 'it answered HTTP 418, an IP ban, without saying until when: held for 2 minutes, the shortest ban Binance gives',
    })
  })

  it('a window that cannot be (none, or longer than a day) is not used: any other -1003 holds 1 minute', () => {
    const minute = 'it answered -1003, too much request weight, without saying for how long: held for 1 minute, the window Binance counts request weight in'
    for (const per of ['0 MINUTE', '2 DAY', '9999 HOUR']) {
      expect(binanceWaitFromReply(429, body(-1003, `Too much request weight used; current limit is 6000 request weight per ${per}.`), NOW, LOCAL)).toEqual({ ms: 60_000, said: minute })
    }
    expect(binanceWaitFromReply(429, body(-1003, 'Too many requests queued.'), NOW, LOCAL)).toEqual({ ms: 60_000, said: minute })
  })
})

describe('a refusal that says nothing of the time', () => {
  const BARE = { ms: SHORTEST_BAN_MS, said: 'it answered HTTP 418, an IP ban, without saying until when: held for 2 minutes, the shortest ban Binance gives' }

  it.each([
    ['a proxy page', "<html><body>418 I'm a teapot</body></html>"],
    ['no body', undefined],
    ['an empty one', ''],
    ['broken JSON', '{"code":-1003,"msg":"Way too much'],
    ['a time that is no number', banned('soon')],
    ['a negative time', banned(-5)],
  ])('a 418 with %s: 2 minutes, the shortest ban Binance gives', (_what, reply) => {
    expect(binanceWaitFromReply(418, reply, NOW, LOCAL)).toEqual(BARE)
  })

  it("a 429 for the account's order count, or with nothing Binance's in it, and other statuses: no wait read (the usual backoff)", () => {
    expect(binanceWaitFromReply(429, body(-1015, 'Too many new orders; current limit is 50 orders per 10 SECOND.'), NOW, LOCAL)).toBeUndefined()
    expect(binanceWaitFromReply(429, '<html>Too Many Requests</html>', NOW, LOCAL)).toBeUndefined()
    expect(binanceWaitFromReply(500, banned(NOW + 90_000), NOW, LOCAL)).toBeUndefined()
  })

  it("never echoes the reply's words, and whatever the text, a wait is in the future and no longer than the longest ban", () => {
    const nasty = [
      banned(`${NOW + 90_000}</b><script>alert(1)</script>`),
      body(-1003, `IP banned until ${'9'.repeat(5000)}`),
      body(-1003, `banned until ${NOW + 1000} banned until ${NOW + LONGEST_BAN_MS * 10}`),
      body(-1003, `current limit is 6000 request weight per 1 MINUTE${'\u0000'.repeat(10)}<img src=x>`),
      'x'.repeat(100_000) + `banned until ${NOW + 1000}`,
      JSON.stringify({ code: '-1003', msg: 42 }),
      JSON.stringify([1, 2]),
      'null',
    ]
    for (const reply of nasty) {
      for (const status of [418, 429]) {
        for (const clock of [NOW, undefined, Number.NaN]) {
          const wait = binanceWaitFromReply(status, reply, clock, LOCAL)
          if (wait === undefined) continue
          expect(Number.isFinite(wait.ms)).toBe(true)
          expect(wait.ms).toBeGreaterThan(0)
          expect(wait.ms).toBeLessThanOrEqual(LONGEST_BAN_MS + BAN_END_SLACK_MS)
          expect(wait.said).not.toMatch(/script|img|9999/)
          expect(wait.said).not.toContain('\u0000')
        }
      }
    }
  })
})

describe('read from the reply ccxt hands its handlers (retry-after.ts)', () => {
  type Handlers = { handleErrors(...a: unknown[]): unknown; handleHttpStatusCode(...a: unknown[]): unknown; last_response_headers: unknown }
  /** The error ccxt throws for this reply, as it calls its handlers (handleErrors, then by status). */
  const answer = (ex: Exchange, status: number, headers: Record<string, string>, reply: string): unknown => {
    installRetryAfter(ex)
    const h = ex as unknown as Handlers
    try {
      h.handleErrors(status, 'Refused', 'https://api.example.invalid/x', 'GET', headers, reply, JSON.parse(reply), {}, undefined)
      h.last_response_headers = headers
      h.handleHttpStatusCode(status, 'Refused', 'https://api.example.invalid/x', 'GET', reply)
    } catch (err) {
      return err
    }
    throw new Error('ccxt took the refusal')
  }

  it("a Binance 418 without Retry-After is tagged with the ban's wait (its Date header the clock) and how it was read", () => {
    const err = answer(new ccxt.binance(), 418, { date: new Date(NOW).toUTCString() }, banned(NOW + 90_000))
    expect(retryAfterOf(err)).toBe(90_000)
    expect(waitSaidOf(err)).toContain('banned this IP address until 14:02:15 UTC')
  })

  it('a Retry-After is what counts when there is one; another exchange\'s reply is not read', () => {
    const err = answer(new ccxt.binance(), 418, { 'Retry-After': '30', date: new Date(NOW).toUTCString() }, banned(NOW + 90_000))
    expect(retryAfterOf(err)).toBe(30_000)
    expect(waitSaidOf(err)).toBeUndefined()
    const other = answer(new ccxt.kraken(), 418, {}, banned(NOW + 90_000))
    expect(retryAfterOf(other)).toBeUndefined()
  })
})
