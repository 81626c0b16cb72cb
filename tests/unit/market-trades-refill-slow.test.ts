import { describe, expect, it } from 'vitest'
import { VenueError, type PublicTrade, type TradeCursor } from '../../src-main/venues/port'
import { refillHarness } from './market-trades-refill-support'

// A refill whose pages the exchange answers only when the test says so: what the tape shows when a refill
// is slow (a page that never answers) or overlaps a second drop of the stream.

const WAIT_MS = 3000

function setup() {
  /** Pages asked and not yet answered: `answer()` answers the oldest with the trades the exchange has then. */
  const asked: { after: TradeCursor; limit: number; resolve: (rows: PublicTrade[]) => void; reject: (err: Error) => void }[] = []
  const s = refillHarness({
    // As Binance's historicalTrades with fromId: 100 a page from the cursor's own trade on, answered later.
    fetchTradesAfter: () => (_s, after, limit) => new Promise<PublicTrade[]>((resolve, reject) => asked.push({ after, limit, resolve, reject })),
    feed: { historyWaitMs: WAIT_MS },
    // Lets promises settle and the throttle send, without passing the page wait.
    run: { rounds: 5, stepMs: 40 },
    amount: () => '0.001',
  })
  const oldestPage = () => {
    const page = asked.shift()
    if (page === undefined) throw new Error('no page was asked')
    return page
  }
  /** Answers the oldest page asked, from the exchange's trades now. */
  const answer = async () => {
    const page = oldestPage()
    const i = s.exchange.findIndex((t) => t.id === page.after.id)
    page.resolve(s.exchange.slice(i, i + Math.min(page.limit, 100)))
    await s.run()
  }
  return {
    ...s,
    asked,
    answer,
    /** Answers the oldest page asked with the exchange's newest `count` trades (a venue that cannot page back). */
    answerNewest: async (count: number) => {
      oldestPage().resolve(s.exchange.slice(-count))
      await s.run()
    },
    /** Fails the oldest page asked with `err`. */
    fail: async (err: Error) => {
      oldestPage().reject(err)
      await s.run()
    },
    /** Answers every page asked until none is left. */
    answerAll: async () => {
      while (asked.length > 0) await answer()
    },
    /** Lets the page wait pass. */
    passPageWait: async () => {
      s.clock.advance(s.clock.now() + WAIT_MS)
      await s.run()
    },
  }
}

/** Binance's answer to a page asked past its request weight (429). */
const rateLimited = () => new VenueError('rate-limited', 'Binance is rate-limiting this app; wait a moment and try again (-1003)')

/** The stream delivered `seen` trades and dropped. */
async function dropped(seen = 3) {
  const s = setup()
  s.subscribed()
  await s.liveThenDrop(seen)
  return s
}

/** After 3 trades and a drop, `missed` trades were made and the stream is back with 2 live ones, held while
 * the missed are read; the first page (from trade 2, 100 a page) is answered. */
async function firstPageRead(missed: number) {
  const s = await dropped()
  await s.reconnect(missed, 2)
  await s.answer()
  return s
}

const hms = (ms: number) => new Date(ms).toISOString().slice(11, 19)

describe('a refill that takes too long', () => {
  it('the tape goes on with what was read and says which trades may be missing, up to the first live one', async () => {
    const s = await firstPageRead(250) // live again, held while the missed ones are read; the first 100 missed read
    expect(s.asked).toHaveLength(1) // the second page never answers
    await s.passPageWait()
    const shown = s.shown()
    // what was read, then the live trades: nothing twice, in time order
    expect(shown).toEqual([...s.exchange.slice(0, 102), ...s.exchange.slice(-2)].map((t) => t.id))
    expect(s.warnings.some((w) => /too long/.test(w))).toBe(true)
    const note = s.notes()[0] ?? ''
    expect(note).toMatch(/may be missing/)
    // from the last trade read to the first live one shown after it
    expect(note).toContain(hms(s.exchange[101]!.timestamp))
    expect(note).toContain(hms(s.exchange.at(-2)!.timestamp))
    // the late answer changes nothing
    await s.answer()
    expect(s.shown()).toEqual(shown)
    s.feed.close()
  })

  it('with nothing read and no live trade yet: the note names the last trade shown', async () => {
    const s = await dropped()
    await s.reconnect(50)
    await s.passPageWait()
    s.trade(1, true)
    await s.run()
    const note = s.notes()[0] ?? ''
    expect(note).toMatch(/may be missing/)
    expect(note).toContain(hms(s.exchange[2]!.timestamp))
    s.feed.close()
  })
})

describe('a refill that takes too long after a page that did not reach back', () => {
  it('the note starts at the last trade shown, not at the last one read', async () => {
    const s = await dropped()
    await s.reconnect(250)
    await s.answerNewest(60) // the newest 60 only: the 187 before them were not read
    s.trade(2, true)
    await s.run()
    expect(s.asked).toHaveLength(1) // the next page never answers
    await s.passPageWait()
    const note = s.notes()[0] ?? ''
    expect(note).toMatch(/may be missing/)
    expect(note).toContain(hms(s.exchange[2]!.timestamp))
    s.feed.close()
  })
})

describe('a refill that takes too long after a page that reached back by a trade numbered before the last one shown', () => {
  it('the note starts at the last trade read: that page left no hole', async () => {
    const s = await dropped()
    await s.reconnect(250, 2)
    // no trade older than the last one shown (#1003), nor it, but one of its millisecond numbered before it
    const sameMs = { ...s.exchange[1]!, timestamp: s.exchange[2]!.timestamp }
    s.asked.shift()!.resolve([sameMs, ...s.exchange.slice(3, 102)])
    await s.run()
    expect(s.asked).toHaveLength(1) // the next page never answers
    await s.passPageWait()
    const note = s.notes()[0] ?? ''
    expect(note).toMatch(/may be missing/)
    expect(note).toContain(`after ${hms(s.exchange[101]!.timestamp)}`)
    s.feed.close()
  })
})

describe("a refill that takes too long after a page holding trades shown before, of the last shown trade's millisecond", () => {
  it('those trades are not shown again, though the tape no longer keeps them', async () => {
    const s = await dropped(150) // the tape keeps the last 100 of them
    await s.reconnect(250, 2)
    // as Kraken's page from the millisecond before the last trade shown, in a busy one: 150 of it, then the missed
    const cursor = s.exchange[149]!
    const busy = s.exchange.slice(0, 150).map((t) => ({ ...t, timestamp: cursor.timestamp }))
    s.asked.shift()!.resolve([...busy, ...s.exchange.slice(150, 249)])
    await s.run()
    expect(s.asked).toHaveLength(1) // the next page never answers
    await s.passPageWait()
    const shown = s.shown()
    expect(shown.length).toBe(new Set(shown).size)
    expect(shown).toEqual([...s.exchange.slice(0, 249), ...s.exchange.slice(-2)].map((t) => t.id))
    s.feed.close()
  })
})

describe('a second drop while the missed trades are read', () => {
  it('the trades made during the second outage reach the tape too, each once, in time order', async () => {
    const s = await firstPageRead(150) // missed during the first outage; live again: held while the refill runs; a first page read (100 a page)
    s.drop()
    await s.reconnect(150, 2) // missed during the second outage
    await s.answerAll()
    await s.run()
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    expect(s.notes()).toEqual([])
    s.feed.close()
  })

  it('without the "subscribed" signal, the same', async () => {
    const s = await dropped()
    await s.reconnect(150, 2, false) // back (no signal): the refill starts on this trade
    await s.answer()
    s.drop()
    await s.reconnect(150, 2, false)
    await s.answerAll()
    await s.run()
    s.trade(1, true)
    await s.run()
    await s.answerAll()
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    s.feed.close()
  })
})

describe('a second drop while the missed trades are read, then a page that takes too long', () => {
  it('the note names the first trade delivered after the second drop as where the live trades start, not one held before it', async () => {
    const s = await firstPageRead(150) // missed during the first outage: 3..152; live again, held: 153, 154; the first page read: 2..101
    s.drop()
    await s.reconnect(150, 2) // missed during the second outage: 155..304; live after the second drop: 305, 306
    await s.answer() // 101..200 (past the trades held before the second drop)
    expect(s.asked).toHaveLength(1) // the next page never answers
    await s.passPageWait()
    const heldBefore = s.exchange[153]!.timestamp
    const liveAgain = s.exchange[305]!.timestamp
    expect(hms(heldBefore)).not.toBe(hms(liveAgain)) // (the test tells them apart)
    // each trade once, in time order: what was read, then the live ones
    expect(s.shown()).toEqual([...s.exchange.slice(0, 201), ...s.exchange.slice(-2)].map((t) => t.id))
    const note = s.notes()[0] ?? ''
    // the hole is after the last trade read (200) and before the first trade delivered after the second drop
    expect(note).toBe(`Trades made after ${hms(s.exchange[200]!.timestamp)} UTC and before ${hms(liveAgain)} UTC may be missing: the exchange took too long to send them after the reconnect`)
    s.feed.close()
  })
})

describe('a second drop while the missed trades are read, the stream still down', () => {
  it('the pages stop at the trades held before the drop and the tape shows them; the stream back, the second outage is read', async () => {
    const s = await firstPageRead(150) // missed during the first outage: 3..152; live again, held: 153, 154; the first page read: 2..101
    s.drop() // and it stays down while the market trades on
    let pages = 0
    while (s.asked.length > 0 && pages < 20) {
      s.trade(1, false)
      await s.answer()
      pages++
    }
    // the pages reached the held trades: the tape has the first outage's trades, no more pages are asked
    // while the stream is down (not one a trade, the tape frozen, until it is back)
    expect(s.asked).toHaveLength(0)
    const shown = s.shown()
    expect(shown.length).toBeGreaterThanOrEqual(155) // (and what that page read after them)
    expect(shown).toEqual(s.exchange.slice(0, shown.length).map((t) => t.id))
    // back: the trades of the second outage are read from there, each once, in time order
    s.trade(1, true)
    await s.run()
    await s.answerAll()
    await s.run()
    expect(s.shown()).toEqual(s.exchange.map((t) => t.id))
    expect(s.notes()).toEqual([])
    s.feed.close()
  })
})

describe('a second drop while the missed trades are read, the stream still down, then a page that fails', () => {
  it('the note ends the hole at the first trade held before the drop, where the pages would have stopped', async () => {
    const s = await firstPageRead(250) // missed during the first outage: 3..252; live again, held: 253, 254; the first page read: 2..101
    s.drop() // and it stays down
    await s.fail(rateLimited())
    const lastRead = s.exchange[101]!.timestamp
    const heldBefore = s.exchange[253]!.timestamp
    expect(hms(lastRead)).not.toBe(hms(heldBefore)) // (the test tells them apart)
    // what was read, then the trades held: the next refill (the stream back) reads on from the last of them
    expect(s.shown()).toEqual([...s.exchange.slice(0, 102), ...s.exchange.slice(-2)].map((t) => t.id))
    expect(s.notes()).toEqual([
      `Trades made after ${hms(lastRead)} UTC and before ${hms(heldBefore)} UTC may be missing: they could not be fetched after the reconnect`,
    ])
    s.feed.close()
  })
})

describe('a refill whose page the exchange rate-limits (429)', () => {
  it('asks no further page; the tape goes on with what was read and says which trades may be missing', async () => {
    const s = await firstPageRead(150) // 2..101
    await s.fail(rateLimited())
    expect(s.asked).toHaveLength(0)
    expect(s.shown()).toEqual([...s.exchange.slice(0, 102), ...s.exchange.slice(-2)].map((t) => t.id))
    expect(s.notes()).toEqual([
      `Trades made after ${hms(s.exchange[101]!.timestamp)} UTC and before ${hms(s.exchange.at(-2)!.timestamp)} UTC may be missing: they could not be fetched after the reconnect`,
    ])
    s.feed.close()
  })
})

describe('after a refill the exchange rate-limited (429)', () => {
  it('the next live trade sends no request into the limit: the note stays on the tape', async () => {
    const s = await dropped()
    await s.reconnect(150)
    await s.fail(rateLimited())
    const notes = s.notes()
    expect(notes).toEqual([`Trades made after ${hms(s.exchange[2]!.timestamp)} UTC may be missing: they could not be fetched after the reconnect`])
    s.trade(1, true)
    await s.run()
    expect(s.asked).toHaveLength(0)
    expect(s.notes()).toEqual(notes)
    expect(s.shown()).toEqual([...s.exchange.slice(0, 3), ...s.exchange.slice(-1)].map((t) => t.id))
    s.feed.close()
  })
})
