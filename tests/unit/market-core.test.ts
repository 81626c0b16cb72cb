import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import { streams } from '../../src-main/api/contract'
import type { BookFrameView, BookHealthView, CandlesHistory } from '../../src-main/api/contract'

// The market module through the engine's real doors (core.streams, core.router with output checks) on the
// embedded simulated exchange, in manual mode (its market moves only when the test advances it).

const ctx = { door: 'test' } as const
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('market module in the engine', () => {
  it('streams the sim book through the contract, refuses bad params, reports health and candles', async () => {
    const core = tempCore({ market: { staleAfterMs: 100, checkEveryMs: 20 } })
    cores.push(core)
    await sleep(10) // the sim's markets preload
    const symbol = core.sim.engine.markets()[0]?.symbol as string
    core.sim.runtime.advance(60_000) // let the synthetic market build a book
    const events: string[] = []
    core.bus.on('bookStatusChanged', (e) => events.push(`${e.venueId} ${e.symbol} ${e.status}`))
    const frames: BookFrameView[] = []
    const opened = core.streams.open('market.book', { venueId: 'sim', symbol, depth: 5 }, (f) => frames.push(f as BookFrameView))
    expect(opened.ok).toBe(true)
    await waitFor(() => frames.at(-1)?.status === 'live', 'the book live')
    const book = core.sim.engine.book(symbol, 5)
    expect(frames.at(-1)?.bids).toEqual(book.bids.map(([p, a]) => [Number(p), Number(a)]))
    expect(events).toEqual([`sim ${symbol} live`])
    for (const f of frames) expect(streams['market.book'].payload.safeParse(f).success).toBe(true)
    // A quiet simulated market is not stale: it has no socket to go silent.
    await sleep(300)
    expect(frames.at(-1)?.status).toBe('live')

    const health = await core.router.invoke('market.health', {}, ctx)
    expect(health.ok).toBe(true)
    expect((health as { value: BookHealthView[] }).value).toEqual([
      expect.objectContaining({ venueId: 'sim', symbol, status: 'live', views: 1 }),
    ])
    const candles = await core.router.invoke('market.candles', { venueId: 'sim', symbol, timeframe: '1m', limit: 3 }, ctx)
    expect(candles.ok).toBe(true)
    expect((candles as { value: CandlesHistory }).value.candles.length).toBeGreaterThan(0)

    expect(core.streams.open('market.book', { venueId: 'sim', symbol: 'NOPE/USDT' }, () => {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(core.streams.open('market.aggregate', { base: 'BTC', quote: 'USDT', venueIds: ['nope'] }, () => {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    const bad = await core.router.invoke('market.candles', { venueId: 'sim', symbol, timeframe: '2h' }, ctx)
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/timeframe must be one of/) } })

    if (opened.ok) opened.value()
    const after = await core.router.invoke('market.health', {}, ctx)
    expect((after as { value: BookHealthView[] }).value).toEqual([])
    expect(core.market.activeLoops).toBe(0)
  })
})
