import type { TriggerSource, VenueView } from '../../../src-main/api/contract'
import type { ConditionalMode } from './ticketForm'

// Whether the ticket offers "on exchange" for a conditional order, and if not, why — in words. The venue
// list says which venues hold stop orders themselves (VenueView.nativeStops); the engine checks it all
// again when the order is created. Only single stop / take-profit orders triggered on the last trade can be
// native: trailing stops, OCO and brackets are held in the app.

export interface PlacementChoice {
  /** "On exchange" can be chosen. */
  exchange: boolean
  /** Why not (shown under the choice), or null. */
  why: string | null
}

export function exchangePlacement(venue: VenueView | undefined, mode: ConditionalMode, trigger: TriggerSource): PlacementChoice {
  const no = (why: string): PlacementChoice => ({ exchange: false, why })
  if (venue === undefined) return no('Choose a market to see whether its exchange can hold the order')
  if (venue.kind === 'simulated') return no('The simulated exchange holds no stop orders itself: the app holds them')
  if (venue.kind === 'paper') return no(`${venue.label} is a paper account, matched in the app: its stops are held in the app`)
  const note = venue.nativeStopsNote !== undefined ? `: ${venue.nativeStopsNote}` : ''
  if (venue.nativeStops !== true) return no(`${venue.label} cannot hold stop orders natively${note || ' (not through ccxt)'}`)
  if (mode === 'trailing-stop') return no(`Trailing stops are held in the app: ${venue.label} takes stop and take-profit orders only`)
  if (mode === 'oco' || mode === 'bracket') return no('OCO and bracket orders are held in the app')
  const kinds = venue.nativeStopKinds
  if (kinds !== undefined && mode !== 'none' && !kinds.includes(mode)) return no(`${venue.label} cannot hold a ${mode} order natively${note || ` (only ${kinds.join(', ')})`}`)
  if (trigger !== 'last') return no(`${venue.label} triggers stop orders on its last trade price: choose "Last trade" to place it there`)
  return { exchange: true, why: null }
}
