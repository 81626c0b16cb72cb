import { create } from 'zustand'
import { api } from '../../api'
import { onReconnect } from '../connection/connection'
import type { VenueView } from '../../../src-main/api/contract'

export type { VenueView }

// The venues (the simulated exchange and one per exchange account) with their connection state: the list,
// then each change as the engine reports it on venues.changed (a closed paper account's says `closed`).
// Accounts added or removed change the list, so accounts.changed reloads it.

interface VenuesState {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  venues: VenueView[]
  /** The names of venues that are gone (accounts removed, paper accounts closed), by id (venues.former). */
  former: Record<string, string>
  /**
   * What each of those was: a removed exchange account (its open orders stay live on the exchange) or a
   * closed paper account (its orders went with it). Absent: not known, said as closed.
   */
  formerKind: Record<string, 'exchange' | 'paper'>
  load(): Promise<void>
  received(view: VenueView): void
}

export const useVenues = create<VenuesState>()((set) => ({
  status: 'loading',
  error: null,
  venues: [],
  former: {},
  formerKind: {},
  async load() {
    try {
      const [venues, former] = await Promise.all([api.invoke('venues.list', {}), api.invoke('venues.former', {})])
      set({
        venues,
        former: Object.fromEntries(former.map((f) => [f.id, f.label])),
        formerKind: Object.fromEntries(former.map((f) => [f.id, f.kind])),
        status: 'ready',
        error: null,
      })
    } catch (err) {
      set((s) => ({ status: s.venues.length > 0 ? s.status : 'error', error: err instanceof Error ? err.message : String(err) }))
    }
  },
  received(view) {
    // A closed venue (a paper account closed, in this tab or another) leaves every list at once.
    if (view.closed === true) {
      return set((s) => ({
        venues: s.venues.filter((v) => v.id !== view.id),
        former: { ...s.former, [view.id]: view.label },
        formerKind: { ...s.formerKind, [view.id]: view.kind === 'paper' ? 'paper' : 'exchange' },
      }))
    }
    set((s) => ({
      venues: s.venues.some((v) => v.id === view.id) ? s.venues.map((v) => (v.id === view.id ? view : v)) : [...s.venues, view],
    }))
  },
}))

let users = 0
let stop: (() => void) | undefined

/** Follows the venues while at least one caller wants them. Returns the caller's stop. */
export function startVenuesSync(): () => void {
  if (users++ === 0) {
    const { load, received } = useVenues.getState()
    const offVenues = api.subscribe('venues.changed', {}, received, (err) =>
      useVenues.setState({ error: `venues stream refused: ${err.message}` }),
    )
    const offAccounts = api.subscribe('accounts.changed', {}, (change) => {
      if (change.change !== 'tested') void load()
    })
    void load()
    const offReconnect = onReconnect(() => void load())
    stop = () => {
      offVenues()
      offAccounts()
      offReconnect()
    }
  }
  return () => {
    if (--users === 0) {
      stop?.()
      stop = undefined
    }
  }
}

/**
 * What to call a venue on screen: its name now; the name it had, "(removed)", once it is gone (the
 * account removed, the paper account closed); else `fallback` (a name known otherwise) or its id.
 */
export function venueName(s: VenuesLike, id: string, fallback?: string): { label: string; gone: boolean } {
  const current = s.venues.find((v) => v.id === id)
  if (current !== undefined) return { label: current.label, gone: false }
  const former = s.former[id]
  return former !== undefined ? { label: `${former} (removed)`, gone: true } : { label: fallback ?? id, gone: false }
}

type VenuesLike = Pick<VenuesState, 'venues' | 'former'>

/** An exchange account's id: a random UUID, which means nothing to the trader. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * What to call an account in a message: venueName, but an exchange account whose name is not known (the
 * list could not be read) is "account …2e3f4a5b" (its id's end, as tables shorten ids), never a bare UUID.
 */
export function accountLabel(id: string, s: VenuesLike = useVenues.getState()): string {
  return venueName(s, id, UUID.test(id) ? `account …${id.slice(-8)}` : id).label
}

/** The account names, read first when no page on screen has (a toast from the palette, anywhere). */
export async function accountNamesLoaded(): Promise<void> {
  if (useVenues.getState().status !== 'ready') await useVenues.getState().load()
}

/** venueName for a component: follows renames and removals. */
export function useVenueName(id: string | null, fallback?: string): { label: string; gone: boolean } | null {
  const label = useVenues((s) => (id === null ? null : venueName(s, id, fallback).label))
  const gone = useVenues((s) => (id === null ? false : venueName(s, id).gone))
  return label === null ? null : { label, gone }
}
