import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import type { VenueView } from '../../src-main/api/contract'

// A paper account closed in another tab leaves this tab's venue lists at once (the engine's view says it
// is closed), not only after a reload.

interface Store {
  useVenues: {
    getState(): { venues: VenueView[]; former: Record<string, string>; load(): Promise<void>; received(view: VenueView): void }
  }
}

const sim: VenueView = { id: 'sim', exchange: 'sim', label: 'Simulated exchange', kind: 'simulated', accountId: null, connection: 'live', reason: null, marketCount: 5 }
const paper: VenueView = { id: 'paper:2', exchange: 'sim', label: 'Swing practice', kind: 'paper', accountId: null, connection: 'live', reason: null, marketCount: 5 }
let store: Store

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string) => {
    if (name === 'venues.list') return [sim, paper]
    if (name === 'venues.former') return []
    throw new Error(`unexpected ${name}`)
  }
  store = await loadRenderer<Store>('features/markets/venuesStore.ts')
})
afterAll(() => void vi.unstubAllGlobals())

describe('the venues store', () => {
  it('drops a venue the engine says was closed; a venue merely down stays', async () => {
    await store.useVenues.getState().load()
    store.useVenues.getState().received({ ...sim, connection: 'down', reason: 'Socket closed' })
    expect(store.useVenues.getState().venues.map((v) => [v.id, v.connection])).toEqual([
      ['sim', 'down'],
      ['paper:2', 'live'],
    ])
    store.useVenues.getState().received({ ...paper, connection: 'down', reason: 'Closed', closed: true })
    expect(store.useVenues.getState().venues.map((v) => v.id)).toEqual(['sim'])
    expect(store.useVenues.getState().former).toEqual({ 'paper:2': 'Swing practice' })
    // A late word about it does not bring it back either.
    store.useVenues.getState().received({ ...paper, connection: 'down', reason: 'Closed', closed: true })
    expect(store.useVenues.getState().venues.map((v) => v.id)).toEqual(['sim'])
  })
})
