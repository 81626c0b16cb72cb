import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import type { BookFrameView, TradesBatch, VenueView } from '../../src-main/api/contract'
import type { Fill, MarketInfo, Venue } from '../../src-main/venues/port'

// A paper account on Binance's public data only (a key-less ccxt venue pointed at the local Binance
// server): its orders are matched against the live book and trades the engine watches over WebSocket,
// and nothing ever reaches the server's order endpoints.

const BTC = 'BTC/USDT'
const ctx = { door: 'test' } as const
let fx: BinanceFixture
let core: Core
let venue: Venue
let market: MarketInfo
const fills: Fill[] = []

beforeAll(async () => {
  fx = await createBinanceFixture()
  core = tempCore()
  const reply = await core.router.invoke(
    'paper.open',
    { source: { kind: 'exchange', exchange: 'binance', apiBaseUrl: fx.server.restUrl }, balances: [{ asset: 'USDT', amount: '200000' }] },
    ctx,
  )
  if (!reply.ok) throw new Error(reply.error.message)
  expect(reply.value).toMatchObject({ id: 'paper:1', kind: 'paper', exchange: 'binance', connection: 'live', label: `Paper · Binance (${new URL(fx.server.restUrl).host})` })
  venue = await core.venues.open('paper:1')
  market = (await venue.loadMarkets()).find((m) => m.symbol === BTC)!
  venue.watchMyFills((f) => fills.push(f), () => undefined)
})

afterAll(async () => {
  await core?.stop()
  await fx?.close()
})

const num = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)])

describe('paper trading on the local Binance server', () => {
  it('a market buy fills at the prices of the server’s live book, with the taker fee', async () => {
    const frames: BookFrameView[] = []
    const opened = core.streams.open('market.book', { venueId: 'paper:1', symbol: BTC, depth: 20 }, (f) => frames.push(f as BookFrameView))
    if (!opened.ok) throw new Error(opened.error.message)
    try {
      const server = () => fx.engine.book(BTC, 20)
      await waitFor(
        () => frames.at(-1)?.status === 'live' && JSON.stringify([frames.at(-1)?.bids, frames.at(-1)?.asks]) === JSON.stringify([num(server().bids), num(server().asks)]),
        'the paper venue’s book equal to the server’s',
        8000,
      )
      // Expected: walk the server's asks for 1.2 BTC.
      let left = new Decimal('1.2')
      const expected: [string, string][] = []
      for (const [price, size] of server().asks) {
        if (left.isZero()) break
        const take = Decimal.min(left, size)
        expected.push([new Decimal(price).toFixed(), take.toFixed()])
        left = left.minus(take)
      }
      expect(expected.length).toBe(3) // the ladder has 0.5 per level: three levels are walked
      const cost = expected.reduce((s, [p, a]) => s.plus(new Decimal(p).times(a)), new Decimal(0))

      const placed = await venue.placeOrder({ clientOrderId: 'paper-m1', symbol: BTC, side: 'buy', type: 'market', amount: '1.2', timeInForce: 'GTC', postOnly: false })
      expect(placed).toMatchObject({ status: 'closed', filled: '1.2', cost: cost.toFixed() })
      expect(fills.map((f) => [f.price, f.amount])).toEqual(expected)
      expect(fills.every((f) => f.liquidity === 'taker' && f.fee.asset === 'USDT')).toBe(true)
      const fee = cost.times(market.takerFee)
      expect(fills.reduce((s, f) => s.plus(f.fee.amount), new Decimal(0)).toFixed()).toBe(fee.toFixed())
      const balances = await venue.fetchBalances()
      expect(balances).toEqual([
        { asset: 'BTC', free: '1.2', used: '0', total: '1.2' },
        { asset: 'USDT', free: new Decimal(200000).minus(cost).minus(fee).toFixed(), used: '0', total: new Decimal(200000).minus(cost).minus(fee).toFixed() },
      ])
      // The server's book did not move: the order never reached it.
      expect(server().asks.slice(0, 3).map(([, q]) => Number(q))).toEqual([0.5, 0.5, 0.5])
    } finally {
      opened.value()
    }
  })

  it('a resting limit buy fills when the server’s flow trades through its price', async () => {
    // The tape of the paper venue is the engine's shared trades loop; wait until it carries a live trade.
    const batches: TradesBatch[] = []
    const tape = core.streams.open('market.trades', { venueId: 'paper:1', symbol: BTC }, (b) => batches.push(b as TradesBatch))
    if (!tape.ok) throw new Error(tape.error.message)
    try {
      const sellMarket = (clientOrderId: string, amount: string) =>
        fx.engine.placeOrder({ accountId: 'bob', clientOrderId, symbol: BTC, side: 'sell', type: 'market', amount, timeInForce: 'IOC', postOnly: false })
      let probe = 0
      await waitFor(
        () => {
          if (batches.some((b) => !b.history && b.trades.length > 0)) return true
          sellMarket(`probe-${++probe}`, '0.001')
          return false
        },
        'a live trade on the paper venue’s tape',
        8000,
      )

      const bestBid = new Decimal(fx.engine.book(BTC, 1).bids[0]![0])
      const price = bestBid.minus(5) // between two ladder levels: nothing visible ahead of it
      const placed = await venue.placeOrder({ clientOrderId: 'paper-l1', symbol: BTC, side: 'buy', type: 'limit', price: price.toFixed(), amount: '0.3', timeInForce: 'GTC', postOnly: false })
      expect(placed).toMatchObject({ status: 'open', filled: '0' })
      const reserved = price.times('0.3').times(new Decimal(1).plus(market.makerFee))
      expect((await venue.fetchBalances()).find((b) => b.asset === 'USDT')?.used).toBe(reserved.toFixed())

      // The flow sells through the best bid and the next level below our price.
      const before = fills.length
      sellMarket('sweep-1', '0.8')
      await waitFor(async () => (await venue.fetchOrder(BTC, { clientOrderId: 'paper-l1' }))?.status === 'closed', 'the resting buy filled', 5000)
      const mine = fills.slice(before)
      expect(mine.map((f) => [f.price, f.amount, f.liquidity])).toEqual([[price.toFixed(), '0.3', 'maker']])
      expect(mine[0]?.fee.amount).toBe(price.times('0.3').times(market.makerFee).toFixed())
      expect((await venue.fetchBalances()).find((b) => b.asset === 'BTC')?.total).toBe('1.5')
      expect((await venue.fetchBalances()).find((b) => b.asset === 'USDT')?.used).toBe('0')
    } finally {
      tape.value()
    }
  })

  it('nothing was ever sent to the server’s order or account endpoints, and no key was used', () => {
    const requests = fx.server.faults.requests as { method: string; path: string; apiKey: string | undefined }[]
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.filter((r) => /^\/api\/v3\/(order|openOrders|myTrades|account)/.test(r.path) || r.path.startsWith('/sapi/'))).toEqual([])
    expect(requests.filter((r) => r.apiKey !== undefined)).toEqual([])
    expect(fx.server.faults.wsMessages.filter((m) => m.path.includes('ws-api'))).toEqual([])
  })

  it('an exchange that cannot be reached is refused at paper.open and nothing is stored', async () => {
    const reply = await core.router.invoke('paper.open', { source: { kind: 'exchange', exchange: 'binance', apiBaseUrl: 'http://127.0.0.1:1' } }, ctx)
    expect(reply.ok).toBe(false)
    if (!reply.ok) {
      expect(reply.error.code).toBe('UNAVAILABLE')
      expect(reply.error.message).toMatch(/^Could not reach Binance for a paper account: /)
    }
    const list = await core.router.invoke('venues.list', {}, ctx)
    expect(list.ok && (list.value as VenueView[]).filter((v) => v.kind === 'paper').map((v) => v.id)).toEqual(['paper:1'])
  })
})
