import type { HandlerSlice } from '../router'
import type { EventBus } from '../../bus'
import type { VenueRegistry } from '../../venues/registry'
import { SIM_VENUE_ID } from '../../venues/registry'
import type { SimHost } from '../../venues/sim/host'
import { simTraderDetail, simTraderViews } from '../../venues/sim/trader-views'

export function venueHandlers(
  venues: VenueRegistry,
  sim: SimHost,
  bus: EventBus,
): HandlerSlice<'venues.list' | 'venues.former' | 'markets.search' | 'balances.list' | 'balances.venue' | 'sim.traders' | 'sim.trader' | 'paper.reset' | 'paper.open' | 'paper.close'> {
  return {
    'venues.list': () => venues.list(),
    'venues.former': () => venues.former(),
    'markets.search': ({ query, venueId, limit }) => venues.markets(query, venueId, limit),
    'balances.list': () => venues.balances(),
    'balances.venue': ({ venueId }) => venues.venueBalances(venueId),
    'paper.open': (input) => venues.openPaper(input),
    'paper.close': async ({ venueId }) => {
      await venues.closePaper(venueId)
      return { venueId, closed: true as const }
    },
    'sim.traders': () => simTraderViews(sim),
    'sim.trader': ({ id }) => simTraderDetail(sim, id),
    'paper.reset': async ({ amount }) => {
      sim.resetPaper(amount)
      bus.emit('paperReset', { venueId: SIM_VENUE_ID, amount, asset: 'USDT' })
      return venues.venueBalances(SIM_VENUE_ID)
    },
  }
}
