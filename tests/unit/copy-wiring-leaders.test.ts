import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { AppError } from '../../src-main/api/errors'
import { openStore, type Store } from '../../src-main/store/open'
import { Copier } from '../../src-main/copy/copier'
import { EngineLeaders, type CopyModuleDeps } from '../../src-main/copy/wiring'
import type { VenueView } from '../../src-main/api/contract'
import { followerVenues, followSettings, market } from '../support/copy/world'
import { migrationsDir, tempDir } from '../support/temp-core'
import { rejected } from '../support/thrown'

// The engine's leader directory answers for the venues there are NOW: a paper account closed (or an
// exchange account removed) is no leader any more, even after the Copy page listed it once — following it
// would show an active relationship that copies nothing.

function venuesWith(views: Partial<VenueView>[]) {
  const gone = new Map<string, string>()
  let list = views
  return {
    list: () => list as VenueView[],
    formerLabel: (id: string) => gone.get(id),
    open: async () => {
      throw new Error('not used')
    },
    venueBalances: async () => ({ value: '1000' }),
    /** The account closes: off the list, its name kept for history. */
    close(id: string) {
      gone.set(id, list.find((v) => v.id === id)?.label ?? id)
      list = list.filter((v) => v.id !== id)
    },
  }
}

let store: Store | undefined
afterEach(async () => {
  store?.close()
  store = undefined
})

function setup() {
  const bus = new EventBus()
  const venues = venuesWith([
    { id: 'sim', label: 'Simulated', kind: 'simulated', exchange: 'sim' },
    { id: 'paper:1', label: 'Leader P', kind: 'paper', exchange: 'sim' },
    { id: 'acct-follower', label: 'Follower', kind: 'exchange', exchange: 'binance' },
  ])
  const deps = { bus, log: silentLogger, now: () => 1_700_000_000_000, venues, sim: { engine: { markets: () => [] } } } as unknown as CopyModuleDeps
  const leaders = new EngineLeaders(deps)
  store = openStore(tempDir('co-copy-wiring-'), migrationsDir)
  const world = { markets: { 'BTC/USDT': market('BTC/USDT') }, books: {}, quoteUnits: {}, equity: new Decimal(1000) }
  const copier = new Copier({ db: store.db, bus, log: silentLogger, gateway: {} as never, leaders, followers: followerVenues(world), now: deps.now, everyUtcMidnight: () => () => {} })
  return { bus, venues, leaders, copier }
}

describe('the engine leader directory', () => {
  it('a paper account closed after it was listed is no leader: following it is refused, saying so', async () => {
    const { bus, venues, leaders, copier } = setup()
    expect(leaders.list().map((l) => l.id)).toContain('paper:1')
    expect(leaders.get('paper:1')).toBeDefined()
    venues.close('paper:1')
    bus.emit('paperAccountClosed', { venueId: 'paper:1', label: 'Leader P', at: 1, held: [] })
    expect(leaders.get('paper:1')).toBeUndefined()
    expect(leaders.list().map((l) => l.id)).not.toContain('paper:1')
    const err = await rejected(copier.follow(followSettings({ leaderId: 'paper:1' })), AppError)
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toBe('The leader "Leader P" (paper:1) was closed or removed: it can no longer be followed; pick a simulated trader or one of your accounts')
    expect(copier.store.follows()).toEqual([])
  })

  it('an account gone from the venues is no leader even without the event', () => {
    const { venues, leaders } = setup()
    expect(leaders.get('paper:1')).toBeDefined()
    venues.close('paper:1')
    expect(leaders.get('paper:1')).toBeUndefined()
  })
})
