import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBinanceFixture, startFlow, type BinanceFixture } from '../support/binance/fixture'
import { startWsProxy, type WsProxy } from '../support/ws-proxy'
import { tempCore } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import type { AccountView, BookFrameView } from '../../src-main/api/contract'

// A Binance account whose exchange socket goes half-open: nothing arrives, nothing fails, and ccxt's own
// keep-alive would notice only after minutes. The silence restart must open a new connection.

const STALE_MS = 800
let fx: BinanceFixture
let proxy: WsProxy
let core: Core
let venueId: string

beforeAll(async () => {
  fx = await createBinanceFixture({ timings: { klineMs: 200, tickerMs: 200 } })
  proxy = await startWsProxy(fx.server.restUrl)
  core = tempCore({ market: { staleAfterMs: STALE_MS, checkEveryMs: 50, backoffMs: [100, 200, 400] } })
  const { apiKey, secret } = fx.keys.trader
  const reply = await core.router.invoke(
    'accounts.add',
    { exchange: 'binance', label: 'Binance test', apiBaseUrl: proxy.url, credentials: { apiKey, secret } },
    { door: 'test' },
  )
  if (!reply.ok) throw new Error(reply.error.message)
  venueId = (reply.value as AccountView).id
})

afterAll(async () => {
  await core.stop()
  await proxy.close()
  await fx.close()
})

function openBook(symbol: string): { frames: BookFrameView[]; stop: () => void } {
  const frames: BookFrameView[] = []
  const opened = core.streams.open('market.book', { venueId, symbol, depth: 10 }, (f) => frames.push(f as BookFrameView))
  if (!opened.ok) throw new Error(opened.error.message)
  return { frames, stop: opened.value }
}

describe('a half-open exchange socket', () => {
  it('the silent book comes back live on a new connection, and so do the markets sharing that socket', async () => {
    const btc = openBook('BTC/USDT')
    const eth = openBook('ETH/USDT')
    const flows = [startFlow(fx.engine, 'BTC/USDT', '95000', '10', 20, 3), startFlow(fx.engine, 'ETH/USDT', '3400', '1', 20, 5)]
    try {
      await waitFor(() => btc.frames.at(-1)?.status === 'live' && eth.frames.at(-1)?.status === 'live', 'both live', 8000)
      const opened = proxy.wsOpened
      const before = { btc: btc.frames.length, eth: eth.frames.length }
      proxy.freezeWs()
      await waitFor(() => btc.frames.slice(before.btc).some((f) => f.status === 'stale'), 'BTC stale', 5000)
      // Within a few backoff steps of the silence, not after ccxt's keep-alive (minutes).
      await waitFor(() => btc.frames.at(-1)?.status === 'live', 'BTC live again', 6000)
      await waitFor(() => eth.frames.slice(before.eth).some((f) => f.status !== 'live') && eth.frames.at(-1)?.status === 'live', 'ETH live again', 6000)
      expect(proxy.wsOpened).toBeGreaterThan(opened)
      // Live means following the exchange again: once the flows stop, the view comes to the server's top of book.
      for (const f of flows) f()
      const top = fx.engine.book('BTC/USDT', 1)
      const showsTop = () => btc.frames.at(-1)?.bids[0]?.[0] === Number(top.bids[0]?.[0]) && btc.frames.at(-1)?.asks[0]?.[0] === Number(top.asks[0]?.[0])
      await waitFor(showsTop, 'the BTC view at the server top of book', 6000)
      expect(btc.frames.at(-1)?.status).toBe('live')
    } finally {
      for (const f of flows) f()
      btc.stop()
      eth.stop()
    }
  }, 30_000)
})
