import { describe, expect, it } from 'vitest'
import { refillHarness } from './market-trades-refill-support'
import type { TradesOut } from '../../src-main/market/stream-feeds'

// A note on the tape ("trades between … may be missing") goes out once, live. A viewer who opens the tape
// later gets the recent trades as its first batch: the note must come with them while the trades it is about
// are still among them, else the new viewer sees a tape with a hole it does not know about.

/** A venue that gives only its newest `newest` trades: a refill after a busy outage leaves a hole and a note. */
function newestOnly(newest = 100) {
  return refillHarness({
    fetchTradesAfter: (exchange) => async (_s, _after, limit) => exchange.slice(-Math.min(limit, newest)),
    feed: { historySize: 100 },
    run: { rounds: 10, stepMs: 100 },
    amount: (n) => `0.00${(n % 9) + 1}`,
  })
}

/** A viewer opening the tape now: what it gets first. */
function join(s: ReturnType<typeof newestOnly>): TradesOut | undefined {
  const got: TradesOut[] = []
  s.feed.add((b) => got.push(b))
  return got[0]
}

describe('a note on the tape, for a viewer who opens it later', () => {
  it('comes with the recent trades a new viewer gets first, while the trades it is about are among them', async () => {
    // 250 missed, the newest 90 read: the 100 a new viewer gets hold the 3 shown before the hole and those after it
    const s = newestOnly(90)
    await s.liveThenDrop(3)
    await s.reconnect(250, 5)
    const note = s.notes()[0]
    expect(note).toMatch(/may be missing/)
    const first = join(s)
    expect(first?.history).toBe(true)
    expect(first?.trades.slice(0, 3).map((t) => t.id)).toEqual(s.shown().slice(0, 3))
    expect(first?.note).toBe(note)
    s.feed.close()
  })

  it('no longer once the recent trades a new viewer gets are all from after it', async () => {
    const s = newestOnly()
    await s.liveThenDrop(3)
    await s.reconnect(250, 5)
    expect(s.notes()).toHaveLength(1)
    s.trade(150, true) // more than the 100 recent trades kept
    await s.run()
    const first = join(s)
    expect(first?.trades).toHaveLength(100)
    expect(first?.note).toBeUndefined()
    s.feed.close()
  })

  it('not when the hole lies before the recent trades it gets, though they came in the batch the note rode on', async () => {
    // 400 missed, the exchange gives its newest 300: the hole is 200 trades before the 100 a new viewer gets
    const s = newestOnly(300)
    await s.liveThenDrop(3)
    await s.reconnect(400, 5)
    expect(s.notes()).toHaveLength(1)
    const first = join(s)
    expect(first?.trades).toHaveLength(100)
    const holeEnd = s.batches.find((b) => b.note !== undefined)!.trades[0]!.timestamp
    expect(first!.trades[0]!.timestamp).toBeGreaterThan(holeEnd)
    expect(first?.note).toBeUndefined()
    s.feed.close()
  })

  it('a note that came with no trade (nothing read, none live yet) reaches a new viewer too', async () => {
    const s = refillHarness({
      fetchTradesAfter: () => async () => {
        throw new Error('exchange down')
      },
      feed: { historySize: 100 },
      run: { rounds: 10, stepMs: 100 },
      amount: (n) => `0.00${(n % 9) + 1}`,
    })
    await s.liveThenDrop(3)
    await s.reconnect(20)
    const note = s.notes()[0]
    expect(note).toMatch(/could not be fetched/)
    expect(join(s)?.note).toBe(note)
    s.feed.close()
  })
})
