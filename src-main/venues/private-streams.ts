import type { ConnectionState, Unwatch, Venue } from './port'

// An exchange account's own streams (its orders and fills) and what its status says about them. The venue's
// connection state says whether the exchange answers; a trader reading "live" also expects order updates and
// fills in real time, which only a subscribed stream gives. So an account whose REST side is live but whose
// streams are not subscribed (not yet, or no longer) shows 'rest-only' with why, until they are. A failed
// account stream never changes the venue's own connection (market data and REST): only this status says it.

export type PrivateStreamsState =
  | { state: 'idle' }
  | { state: 'subscribing' }
  | { state: 'subscribed' }
  /** `since`: when the first of the streams now down failed (ms UTC); `error`: its latest error. */
  | { state: 'down'; streams: string[]; since: number; error: string }

interface Entry {
  what: string
  subscribed: boolean
  down: { since: number; error: string } | null
}

/** The account's private watches, one entry each: started (subscribing), subscribed, failed (down until subscribed again). */
export class PrivateStreamTracker {
  private readonly entries = new Set<Entry>()

  constructor(private readonly now: () => number = Date.now) {}

  /** A watch of `what` ("order", "fill") starts; the handle goes to the calls below. */
  add(what: string): object {
    const entry: Entry = { what, subscribed: false, down: null }
    this.entries.add(entry)
    return entry
  }

  subscribed(handle: object): void {
    const entry = this.entry(handle)
    if (entry === undefined) return
    entry.subscribed = true
    entry.down = null
  }

  failed(handle: object, error: string): void {
    const entry = this.entry(handle)
    if (entry === undefined) return
    entry.subscribed = false
    entry.down = { since: entry.down?.since ?? this.now(), error }
  }

  remove(handle: object): void {
    this.entries.delete(handle as Entry)
  }

  /** None counts any more (the key was refused: every watch ends); later calls with their handles do nothing. */
  clear(): void {
    this.entries.clear()
  }

  state(): PrivateStreamsState {
    const entries = [...this.entries]
    if (entries.length === 0) return { state: 'idle' }
    const down = entries.filter((e) => e.down !== null)
    if (down.length > 0) {
      const first = down.reduce((a, b) => (b.down!.since < a.down!.since ? b : a))
      const latest = down.reduce((a, b) => (b.down!.since > a.down!.since ? b : a))
      return { state: 'down', streams: [...new Set(down.map((e) => e.what))], since: first.down!.since, error: latest.down!.error }
    }
    return entries.every((e) => e.subscribed) ? { state: 'subscribed' } : { state: 'subscribing' }
  }

  private entry(handle: object): Entry | undefined {
    const entry = handle as Entry
    return this.entries.has(entry) ? entry : undefined
  }
}

/**
 * Calls `back` each time the venue's order and fill streams are subscribed again after a failure (not at their
 * first subscription, nor per message). The venue's connection stays live meanwhile (REST works), so whoever
 * fetched by REST what the stream would have said (the order manager, a copy leader) learns of it here.
 */
export function onPrivateStreamsBack(venue: Pick<Venue, 'privateStreams' | 'onPrivateStreams'>, back: () => void): Unwatch {
  if (venue.privateStreams === undefined || venue.onPrivateStreams === undefined) return () => {}
  let was = venue.privateStreams().state
  return venue.onPrivateStreams(() => {
    const now = venue.privateStreams!().state
    if (now === 'subscribed' && was === 'down') back()
    was = now
  })
}

/**
 * The order manager could not open the account to follow its order and fill stream (the exchange unreachable,
 * a keychain error): `label` names the account, `since` when the first of these attempts failed (ms UTC),
 * `error` the latest one's error (secrets are never in it: venue errors are redacted), `retryAt` the next try.
 */
export interface FollowFailure {
  label: string
  since: number
  error: string
  retryAt: number
}

/** The connection states an account's status shows: the venue's, and 'rest-only' (see above). */
export type AccountConnection = ConnectionState | 'rest-only'

function utcClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`
}

/**
 * The status an account shows: its venue's connection and reason, turned 'rest-only' while the venue is live
 * but its order and fill streams are not subscribed; a venue degraded or down keeps that state, and a stream
 * down is added to its reason. `streams` undefined: the venue has none to follow.
 * `follow`: following its streams failed and is retried (an idle stream is then not "not started yet").
 */
export function accountStatus(
  connection: ConnectionState,
  reason: string | null,
  streams: PrivateStreamsState | undefined,
  follow?: FollowFailure,
): { connection: AccountConnection; reason: string | null } {
  if (follow !== undefined && (streams === undefined || streams.state === 'idle')) {
    const failed = `opening ${follow.label} to follow its order and fill stream has failed since ${utcClock(follow.since)} (${follow.error}); next try at ${utcClock(follow.retryAt)}`
    if (connection === 'live') return { connection: 'rest-only', reason: `Order updates by polling: ${failed}` }
    // Down (the open failed to connect): the venue's own reason is mostly that same error, said once.
    if (connection === 'down') {
      const told = reason !== null && reason !== 'Not connected yet' && !reason.includes(follow.error)
      return { connection, reason: told ? `${reason}; ${failed}` : `O${failed.slice(1)}` }
    }
  }
  // Degraded or down (a market-data stream, or REST failing too): that state stays, and a failed order stream
  // is said at once as well, whatever the other streams do.
  if ((connection === 'degraded' || connection === 'down') && streams?.state === 'down') {
    const down = `order updates by polling: ${streamsDown(streams)}`
    return { connection, reason: reason !== null && reason !== '' ? `${reason}; ${down}` : `O${down.slice(1)}` }
  }
  if (connection !== 'live' || streams === undefined || streams.state === 'subscribed') return { connection, reason }
  switch (streams.state) {
    case 'idle':
      return { connection: 'rest-only', reason: 'Live — order and fill stream not started yet; order updates come by polling until it is' }
    case 'subscribing':
      return { connection: 'rest-only', reason: 'Live — order and fill stream connecting; until it is subscribed, order updates come by polling' }
    case 'down':
      return {
        connection: 'rest-only',
        reason: `Order updates by polling: ${streamsDown(streams)}`,
      }
  }
}

function streamsDown(streams: PrivateStreamsState & { state: 'down' }): string {
  return `${streams.streams.join(' and ')} stream down since ${utcClock(streams.since)} (${streams.error}), retrying`
}
