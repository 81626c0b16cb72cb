import Decimal from 'decimal.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { simClockCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { CommandInput, CommandName } from '../../src-main/api/contract'
import type { CopyRecordView, DriftRow, FollowView, LeaderView } from '../../src-main/api/schemas/copy'
import type { LeaderboardView } from '../../src-main/api/contract'
import { copyClientOrderId } from '../../src-main/copy/ids'

// Copy trading on the embedded default: the paper account ('sim') follows a simulated trader, on a real
// engine with the simulated exchange held still (manual mode) and moved on by the test. The engine's clock is
// the simulated exchange's, from a fixed start (simClockCore): the leader's market orders walk the synthetic
// book, and with a start read from the wall clock that book — so how many parts a sale fills in, and whether
// the last is a sliver under the minimum order — would differ from run to run.

const ctx = { door: 'test' } as const
const MIA = 'sim:trader:mean-mia' // ETH/USDT; holds USDT and ETH
let core: Core

beforeEach(() => {
  core = simClockCore()
  core.sim.runtime.advance(30_000) // the synthetic market builds its books
})
afterEach(async () => {
  await core.stop()
})

const { call, ok } = contractCalls(() => core, ctx)

async function refused<N extends CommandName>(name: N, input: CommandInput<N>) {
  const reply = await call(name, input)
  if (reply.ok) throw new Error(`${name} was accepted`)
  return reply.error
}

let n = 0
/** The leader trades: a market order of its own account on the simulated exchange; returns its fills. */
function leader(side: 'buy' | 'sell', amount: string) {
  const { fills } = core.sim.engine.placeOrder({ accountId: 'trader:mean-mia', clientOrderId: `test${n++}`, symbol: 'ETH/USDT', side, type: 'market', amount, timeInForce: 'IOC', postOnly: false })
  expect(fills.length).toBeGreaterThan(0)
  return fills
}

/**
 * Someone else's resting orders for the leader's next market order to take, so it fills in known parts
 * (one fill each): the first is placed 1 USDT through the other side's touch (it takes what it crosses and
 * rests the part asked for), each next one a tick behind it. On the synthetic book alone the leader's last fill can be a sliver whose copy is
 * under the market's minimum order and rightly skipped ("market-rules"), so the copied amounts would not be
 * what the sizing asked for.
 */
function liquidityFor(leaderSide: 'buy' | 'sell', parts: string[]) {
  const side = leaderSide === 'buy' ? 'sell' : 'buy'
  const book = core.sim.engine.book('ETH/USDT', 1000)
  const crossedSide = side === 'buy' ? book.asks : book.bids
  const tick = new Decimal(side === 'buy' ? '-0.01' : '0.01')
  const start = new Decimal(crossedSide[0]![0]).minus(tick.times(100))
  const crosses = (price: string) => (side === 'buy' ? new Decimal(price).lte(start) : new Decimal(price).gte(start))
  const crossed = crossedSide.filter(([price]) => crosses(price)).reduce((sum, [, amount]) => sum.plus(amount), new Decimal(0))
  core.sim.engine.deposit('liquidity', side === 'buy' ? 'USDT' : 'ETH', '1000000')
  parts.forEach((part, i) => {
    const amount = i === 0 ? crossed.plus(part) : new Decimal(part)
    core.sim.engine.placeOrder({ accountId: 'liquidity', clientOrderId: `liq${n++}`, symbol: 'ETH/USDT', side, type: 'limit', price: start.plus(tick.times(i)).toFixed(2), amount: amount.toFixed(), timeInForce: 'GTC', postOnly: false })
  })
}

const eth = () => new Decimal(core.sim.engine.balances('trader:mean-mia').find((b) => b.asset === 'ETH')?.total ?? '0')

/** The paper account's free ETH. */
const paperEth = () => new Decimal(core.sim.engine.balances('paper').find((b) => b.asset === 'ETH')?.free ?? '0')

/** The user sells ETH of the paper account by hand (not through the copier), rounded down to the step. */
function sellByHand(amount: Decimal) {
  const { fills } = core.sim.engine.placeOrder({ accountId: 'paper', clientOrderId: `hand${n++}`, symbol: 'ETH/USDT', side: 'sell', type: 'market', amount: amount.toDecimalPlaces(4, Decimal.ROUND_DOWN).toFixed(), timeInForce: 'IOC', postOnly: false })
  expect(fills.length).toBeGreaterThan(0)
}

/** What the copies hold: buys filled minus sells filled. */
function held(records: CopyRecordView[]): Decimal {
  return records.reduce((sum, r) => sum.plus(new Decimal(r.followerFilled).times(r.side === 'buy' ? 1 : -1)), new Decimal(0))
}

describe('following a simulated trader with the paper account', () => {
  it('lists the simulated traders and the venues as leaders', async () => {
    const leaders = (await ok('copy.leaders', {})) as LeaderView[]
    expect(leaders.find((l) => l.id === MIA)).toMatchObject({ kind: 'sim-trader', label: 'Mean Mia', exchange: 'sim', followers: 0 })
    expect(leaders.find((l) => l.id === 'sim')).toMatchObject({ kind: 'paper' })
  })

  it("a leader's figures are the Leaderboard's: closed trades (buys are none), win rate and realized P&L net of fees", async () => {
    // The engine's clock is the simulated exchange's (simClockCore), so the Leaderboard's "now" is after the
    // leader's fills.
    // One buy order and one sale of all of it: however many fills, the buy is no trade and the sale is one.
    const fills = [...leader('buy', '0.3'), ...leader('sell', eth().toFixed())]
    core.sim.runtime.advance(1_000)
    core.portfolio.flush()
    const board = (await ok('analytics.leaderboard', { period: 'all' })) as LeaderboardView
    const row = board.rows.find((r) => r.account === MIA)!
    expect(row.trades).toBeGreaterThanOrEqual(1)
    expect(row.trades).toBeLessThan(fills.length)
    const leaders = (await ok('copy.leaders', {})) as LeaderView[]
    expect(leaders.find((l) => l.id === MIA)).toMatchObject({ trades: row.trades, winRatePct: row.winRatePct === null ? null : String(row.winRatePct), pnl: row.realized })
  })

  it('copies at once: buys sized by the multiplier, a 40 % reduction mirrored, orders through the order manager with derived ids', async () => {
    const recorded: CopyRecordView[] = []
    const stream = core.streams.open('copy.recorded', {}, (r) => recorded.push(r as CopyRecordView))
    if (!stream.ok) throw new Error('no copy.recorded stream')
    const follow = (await ok('copy.follow', { leaderId: MIA, followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '0.5' }, allocationPct: '100' })) as FollowView
    expect(follow).toMatchObject({ status: 'active', leaderLabel: 'Mean Mia', followerLabel: 'Simulated exchange', copied: 0 })
    const records = () => core.copy.records({ followId: follow.id, limit: 1000 })

    // the leader buys 0.3 ETH (a market order: one fill per level it takes, here two); small enough that
    // the follower's market order after it still finds the book
    liquidityFor('buy', ['0.1', '0.2'])
    const buyFills = leader('buy', '0.3')
    expect(buyFills.map((f) => new Decimal(f.amount).toFixed())).toEqual(['0.1', '0.2'])
    await core.copy.idle()
    expect(records().length).toBe(buyFills.length)
    const expectedHeld = buyFills.reduce((sum, f) => sum.plus(new Decimal(f.amount).times('0.5').toDecimalPlaces(4, Decimal.ROUND_DOWN)), new Decimal(0))
    expect(held(records()).eq(expectedHeld)).toBe(true)

    // the leader sells 40 % of its ETH: the follower sells 40 % of its copied ETH (down to the step per fill)
    const position = eth()
    const sale = position.times('0.4').toDecimalPlaces(4, Decimal.ROUND_DOWN)
    const firstPart = sale.div(3).toDecimalPlaces(4, Decimal.ROUND_DOWN)
    liquidityFor('sell', [firstPart.toFixed(), sale.minus(firstPart).toFixed()])
    const sellFills = leader('sell', sale.toFixed())
    expect(sellFills.map((f) => new Decimal(f.amount).toFixed())).toEqual([firstPart.toFixed(), sale.minus(firstPart).toFixed()])
    await core.copy.idle()
    const all = records()
    expect(all.length).toBe(buyFills.length + sellFills.length)
    const after = held(all)
    const step = new Decimal('0.0001')
    expect(after.lte(expectedHeld.times('0.6').plus(step.times(sellFills.length + 1)))).toBe(true)
    expect(after.gte(expectedHeld.times('0.6').minus(step))).toBe(true)

    for (const r of all) {
      expect(r).toMatchObject({ status: 'copied', via: 'sim', followerSymbol: 'ETH/USDT' })
      expect(r.clientOrderId).toBe(copyClientOrderId(follow.id, r.leaderSymbol, r.leaderTradeId))
      const order = core.orders.get(r.clientOrderId!)
      expect(order).toMatchObject({ venueId: 'sim', symbol: 'ETH/USDT', side: r.side, status: 'filled', origin: { kind: 'copy', ref: follow.id } })
      expect(new Decimal(order!.filled).eq(r.followerFilled)).toBe(true)
      expect(r.submittedMs!).toBeGreaterThanOrEqual(r.decidedMs!)
      expect(r.decidedMs!).toBeGreaterThanOrEqual(r.detectedMs!)
    }
    const copyOrders = core.orders.list({ scope: 'history', limit: 1000 }).filter((o) => o.origin.kind === 'copy')
    expect(copyOrders.length).toBe(all.length)
    expect(new Set(recorded.filter((r) => r.status === 'copied').map((r) => r.id)).size).toBe(all.length)

    // drift: the follower holds what its copies' fills put in the account — the buys' fees, taken in ETH by
    // the simulated exchange, stayed with it; the expected position is what the sizing asked for
    const drift = (await ok('copy.drift', { followId: follow.id })) as DriftRow[]
    expect(drift).toHaveLength(1)
    const fees = (core.store.sqlite.prepare('select follower_base_fee from copy_records where follow_id = ? and follower_base_fee is not null').pluck().all(follow.id) as string[]).reduce((sum, f) => sum.plus(f), new Decimal(0))
    expect(fees.gt(0)).toBe(true)
    expect(new Decimal(drift[0]!.followerPosition).eq(after.minus(fees))).toBe(true)
    expect(new Decimal(drift[0]!.leaderPosition!).eq(eth())).toBe(true)

    const [view] = (await ok('copy.follows', {})) as FollowView[]
    expect(view).toMatchObject({ copied: all.length, skipped: 0, failed: 0 })
    expect(await ok('copy.stats', {})).toMatchObject({ copiedTrades: all.length, activeRelationships: 1, leadersFollowed: 1 })
    const fills = (await ok('copy.leaderFills', { leaderId: MIA, limit: 100 })) as { tradeId: string }[]
    expect(new Set(fills.map((f) => f.tradeId))).toEqual(new Set(all.map((r) => r.leaderTradeId)))
    stream.value()
  })

  it('the simulated trader trading by itself is copied too: every fill gets one record', async () => {
    const startedAt = core.sim.engine.now()
    const follow = (await ok('copy.follow', { leaderId: MIA, followerVenueId: 'sim', sizing: { mode: 'proportional' }, allocationPct: '100' })) as FollowView
    const records = () => core.copy.records({ followId: follow.id, limit: 1000 })
    for (let t = 0; t < 10 * 60_000 && records().length < 2; t += 5_000) {
      core.sim.runtime.advance(5_000)
      await core.copy.idle()
    }
    const theirs = core.sim.engine.fills('trader:mean-mia', { since: startedAt }).filter((f) => f.timestamp >= startedAt)
    expect(theirs.length).toBeGreaterThanOrEqual(2)
    expect(records().length).toBe(theirs.length)
    expect(records().every((r) => r.status !== 'pending' && (r.status !== 'skipped' || r.rule !== null))).toBe(true)
  })

  it('paused: fills are recorded as skipped "paused"; resumed: copied; unfollowed: no more records', async () => {
    const follow = (await ok('copy.follow', { leaderId: MIA, followerVenueId: 'sim', sizing: { mode: 'fixed-quote', value: '20' }, allocationPct: '100' })) as FollowView
    const records = () => core.copy.records({ followId: follow.id, limit: 1000 })
    expect(((await ok('copy.pause', { id: follow.id })) as FollowView).status).toBe('paused')
    const paused = leader('buy', '0.1')
    await core.copy.idle()
    expect(records()).toHaveLength(paused.length)
    expect(records().every((r) => r.status === 'skipped' && r.rule === 'paused' && r.reason === 'the relationship is paused')).toBe(true)

    expect(((await ok('copy.resume', { id: follow.id })) as FollowView).status).toBe('active')
    leader('buy', '0.1')
    await core.copy.idle()
    const copy = records().find((r) => r.status === 'copied')!
    // fixed quote: 20 USDT at the ask, rounded down to the step: worth at most 20
    expect(new Decimal(copy.followerAmount!).times(copy.followerAvgPrice!).lte(20.1)).toBe(true)

    // Copying holds the follower's ETH/USDT book open (live touch for sizing); unfollowing lets go of it.
    const bookViews = () => core.market.health().find((h) => h.venueId === 'sim' && h.symbol === 'ETH/USDT')?.views ?? 0
    expect(bookViews()).toBeGreaterThan(0)
    const ended = (await ok('copy.unfollow', { id: follow.id })) as FollowView
    expect(ended).toMatchObject({ status: 'stopped' })
    expect(bookViews()).toBe(0)
    const before = records().length
    leader('buy', '0.1')
    await core.copy.idle()
    expect(records().length).toBe(before)
  })

  it('price guard "limit": each copy is an IOC limit at most the allowed % above the leader price; its status follows what filled', async () => {
    const follow = (await ok('copy.follow', {
      leaderId: MIA,
      followerVenueId: 'sim',
      sizing: { mode: 'multiplier', value: '1' },
      allocationPct: '60',
      priceGuard: { maxSlippagePct: '0.01', action: 'limit' },
    })) as FollowView
    leader('buy', '5') // walks the book: the copies find less within the guard
    await core.copy.idle()
    const all = core.copy.records({ followId: follow.id, limit: 100 })
    expect(all.length).toBeGreaterThan(0)
    expect(all.some((r) => r.clientOrderId !== null)).toBe(true)
    for (const r of all) {
      if (r.clientOrderId === null) {
        expect(r).toMatchObject({ status: 'skipped', rule: 'allocation' }) // 60 % of the paper equity used up
        continue
      }
      const order = core.orders.get(r.clientOrderId)!
      expect(order).toMatchObject({ type: 'limit', timeInForce: 'IOC', side: 'buy' })
      expect(new Decimal(order.price!).lte(new Decimal(r.leaderPrice).times('1.0001'))).toBe(true)
      const filled = new Decimal(r.followerFilled)
      expect(filled.lte(r.followerAmount!)).toBe(true)
      const want = filled.eq(r.followerAmount!) ? 'copied' : filled.gt(0) ? 'partial' : 'failed'
      expect(r.status).toBe(want)
      if (want !== 'copied') expect(r.error).toBeTruthy()
    }
  })

  it('the user sold some of what the copies bought: the exit sells what is free, and the book lets go of the rest', async () => {
    const follow = (await ok('copy.follow', { leaderId: MIA, followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100' })) as FollowView
    const records = () => core.copy.records({ followId: follow.id, limit: 1000 })
    leader('buy', '0.3')
    await core.copy.idle()
    const bought = held(records())
    expect(bought.gt('0.2')).toBe(true)
    // the user sells all but 0.1 ETH of it by hand
    sellByHand(paperEth().minus('0.1'))
    expect(paperEth().eq('0.1')).toBe(true)

    leader('sell', eth().toFixed()) // the leader exits
    await core.copy.idle()
    const sells = records().filter((r) => r.side === 'sell')
    expect(sells.length).toBeGreaterThan(0)
    expect(sells.filter((r) => r.status === 'failed')).toEqual([])
    // sold what was free, no more: the order was not refused for insufficient funds
    expect(sells.reduce((sum, r) => sum.plus(r.followerFilled), new Decimal(0)).eq('0.1')).toBe(true)
    expect(paperEth().isZero()).toBe(true)
    expect(sells.map((r) => r.reason).join(' | ')).toMatch(/the copies hold [\d.]+ ETH but only 0\.1 ETH is free; sold [\d.]+; the other [\d.]+ ETH left the copies' book/)
    // the book holds nothing any more: the relationship is not stuck on coins that are gone
    const drift = (await ok('copy.drift', { followId: follow.id })) as DriftRow[]
    expect(drift[0]!.followerPosition).toBe('0')
  })

  it('too little of the coin is free to sell: the exit is skipped saying why, the missing coins leave the book at cost, later copies go on', async () => {
    const follow = (await ok('copy.follow', { leaderId: MIA, followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100' })) as FollowView
    const records = () => core.copy.records({ followId: follow.id, limit: 1000 })
    leader('buy', '0.3')
    await core.copy.idle()
    sellByHand(paperEth().minus('0.001')) // 0.001 ETH ≈ 3.4 USDT left: below the market's minimum order of 5
    const beforeExit = records().length
    leader('sell', eth().toFixed())
    await core.copy.idle()
    const exits = records().slice(0, records().length - beforeExit)
    expect(exits.length).toBeGreaterThan(0)
    expect(exits.filter((r) => r.status === 'failed')).toEqual([])
    const skip = exits.find((r) => r.status === 'skipped' && r.rule === 'insufficient-balance')
    // Mia's market sell may fill in several parts against the book, each copied on its own: a later part's
    // share of the 0.001 free is below the minimum amount rather than the minimum order.
    expect(skip?.reason).toMatch(/the copies hold [\d.]+ ETH but only 0\.001 ETH is free; .*(minimum order of 5 USDT|minimum amount).*nothing sold/)
    expect(paperEth().eq('0.001')).toBe(true) // nothing was sent
    // the book holds what the account has: the 0.001 ETH left, dust the next exit sells with the rest
    const drift = (await ok('copy.drift', { followId: follow.id })) as DriftRow[]
    expect(drift[0]!.followerPosition).toBe('0.001')
    // the rest left at what it cost: the P&L is the 0.001 ETH's alone (a few cents), not the position's
    const [view] = (await ok('copy.follows', {})) as FollowView[]
    expect(new Decimal(view!.pnl).abs().lt('0.05')).toBe(true)

    // the next round trip is copied in full
    const before = records().length
    leader('buy', '0.3')
    await core.copy.idle()
    leader('sell', eth().toFixed())
    await core.copy.idle()
    const next = records().slice(0, records().length - before)
    expect(next.length).toBeGreaterThan(1)
    expect(next.every((r) => r.status === 'copied')).toBe(true)
    expect(paperEth().lt('0.0015')).toBe(true) // sold down to what the step and the fees leave
  })

  it('refuses bad follows with specific messages, storing nothing', async () => {
    const base = { leaderId: MIA, followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '50' } as const
    expect(await refused('copy.follow', { ...base, sizing: { mode: 'multiplier', value: '0' } })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('sizing.value: must be greater than zero') })
    expect(await refused('copy.follow', { ...base, sizing: { mode: 'multiplier', value: '-2' } })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('greater than zero') })
    expect(await refused('copy.follow', { ...base, allocationPct: '100.5' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('allocationPct: must be at most 100') })
    expect(await refused('copy.follow', { ...base, symbolMap: [{ from: 'XRP/USDT', to: 'XRP/USDC' }] })).toMatchObject({
      code: 'BAD_INPUT',
      message: 'The symbol map sends XRP/USDT to XRP/USDC, but Simulated exchange has no market XRP/USDC',
    })
    expect(await refused('copy.follow', { ...base, allow: ['XRP/USDT', 'BTC/USDT'], deny: ['BTC/USDT'] })).toMatchObject({ code: 'BAD_INPUT', message: 'BTC/USDT is on both the allow list and the deny list' })
    expect(await refused('copy.follow', { ...base, leaderId: 'sim' })).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('cannot follow itself') })
    expect(await refused('copy.follow', { ...base, leaderId: 'sim:trader:nobody' })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('No leader "sim:trader:nobody"') })
    expect(await refused('copy.follow', { ...base, followerVenueId: 'sim:trader:trend-tom' })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('can be followed, not copied onto') })
    expect((await ok('copy.follows', {})) as unknown[]).toEqual([])
  })
})
