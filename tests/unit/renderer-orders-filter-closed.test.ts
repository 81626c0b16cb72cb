import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom, venueView as venue } from './renderer-keys-harness'
import type { VenueView } from '../../src-main/api/contract'

// The Orders tables filtered on a paper account, then the account closed: the dropdown showed "All
// accounts" while the tables stayed filtered on the gone account ("0 open" with an order open), and picking
// All accounts changed nothing. Now the filter goes back to all accounts when its account leaves the list.

type Store<S> = { getState(): S; setState(s: Partial<S>): void }
const sim = venue('sim', 'Simulated exchange')
const paper = venue('paper:1', 'Rehearsal')

let orders: Store<{ venueFilter: string; setVenueFilter(id: string): void }>
let venues: Store<{ status: string; venues: VenueView[]; former: Record<string, string>; received(v: VenueView): void }>

beforeAll(async () => {
  stubDom('other')
  venues = (await loadRenderer<{ useVenues: never }>('features/markets/venuesStore.ts')).useVenues
  orders = (await loadRenderer<{ useOrders: never }>('features/trading/ordersStore.ts')).useOrders
})
afterAll(() => void vi.unstubAllGlobals())

describe('the Orders account filter', () => {
  it('goes back to all accounts when its account is closed', () => {
    venues.setState({ status: 'ready', venues: [sim, paper], former: {} })
    orders.getState().setVenueFilter('paper:1')
    venues.getState().received({ ...paper, closed: true })
    expect(orders.getState().venueFilter).toBe('')
  })

  it('stays on its account while another one closes, or while the list is still loading', () => {
    venues.setState({ status: 'ready', venues: [sim, paper], former: {} })
    orders.getState().setVenueFilter('sim')
    venues.getState().received({ ...paper, closed: true })
    expect(orders.getState().venueFilter).toBe('sim')
    venues.setState({ status: 'loading', venues: [] })
    expect(orders.getState().venueFilter).toBe('sim')
  })
})
