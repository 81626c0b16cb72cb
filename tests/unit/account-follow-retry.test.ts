import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AccountView, VenueView } from '../../src-main/api/contract'
import { accountStatus, type FollowFailure } from '../../src-main/venues/private-streams'
import type { OrderManagerDeps } from '../../src-main/trading/orders/order-manager'
import type { VenueDrop } from '../../src-main/venues/port'
import { fakeTime, harness, until, type Harness } from './orders-support'
import { FollowConnected, type FollowConnectedDeps } from '../../src-main/trading/orders/follow-connected'
import { silentLogger } from '../../src-main/log'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { waitFor } from '../support/wait-for'

// An exchange account connects and the order manager opens it to follow its order and fill stream. When that
// open fails (the exchange unreachable, a keychain error), the account's status must say so — which account,
// what failed, when the app tries again — instead of "not started yet" for ever, and the app must try again on
// a growing, bounded backoff until the account is removed or the app stops.

const at = Date.UTC(2026, 10, 25, 14, 3, 7)
const REFUSED = 'connect ECONNREFUSED 203.0.113.5:443'

const connected: VenueView = {
  id: 'fake',
  exchange: 'binance',
  label: 'Binance main',
  kind: 'exchange',
  accountId: 'fake',
  connection: 'live',
  reason: null,
  marketCount: null,
}

/**
 * The registry's side as the manager sees it: opens that fail `failures` times, what the account's status is told.
 * `firstOpen`: what the first open waits for before it answers (an open on its way).
 */
function accountVenues(failures: number, firstOpen?: Promise<void>) {
  const reported: { at: number; venueId: string; failure: FollowFailure | null }[] = []
  const dropListeners = new Set<(venueId: string, how: VenueDrop) => void>()
  let h: Harness | undefined
  let left = failures
  let opens = 0
  const venues: OrderManagerDeps['venues'] = {
    open: async (id) => {
      if (id !== 'fake') throw new Error(`no venue ${id}`)
      opens++
      if (opens === 1 && firstOpen !== undefined) await firstOpen
      if (left-- > 0) throw new Error(REFUSED)
      return h!.fake
    },
    onDropped: (listener) => {
      dropListeners.add(listener)
      return () => dropListeners.delete(listener)
    },
    followFailed: (venueId, failure) => reported.push({ at: Date.now(), venueId, failure }),
  }
  return {
    venues,
    reported,
    attach: (harnessMade: Harness) => (h = harnessMade),
    opens: () => opens,
    /** What the account's status says now (as the registry shows it: private-streams.ts). */
    status: () => accountStatus(h!.fake.connection(), null, h!.fake.privateStreams(), reported.at(-1)?.failure ?? undefined),
    removed: () => {
      for (const l of [...dropListeners]) l('fake', 'removed')
    },
    replaced: () => {
      for (const l of [...dropListeners]) l('fake', 'replaced')
    },
  }
}

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  vi.useRealTimers()
})

describe('following a connected account whose open fails', () => {
  it('shows the failure in the account status, and turns live once the retry opens it', async () => {
    fakeTime()
    vi.setSystemTime(at)
    const account = accountVenues(1)
    h = account.attach(await harness({ venues: account.venues, venueLabel: () => 'Binance main', followRetryMs: [2_000, 5_000] }))
    expect(account.status().reason).toContain('not started yet')

    h.bus.emit('venueChanged', { view: connected })
    await until(() => account.reported.length > 0)
    expect(account.status()).toEqual({
      connection: 'rest-only',
      reason: `Order updates by polling: opening Binance main to follow its order and fill stream has failed since 14:03:07 UTC (${REFUSED}); next try at 14:03:09 UTC`,
    })
    expect(account.opens()).toBe(1)
    expect(h.warnings.some((w) => w.includes('Binance main'))).toBe(true)

    await vi.advanceTimersByTimeAsync(2_000)
    expect(account.opens()).toBe(2)
    expect(account.status()).toEqual({ connection: 'live', reason: null })
    expect(account.reported.at(-1)).toMatchObject({ venueId: 'fake', failure: null })
  })

  it('follows an account that connected meanwhile at once, not at the next try, and its status stops saying the open failed', async () => {
    fakeTime()
    vi.setSystemTime(at)
    const account = accountVenues(2)
    h = account.attach(await harness({ venues: account.venues, venueLabel: () => 'Binance main', followRetryMs: [2_000, 60_000] }))
    h.bus.emit('venueChanged', { view: connected })
    await until(() => account.reported.length > 0)
    // Announced again right after the failure (its own status change): not tried again before the first wait.
    h.bus.emit('venueChanged', { view: connected })
    await vi.advanceTimersByTimeAsync(0)
    expect(account.opens()).toBe(1)
    // Fails at once, and again on the try 2 s later: the next try is a minute away.
    await vi.advanceTimersByTimeAsync(2_000)
    expect(account.opens()).toBe(2)
    const second = account.reported.at(-1)!
    expect(second.failure!.retryAt - second.at).toBe(60_000)

    // Ten seconds on, another part of the app (the balances, a chart) opens the account: the registry says it is live.
    await vi.advanceTimersByTimeAsync(10_000)
    h.bus.emit('venueChanged', { view: connected })
    await vi.advanceTimersByTimeAsync(0)
    expect(account.opens()).toBe(3)
    expect(account.status()).toEqual({ connection: 'live', reason: null })
    expect(account.reported.at(-1)).toMatchObject({ venueId: 'fake', failure: null })
  })

  it('connected within the first wait after a failure: tried at the end of that wait, not a minute later', async () => {
    fakeTime()
    vi.setSystemTime(at)
    const account = accountVenues(2)
    h = account.attach(await harness({ venues: account.venues, venueLabel: () => 'Binance main', followRetryMs: [2_000, 60_000] }))
    h.bus.emit('venueChanged', { view: connected })
    await vi.advanceTimersByTimeAsync(2_000)
    expect(account.opens()).toBe(2)
    const second = account.reported.at(-1)!

    // A second after that failure, the account connects through another caller.
    await vi.advanceTimersByTimeAsync(1_000)
    h.bus.emit('venueChanged', { view: connected })
    await vi.advanceTimersByTimeAsync(0)
    expect(account.opens()).toBe(2)
    // Its status says the try it now waits for.
    expect(account.reported.at(-1)!.failure).toMatchObject({ since: second.failure!.since, retryAt: second.at + 2_000 })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(account.opens()).toBe(3)
    expect(account.status()).toEqual({ connection: 'live', reason: null })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('an open that fails after the account was edited is not shown as the new connection\'s failure: the fresh one is opened at once', async () => {
    fakeTime()
    vi.setSystemTime(at)
    let answer!: () => void
    const account = accountVenues(1, new Promise<void>((resolve) => (answer = resolve)))
    h = account.attach(await harness({ venues: account.venues, venueLabel: () => 'Binance main', followRetryMs: [60_000] }))
    h.bus.emit('venueChanged', { view: connected })
    await vi.advanceTimersByTimeAsync(0)
    expect(account.opens()).toBe(1)

    // The old connection's open fails, and the account is edited (a new key) before the manager hears of it.
    answer()
    account.replaced()
    await vi.advanceTimersByTimeAsync(0)
    // The old error is not told as the new connection's; the fresh connection is opened at once, and followed.
    expect(account.reported.filter((r) => r.failure !== null)).toEqual([])
    expect(account.opens()).toBe(2)
    expect(account.status()).toEqual({ connection: 'live', reason: null })
  })

  it('an open that answers after the account was edited does not follow the old (closed) connection: the fresh one is opened', async () => {
    fakeTime()
    vi.setSystemTime(at)
    let answer!: () => void
    const account = accountVenues(0, new Promise<void>((resolve) => (answer = resolve)))
    h = account.attach(await harness({ venues: account.venues, followRetryMs: [60_000] }))
    h.bus.emit('venueChanged', { view: connected })
    await vi.advanceTimersByTimeAsync(0)
    answer()
    account.replaced()
    await vi.advanceTimersByTimeAsync(0)
    expect(account.opens()).toBe(2)
    expect(account.status()).toEqual({ connection: 'live', reason: null })
  })

  it('keeps trying on a growing, bounded backoff, and stops once the account is removed', async () => {
    fakeTime()
    vi.setSystemTime(at)
    const account = accountVenues(Number.POSITIVE_INFINITY)
    h = account.attach(await harness({ venues: account.venues, venueLabel: () => 'Binance main', followRetryMs: [1_000, 2_000, 4_000] }))
    h.bus.emit('venueChanged', { view: connected })
    await vi.advanceTimersByTimeAsync(11_500)
    expect(account.reported).toHaveLength(5)
    expect(account.reported.map((r) => r.failure!.retryAt - r.at)).toEqual([1_000, 2_000, 4_000, 4_000, 4_000])
    // Still saying since when it fails, with the latest error.
    expect(account.reported.at(-1)!.failure!.since).toBe(account.reported[0]!.failure!.since)

    account.removed()
    const opens = account.opens()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(account.opens()).toBe(opens)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('refuses waits that would try the exchange again at once, over and over', () => {
    // (A wait past setTimeout's limit fires at once too.)
    const deps = (delaysMs: number[]): FollowConnectedDeps => ({
      open: () => Promise.reject(new Error(REFUSED)),
      follow: () => undefined,
      followed: () => false,
      report: () => undefined,
      label: () => 'Binance main',
      log: silentLogger,
      now: Date.now,
      delaysMs,
    })
    for (const bad of [[0], [2_000, -1], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 31]]) {
      expect(() => new FollowConnected(deps(bad)), String(bad)).toThrow(/followRetryMs/)
    }
    expect(() => new FollowConnected(deps([2_000, 60_000]))).not.toThrow()
  })

  it('leaves no retry timer behind when the app stops', async () => {
    fakeTime()
    vi.setSystemTime(at)
    const account = accountVenues(Number.POSITIVE_INFINITY)
    h = account.attach(await harness({ venues: account.venues, followRetryMs: [1_000] }))
    h.bus.emit('venueChanged', { view: connected })
    await until(() => account.reported.length > 0)
    await h.close()
    h = undefined
    const opens = account.opens()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(account.opens()).toBe(opens)
  })
})

describe('the account status of a real engine whose follow open fails', () => {
  it('lists the account with which open failed, why and when it tries again, until the account is removed', async () => {
    const core = tempCore({ orders: { followRetryMs: [60_000] } })
    try {
      const { value: call } = contractCalls(() => core)
      // Nothing listens on port 1: connecting is refused at once.
      const account = await call<AccountView>('accounts.add', {
        exchange: 'binance', label: 'Binance main', apiBaseUrl: 'http://127.0.0.1:1', credentials: { apiKey: 'K'.repeat(64), secret: 'S'.repeat(64) },
      })
      const status = async () => (await call<VenueView[]>('venues.list')).find((v) => v.id === account.id)
      // As the registry announces an account it connected (this one cannot connect: the follow's open fails).
      core.bus.emit('venueChanged', { view: { ...connected, id: account.id, accountId: account.id } })
      const shown = await waitFor(async () => {
        const v = await status()
        return v?.reason?.includes('next try at') === true ? v : undefined
      }, 'the follow failure in the account status')
      expect(shown.connection).toBe('down')
      expect(shown.reason).toMatch(/^Opening Binance main to follow its order and fill stream has failed since \d\d:\d\d:\d\d UTC \(.+\); next try at \d\d:\d\d:\d\d UTC$/)
      expect(shown.reason).not.toContain('S'.repeat(16))
      // Renamed meanwhile (nothing reconnects): the status names the account as it is called now.
      await call('accounts.update', { id: account.id, label: 'Binance spot' })
      expect((await status())?.reason).toMatch(/^Opening Binance spot to follow its order and fill stream has failed since/)
      await call('accounts.remove', { id: account.id })
      expect(await status()).toBeUndefined()
    } finally {
      await core.stop()
    }
  })
})
