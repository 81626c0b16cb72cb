import Decimal from 'decimal.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore, type Store } from '../../src-main/store/open'
import { AppError } from '../../src-main/api/errors'
import { followSettingsSchema, type FollowSettingsInput, type LeaderFill } from '../../src-main/api/schemas/copy'
import { Copier } from '../../src-main/copy/copier'
import { contractFill, heldChange, toLeaderFill, type SourceFill } from '../../src-main/copy/leaders'
import type { FollowerVenues } from '../../src-main/copy/ports'
import type { OrderGateway, OrderIntent, OrderRecord } from '../../src-main/trading/model'
import type { MarketInfo } from '../../src-main/venues/port'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ScriptedLeaderBase } from '../support/copy/world'

// The copier through its seams (README.md): a scripted leader, a follower venue with a settable book, and
// an order gateway that answers as told — filled, partly filled, refused by the venue or by risk.

const BTC: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minAmount: '0.0001', minNotional: '5', makerFee: '0', takerFee: '0', active: true }

const BTC_USDC: MarketInfo = { ...BTC, symbol: 'BTC/USDC', quote: 'USDC' }
const BTC_EUR: MarketInfo = { ...BTC, symbol: 'BTC/EUR', quote: 'EUR' }
/** The follower's BTC/EUR book: 1 EUR = 1.1 USDT, so 50,000 USDT is 45,454.55 EUR. */
const eurBook = { bid: new Decimal('45450'), ask: new Decimal('45460') }

class ScriptedLeader extends ScriptedLeaderBase {
  /** 1 BTC before the test's trades, then what they moved (read after the fills, like a venue's balance). */
  async balances() {
    const btc = this.history.reduce((sum, f) => sum.plus(heldChange(f)), new Decimal(1))
    return new Map([['BTC', btc]])
  }
  async markets() {
    return [BTC_USDC, BTC]
  }
  /** The leader trades; the fill reaches the copier on `via`. */
  trade(side: 'buy' | 'sell', amount: string, price: string, via: 'stream' | 'poll' = 'stream', tradeId = `t${this.history.length + 1}`, baseFee?: string, orderId?: string): LeaderFill {
    const fill: SourceFill = { leaderId: this.id, tradeId, symbol: 'BTC/USDT', side, price, amount, timestamp: this.clock, ...(baseFee ? { baseFee } : {}), ...(orderId ? { orderId } : {}) }
    this.history.push(fill)
    for (const w of this.watchers) w.onFills([fill], via)
    return fill
  }
}

// unanswered: the request timed out; the order manager keeps the order 'submitting' until reconciliation
type Answer = 'fill' | 'half' | 'venue-refuses' | 'risk-refuses' | 'unanswered'

class ScriptedGateway implements OrderGateway {
  answer: Answer = 'fill'
  /** The fee in BTC each filled buy from now on pays (what the venue keeps of the coin bought). */
  baseFee = '0'
  private readonly baseFees = new Map<string, string>()
  baseFeePaid(id: string): string {
    return this.baseFees.get(id) ?? '0'
  }
  /** The fee in USDT each filled sell from now on pays. */
  quoteFee = '0'
  private readonly quoteFees = new Map<string, string>()
  quoteFeePaid(id: string): string {
    return this.quoteFees.get(id) ?? '0'
  }
  fillPrice = '50000'
  readonly orders = new Map<string, OrderRecord>()
  submits: OrderIntent[] = []
  async submit(intent: OrderIntent): Promise<OrderRecord> {
    this.submits.push(intent)
    const id = intent.clientOrderId!
    const existing = this.orders.get(id)
    if (existing) return existing
    if (this.answer === 'risk-refuses') throw new AppError('CONFLICT', 'Order value 5001.00 USDT is above the max order notional 1000 USDT')
    const amount = new Decimal(intent.amount)
    if (this.answer === 'unanswered') {
      this.orders.set(id, { clientOrderId: id, venueOrderId: null, venueId: intent.venueId, symbol: intent.symbol, side: intent.side, type: intent.type, timeInForce: intent.timeInForce, postOnly: false, amount: intent.amount, price: intent.price ?? null, filled: '0', cost: '0', status: 'submitting', origin: intent.origin, error: null, attempts: 1, createdAt: 0, updatedAt: 0 })
      throw new AppError('UNAVAILABLE', 'the exchange did not answer in time')
    }
    const filled = this.answer === 'fill' ? amount : this.answer === 'half' ? amount.div(2) : new Decimal(0)
    if (intent.side === 'buy' && filled.gt(0)) this.baseFees.set(id, this.baseFee)
    if (intent.side === 'sell' && filled.gt(0)) this.quoteFees.set(id, this.quoteFee)
    const order: OrderRecord = {
      clientOrderId: id,
      venueOrderId: '1',
      venueId: intent.venueId,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      timeInForce: intent.timeInForce,
      postOnly: false,
      amount: intent.amount,
      price: intent.price ?? null,
      filled: filled.toFixed(),
      cost: filled.times(this.fillPrice).toFixed(),
      status: this.answer === 'fill' ? 'filled' : this.answer === 'half' ? 'expired' : 'rejected',
      origin: intent.origin,
      error: this.answer === 'venue-refuses' ? 'Account has insufficient balance for requested action.' : null,
      attempts: 1,
      createdAt: 0,
      updatedAt: 0,
    }
    this.orders.set(id, order)
    if (this.answer === 'venue-refuses') throw new AppError('CONFLICT', order.error!)
    return order
  }
  async cancel(): Promise<OrderRecord> {
    throw new Error('not used')
  }
  get(id: string) {
    return this.orders.get(id)
  }
  open() {
    return []
  }
}

let store: Store
let leader: ScriptedLeader
let gateway: ScriptedGateway
let book: { bid: Decimal; ask: Decimal }
let copier: Copier
/** The copier's 00:00 UTC clock, struck by hand. */
let midnight: (() => void) | undefined

/** The follower account's free BTC; null: not known (the copier then trusts what the copies hold). */
let freeBtc: Decimal | null = null
/** How many times the copier read the follower's free BTC (a sale reads it before it decides). */
let btcReads = 0
/** Resolved unless a test holds the follower's book read (a slow venue). */
let topGate: Promise<void> = Promise.resolve()
/** One EUR in USDT on the follower venue. */
let eurUsdt = new Decimal('1.1')
const followers: FollowerVenues = {
  list: () => [{ id: 'acct-follower', label: 'Follower', kind: 'exchange' }],
  canTrade: () => true,
  market: async (_v, symbol) => (symbol === 'BTC/USDT' ? BTC : symbol === 'BTC/USDC' ? BTC_USDC : symbol === 'BTC/EUR' ? BTC_EUR : undefined),
  quoteValue: async (_v, asset) => (asset === 'EUR' ? eurUsdt : null),
  top: async (_v, symbol) => {
    await topGate
    return symbol === 'BTC/EUR' ? eurBook : { bid: book.bid, ask: book.ask }
  },
  equity: async () => new Decimal('10000'),
  mark: async (_v, symbol) => (symbol === 'BTC/EUR' ? eurBook : book).bid.plus((symbol === 'BTC/EUR' ? eurBook : book).ask).div(2),
  free: async (_v, asset) => {
    if (asset !== 'BTC') return null
    btcReads++
    return freeBtc
  },
}

beforeEach(() => {
  topGate = Promise.resolve()
  eurUsdt = new Decimal('1.1')
  freeBtc = null
  btcReads = 0
  store = openStore(tempDir('co-copy-'), migrationsDir)
  leader = new ScriptedLeader()
  gateway = new ScriptedGateway()
  book = { bid: new Decimal('49990'), ask: new Decimal('50010') }
  copier = makeCopier()
  copier.start()
})

function makeCopier(over: { saleWaitMs?: number } = {}): Copier {
  return new Copier({
    ...over,
    db: store.db,
    bus: new EventBus(),
    log: silentLogger,
    gateway,
    leaders: { list: () => [leader], get: (id) => (id === leader.id ? leader : undefined) },
    followers,
    now: () => leader.clock,
    everyUtcMidnight: (fn) => {
      midnight = fn
      return () => (midnight = undefined)
    },
  })
}

afterEach(async () => {
  await copier.stop()
  store.close()
})

function follow(over: Partial<FollowSettingsInput> = {}) {
  return copier.follow(followSettingsSchema.parse({ leaderId: leader.id, followerVenueId: 'acct-follower', sizing: { mode: 'multiplier', value: '0.1' }, allocationPct: '100', ...over }))
}

const records = (followId: string) => copier.records({ followId, limit: 100 })

describe('the copier', () => {
  it('a fill seen on the stream and again by a poll is copied once', async () => {
    const f = await follow()
    leader.clock += 10
    const fill = leader.trade('buy', '0.1', '50000', 'stream')
    for (const w of leader.watchers) w.onFills([fill], 'poll')
    await copier.idle()
    for (const w of leader.watchers) w.onFills([fill], 'poll') // after it was stored, too
    await copier.idle()
    expect(records(f.id)).toHaveLength(1)
    expect(records(f.id)[0]).toMatchObject({ status: 'copied', followerAmount: '0.01', followerFilled: '0.01', via: 'stream' })
    expect(gateway.submits).toHaveLength(1)
    expect(gateway.submits[0]).toMatchObject({ venueId: 'acct-follower', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.01', origin: { kind: 'copy', ref: f.id } })
  })

  it('partly filled → partial; refused by the venue → failed in its words; refused by risk → skipped "risk"', async () => {
    const f = await follow()
    gateway.answer = 'half'
    leader.trade('buy', '0.1', '50000')
    await copier.idle()
    gateway.answer = 'venue-refuses'
    leader.trade('buy', '0.1', '50000')
    await copier.idle()
    gateway.answer = 'risk-refuses'
    leader.trade('buy', '0.1', '50000')
    await copier.idle()
    const [risk, venue, half] = records(f.id)
    expect(half).toMatchObject({ status: 'partial', followerAmount: '0.01', followerFilled: '0.005', error: expect.stringContaining('filled 0.005 of 0.01') })
    expect(venue).toMatchObject({ status: 'failed', followerFilled: '0', error: 'Account has insufficient balance for requested action.' })
    expect(risk).toMatchObject({ status: 'skipped', rule: 'risk', reason: 'Order value 5001.00 USDT is above the max order notional 1000 USDT' })
    const [view] = await copier.follows()
    expect(view).toMatchObject({ copied: 1, failed: 1, skipped: 1 })
  })

  it('the total stop-loss stops the relationship once its copies lost that much', async () => {
    const f = await follow({ totalStopLoss: '50' })
    leader.trade('buy', '1', '50000') // copy 0.1 BTC at 50 000
    await copier.idle()
    book = { bid: new Decimal('49000'), ask: new Decimal('49010') } // the copy is 0.1 × (49 005 − 50 000) = −99.5
    leader.trade('buy', '1', '49000')
    await copier.idle()
    const [stopped, first] = records(f.id)
    expect(first).toMatchObject({ status: 'copied' })
    expect(stopped).toMatchObject({ status: 'skipped', rule: 'total-loss', reason: expect.stringContaining('lost 99.50 USDT in total') })
    expect((await copier.follows())[0]).toMatchObject({ status: 'stopped', statusReason: expect.stringContaining('stop-loss of 50') })
    leader.trade('sell', '1', '49000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ status: 'skipped', rule: 'stopped' })
  })

  it('after the total stop-loss: resume is refused while the loss still reaches it; raised, it resumes and copies again', async () => {
    const f = await follow({ totalStopLoss: '50' })
    leader.trade('buy', '1', '50000')
    await copier.idle()
    book = { bid: new Decimal('49000'), ask: new Decimal('49010') } // −99.5 on the copy
    leader.trade('buy', '1', '49000')
    await copier.idle()
    let [view] = await copier.follows()
    expect(view).toMatchObject({ status: 'stopped', endedAt: null })
    // resumed as it is, the next copy would stop it again: refused, saying what to do
    expect(() => copier.resume(f.id)).toThrow(/lost 99\.50 USDT in total.*stop-loss of 50.*raise/)
    view = await copier.update(f.id, { ...view!.settings, totalStopLoss: '500' })
    expect(copier.resume(f.id)).toMatchObject({ status: 'active', statusReason: null })
    leader.trade('buy', '1', '49000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ status: 'copied' })
    // an unfollowed relationship shows when it ended, and stays ended
    const ended = copier.unfollow(f.id)
    expect(ended.endedAt).toBe(leader.clock)
    expect(() => copier.resume(f.id)).toThrow(/has ended/)
  })

  it('unfollow and close positions: a market sell for what the copies hold, rounded down to the step, through the gateway', async () => {
    const f = await follow()
    gateway.baseFee = '0.00005' // the copy of 0.1 BTC puts 0.09995 in the account
    leader.trade('buy', '1', '50000')
    await copier.idle()
    const before = gateway.submits.length
    const result = await copier.unfollowAndClose(f.id)
    expect(result).toMatchObject({ status: 'stopped', endedAt: leader.clock })
    expect(gateway.submits.slice(before)).toEqual([
      expect.objectContaining({ venueId: 'acct-follower', symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: '0.0999', origin: { kind: 'copy', ref: f.id } }),
    ])
    expect(result.closes).toEqual([
      expect.objectContaining({ followerSymbol: 'BTC/USDT', held: '0.09995', amount: '0.0999', outcome: 'sent', orderStatus: 'filled', message: expect.stringContaining('market sell of 0.0999 sent') }),
    ])
    // the relationship has ended: the leader's exit copies nothing more
    leader.trade('sell', '1', '50000')
    await copier.idle()
    expect(gateway.submits.length).toBe(before + 1)
  })

  it('unfollow and close positions: what the copies hold is worth less than the minimum order at the price now → dust, no order sent', async () => {
    const f = await follow()
    leader.trade('buy', '0.002', '50000') // copy 0.0002 BTC ≈ 10 USDT
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ status: 'copied', followerFilled: '0.0002' })
    book = { bid: new Decimal('20000'), ask: new Decimal('20010') } // now ≈ 4 USDT, under the 5 USDT minimum order
    const before = gateway.submits.length
    const result = await copier.unfollowAndClose(f.id)
    expect(gateway.submits.length).toBe(before)
    expect(result.closes).toEqual([
      expect.objectContaining({ followerSymbol: 'BTC/USDT', held: '0.0002', amount: null, outcome: 'dust', message: expect.stringContaining("is below the market's minimum order of 5 USDT") }),
    ])
  })

  it('unfollow and close positions: the user sold some of the coins by hand → sells what is free, rounded down to the step', async () => {
    const f = await follow()
    leader.trade('buy', '1', '50000') // copy 0.1 BTC
    await copier.idle()
    freeBtc = new Decimal('0.03456') // the user sold the rest
    const before = gateway.submits.length
    const result = await copier.unfollowAndClose(f.id)
    expect(gateway.submits.slice(before)).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', side: 'sell', amount: '0.0345' })])
    expect(result.closes).toEqual([
      expect.objectContaining({ held: '0.1', amount: '0.0345', outcome: 'sent', message: expect.stringContaining('the copies hold 0.1 BTC but only 0.03456 BTC is free; market sell of 0.0345 sent') }),
    ])
  })

  it('unfollow and close positions: the user sold (almost) all of the coins → coins not in the account, no order sent', async () => {
    const f = await follow()
    leader.trade('buy', '1', '50000') // copy 0.1 BTC
    await copier.idle()
    freeBtc = new Decimal('0.00005') // below the step: nothing to sell
    const before = gateway.submits.length
    const result = await copier.unfollowAndClose(f.id)
    expect(gateway.submits.length).toBe(before)
    expect(result.closes).toEqual([
      expect.objectContaining({ held: '0.1', amount: null, outcome: 'dust', message: expect.stringContaining('coins not in the account: the copies hold 0.1 BTC but only 0.00005 BTC is free') }),
    ])
  })

  it('unfollow and close positions: a risk refusal is reported per market; plain unfollow sends nothing', async () => {
    const a = await follow()
    leader.trade('buy', '1', '50000')
    await copier.idle()
    const before = gateway.submits.length
    gateway.answer = 'risk-refuses'
    const result = await copier.unfollowAndClose(a.id)
    expect(result.closes).toEqual([
      expect.objectContaining({ followerSymbol: 'BTC/USDT', amount: '0.1', outcome: 'refused', message: expect.stringContaining('above the max order notional') }),
    ])
    expect(result.endedAt).not.toBeNull()
    gateway.answer = 'fill'
    const b = await follow()
    leader.trade('buy', '1', '50000')
    await copier.idle()
    const sent = gateway.submits.length
    copier.unfollow(b.id)
    expect(gateway.submits.length).toBe(sent)
    expect(gateway.submits.length).toBeGreaterThan(before)
  })

  it('the daily loss stop counts from 00:00 UTC: a loss made after midnight, before the day\'s first copy, stops it', async () => {
    const f = await follow({ dailyLossStop: '50' })
    leader.trade('buy', '1', '50000') // 22:13 UTC: copy 0.1 BTC at 50 000
    await copier.idle()
    leader.clock = Date.UTC(2023, 10, 15) // 00:00 UTC: the book's mid is 50 000, the copies are even
    midnight?.()
    await copier.idle()
    book = { bid: new Decimal('49000'), ask: new Decimal('49010') } // by 10:00 the copy is 0.1 × (49 005 − 50 000) = −99.5
    leader.clock = Date.UTC(2023, 10, 15, 10)
    leader.trade('buy', '1', '49000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ status: 'skipped', rule: 'daily-loss', reason: expect.stringContaining('lost 99.50 USDT today') })
    expect((await copier.follows())[0]).toMatchObject({ status: 'stopped-daily' })
  })

  it('a profit taken in EUR stays what it was worth when taken: the EUR falling later is no daily loss', async () => {
    const f = await follow({ symbolMap: [{ from: 'BTC/USDT', to: 'BTC/EUR' }], dailyLossStop: '50' })
    gateway.fillPrice = '45455'
    leader.trade('buy', '1', '50000') // the copies buy 0.1 BTC for 4,545.5 EUR
    await copier.idle()
    gateway.fillPrice = '46364'
    leader.trade('sell', '2', '51000') // the leader's exit: the copies sell it for 4,636.4 EUR, +90.9 EUR = +99.99 USDT at 1.1
    await copier.idle()
    leader.clock = Date.UTC(2023, 10, 15) // 00:00 UTC: the day starts at +99.99 USDT
    midnight?.()
    await copier.idle()
    eurUsdt = new Decimal('0.5') // by 10:00 the euro has halved; the copies hold nothing (today's rate: "lost 54.54")
    leader.clock = Date.UTC(2023, 10, 15, 10)
    gateway.fillPrice = '45455'
    leader.trade('buy', '1', '50000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'buy', status: 'copied' })
    expect((await copier.follows())[0]).toMatchObject({ status: 'active', pnl: '99.99' })
  })

  it('a leader reduction is mirrored in proportion; drift compares follower, expected and leader positions', async () => {
    const f = await follow()
    leader.trade('buy', '1', '50000') // leader 1 → 2 BTC (held 1 before); follower 0.1
    await copier.idle()
    leader.trade('sell', '0.5', '50000') // 25 % of 2 → follower sells 0.025
    await copier.idle()
    const [sell] = records(f.id)
    expect(sell).toMatchObject({ side: 'sell', followerAmount: '0.025', status: 'copied' })
    const [row] = await copier.drift(f.id)
    expect(row).toMatchObject({ leaderSymbol: 'BTC/USDT', leaderPosition: '1.5', followerPosition: '0.075', expectedPosition: '0.075', driftPct: '0' })
  })

  it('a leader paying its buy fees in BTC and then selling all it holds is an exit: the whole copy is sold', async () => {
    const f = await follow({ sizing: { mode: 'multiplier', value: '0.05' } })
    leader.trade('buy', '1', '50000', 'stream', 't1', '0.001') // holds 1 + 0.999; follower 0.05
    await copier.idle()
    leader.trade('buy', '1', '50000', 'stream', 't2', '0.001') // holds 2.998 (not 2.999); follower 0.1
    await copier.idle()
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '2.998', followerPosition: '0.1' }])
    leader.trade('sell', '2.998', '50000') // everything: the follower sells all 0.1, not 0.1 × 2.998 / 2.999 → 0.0999
    await copier.idle()
    const [sell] = records(f.id)
    expect(sell).toMatchObject({ side: 'sell', leaderAmount: '2.998', followerAmount: '0.1', status: 'copied' })
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0', followerPosition: '0' }])
  })

  it('the price guard compares the leader price in the follower market\'s quote: BTC/USDT copied to BTC/EUR', async () => {
    const f = await follow({ symbolMap: [{ from: 'BTC/USDT', to: 'BTC/EUR' }], priceGuard: { action: 'skip', maxSlippagePct: '1' } })
    leader.trade('buy', '1', '50000')
    await copier.idle()
    // 50,000 USDT = 45,454.55 EUR: a sale at the 45,450 EUR bid is 0.01 % worse, not 9 %.
    leader.trade('sell', '1', '50000')
    await copier.idle()
    expect(records(f.id).map((r) => [r.side, r.followerSymbol, r.status])).toEqual([
      ['sell', 'BTC/EUR', 'copied'],
      ['buy', 'BTC/EUR', 'copied'],
    ])
  })

  it('after the leader leaves a market, the copies are expected to hold nothing there (no drift from rounding)', async () => {
    const f = await follow()
    leader.trade('buy', '1.23456', '50000') // copied as 0.123456 → 0.1234 at the step
    await copier.idle()
    leader.trade('sell', '2.23456', '50000') // everything it holds
    await copier.idle()
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0', followerPosition: '0', expectedPosition: '0', driftPct: null }])
  })

  it('the symbol map cannot move a leader market away from the follower market holding its copies', async () => {
    const f = await follow()
    leader.trade('buy', '1', '50000')
    await copier.idle()
    const settings = followSettingsSchema.parse({ leaderId: leader.id, followerVenueId: 'acct-follower', sizing: { mode: 'multiplier', value: '0.1' }, allocationPct: '100', symbolMap: [{ from: 'BTC/USDT', to: 'BTC/USDC' }] })
    await expect(copier.update(f.id, settings)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/^symbolMap: the copies hold 0\.1 on BTC\/USDT for the leader's BTC\/USDT/) })
    // Once the leader (and so the copies) sold out, it may move.
    leader.trade('sell', '2', '50000')
    await copier.idle()
    await expect(copier.update(f.id, settings)).resolves.toMatchObject({ id: f.id })
  })

  it('denying (or no longer allowing) a market the copies hold stops new buys there, and the leader\'s exit is still copied', async () => {
    const f = await follow()
    leader.trade('buy', '1', '50000')
    await copier.idle()
    const [view] = await copier.follows()
    await copier.update(f.id, { ...view!.settings, deny: ['BTC/USDT'] })
    leader.trade('buy', '1', '50000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'buy', status: 'skipped', rule: 'deny-list' })
    await copier.update(f.id, { ...view!.settings, allow: ['ETH/USDT'] })
    leader.trade('sell', '3', '50000') // the leader exits
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'sell', followerAmount: '0.1', status: 'copied' })
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0', followerPosition: '0' }])
  })

  it('"Buys only" cannot be set while the copies hold a position: the leader\'s sales would not be copied and it would stay', async () => {
    const f = await follow()
    leader.trade('buy', '1', '50000')
    await copier.idle()
    const [view] = await copier.follows()
    await expect(copier.update(f.id, { ...view!.settings, sides: 'buy' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^sides: the copies hold 0\.1 on BTC\/USDT; with buys only the leader's sales are not copied/),
    })
    leader.trade('sell', '2', '50000')
    await copier.idle()
    await expect(copier.update(f.id, { ...view!.settings, sides: 'buy' })).resolves.toMatchObject({ settings: { sides: 'buy' } })
  })

  it('a copied buy counts what arrived: with the fee taken in BTC, the exit sells exactly that', async () => {
    const f = await follow()
    gateway.baseFee = '0.0001' // the venue keeps 0.0001 of the 0.1 BTC bought
    leader.trade('buy', '1', '50000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'buy', followerAmount: '0.1', followerFilled: '0.1', status: 'copied' })
    expect(await copier.drift(f.id)).toMatchObject([{ followerPosition: '0.0999' }])
    gateway.baseFee = '0'
    leader.trade('sell', '2', '50000') // all of it: not the 0.1 bought, the 0.0999 that arrived
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'sell', followerAmount: '0.0999', status: 'copied' })
    expect(await copier.drift(f.id)).toMatchObject([{ followerPosition: '0', expectedPosition: '0' }])
  })

  it("the copies' P&L is net of fees: the buy's fee in BTC and the sale's in USDT", async () => {
    const f = await follow()
    gateway.baseFee = '0.0001' // of the 0.1 BTC bought for 5000 USDT
    gateway.quoteFee = '5' // of the 0.0999 BTC sold for 4995 USDT
    leader.trade('buy', '1', '50000')
    await copier.idle()
    leader.trade('sell', '2', '50000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'sell', followerAmount: '0.0999', status: 'copied' })
    // 4995 − 5 − 5000: what the account lost, though every fill was at 50 000
    expect((await copier.stats()).copyProfit).toBe('-10')
    expect((await copier.follows())[0]!.pnl).toBe('-10')
    expect(await copier.drift(f.id)).toMatchObject([{ followerPnl: '-10' }])
  })

  it('fee dust left after the leader exits is no open position: "Max positions 1" still lets the next market in', async () => {
    const f = await follow({ maxOpenPositions: 1 })
    gateway.baseFee = '0.00005' // 0.1 bought, 0.09995 arrived
    leader.trade('buy', '1', '50000')
    await copier.idle()
    gateway.baseFee = '0'
    leader.trade('sell', '2', '50000') // the exit sells 0.0999 (the step): 0.00005 BTC stays, below the min amount
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'sell', followerAmount: '0.0999', status: 'copied' })
    expect(await copier.drift(f.id)).toMatchObject([{ followerSymbol: 'BTC/USDT', followerPosition: '0.00005' }])
    // The leader buys another market.
    const fill: SourceFill = { leaderId: leader.id, tradeId: 'usdc1', symbol: 'BTC/USDC', side: 'buy', price: '50000', amount: '1', timestamp: leader.clock }
    leader.history.push(fill)
    for (const w of leader.watchers) w.onFills([fill], 'stream')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ leaderSymbol: 'BTC/USDC', side: 'buy', followerAmount: '0.1', status: 'copied' })
    // Now one market is open for real: a third is refused.
    const settings = followSettingsSchema.parse({ leaderId: leader.id, followerVenueId: 'acct-follower', sizing: { mode: 'multiplier', value: '0.1' }, allocationPct: '100', maxOpenPositions: 1, symbolMap: [{ from: 'BTC/USDT', to: 'BTC/EUR' }] })
    // The dust does not pin BTC/USDT's copies to BTC/USDT either.
    await expect(copier.update(f.id, settings)).resolves.toMatchObject({ id: f.id })
    leader.trade('buy', '1', '50000')
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ leaderSymbol: 'BTC/USDT', followerSymbol: 'BTC/EUR', status: 'skipped', rule: 'max-positions' })
  })

  it('the leader position a market starts from leaves out fills not handled yet: an order in two fills, then an exit', async () => {
    const f = await follow()
    // The leader held 1 BTC, then one order filled in two parts, both seen before the first is handled
    // (the balance read for the first already holds the second).
    leader.trade('buy', '0.4', '50000', 'stream', 't1', undefined, 'o1')
    leader.trade('buy', '0.6', '50000', 'stream', 't2', undefined, 'o1')
    await copier.idle()
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '2', followerPosition: '0.1' }])
    leader.trade('sell', '2', '50000') // all of it: the copies sell all 0.1
    await copier.idle()
    expect(records(f.id)[0]).toMatchObject({ side: 'sell', followerAmount: '0.1', status: 'copied' })
  })

  it('a fixed amount per trade is spent once per leader order, however many fills it had', async () => {
    const f = await follow({ sizing: { mode: 'fixed-quote', value: '1000' } })
    leader.trade('buy', '0.4', '50000', 'stream', 't1', undefined, 'o1')
    leader.trade('buy', '0.6', '50000', 'stream', 't2', undefined, 'o1') // the same order's second fill
    leader.trade('buy', '0.2', '50000', 'stream', 't3', undefined, 'o2')
    await copier.idle()
    // 1000 / 50,010 = 0.019996 → 0.0199 for each order; the second fill of o1 is not another 1000.
    expect(records(f.id).map((r) => [r.leaderTradeId, r.status, r.followerAmount ?? null, r.rule ?? null]).reverse()).toEqual([
      ['t1', 'copied', '0.0199', null],
      ['t2', 'skipped', null, 'same-order'],
      ['t3', 'copied', '0.0199', null],
    ])
  })

  it('a relationship paused while a copy was being decided places nothing', async () => {
    const f = await follow()
    let release = () => {}
    topGate = new Promise<void>((r) => (release = r))
    leader.trade('buy', '1', '50000')
    await new Promise((r) => setTimeout(r, 10)) // the decision now waits on the follower's book
    expect(copier.pause(f.id)).toMatchObject({ status: 'paused' })
    release()
    await copier.idle()
    expect(gateway.submits).toEqual([])
    expect(records(f.id)[0]).toMatchObject({ status: 'skipped', rule: 'paused', reason: 'the relationship was paused while the copy was being decided' })
  })

  it('catches up from the cursor at start: older-than-allowed fills are skipped "too-old", never dropped', async () => {
    const f = await follow({ maxAgeSec: 5 })
    await copier.stop()
    leader.clock += 1000
    leader.history.push({ leaderId: leader.id, tradeId: 'while-down', symbol: 'BTC/USDT', side: 'buy', price: '50000', amount: '0.1', timestamp: leader.clock })
    leader.clock += 10_000
    copier.start()
    await copier.idle()
    await copier.idle()
    expect(records(f.id)).toEqual([expect.objectContaining({ leaderTradeId: 'while-down', status: 'skipped', rule: 'too-old', via: 'start', detectedMs: 10_000 })])
    expect(gateway.submits).toHaveLength(0)
  })

  it('at start, a live fill waits for the catch-up: a buy made while the app was down is copied before the live exit', async () => {
    const f = await follow({ maxAgeSec: 60 })
    await copier.stop()
    leader.clock += 1000
    leader.history.push({ leaderId: leader.id, tradeId: 'while-down', symbol: 'BTC/USDT', side: 'buy', price: '50000', amount: '1', timestamp: leader.clock })
    leader.clock += 1000
    copier.start()
    // The leader sells everything (its 1 BTC from before and the 1 bought while down) as the app comes up.
    leader.trade('sell', '2', '50000', 'stream', 'live-exit')
    await copier.idle()
    await copier.idle()
    expect(records(f.id).map((r) => [r.leaderTradeId, r.side, r.status, r.followerAmount ?? null]).reverse()).toEqual([
      ['while-down', 'buy', 'copied', '0.1'],
      ['live-exit', 'sell', 'copied', '0.1'],
    ])
    expect(await copier.drift(f.id)).toMatchObject([{ leaderPosition: '0', followerPosition: '0' }])
  })

  it('copyExisting buys into the leader\'s position at the start, sized like a copy; copy.leaderFill streams the leader\'s fills', async () => {
    const seen: LeaderFill[] = []
    const stop = copier.watchLeader(leader.id, (fill) => seen.push(fill))
    const f = await follow({ copyExisting: true })
    await copier.idle()
    // the leader holds 1 BTC: 1 × 0.1 at the follower's ask — once, though its venue lists BTC/USDC too
    expect(records(f.id)).toEqual([expect.objectContaining({ leaderTradeId: 'existing-BTC/USDT', side: 'buy', leaderAmount: '1', followerAmount: '0.1', status: 'copied', via: 'start' })])
    leader.trade('buy', '0.2', '50000')
    await copier.idle()
    expect(seen.map((x) => x.amount)).toEqual(['0.2'])
    stop()
  })
})

describe('a copy sale waiting on another sale the exchange has not answered', () => {
  // Two sales of one coin: the first one's order stays 'submitting' (no answer; reconciliation settles it
  // later), and the exchange already froze its coins. The second sale's balance read may or may not count the
  // first, so it waited for its answer — with no limit: the leader's whole fill queue was held, and stop()
  // could hang. It now waits a few seconds, then sells no more than the read surely leaves free.
  async function twoSales(saleWaitMs?: number) {
    await copier.stop()
    copier = makeCopier(saleWaitMs === undefined ? {} : { saleWaitMs })
    copier.start()
    const f = await follow()
    freeBtc = new Decimal('0.1')
    leader.trade('buy', '1', '50000') // leader 1 → 2 BTC; the copies 0.1
    await copier.idle()
    gateway.answer = 'unanswered'
    leader.trade('sell', '0.5', '50000') // the copies sell 0.025: no answer
    await copier.idle()
    freeBtc = new Decimal('0.075') // the exchange froze the first sale's coins
    gateway.answer = 'fill'
    readsBeforeSecondSale = btcReads
    leader.trade('sell', '0.5', '50000') // a third of what is left: 0.025 more
    return f
  }
  let readsBeforeSecondSale = 0
  /** The second sale has read the balance and (its read ambiguous) waits for the first one's answer. */
  async function secondSaleWaiting() {
    await expect.poll(() => btcReads).toBeGreaterThan(readsBeforeSecondSale)
    await new Promise((resolve) => setImmediate(resolve)) // what follows the read (no I/O, no timer) has run
  }

  it('decides after the wait ran out: sells what was asked when the read surely leaves it, takes nothing off the book', async () => {
    const f = await twoSales(50)
    await copier.idle() // the 50 ms wait runs out (a wait with no end would hold it to the test's timeout)
    const sells = records(f.id).filter((r) => r.side === 'sell')
    expect(sells).toHaveLength(2)
    const second = sells.find((r) => r.status !== 'pending')!
    // the read shows 0.075 free, less the unanswered 0.025 reserved: 0.05 surely free, 0.025 asked
    expect(second).toMatchObject({ followerAmount: '0.025', status: 'copied' })
    expect(copier.store.recordByClientOrderId(second.clientOrderId!)!.followerRemoved).toBeNull()
    expect(gateway.submits.filter((i) => i.side === 'sell').map((i) => i.amount)).toEqual(['0.025', '0.025'])
  })

  it('never sells more than the read surely leaves free', async () => {
    const f = await copier.follow(followSettingsSchema.parse({ leaderId: leader.id, followerVenueId: 'acct-follower', sizing: { mode: 'multiplier', value: '0.1' }, allocationPct: '100' }))
    await copier.stop()
    copier = makeCopier({ saleWaitMs: 50 })
    copier.start()
    freeBtc = new Decimal('0.1')
    leader.trade('buy', '1', '50000')
    await copier.idle()
    gateway.answer = 'unanswered'
    leader.trade('sell', '0.5', '50000') // 0.025, unanswered
    await copier.idle()
    freeBtc = new Decimal('0.04') // frozen 0.025, and the user sold 0.035 by hand (or the read counts it twice)
    gateway.answer = 'fill'
    leader.trade('sell', '1.5', '50000') // the leader exits: the copies would sell the 0.075 left
    await copier.idle() // the 50 ms wait runs out (a wait with no end would hold it to the test's timeout)
    const exit = records(f.id).find((r) => r.side === 'sell' && r.status !== 'pending')!
    // 0.04 free less the unanswered 0.025: at most 0.015 is sold; the book keeps the rest until it is known
    expect(exit).toMatchObject({ followerAmount: '0.015', status: 'copied' })
    expect(exit.reason).toContain('still unanswered')
    expect(copier.store.recordByClientOrderId(exit.clientOrderId!)!.followerRemoved).toBeNull()
  })

  it('stop() does not wait for the answer', async () => {
    await twoSales(10 * 60_000) // longer than the test may run: stop() returns only if it ends the wait
    await secondSaleWaiting()
    await copier.stop()
  })

  it('a sale whose wait stop() ended sends no order after the copier stopped; it is left pending for the next start', async () => {
    const f = await twoSales(10 * 60_000)
    await secondSaleWaiting()
    const sent = gateway.submits.length
    await copier.stop()
    await new Promise((resolve) => setTimeout(resolve, 50))
    // quitting the app must not send a market sell on its way out (nor one whose answer nobody follows)
    expect(gateway.submits.slice(sent)).toEqual([])
    const sells = records(f.id).filter((r) => r.side === 'sell')
    expect(sells.map((r) => r.status)).toEqual(['pending', 'pending'])
  })
})

describe('a leader fill as a source hands it over', () => {
  const fill = (side: 'buy' | 'sell', fee: { asset: string; amount: string }) =>
    toLeaderFill('sim:trader:x', { tradeId: '7', venueOrderId: '1', clientOrderId: null, symbol: 'ETH/BTC', side, price: '0.05', amount: '2', fee, liquidity: 'taker', timestamp: 1 })
  it('moves the holding by the amount net of a fee paid in the base; the contract never sees the fee', () => {
    expect(heldChange(fill('buy', { asset: 'ETH', amount: '0.002' })).toFixed()).toBe('1.998')
    expect(heldChange(fill('buy', { asset: 'BTC', amount: '0.0001' })).toFixed()).toBe('2')
    expect(heldChange(fill('sell', { asset: 'ETH', amount: '0.002' })).toFixed()).toBe('-2.002')
    expect(heldChange(fill('sell', { asset: 'BNB', amount: '0.01' })).toFixed()).toBe('-2')
    expect(contractFill(fill('buy', { asset: 'ETH', amount: '0.002' }))).toEqual({ leaderId: 'sim:trader:x', tradeId: '7', symbol: 'ETH/BTC', side: 'buy', price: '0.05', amount: '2', timestamp: 1 })
  })
})

