import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { Balance } from '../../src-main/venues/port'
import { type SimEvent, type SimOrderInput, SimRejection } from '../../src-main/venues/sim/engine-api'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import type { SelfTradePrevention, SimMatchingEngine } from '../../src-main/venues/sim/matching/state'
import { defaultSimMarkets } from '../../src-main/venues/sim/markets'
import { mulberry32 } from '../support/seeded'

// Random order sequences (seeded) on every default market, with invariants checked after every call:
//  - money is neither created nor destroyed: per asset, balances + fees collected = what was paid in;
//  - no balance is negative, and each account's locked funds are exactly what its open orders reserve;
//  - the book is never crossed, and every level's total is the sum of its open orders' remainders;
//  - the last 'balance' event seen for an (account, asset) matches the balance.

const ACCOUNTS = ['alice', 'bob', 'carol', 'dave']
const FUNDING: Record<string, string> = { USDT: '2000000', BTC: '20', ETH: '500', SOL: '5000', XRP: '500000' }

function checkInvariants(engine: SimMatchingEngine, paidIn: Map<string, Decimal>, lastBalance: Map<string, Balance>) {
  // Plain checks collected into one assertion: `expect` per item would dominate the run time.
  const problems: string[] = []
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what)
  }
  const held = new Map<string, Decimal>()
  const add = (m: Map<string, Decimal>, k: string, v: Decimal.Value) => m.set(k, (m.get(k) ?? new Decimal(0)).plus(v))
  const levelSums = new Map<string, Decimal>()
  for (const account of ACCOUNTS) {
    const reserved = new Map<string, Decimal>()
    for (const o of engine.openOrders(account)) {
      const spec = engine.market(o.symbol)
      const remaining = new Decimal(o.amount).minus(o.filled)
      check(o.status === 'open' && remaining.gt(0), `open order ${o.venueOrderId} is ${o.status} with ${remaining.toFixed()} left`)
      if (o.side === 'buy') add(reserved, spec.quote, remaining.times(o.price as string))
      else add(reserved, spec.base, remaining)
      add(levelSums, `${o.symbol} ${o.side} ${o.price}`, remaining)
    }
    for (const b of engine.balances(account)) {
      check(new Decimal(b.free).gte(0), `${account} ${b.asset} free ${b.free} < 0`)
      const want = reserved.get(b.asset) ?? new Decimal(0)
      check(new Decimal(b.used).eq(want), `${account} ${b.asset} locked ${b.used}, orders reserve ${want.toFixed()}`)
      reserved.delete(b.asset)
      add(held, b.asset, b.total)
      const seen = lastBalance.get(`${account} ${b.asset}`)
      check(!seen || JSON.stringify(seen) === JSON.stringify(b), `${account} ${b.asset} last balance event is stale`)
    }
    for (const [asset, amount] of reserved) check(amount.isZero(), `${account} reserves ${asset} it does not hold`)
  }
  for (const [asset, amount] of Object.entries(engine.feesCollected())) add(held, asset, amount)
  for (const [asset, amount] of paidIn) {
    const now = held.get(asset) ?? new Decimal(0)
    check(now.eq(amount), `${asset}: balances + fees = ${now.toFixed()}, paid in ${amount.toFixed()}`)
  }
  for (const spec of engine.markets()) {
    const book = engine.book(spec.symbol)
    const bid = book.bids[0]
    const ask = book.asks[0]
    check(!bid || !ask || new Decimal(bid[0]).lt(ask[0]), `${spec.symbol} crossed: ${bid?.[0]} >= ${ask?.[0]}`)
    for (const [side, levels] of [
      ['buy', book.bids],
      ['sell', book.asks],
    ] as const) {
      for (const [price, amount] of levels) {
        const key = `${spec.symbol} ${side} ${price}`
        check(new Decimal(amount).eq(levelSums.get(key) ?? 0), `${key}: level ${amount}, orders ${levelSums.get(key)?.toFixed()}`)
        levelSums.delete(key)
      }
    }
  }
  check(levelSums.size === 0, `orders missing from the book: ${[...levelSums.keys()].join(', ')}`)
  if (problems.length > 0) expect(problems).toEqual([])
}

function run(seed: number, steps: number, selfTradePrevention: SelfTradePrevention) {
  let now = 1_700_000_000_000
  const engine = createMatchingEngine(defaultSimMarkets, { now: () => now, selfTradePrevention })
  const rnd = mulberry32(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  const paidIn = new Map<string, Decimal>()
  const lastBalance = new Map<string, Balance>()
  engine.on((e: SimEvent) => {
    if (e.type === 'balance') for (const b of e.balances) lastBalance.set(`${e.accountId} ${b.asset}`, b)
  })
  const credit = (asset: string, amount: Decimal.Value) =>
    paidIn.set(asset, (paidIn.get(asset) ?? new Decimal(0)).plus(amount))
  for (const account of ACCOUNTS) {
    for (const [asset, amount] of Object.entries(FUNDING)) {
      engine.deposit(account, asset, amount)
      credit(asset, amount)
    }
  }
  const counts = { placed: 0, rejected: 0, fills: 0, canceled: 0 }
  let n = 0
  for (let i = 0; i < steps; i++) {
    now += Math.floor(rnd() * 5000)
    const account = pick(ACCOUNTS)
    const spec = pick(defaultSimMarkets)
    const r = rnd()
    try {
      if (r < 0.2) {
        const open = engine.openOrders(account)
        if (open.length > 0) {
          const o = pick(open)
          engine.cancelOrder(account, o.symbol, rnd() < 0.5 ? { venueOrderId: o.venueOrderId } : { clientOrderId: o.clientOrderId })
          counts.canceled++
        }
      } else if (r < 0.23) {
        const asset = pick(Object.keys(FUNDING))
        const amount = new Decimal(FUNDING[asset] as string).div(100).toFixed()
        engine.deposit(account, asset, amount)
        credit(asset, amount)
      } else if (r < 0.235) {
        const before = engine.balances(account)
        engine.resetAccount(account, FUNDING)
        for (const b of before) credit(b.asset, new Decimal(b.total).neg())
        for (const [asset, amount] of Object.entries(FUNDING)) credit(asset, amount)
      } else {
        const tick = new Decimal(spec.tickSize)
        const step = new Decimal(spec.stepSize)
        const price = new Decimal(spec.initialPrice).times(1 + (rnd() - 0.5) * 0.01).toNearest(tick, Decimal.ROUND_DOWN)
        const value = new Decimal(spec.minNotional).times(0.8 + rnd() * 150)
        const amount = value.div(price).toNearest(step, Decimal.ROUND_DOWN)
        const market = r > 0.88
        const input: SimOrderInput = {
          accountId: account,
          clientOrderId: `c${++n}`,
          symbol: spec.symbol,
          side: rnd() < 0.5 ? 'buy' : 'sell',
          type: market ? 'market' : 'limit',
          amount: amount.toFixed(),
          price: market ? undefined : price.toFixed(),
          timeInForce: pick(['GTC', 'GTC', 'GTC', 'IOC', 'FOK'] as const),
          postOnly: !market && rnd() < 0.1,
        }
        const { fills } = engine.placeOrder(input)
        counts.placed++
        counts.fills += fills.length
      }
    } catch (err) {
      if (!(err instanceof SimRejection)) throw err
      counts.rejected++
    }
    checkInvariants(engine, paidIn, lastBalance)
  }
  return counts
}

describe('random order flow keeps the books honest and the money exact', () => {
  it.each([
    [1, 'expire-taker'],
    [42, 'expire-taker'],
    [2024, 'expire-taker'],
    [5, 'expire-maker'],
    [99, 'expire-maker'],
  ] as const)('seed %i with self-trade prevention %s', (seed, stp) => {
    const counts = run(seed, 1500, stp)
    // The flow really trades, rejects and cancels (otherwise the invariants prove little).
    expect(counts.fills).toBeGreaterThan(200)
    expect(counts.rejected).toBeGreaterThan(10)
    expect(counts.canceled).toBeGreaterThan(50)
  })

  it('seed 7 with self-trading allowed', () => {
    const counts = run(7, 1500, 'none')
    expect(counts.fills).toBeGreaterThan(200)
  })
})
