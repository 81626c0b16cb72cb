import Decimal from 'decimal.js'
import { performance } from 'node:perf_hooks'
import type { MatchingEngine } from '../../../src-main/venues/sim/engine-api'

// The stream bench's load: every market's book changes `perSecond` times a second, each change tick leaving
// the exchange as its own depth message. Runs inside the exchange process (./exchange-process.ts).

export interface FlowMarket {
  symbol: string
  mid: string
  unit: string
}

export interface PacedFlow {
  stop(): void
  /** Change ticks done so far (each tick changes every market once). */
  ticks(): number
  /** Ticks skipped because the loop fell more than a second behind (dropped, not burst). */
  dropped(): number
  /** Orders the engine refused (a refused order changes nothing). */
  rejected(): number
  /** Market ticks that left a book unchanged (should stay 0: each one is a depth message not sent). */
  unchanged(): number
  /** Per timer wake-up: [wall time, ms late against the schedule, ticks emitted in that wake-up]. */
  wakes(): [number, number, number][]
}

const BACKLOG_LIMIT_MS = 1000

/**
 * Changes every market's book `perSecond` times a second on an absolute schedule: each timer wake-up emits
 * every tick due by now (so a late timer costs burstiness, not rate), then sleeps until the next one is due.
 * Each tick places one limit order per market within -8..+31 units of its mid on its own side (about one in
 * five trades), sized 1.2–11× the minimum notional, and cancels the oldest beyond 30 open; `afterTick` then
 * flushes the tick's changes as their own depth message. Buys and sells come from two accounts per market:
 * with one account, a crossing order would meet its own resting order and be expired by the engine's
 * self-trade prevention without touching the book (about one tick in five: a message never sent).
 * Deterministic prices and sizes.
 */
export function startPacedFlow(engine: MatchingEngine, markets: readonly FlowMarket[], perSecond: number, afterTick: () => void): PacedFlow {
  const flows = markets.map((m) => {
    const spec = engine.market(m.symbol)
    const accounts = { buy: `bench-buyer-${m.symbol}`, sell: `bench-seller-${m.symbol}` }
    for (const account of Object.values(accounts)) {
      engine.deposit(account, spec.base, '1000000000')
      engine.deposit(account, spec.quote, '1000000000')
    }
    return { ...m, spec, accounts }
  })
  const changed = new Set<string>()
  const unlisten = engine.on((event) => {
    if (event.type === 'book') changed.add(event.symbol)
  })
  let state = 12_345
  const rnd = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
  const period = 1000 / perSecond
  let start = performance.now()
  let n = 0
  let dropped = 0
  let rejected = 0
  let unchanged = 0
  const wakes: [number, number, number][] = []
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const tick = () => {
    n++
    changed.clear()
    for (const m of flows) {
      const side = rnd() < 0.5 ? 'buy' : 'sell'
      const price = new Decimal(m.mid).plus(new Decimal(m.unit).times(Math.floor(rnd() * 40) - 8).times(side === 'buy' ? -1 : 1))
      const amount = new Decimal(m.spec.minNotional)
        .times(1.2 + rnd() * 10)
        .div(price)
        .div(m.spec.stepSize)
        .ceil()
        .times(m.spec.stepSize)
      const account = m.accounts[side]
      try {
        engine.placeOrder({
          accountId: account,
          clientOrderId: `bench-${n}`,
          symbol: m.symbol,
          side,
          type: 'limit',
          amount: Decimal.max(amount, m.spec.minAmount).toFixed(),
          price: price.toFixed(),
          timeInForce: 'GTC',
          postOnly: false,
        })
      } catch {
        rejected++
      }
      const open = engine.openOrders(account, m.symbol)
      for (const o of open.slice(0, Math.max(0, open.length - 30))) engine.cancelOrder(account, m.symbol, { venueOrderId: o.venueOrderId })
      if (!changed.has(m.symbol)) unchanged++
    }
    afterTick()
  }

  const wake = () => {
    if (stopped) return
    const now = performance.now()
    let due = Math.floor((now - start) / period)
    if ((due - n) * period > BACKLOG_LIMIT_MS) {
      // More than a second behind (the process was not scheduled): drop the backlog rather than burst it.
      const keep = Math.floor(BACKLOG_LIMIT_MS / period)
      dropped += due - n - keep
      start += (due - n - keep) * period
      due = n + keep
    }
    const late = now - (start + (n + 1) * period)
    let emitted = 0
    while (n < due && !stopped) {
      tick()
      emitted++
    }
    wakes.push([performance.timeOrigin + now, Math.max(0, late), emitted])
    if (wakes.length > 20_000) wakes.splice(0, 10_000)
    timer = setTimeout(wake, Math.max(0, start + (n + 1) * period - performance.now()))
  }
  start = performance.now()
  timer = setTimeout(wake, period)
  return {
    stop: () => {
      stopped = true
      clearTimeout(timer)
      unlisten()
    },
    ticks: () => n,
    dropped: () => dropped,
    rejected: () => rejected,
    unchanged: () => unchanged,
    wakes: () => wakes,
  }
}
