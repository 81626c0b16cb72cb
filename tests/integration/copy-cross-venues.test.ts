import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { copyClientOrderId } from '../../src-main/copy/ids'
import type { CopyRecordView } from '../../src-main/api/schemas/copy'
import { startCross, type Cross, type CrossOptions } from '../support/copy/cross-venues'
import { waitFor } from '../support/wait-for'

// Copy trading across two exchange protocols (issue #7, point 2): the leader is a read-only account on the
// local Binance server, the follower a trading account on the local OKX server (one case the reverse), each
// through ccxt's real class in a real engine. The leader's fills happen on its exchange's matching engine
// and stream over the user-data socket (the REST poll when the socket is dropped); the copier places the
// follower orders on the other exchange. Each case checks the copy records and what the follower's exchange
// actually received and filled. Markets have zero fees (see tests/support/copy/cross-venues.ts), so every
// amount below is computed by hand; books: BTC/USDT ladders 95000 ± 10·i × 0.5 BTC on both exchanges (the
// OKX one moved where a case says), BTC/USDC 95100 ± 10·i, ETH/USDT 3400 ± i × 5 ETH.
// The copier also polls the leader's markets every 250 ms here (its REST fallback), so the sizing, filter,
// guard and stop cases hold whichever path sees a fill first; the "via stream" cases pin the WebSocket path
// (and the side of streamed fills), the dropped-socket case the poll.

let cross: Cross | undefined

afterEach(async () => {
  await cross?.close()
  cross = undefined
})

async function start(options: CrossOptions = {}): Promise<Cross> {
  cross = await startCross(options)
  return cross
}

/** Exact decimal equality on the server's strings ("0.0100" = "0.01"). */
const dec = (s: string | null | undefined) => (s === null || s === undefined ? s : new Decimal(s).toFixed())
const sumOf = (fills: { amount: string }[]) => fills.reduce((sum, f) => sum.plus(f.amount), new Decimal(0)).toFixed()

/** The copy record's essentials, decimals normalised. */
function row(r: CopyRecordView) {
  return { side: r.side, status: r.status, rule: r.rule, followerSymbol: r.followerSymbol, followerAmount: dec(r.followerAmount), followerFilled: dec(r.followerFilled) }
}

/** The follower's OKX orders as [instId, side, ordType, sz, px?, clOrdId]. */
function okxOrders(c: Cross) {
  return c.followerOrderRequests().map((o) => [o.instId, o.side, o.ordType, dec(o.sz), o.px === undefined ? null : dec(o.px), o.clOrdId])
}

describe('copy trading from a Binance leader onto an OKX follower', () => {
  it('multiplier: leader buys 0.04 BTC → the follower buys 0.01 (× 0.25) on OKX', async () => {
    const c = await start()
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' } })
    await c.watching()
    const fill = c.leaderBuys('0.04')
    expect(dec(fill.price)).toBe('95009')
    const [record] = await c.settled(followId, 1)
    const clOrdId = copyClientOrderId(followId, fill.symbol, fill.tradeId)
    expect(record).toMatchObject({ leaderTradeId: fill.tradeId, leaderSymbol: 'BTC/USDT', clientOrderId: clOrdId, followerVenueId: c.follower.venueId })
    expect(row(record!)).toEqual({ side: 'buy', status: 'copied', rule: null, followerSymbol: 'BTC/USDT', followerAmount: '0.01', followerFilled: '0.01' })
    // OKX got one market order for 0.01 with the derived clOrdId, and filled it at its best ask
    expect(okxOrders(c)).toEqual([['BTC-USDT', 'buy', 'market', '0.01', null, clOrdId]])
    expect(c.followerFills().map((f) => [f.clientOrderId, f.side, dec(f.amount), dec(f.price)])).toEqual([[clOrdId, 'buy', '0.01', '95010']])
    expect(dec(record!.followerAvgPrice)).toBe('95010')
    // the latency split is recorded and cumulative
    expect(record!.detectedMs).not.toBeNull()
    expect(record!.decidedMs!).toBeGreaterThanOrEqual(record!.detectedMs!)
    expect(record!.submittedMs!).toBeGreaterThanOrEqual(record!.decidedMs!)
  }, 60_000)

  it('proportional: leader equity 30000, follower equity 10000 → a third of the leader size, rounded down to the step', async () => {
    // 20499.1 USDT + 0.1 BTC; after its fill at 95009 (the last price, no fees): 16698.74 USDT + 0.14 BTC × 95009 = 30000
    const c = await start({ leader: { USDT: '20499.1', BTC: '0.1' }, follower: { USDT: '10000' } })
    const followId = await c.follow({ sizing: { mode: 'proportional' } })
    await c.watching()
    c.leaderBuys('0.04')
    const [record] = await c.settled(followId, 1)
    // 0.04 × 10000 / 30000 = 0.013333… → 0.01333 (OKX lot step 0.00001)
    expect(row(record!)).toEqual({ side: 'buy', status: 'copied', rule: null, followerSymbol: 'BTC/USDT', followerAmount: '0.01333', followerFilled: '0.01333' })
    expect(sumOf(c.followerFills('BTC/USDT'))).toBe('0.01333')
  }, 60_000)

  it('fixed quote: 1000 USDT per trade whatever the leader size, valued at the follower ask', async () => {
    const c = await start()
    const followId = await c.follow({ sizing: { mode: 'fixed-quote', value: '1000' } })
    await c.watching()
    c.leaderBuys('0.3')
    c.leaderBuys('0.002')
    const records = await c.settled(followId, 2)
    // 1000 / 95010 = 0.0105252… → 0.01052 for each, whatever the leader bought
    expect(records.map(row)).toEqual([
      { side: 'buy', status: 'copied', rule: null, followerSymbol: 'BTC/USDT', followerAmount: '0.01052', followerFilled: '0.01052' },
      { side: 'buy', status: 'copied', rule: null, followerSymbol: 'BTC/USDT', followerAmount: '0.01052', followerFilled: '0.01052' },
    ])
    expect(okxOrders(c).map((o) => o[3])).toEqual(['0.01052', '0.01052'])
    expect(sumOf(c.followerFills())).toBe('0.02104')
  }, 60_000)

  it('filters: sides, deny list, and the symbol map BTC/USDT → BTC/USDC on OKX', async () => {
    const c = await start({ follower: { USDC: '20000' } })
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, sides: 'buy', deny: ['ETH/USDT'], symbolMap: [{ from: 'BTC/USDT', to: 'BTC/USDC' }] })
    await c.watching()
    c.leaderBuys('0.04') // copied onto BTC/USDC
    c.leaderBuys('1', { symbol: 'ETH/USDT' }) // denied
    c.leaderSells('0.5') // sells are not copied by this relationship
    const records = await c.settled(followId, 3)
    expect(records.map((r) => [r.leaderSymbol, r.side, r.status, r.rule, r.followerSymbol, dec(r.followerFilled)])).toEqual([
      ['BTC/USDT', 'buy', 'copied', null, 'BTC/USDC', '0.01'],
      ['ETH/USDT', 'buy', 'skipped', 'deny-list', 'ETH/USDT', '0'],
      ['BTC/USDT', 'sell', 'skipped', 'side', 'BTC/USDC', '0'],
    ])
    expect(records[1]!.reason).toContain('ETH/USDT is on the deny list')
    expect(records[2]!.reason).toContain('only buys are copied')
    // the one order OKX got is on BTC-USDC, filled at that book's ask (95110), paid in USDC
    expect(okxOrders(c).map((o) => o.slice(0, 4))).toEqual([['BTC-USDC', 'buy', 'market', '0.01']])
    expect(c.followerFills().map((f) => [f.symbol, dec(f.amount), dec(f.price)])).toEqual([['BTC/USDC', '0.01', '95110']])
    expect(c.followerBalance('USDC').toFixed()).toBe('19048.9')
    expect(c.followerBalance('BTC').toFixed()).toBe('0.01')
  }, 60_000)

  it('allow list: only ETH/USDT is copied; BTC/USDT is skipped "not-allowed"', async () => {
    const c = await start()
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, allow: ['ETH/USDT'] })
    await c.watching()
    c.leaderBuys('0.04')
    c.leaderBuys('1', { symbol: 'ETH/USDT' })
    const records = await c.settled(followId, 2)
    expect(records.map((r) => [r.leaderSymbol, r.status, r.rule, dec(r.followerAmount), dec(r.followerFilled)])).toEqual([
      ['BTC/USDT', 'skipped', 'not-allowed', null, '0'],
      ['ETH/USDT', 'copied', null, '0.25', '0.25'],
    ])
    expect(okxOrders(c).map((o) => o.slice(0, 4))).toEqual([['ETH-USDT', 'buy', 'market', '0.25']])
    expect(c.followerFills().map((f) => [f.symbol, dec(f.amount), dec(f.price)])).toEqual([['ETH/USDT', '0.25', '3401']])
  }, 60_000)

  it('min and max trade size: below the minimum is skipped, above the maximum is cut to it', async () => {
    const c = await start()
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, minTradeQuote: '100', maxTradeQuote: '500' })
    await c.watching()
    c.leaderBuys('0.001') // 0.00025 × 95010 = 23.75 USDT < 100
    c.leaderBuys('0.04') // 0.01 × 95010 = 950.1 > 500 → 500 / 95010 = 0.0052626… → 0.00526
    const records = await c.settled(followId, 2)
    expect(records.map(row)).toEqual([
      { side: 'buy', status: 'skipped', rule: 'below-min', followerSymbol: 'BTC/USDT', followerAmount: '0.00025', followerFilled: '0' },
      { side: 'buy', status: 'copied', rule: null, followerSymbol: 'BTC/USDT', followerAmount: '0.00526', followerFilled: '0.00526' },
    ])
    // (the reasons' figures; the wording around them is the copier's)
    expect(records[0]!.reason).toMatch(/^23\.75 USDT is below the minimum trade of 100\b/)
    expect(records[1]!.reason).toMatch(/^cut to the maximum trade of 500\b/)
    expect(okxOrders(c).map((o) => o[3])).toEqual(['0.00526'])
    expect(sumOf(c.followerFills())).toBe('0.00526')
  }, 60_000)

  it('price guard "skip": the follower ask 1.054 % above the leader price with 0.5 % allowed → skipped, nothing sent', async () => {
    const c = await start({ followerBtcLadder: { mid: '96000', spacing: '10' } })
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, priceGuard: { maxSlippagePct: '0.5', action: 'skip' } })
    await c.watching()
    c.leaderBuys('0.04') // at 95009; OKX ask 96010: (96010 − 95009) / 95009 = 1.0535…%
    const [record] = await c.settled(followId, 1)
    expect(row(record!)).toMatchObject({ status: 'skipped', rule: 'price-guard', followerFilled: '0' })
    expect(record!.reason).toContain("the follower's ask 96010 is 1.054% worse than the leader's 95009 (max 0.5%)")
    expect(okxOrders(c)).toEqual([])
    expect(c.followerFills()).toEqual([])
  }, 60_000)

  it('price guard "limit" + a follower order partially filled: an IOC limit at leader price + 0.5 % takes what is there → "partial"', async () => {
    // OKX's BTC/USDT: bids from 95300 down, asks from 96300 up (500 apart); someone offers 0.004 BTC at 95400,
    // inside the guard (0.41 % over the leader's 95009); the next ask, 96300, is outside it
    const c = await start({ followerBtcLadder: { mid: '95800', spacing: '500' } })
    c.follower.engine.placeOrder({ accountId: 'lp', clientOrderId: 'lp1', symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '0.004', price: '95400', timeInForce: 'GTC', postOnly: false })
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, priceGuard: { maxSlippagePct: '0.5', action: 'limit' } })
    await c.watching()
    const fill = c.leaderBuys('0.04')
    const [record] = await c.settled(followId, 1)
    // limit = 95009 × 1.005 = 95484.045 → 95484.04 (a buy's limit rounds down to the tick); IOC for 0.01
    expect(okxOrders(c)).toEqual([['BTC-USDT', 'buy', 'ioc', '0.01', '95484.04', copyClientOrderId(followId, fill.symbol, fill.tradeId)]])
    expect(row(record!)).toEqual({ side: 'buy', status: 'partial', rule: null, followerSymbol: 'BTC/USDT', followerAmount: '0.01', followerFilled: '0.004' })
    expect(record!.error).toContain('filled 0.004 of 0.01')
    expect(c.followerFills().map((f) => [dec(f.amount), dec(f.price)])).toEqual([['0.004', '95400']])
    // the unfilled rest did not stay on the book
    expect(c.follower.engine.openOrders('me')).toEqual([])
  }, 60_000)

  it("the leader's order filling in parts: each fill is copied as its own record", async () => {
    const c = await start()
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' } })
    await c.watching()
    c.leaderRests('buy', '0.04', '95005')
    const first = c.carolHits('sell', '0.01', '95005')
    await c.settled(followId, 1)
    const second = c.carolHits('sell', '0.03', '95005')
    const records = await c.settled(followId, 2)
    expect(records.map((r) => [r.leaderTradeId, r.side, dec(r.leaderAmount), r.status, dec(r.followerAmount), dec(r.followerFilled)])).toEqual([
      [first.tradeId, 'buy', '0.01', 'copied', '0.0025', '0.0025'],
      [second.tradeId, 'buy', '0.03', 'copied', '0.0075', '0.0075'],
    ])
    expect(c.followerFills().map((f) => [f.clientOrderId, dec(f.amount)])).toEqual([
      [copyClientOrderId(followId, first.symbol, first.tradeId), '0.0025'],
      [copyClientOrderId(followId, second.symbol, second.tradeId), '0.0075'],
    ])
  }, 60_000)

  it('reductions and exit are proportional: the leader sells half, a quarter, the rest → the follower sells the same fractions of its copy', async () => {
    // the leader starts with no BTC, so its position is what it buys here
    const c = await start({ leader: { USDT: '100000' } })
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.5' }, allow: ['BTC/USDT'] })
    await c.watching()
    c.leaderBuys('0.04') // follower buys 0.02
    await c.settled(followId, 1)
    c.leaderSells('0.02') // half of 0.04 → half of 0.02
    await c.settled(followId, 2)
    c.leaderSells('0.01') // half of the 0.02 left → half of 0.01
    await c.settled(followId, 3)
    c.leaderSells('0.01') // the leader's exit → all of the follower's 0.005
    const records = await c.settled(followId, 4)
    expect(records.map((r) => [r.side, dec(r.leaderAmount), r.status, dec(r.followerAmount), dec(r.followerFilled)])).toEqual([
      ['buy', '0.04', 'copied', '0.02', '0.02'],
      ['sell', '0.02', 'copied', '0.01', '0.01'],
      ['sell', '0.01', 'copied', '0.005', '0.005'],
      ['sell', '0.01', 'copied', '0.005', '0.005'],
    ])
    // on OKX: one buy and three sells; the follower ends flat, as the leader does
    expect(okxOrders(c).map((o) => [o[1], o[3]])).toEqual([
      ['buy', '0.02'],
      ['sell', '0.01'],
      ['sell', '0.005'],
      ['sell', '0.005'],
    ])
    expect(c.followerBalance('BTC').toFixed()).toBe('0')
    expect(c.leader.engine.balances('lead').find((b) => b.asset === 'BTC')?.total ?? '0').toMatch(/^0(\.0+)?$/)
    const drift = await c.core.copy.drift(followId)
    expect(drift.map((d) => [d.followerSymbol, dec(d.leaderPosition), dec(d.followerPosition)])).toEqual([['BTC/USDT', '0', '0']])
  }, 60_000)

  it('daily loss stop: the copies lost 50.15 USDT today → skipped "daily-loss", the relationship stopped for the day; resume starts the day count afresh', async () => {
    const c = await start()
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, dailyLossStop: '50' })
    await c.watching()
    c.leaderBuys('0.04') // follower buys 0.01 at 95010 (cost 950.1)
    await c.settled(followId, 1)
    await crashFollowerBook(c) // OKX BTC/USDT: bid 89990, ask 90000 → mid 89995
    c.leaderBuys('0.04')
    const records = await c.settled(followId, 2)
    // 0.01 × (89995 − 95010) = −50.15 ≤ −50
    expect(records.map((r) => [r.status, r.rule])).toEqual([
      ['copied', null],
      ['skipped', 'daily-loss'],
    ])
    expect(records[1]!.reason).toMatch(/^the copies lost 50\.15 USDT today, reaching the daily loss stop of 50\b/)
    const follow = (await c.core.copy.follows()).find((f) => f.id === followId)!
    expect(follow.status).toBe('stopped-daily')
    // while stopped, further fills are skipped too, and nothing more reaches OKX
    c.leaderBuys('0.04')
    expect((await c.settled(followId, 3))[2]).toMatchObject({ status: 'skipped', rule: 'daily-loss' })
    expect(okxOrders(c)).toHaveLength(1)
    // resumed: today's loss counts from now, so the next fill is copied at the new price
    c.core.copy.resume(followId)
    c.leaderBuys('0.04')
    const after = await c.settled(followId, 4)
    expect(row(after[3]!)).toMatchObject({ status: 'copied', followerFilled: '0.01' })
    expect(c.followerFills().map((f) => dec(f.price))).toEqual(['95010', '90000'])
  }, 60_000)

  it('total stop-loss: the copies lost 50.15 USDT in all → skipped "total-loss" and the relationship stopped for good', async () => {
    const c = await start()
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, totalStopLoss: '50', dailyLossStop: '1000' })
    await c.watching()
    c.leaderBuys('0.04')
    await c.settled(followId, 1)
    await crashFollowerBook(c)
    c.leaderSells('0.02') // even a reduction is not copied once stopped
    const records = await c.settled(followId, 2)
    expect(records.map((r) => [r.side, r.status, r.rule])).toEqual([
      ['buy', 'copied', null],
      ['sell', 'skipped', 'total-loss'],
    ])
    expect(records[1]!.reason).toMatch(/^the copies lost 50\.15 USDT in total, reaching the stop-loss of 50\b/)
    expect((await c.core.copy.follows()).find((f) => f.id === followId)).toMatchObject({ status: 'stopped', statusReason: records[1]!.reason })
    c.leaderBuys('0.04')
    expect((await c.settled(followId, 3))[2]).toMatchObject({ status: 'skipped', rule: 'stopped' })
    expect(okxOrders(c)).toHaveLength(1)
  }, 60_000)

  it("the leader's user-data socket dropped: the fill made meanwhile is found by the REST poll and copied once", async () => {
    const c = await start({ pollEveryMs: 500 })
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' } })
    await c.watching()
    c.leaderBuys('0.04')
    await c.settled(followId, 1)
    const dropAt = Date.now()
    c.binance.faults.dropSockets()
    const missed = c.leaderBuys('0.08') // no socket holds the leader's subscription now
    const records = await c.settled(followId, 2)
    expect(records.map((r) => [r.status, dec(r.followerFilled)])).toEqual([
      ['copied', '0.01'],
      ['copied', '0.02'],
    ])
    expect(records[1]!.via).toBe('poll')
    expect(records[1]!.leaderTradeId).toBe(missed.tradeId)
    expect(c.binance.faults.requests.some((r) => r.path === '/api/v3/myTrades' && r.time >= dropAt)).toBe(true)
    // later polls and the resubscribed stream do not copy it again
    await waitFor(() => c.binance.faults.wsMessages.filter((m) => m.event === 'message' && JSON.stringify(m.data ?? '').includes('userDataStream.subscribe')).length >= 2, 'the stream to be subscribed again', 30_000)
    const stream = c.leaderBuys('0.04')
    const all = await c.settled(followId, 3)
    expect(all[2]).toMatchObject({ leaderTradeId: stream.tradeId, status: 'copied' })
    expect(okxOrders(c).map((o) => o[3])).toEqual(['0.01', '0.02', '0.01'])
    expect(sumOf(c.followerFills())).toBe('0.04')
  }, 60_000)
})

describe('copy trading from an OKX leader onto a Binance follower', () => {
  it('the leader buys and exits on OKX (orders channel) → the follower buys and sells the same on Binance', async () => {
    // the leader starts with no BTC: its exit is its whole position (allow: the market is polled from the start)
    const c = await start({ leaderOn: 'okx', leader: { USDT: '100000' } })
    const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' }, allow: ['BTC/USDT'] })
    await c.watching()
    const buy = c.leaderBuys('0.04')
    await c.settled(followId, 1)
    const sell = c.leaderSells('0.04')
    const records = await c.settled(followId, 2)
    expect(records.map((r) => [r.leaderTradeId, r.side, r.status, dec(r.followerFilled)])).toEqual([
      [buy.tradeId, 'buy', 'copied', '0.01'],
      [sell.tradeId, 'sell', 'copied', '0.01'],
    ])
    const posts = c.followerOrderRequests()
    expect(posts.map((p) => [p.symbol, p.side, p.type, dec(p.quantity), p.newClientOrderId])).toEqual([
      ['BTCUSDT', 'BUY', 'MARKET', '0.01', copyClientOrderId(followId, buy.symbol, buy.tradeId)],
      ['BTCUSDT', 'SELL', 'MARKET', '0.01', copyClientOrderId(followId, sell.symbol, sell.tradeId)],
    ])
    expect(c.followerFills().map((f) => [f.side, dec(f.amount), dec(f.price)])).toEqual([
      ['buy', '0.01', '95010'],
      ['sell', '0.01', '94990'],
    ])
    expect(c.followerBalance('BTC').toFixed()).toBe('0')
  }, 60_000)
})

describe("leader fills detected over the leader's user-data WebSocket", () => {
  // The REST poll runs only at the start's catch-up (and after a socket error): every fill below must come
  // over the socket, on each protocol.
  for (const leaderOn of ['binance', 'okx'] as const) {
    it(`a ${leaderOn === 'binance' ? 'Binance leader (WebSocket API executionReport)' : 'OKX leader (orders channel)'}: each fill is recorded "via stream"`, async () => {
      const c = await start({ leaderOn, leader: { USDT: '100000' }, pollEveryMs: 600_000 })
      const followId = await c.follow({ sizing: { mode: 'multiplier', value: '0.25' } })
      await c.watching()
      const fills = [c.leaderBuys('0.04'), c.leaderBuys('0.02'), c.leaderSells('0.06')]
      const records = await c.settled(followId, 3)
      // the stream's fills keep their side: the leader's sell is copied as a sell (its exit: all 0.015)
      expect(records.map((r) => [r.leaderTradeId, r.via, r.side, r.status])).toEqual(fills.map((f) => [f.tradeId, 'stream', f.side, 'copied']))
      expect(c.followerFills().map((f) => [f.side, dec(f.amount)])).toEqual([
        ['buy', '0.01'],
        ['buy', '0.005'],
        ['sell', '0.015'],
      ])
    }, 60_000)
  }
})

/** lp sells 12 BTC at 90000 on OKX (eats the 10 BTC of bids, rests 2 at 90000) and bids 0.5 at 89990. */
async function crashFollowerBook(c: Cross): Promise<void> {
  const place = (id: string, side: 'buy' | 'sell', amount: string, price: string) =>
    c.follower.engine.placeOrder({ accountId: 'lp', clientOrderId: id, symbol: 'BTC/USDT', side, type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
  place('crash1', 'sell', '12', '90000')
  place('crash2', 'buy', '0.5', '89990')
  await c.followerBookShows('BTC/USDT', { bid: '89990', ask: '90000' })
}
