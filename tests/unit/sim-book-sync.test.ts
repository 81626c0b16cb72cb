import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { BookLevel } from '../../src-main/venues/port'
import { type SimEvent, type SimMarketSpec, SimRejection } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { mulberry32 } from '../support/seeded'

// A consumer keeping a local book the Binance way ("How to manage a local order book correctly"): buffer
// the diff stream, take a snapshot, drop diffs at or below its update id, check the first applied diff
// straddles it, then require firstSeq = previous seq + 1. The replayed book must equal the engine's.

const SPEC: SimMarketSpec = {
  symbol: 'ETH/USDT',
  base: 'ETH',
  quote: 'USDT',
  tickSize: '0.01',
  stepSize: '0.001',
  minAmount: '0.001',
  minNotional: '1',
  makerFee: '0.001',
  takerFee: '0.001',
  initialPrice: '2000.00',
}

type BookEvent = Extract<SimEvent, { type: 'book' }>

function randomFlow(seed: number) {
  const engine = createMatchingEngine([SPEC], { now: () => 1_700_000_000_000 })
  const rnd = mulberry32(seed)
  const accounts = ['a', 'b', 'c']
  for (const a of accounts) {
    engine.deposit(a, 'USDT', '10000000')
    engine.deposit(a, 'ETH', '10000')
  }
  let n = 0
  const step = () => {
    const account = accounts[Math.floor(rnd() * accounts.length)] as string
    const r = rnd()
    try {
      if (r < 0.15) {
        const open = engine.openOrders(account, SPEC.symbol)
        const victim = open[Math.floor(rnd() * open.length)]
        if (victim) engine.cancelOrder(account, SPEC.symbol, { venueOrderId: victim.venueOrderId })
        return
      }
      const side = rnd() < 0.5 ? 'buy' : 'sell'
      const price = (2000 + Math.round((rnd() - 0.5) * 400) / 100).toFixed(2)
      const amount = (Math.floor(rnd() * 3000) / 1000 + 0.001).toFixed(3)
      const market = r > 0.95
      engine.placeOrder({
        accountId: account,
        clientOrderId: `o${++n}`,
        symbol: SPEC.symbol,
        side,
        type: market ? 'market' : 'limit',
        amount,
        price: market ? undefined : price,
        timeInForce: rnd() < 0.8 ? 'GTC' : 'IOC',
        postOnly: false,
      })
    } catch (err) {
      if (!(err instanceof SimRejection)) throw err
    }
  }
  return { engine, step }
}

function apply(levels: Map<string, string>, changes: BookLevel[]) {
  for (const [price, amount] of changes) {
    if (new Decimal(amount).isZero()) levels.delete(price)
    else levels.set(price, amount)
  }
}

function sorted(levels: Map<string, string>, descending: boolean): BookLevel[] {
  return [...levels.entries()].sort((a, b) => (descending ? -1 : 1) * new Decimal(a[0]).cmp(b[0]))
}

describe('book update ids and snapshot + diff sync', () => {
  it('update ids are gapless, and each event covers exactly the levels it carries', () => {
    const { engine, step } = randomFlow(7)
    const books: BookEvent[] = []
    engine.on((e) => {
      if (e.type === 'book') books.push(e)
    })
    for (let i = 0; i < 2000; i++) step()
    expect(books.length).toBeGreaterThan(1000)
    let last = 0
    for (const e of books) {
      expect(e.firstSeq).toBe(last + 1)
      expect(e.seq - e.firstSeq + 1).toBe(e.bids.length + e.asks.length)
      last = e.seq
    }
    expect(engine.book(SPEC.symbol).sequence).toBe(last)
  })

  it.each([1, 2, 3])('a snapshot taken mid-stream plus the buffered diffs replays to the live book (seed %i)', (seed) => {
    const { engine, step } = randomFlow(seed)
    const buffer: BookEvent[] = []
    engine.on((e) => {
      if (e.type === 'book') buffer.push(e)
    })
    for (let i = 0; i < 500; i++) step()
    const snapshot = engine.book(SPEC.symbol)
    for (let i = 0; i < 1500; i++) step()

    const bids = new Map(snapshot.bids)
    const asks = new Map(snapshot.asks)
    let last = snapshot.sequence as number
    let first = true
    for (const e of buffer) {
      if (e.seq <= last) continue
      if (first) {
        expect(e.firstSeq).toBeLessThanOrEqual(last + 1)
        first = false
      } else {
        expect(e.firstSeq).toBe(last + 1)
      }
      apply(bids, e.bids)
      apply(asks, e.asks)
      last = e.seq
    }
    const live = engine.book(SPEC.symbol)
    expect(last).toBe(live.sequence)
    expect(sorted(bids, true)).toEqual(live.bids)
    expect(sorted(asks, false)).toEqual(live.asks)
    // And the live book is never crossed.
    const bestBid = live.bids[0]
    const bestAsk = live.asks[0]
    if (bestBid && bestAsk) expect(new Decimal(bestBid[0]).lt(bestAsk[0])).toBe(true)
  })

  it('depth limits each side and levels are ordered best first', () => {
    const { engine, step } = randomFlow(11)
    for (let i = 0; i < 300; i++) step()
    const full = engine.book(SPEC.symbol)
    const top = engine.book(SPEC.symbol, 5)
    expect(top.bids).toEqual(full.bids.slice(0, 5))
    expect(top.asks).toEqual(full.asks.slice(0, 5))
    expect(engine.book(SPEC.symbol, 0)).toMatchObject({ bids: [], asks: [] })
    for (let i = 1; i < full.bids.length; i++) {
      expect(new Decimal((full.bids[i - 1] as BookLevel)[0]).gt((full.bids[i] as BookLevel)[0])).toBe(true)
    }
    for (let i = 1; i < full.asks.length; i++) {
      expect(new Decimal((full.asks[i - 1] as BookLevel)[0]).lt((full.asks[i] as BookLevel)[0])).toBe(true)
    }
  })

  it('a rejected call consumes no update id', () => {
    const { engine } = randomFlow(1)
    engine.placeOrder({
      accountId: 'a',
      clientOrderId: 'x',
      symbol: SPEC.symbol,
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '1990.00',
      timeInForce: 'GTC',
      postOnly: false,
    })
    const seq = engine.book(SPEC.symbol).sequence
    expect(() =>
      engine.placeOrder({
        accountId: 'a',
        clientOrderId: 'y',
        symbol: SPEC.symbol,
        side: 'buy',
        type: 'limit',
        amount: '1',
        price: '1990.001',
        timeInForce: 'GTC',
        postOnly: false,
      }),
    ).toThrow(SimRejection)
    expect(engine.book(SPEC.symbol).sequence).toBe(seq)
  })
})
