import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../src-main/store/open'
import { silentLogger } from '../../src-main/log'
import { SimHost } from '../../src-main/venues/sim/host'
import { migrationsDir, SIM_START, simClockCore, tempDir } from '../support/temp-core'

// The built-in simulated exchange is a replayable market: the same seed and the same start give the same
// books, trades and simulated traders' actions, however the time is run (so a test that walks the book, or a
// user rehearsing on it, meets the same market every time).

const START = SIM_START
/** How much market each run makes: by 3 minutes six simulated traders have acted and some have filled. */
const RUN = 3 * 60_000

const opened: { store: Store; sim: SimHost }[] = []
afterEach(async () => {
  for (const { store, sim } of opened.splice(0)) {
    await sim.stop()
    store.close()
  }
})

/** The simulated exchange as the app builds it (saved, with synthetic history and the simulated traders), held still. */
function exchange(seed: number, start: number): SimHost & { events: string[] } {
  const store = openStore(tempDir('co-sim-replay-'), migrationsDir)
  const sim = new SimHost({ db: store.db, log: silentLogger, mode: 'manual', persist: true, seed, now: () => start })
  opened.push({ store, sim })
  const events: string[] = []
  sim.engine.on((event) => events.push(JSON.stringify(event)))
  sim.start()
  return Object.assign(sim, { events })
}

/** Everything a user or a test can see of the market: books, trades, candles, and what each simulated trader did. */
function market(sim: SimHost) {
  const e = sim.engine
  return {
    now: e.now(),
    markets: e.markets().map(({ symbol }) => ({ symbol, book: e.book(symbol, 100), trades: e.trades(symbol, 1000), candles: e.candles(symbol, '1m', { limit: 200 }) })),
    traders: sim.runtime.traders().map((t) => ({ ...t, fills: e.fills(t.id), open: e.openOrders(t.id) })),
  }
}

const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex')

/** The first engine event where two runs part, for a readable failure. */
function sameEvents(a: string[], b: string[]): void {
  if (digest(a) === digest(b)) return
  const i = a.findIndex((line, k) => line !== b[k])
  expect.fail(`the runs part at engine event ${i === -1 ? b.length : i} of ${a.length}/${b.length}:\n${a[i] ?? '(none)'}\n${b[i] ?? '(none)'}`)
}

describe('the simulated exchange replays', () => {
  it('the same seed and start give the same books, trades and simulated traders’ actions, however the time is run', { timeout: 120_000 }, async () => {
    const a = exchange(7, START)
    const b = exchange(7, START)
    a.runtime.advance(RUN)
    for (let ran = 0; ran < RUN; ran += 7_000) {
      b.runtime.advance(Math.min(7_000, RUN - ran))
      await new Promise((r) => setTimeout(r, 1)) // the app's timers and promises get their turns in between
    }
    sameEvents(a.events, b.events)
    const seen = market(a)
    expect(market(b)).toEqual(seen)
    // A market, not an empty one: the traders acted and the books are two-sided.
    expect(seen.traders.filter((t) => t.lastAction !== null).length).toBeGreaterThanOrEqual(5)
    expect(seen.traders.reduce((n, t) => n + t.fills.length, 0)).toBeGreaterThan(0)
    for (const m of seen.markets) expect(m.book.bids.length > 0 && m.book.asks.length > 0).toBe(true)

    // Another seed is another market.
    const same = exchange(7, START)
    const other = exchange(8, START)
    same.runtime.advance(60_000)
    other.runtime.advance(60_000)
    const prices = (sim: SimHost) => sim.engine.trades('BTC/USDT', 1000).map((t) => [t.price, t.amount])
    expect(prices(same).length).toBeGreaterThan(0)
    expect(prices(other)).not.toEqual(prices(same))
  })
})

describe('simClockCore', () => {
  it('runs the same market every time without being given a start (tests that walk the book are not left to luck)', { timeout: 60_000 }, async () => {
    const sale = async () => {
      const core = simClockCore()
      try {
        core.sim.runtime.advance(30_000)
        const events: string[] = []
        core.sim.engine.on((event) => events.push(JSON.stringify(event)))
        const { fills } = core.sim.engine.placeOrder({ accountId: 'trader:mean-mia', clientOrderId: 'replay-sale', symbol: 'ETH/USDT', side: 'sell', type: 'market', amount: '5', timeInForce: 'IOC', postOnly: false })
        core.sim.runtime.advance(5_000)
        return { fills, events, market: market(core.sim) }
      } finally {
        await core.stop()
      }
    }
    const first = await sale()
    await new Promise((r) => setTimeout(r, 5)) // the wall clock moves on between the two
    const second = await sale()
    expect(second.fills).toEqual(first.fills)
    sameEvents(first.events, second.events)
    expect(second.market).toEqual(first.market)
  })
})
