import type { VenueView } from './venuesStore'

/** A venue's or account's connection state in words ('rest-only': the exchange answers, its order stream is not subscribed). */
export const connectionText: Record<VenueView['connection'], string> = {
  live: 'live',
  'rest-only': 'live · order stream not subscribed',
  connecting: 'connecting',
  degraded: 'degraded',
  down: 'down',
}
