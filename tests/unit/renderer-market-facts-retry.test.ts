import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'
import { marketRow } from './renderer-market-rows'
import type { MarketView } from '../../src-main/api/contract'

// A market past the first 500 gets its facts asked of the engine alone. When that answer had no match (the
// venue's markets still loading or failing) it was never asked again: the chart read "Waiting for the
// market…" forever. Now a view on it asks again, 5 s, then doubling up to 60 s, and says why meanwhile.

const pepe = marketRow('PEPE/USDT')
type Answer = 'unavailable' | 'none' | 'found'
let answer: Answer
let askedAt: number[]
interface Feeds {
  ensureMarketFacts(m: object): Promise<void>
  wantMarketFacts(m: object): () => void
  useMarketFacts: { getState(): { byKey: Record<string, MarketView>; missing: Record<string, { why: string; definite: boolean }> } }
}
let feeds: Feeds
let ApiError: new (code: string, message: string) => Error
const key = 'binance-1|PEPE/USDT'
const ref = { venueId: 'binance-1', symbol: 'PEPE/USDT' }

beforeAll(async () => {
  stubDom('other')
  ApiError = (await loadRenderer<{ ApiError: typeof ApiError }>('api/types.ts')).ApiError
  const { api } = await loadRenderer<{ api: { invoke: unknown; subscribe: unknown } }>('api/index.ts')
  api.invoke = async (command: string) => {
    if (command !== 'markets.search') return new Promise(() => undefined)
    askedAt.push(Date.now())
    if (answer === 'unavailable') throw new ApiError('UNAVAILABLE', 'Markets of Binance could not be loaded: timeout')
    return answer === 'found' ? [pepe] : []
  }
  api.subscribe = () => () => undefined
  const venues = await loadRenderer<{ useVenues: { setState(s: object): void } }>('features/markets/venuesStore.ts')
  venues.useVenues.setState({ venues: [{ id: 'binance-1', label: 'Binance' }], former: {} })
  feeds = await loadRenderer('features/trade/feeds.ts')
})
afterAll(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})
beforeEach(() => {
  vi.useFakeTimers({ now: 0 })
  askedAt = []
})

const state = () => feeds.useMarketFacts.getState()

describe('facts of a market past the polled list', () => {
  it('are asked again once the venue has its markets, and the view says why meanwhile', async () => {
    answer = 'unavailable'
    const leave = feeds.wantMarketFacts(ref)
    await vi.advanceTimersByTimeAsync(0)
    expect(state().missing[key]).toEqual({ why: 'Markets of Binance could not be loaded: timeout', definite: false })
    answer = 'found'
    await vi.advanceTimersByTimeAsync(5000)
    expect(askedAt).toEqual([0, 5000])
    expect(state().byKey[key]?.tickSize).toBe('0.00000001')
    expect(state().missing[key]).toBeUndefined()
    leave()
  })

  it('a market the venue does not have says so, and is asked again less and less often', async () => {
    const ghost = { venueId: 'binance-1', symbol: 'GHOST/USDT' }
    answer = 'none'
    const leave = feeds.wantMarketFacts(ghost)
    await vi.advanceTimersByTimeAsync(0)
    expect(state().missing['binance-1|GHOST/USDT']).toEqual({ why: 'No such market on Binance', definite: true })
    await vi.advanceTimersByTimeAsync(200_000)
    expect(askedAt).toEqual([0, 5000, 15_000, 35_000, 75_000, 135_000, 195_000])
    // The view closed: no more asking.
    leave()
    await vi.advanceTimersByTimeAsync(300_000)
    expect(askedAt).toHaveLength(7)
  })

  it('a view opened again asks at once, not only after the wait', async () => {
    const other = { venueId: 'binance-1', symbol: 'OTHER/USDT' }
    answer = 'none'
    await feeds.ensureMarketFacts(other)
    await feeds.ensureMarketFacts(other)
    expect(askedAt).toHaveLength(2)
  })
})
