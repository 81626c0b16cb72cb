import { nativeStopKinds, type NativeStopKind, type VenueCapabilities } from './port'

// What a venue's capabilities say about native stop orders ("on exchange"), and the one refusal message the
// order manager and the conditional engine give for an order it does not take.

export interface NativeSupport {
  /** The kinds the venue takes from this app; [] = none. */
  kinds: readonly NativeStopKind[]
  /** Why none, or not all, in words; null when it takes all. */
  note: string | null
}

export const noNativeSupport: NativeSupport = { kinds: [], note: null }

export function nativeSupportOf(capabilities: VenueCapabilities): NativeSupport {
  if (!capabilities.nativeStops) return { kinds: [], note: capabilities.nativeStopsNote ?? null }
  return { kinds: capabilities.nativeStopKinds ?? nativeStopKinds, note: capabilities.nativeStopsNote ?? null }
}

/** Why `label` cannot hold this native stop (one sentence ending in "choose in app"), or null when it can. */
export function nativeRefusal(label: string, kind: NativeStopKind, support: NativeSupport): string | null {
  const why = support.note !== null ? ` (${support.note})` : ''
  if (support.kinds.length === 0) return `${label} cannot hold this order natively${why}; choose in app`
  if (!support.kinds.includes(kind)) {
    const takes = support.note !== null ? why : ` (it takes ${support.kinds.join(', ')} only)`
    return `${label} cannot hold a ${kind} order natively${takes}; choose in app`
  }
  return null
}
