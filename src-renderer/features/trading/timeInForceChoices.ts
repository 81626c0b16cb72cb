import type { VenueView } from '../../../src-main/api/contract'
import type { TimeInForce } from './ticketForm'

// The ticket's time-in-force choices on a venue: the ones its limit orders do not take stay listed but
// disabled, with the venue's reason (Kraken spot has no fill-or-kill). The engine refuses them anyway.

export interface TimeInForceChoice {
  value: TimeInForce
  disabled: boolean
  title: string | undefined
}

const all: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK']

export function timeInForceChoices(venue: Pick<VenueView, 'label' | 'timeInForce' | 'timeInForceNote'> | undefined): TimeInForceChoice[] {
  return all.map((value) => {
    const offered = venue?.timeInForce === undefined || venue.timeInForce.includes(value)
    return {
      value,
      disabled: !offered,
      title: offered || venue === undefined ? undefined : `Not on ${venue.label}${venue.timeInForceNote !== undefined ? `: ${venue.timeInForceNote}` : ''}`,
    }
  })
}
