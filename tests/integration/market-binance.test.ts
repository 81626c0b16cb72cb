import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, startFlow, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import { streams } from '../../src-main/api/contract'
import type { AccountView, AggregateFrame, BookFrameView, BookHealthView, CandlesHistory, LiveCandle, TickerFrame, TradesBatch } from '../../src-main/api/contract'

// The market module over a real exchange account: ccxt.pro against the local Binance server, through the
// contract's streams (core.streams) and commands. Faults: sequence gaps, dropped sockets, a silent socket.

const BTC = 'BTC/USDT'
const STALE_MS = 600
const ctx = { door: 'test' } as const
let fx: BinanceFixture
let core: Core
let venueId: string

beforeAll(async () => {
  fx = await createBinanceFixture({ timings: { klineMs: 200, tickerMs: 200 } })
  core = tempCore({ market: { staleAfterMs: STALE_MS, checkEveryMs: 50, backoffMs: [100, 200, 400] } })
  const { apiKey, secret } = fx.keys.trader
  const reply = await core.router.invoke(
    'accounts.add',
    { exchange: 'binance', label: 'Binance test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } },
    ctx,
  )
  if (!reply.ok) throw new Error(reply.error.message)
  venueId = (reply.value as AccountView).id
})

afterAll(async () => {
  await core.stop()
  await fx.close()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function openBook(params: Record<string, unknown>): { frames: BookFrameView[]; stop: () => void } {
  const frames: BookFrameView[] = []
  const opened = core.streams.open('market.book', params, (f) => frames.push(f as BookFrameView))
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`)
  return { frames, stop: opened.value }
}

const num = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)])

/** The last frame shows exactly the server's top `depth` levels. */
function equalsServer(frames: BookFrameView[], depth: number): boolean {
  const f = frames.at(-1)
  if (f?.status !== 'live') return false
  const book = fx.engine.book(BTC, depth)
  return JSON.stringify([f.bids, f.asks]) === JSON.stringify([num(book.bids), num(book.asks)])
}

function health(): BookHealthView | undefined {
  return core.market.health().find((h) => h.venueId === venueId && h.symbol === BTC)
}

describe('market data from a Binance account', () => {
  it('streams a live book equal to the server book, in the contract shape', async () => {
    const { frames, stop } = openBook({ venueId, symbol: BTC, depth: 20 })
    try {
      await waitFor(() => equalsServer(frames, 20), 'live book equal to the server', 5000)
      const last = frames.at(-1) as BookFrameView
      expect(last).toMatchObject({ venueId, symbol: BTC, status: 'live', reason: null, tick: '0.01', group: null })
      expect(last.bids).toHaveLength(20)
      expect(last.spread).toBeGreaterThan(0)
      for (const f of frames) expect(streams['market.book'].payload.safeParse(f).success).toBe(true)
      // Under a flow the view keeps following the server.
      const stopFlow = startFlow(fx.engine, BTC, '95000', '10', 10, 3)
      await sleep(500)
      stopFlow()
      await waitFor(() => equalsServer(frames, 20), 'book equal to the server after the flow', 10_000)
    } finally {
      stop()
    }
    expect(health()).toBeUndefined() // the last view closed: the loop stopped
  })

  it('skipSequence: resyncing with the reason, then live and equal to the server', async () => {
    const { frames, stop } = openBook({ venueId, symbol: BTC, depth: 10 })
    const stopFlow = startFlow(fx.engine, BTC, '95000', '10', 10, 11)
    try {
      await waitFor(() => frames.at(-1)?.status === 'live', 'live', 5000)
      const before = frames.length
      fx.server.faults.skipSequence(BTC, 1)
      await waitFor(() => frames.slice(before).some((f) => f.status === 'resyncing'), 'resyncing', 3000)
      const resync = frames.slice(before).find((f) => f.status === 'resyncing')
      // Binance sends no checksum: ccxt's ChecksumError there is an update-id gap.
      expect(resync?.reason).toBe('sequence gap')
      stopFlow()
      // How fast is for tests/bench; here: it does get back to equal to the server.
      await waitFor(() => equalsServer(frames, 10), 'equal to the server after the gap', 10_000)
      const h = health()
      expect(h?.counters.gaps).toBeGreaterThanOrEqual(1)
      expect(h?.counters.checksumFailures).toBe(0)
    } finally {
      stopFlow()
      stop()
    }
  })

  it('dropSockets: stale (socket closed) or resyncing, then live again', async () => {
    const { frames, stop } = openBook({ venueId, symbol: BTC, depth: 10 })
    const stopFlow = startFlow(fx.engine, BTC, '95000', '10', 10, 23)
    try {
      await waitFor(() => frames.at(-1)?.status === 'live', 'live', 5000)
      const before = frames.length
      fx.server.faults.dropSockets()
      await waitFor(() => frames.slice(before).some((f) => f.status !== 'live'), 'not live after the drop', 3000)
      const down = frames.slice(before).find((f) => f.status !== 'live')
      expect(down?.status === 'stale' ? down.reason : 'resyncing').toMatch(/socket closed|resyncing/)
      await waitFor(() => frames.at(-1)?.status === 'live', 'live again', 3000)
      stopFlow()
      await waitFor(() => equalsServer(frames, 10), 'equal to the server after the reconnect', 10_000)
    } finally {
      stopFlow()
      stop()
    }
  })

  it('a silent socket past the threshold is stale with the reason; the watch restarts and it is live again', async () => {
    const { frames, stop } = openBook({ venueId, symbol: BTC, depth: 10 })
    const stopFlow = startFlow(fx.engine, BTC, '95000', '10', 10, 31)
    try {
      await waitFor(() => frames.at(-1)?.status === 'live', 'live', 5000)
      const before = frames.length
      fx.server.faults.delay(STALE_MS * 3, 'ws')
      await waitFor(() => frames.slice(before).some((f) => f.status === 'stale'), 'stale', 5000)
      const stale = frames.slice(before).find((f) => f.status === 'stale')
      expect(stale?.reason).toMatch(/^no message since \d\d:\d\d:\d\d UTC$/)
      expect(stale?.silentSince).toEqual(expect.any(Number))
      fx.server.faults.delay(0, 'ws')
      await waitFor(() => frames.at(-1)?.status === 'live', 'live after the silence', 8000)
      expect(health()?.counters.staleEvents).toBeGreaterThanOrEqual(1)
      expect(health()?.counters.restarts).toBeGreaterThanOrEqual(1)
      stopFlow()
      await waitFor(() => equalsServer(frames, 10), 'equal to the server after the silence', 3000)
    } finally {
      fx.server.faults.reset()
      stopFlow()
      stop()
    }
  })

  it('merges the account and the simulated exchange in one aggregate, with best prices per venue', async () => {
    const frames: AggregateFrame[] = []
    const opened = core.streams.open('market.aggregate', { base: 'BTC', quote: 'USDT', venueIds: ['sim', venueId], depth: 10 }, (f) => frames.push(f as AggregateFrame))
    if (!opened.ok) throw new Error(opened.error.message)
    try {
      await waitFor(() => (frames.at(-1)?.best.filter((b) => b.status === 'live').length ?? 0) === 2, 'both venues live', 5000)
      const last = frames.at(-1) as AggregateFrame
      expect(last.quote).toBe('USD')
      expect([...last.venues].sort()).toEqual(['sim', venueId].sort())
      const binance = last.best.find((b) => b.venueId === venueId)
      const top = fx.engine.book(BTC, 1)
      expect(binance).toMatchObject({ bid: Number(top.bids[0]?.[0]), ask: Number(top.asks[0]?.[0]), status: 'live' })
      // Merged levels: sizes are the sum of the venues' shares, best first.
      for (const l of last.bids) expect(l.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(l.size, 9)
      for (let i = 1; i < last.bids.length; i++) expect(last.bids[i]!.price).toBeLessThan(last.bids[i - 1]!.price)
      for (let i = 1; i < last.asks.length; i++) expect(last.asks[i]!.price).toBeGreaterThan(last.asks[i - 1]!.price)
      for (const f of frames) expect(streams['market.aggregate'].payload.safeParse(f).success).toBe(true)
      if (last.arbitrage !== null) expect(last.arbitrage.sellPrice).toBeGreaterThan(last.arbitrage.buyPrice)
    } finally {
      opened.value()
    }
    expect(health()).toBeUndefined()
  })

  it('ticker and the forming candle from the account', async () => {
    const tickers: TickerFrame[] = []
    const candles: LiveCandle[] = []
    const t = core.streams.open('market.ticker', { venueId, symbol: BTC }, (f) => tickers.push(f as TickerFrame))
    const c = core.streams.open('market.candles.live', { venueId, symbol: BTC, timeframe: '1m' }, (f) => candles.push(f as LiveCandle))
    if (!t.ok || !c.ok) throw new Error('could not open')
    const stopFlow = startFlow(fx.engine, BTC, '95000', '10', 10, 53)
    try {
      await waitFor(() => tickers.length > 0 && candles.length > 1, 'a ticker and candle updates', 5000)
    } finally {
      stopFlow()
    }
    await sleep(400)
    try {
      for (const f of tickers) expect(streams['market.ticker'].payload.safeParse(f).success).toBe(true)
      for (const f of candles) expect(streams['market.candles.live'].payload.safeParse(f).success).toBe(true)
      const forming = fx.engine.candles(BTC, '1m', { limit: 1 })[0]
      await waitFor(() => candles.at(-1)?.candle.close === Number(forming?.close), 'the candle close equal to the server', 10_000)
      expect(candles.at(-1)?.candle.time).toBe(forming?.time)
      expect(candles.at(-1)?.candle.high).toBeLessThanOrEqual(Number(forming?.high))
    } finally {
      t.value()
      c.value()
    }
  })

  it('trades, candles and unknown symbols', async () => {
    const batches: TradesBatch[] = []
    const opened = core.streams.open('market.trades', { venueId, symbol: BTC }, (b) => batches.push(b as TradesBatch))
    if (!opened.ok) throw new Error(opened.error.message)
    const stopFlow = startFlow(fx.engine, BTC, '95000', '10', 10, 41)
    try {
      await waitFor(() => batches.length > 0, 'a trades batch', 5000)
      for (const b of batches) expect(streams['market.trades'].payload.safeParse(b).success).toBe(true)
    } finally {
      stopFlow()
      opened.value()
    }
    const reply = await core.router.invoke('market.candles', { venueId, symbol: BTC, timeframe: '1m', limit: 5 }, ctx)
    expect(reply.ok).toBe(true)
    const history = (reply as { value: CandlesHistory }).value
    const expected = fx.engine.candles(BTC, '1m', { limit: 5 })
    expect(history.candles.map((c) => c.time)).toEqual(expected.map((c) => c.time))
    expect(history.candles.at(-1)?.close).toBe(Number(expected.at(-1)?.close))

    expect(core.streams.open('market.book', { venueId: 'nope', symbol: BTC }, () => {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    // The account's markets are known by now: an unknown symbol is refused at once.
    expect(core.streams.open('market.book', { venueId, symbol: 'NOPE/USDT' }, () => {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: `No market NOPE/USDT on ${venueId}` },
    })
  })
})
