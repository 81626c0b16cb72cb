import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { decide, roundToStep, type DecisionInput } from '../../src-main/copy/decide'
import { followSettingsSchema, type FollowSettingsInput } from '../../src-main/api/schemas/copy'
import type { MarketInfo } from '../../src-main/venues/port'

// The copy decision by hand: each expected amount below is worked out in the comment next to it.

const BTC: MarketInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: '0.01',
  stepSize: '0.0001',
  minAmount: '0.0001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
  active: true,
}

function settings(over: Partial<FollowSettingsInput> = {}) {
  return followSettingsSchema.parse({ leaderId: 'sim:trader:x', followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100', ...over })
}

function input(over: Partial<DecisionInput> & { s?: Partial<FollowSettingsInput> } = {}): DecisionInput {
  const { s, ...rest } = over
  return {
    fill: { side: 'buy', symbol: 'BTC/USDT', amount: new Decimal('0.1'), price: new Decimal('50000') },
    ageMs: 100,
    settings: settings(s),
    status: 'active',
    market: BTC,
    book: { bid: new Decimal('49990'), ask: new Decimal('50010') },
    followerEquity: new Decimal('10000'),
    leaderEquity: new Decimal('100000'),
    leaderPositionBefore: new Decimal('0'),
    followerPosition: new Decimal('0'),
    openPositions: 0,
    committedQuote: new Decimal('0'),
    quoteValue: new Decimal('1'),
    pnlTotal: new Decimal('0'),
    pnlToday: new Decimal('0'),
    ...rest,
  }
}

const sell = { side: 'sell' as const, symbol: 'BTC/USDT', amount: new Decimal('0.4'), price: new Decimal('50000') }

function copied(d: ReturnType<typeof decide>) {
  if (d.kind !== 'copy') throw new Error(`expected a copy, got skip ${d.rule}: ${d.reason}`)
  return { amount: d.amount.toFixed(), type: d.type, price: d.price?.toFixed() ?? null, symbol: d.followerSymbol, side: d.side }
}

function skipped(d: ReturnType<typeof decide>) {
  if (d.kind !== 'skip') throw new Error(`expected a skip, got a copy of ${d.amount.toFixed()}`)
  return d.rule
}

describe('sizing', () => {
  it('proportional: leader amount × follower equity ÷ leader equity', () => {
    // At the same price on both sides: 0.1 × 10 000 / 100 000 = 0.01 BTC
    const book = { bid: new Decimal('49990'), ask: new Decimal('50000') }
    expect(copied(decide(input({ s: { sizing: { mode: 'proportional' } }, book })))).toMatchObject({ amount: '0.01', type: 'market', side: 'buy' })
  })

  it('proportional across venues pricing differently: the same fraction of equity by value, not by coins', () => {
    // The leader puts 0.01 × 60 000 = 600, 6 % of its 10 000, in; the follower (10 000) 6 % at its ask of
    // 95 000: 600 / 95 000 = 0.0063157… → 0.0063 BTC (not the 0.01 BTC = 9.5 % a coin-for-coin copy was).
    const d = decide(
      input({
        s: { sizing: { mode: 'proportional' } },
        fill: { side: 'buy', symbol: 'BTC/USDT', amount: new Decimal('0.01'), price: new Decimal('60000') },
        book: { bid: new Decimal('94990'), ask: new Decimal('95000') },
        leaderEquity: new Decimal('10000'),
        followerEquity: new Decimal('10000'),
      }),
    )
    expect(copied(d)).toMatchObject({ amount: '0.0063' })
    if (d.kind === 'copy') expect(d.intended.toFixed()).toBe(new Decimal('600').div('95000').toFixed())
  })

  it('proportional with a leader price in a quote that could not be converted: by coins, as before', () => {
    // ETH/BTC at 0.0358 copied to ETH/USDT with BTC not valued: the prices are not comparable.
    const ETH = { ...BTC, symbol: 'ETH/USDT', base: 'ETH' }
    const fill = { side: 'buy' as const, symbol: 'ETH/BTC', amount: new Decimal('1'), price: new Decimal('0.0358'), foreignPrice: true }
    const d = decide(input({ s: { sizing: { mode: 'proportional' } }, fill, market: ETH, book: { bid: new Decimal('3399'), ask: new Decimal('3400') } }))
    expect(copied(d)).toMatchObject({ amount: '0.1' }) // 1 × 10 000 / 100 000
  })

  it('proportional without a leader equity is skipped as no-equity', () => {
    expect(skipped(decide(input({ s: { sizing: { mode: 'proportional' } }, leaderEquity: null })))).toBe('no-equity')
  })

  it('multiplier: leader amount × value, rounded down to the step', () => {
    // 0.1 × 0.123456 = 0.0123456 → step 0.0001 → 0.0123
    expect(copied(decide(input({ s: { sizing: { mode: 'multiplier', value: '0.123456' } } }))).amount).toBe('0.0123')
  })

  it('fixed quote: value ÷ the follower ask', () => {
    // 1000 / 50 010 = 0.019996… → 0.0199
    expect(copied(decide(input({ s: { sizing: { mode: 'fixed-quote', value: '1000' } } }))).amount).toBe('0.0199')
  })

  it('money settings are in USDT whatever the quote: 50 per trade on ETH/BTC buys 50 USDT of ETH, not 50 BTC', () => {
    const ETHBTC: MarketInfo = { ...BTC, symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', tickSize: '0.00001', stepSize: '0.001', minAmount: '0.001', minNotional: '0.0001' }
    const eth = (over: Partial<DecisionInput> & { s?: Partial<FollowSettingsInput> }) =>
      input({
        fill: { side: 'buy', symbol: 'ETH/BTC', amount: new Decimal('2'), price: new Decimal('0.05') },
        market: ETHBTC,
        book: { bid: new Decimal('0.04999'), ask: new Decimal('0.05') },
        quoteValue: new Decimal('60000'), // 1 BTC = 60 000 USDT → 1 ETH at the ask = 3 000 USDT
        ...over,
      })
    // 50 USDT ÷ 3 000 = 0.01666… → 0.016 ETH at the step 0.001
    expect(copied(decide(eth({ s: { sizing: { mode: 'fixed-quote', value: '50' } } }))).amount).toBe('0.016')
    // Multiplier 1 → 2 ETH = 6 000 USDT; the 10 % allocation of 10 000 USDT equity cuts it to 1 000 USDT = 0.333 ETH.
    const cut = decide(eth({ s: { allocationPct: '10' } }))
    expect(copied(cut).amount).toBe('0.333')
    expect(cut).toMatchObject({ kind: 'copy', capped: 'cut to the 1000.00 USDT left of the 10% allocation' })
    // Max trade 300 USDT → 0.1 ETH; min trade 7 000 USDT → skipped.
    expect(copied(decide(eth({ s: { maxTradeQuote: '300' } }))).amount).toBe('0.1')
    expect(skipped(decide(eth({ s: { minTradeQuote: '7000' } })))).toBe('below-min')
    // No BTC price: the copy cannot be sized and says so.
    const unpriced = decide(eth({ quoteValue: null }))
    expect(unpriced).toMatchObject({ kind: 'skip', rule: 'no-equity', reason: 'BTC cannot be valued in USDT to size the copy on ETH/BTC' })
  })
})

describe('filters', () => {
  it('state, age, sides, lists and the market each skip with their rule', () => {
    expect(skipped(decide(input({ status: 'paused' })))).toBe('paused')
    expect(skipped(decide(input({ status: 'stopped' })))).toBe('stopped')
    expect(skipped(decide(input({ status: 'stopped-daily' })))).toBe('daily-loss')
    expect(skipped(decide(input({ ageMs: 61_000 })))).toBe('too-old') // default maxAgeSec 60
    expect(copied(decide(input({ ageMs: 60_000 }))).amount).toBe('0.1')
    expect(skipped(decide(input({ s: { sides: 'sell' } })))).toBe('side')
    expect(skipped(decide(input({ s: { deny: ['BTC/USDT'] } })))).toBe('deny-list')
    expect(skipped(decide(input({ s: { allow: ['ETH/USDT'] } })))).toBe('not-allowed')
  })

  it('deny and allow gate new entries only: a sale of what the copies hold is copied (nothing held: skipped by the list)', () => {
    const exit = { leaderPositionBefore: new Decimal('0.4'), followerPosition: new Decimal('0.05'), fill: sell }
    expect(copied(decide(input({ ...exit, s: { deny: ['BTC/USDT'] } }))).amount).toBe('0.05')
    expect(copied(decide(input({ ...exit, s: { allow: ['ETH/USDT'] } }))).amount).toBe('0.05')
    expect(skipped(decide(input({ ...exit, followerPosition: new Decimal('0'), s: { deny: ['BTC/USDT'] } })))).toBe('deny-list')
    expect(skipped(decide(input({ ...exit, followerPosition: new Decimal('0'), s: { allow: ['ETH/USDT'] } })))).toBe('not-allowed')
    // "Buys only" means the leader's sales are not copied (the user closes positions)
    expect(skipped(decide(input({ ...exit, s: { sides: 'buy' } })))).toBe('side')
    expect(skipped(decide(input({ market: undefined })))).toBe('unmapped-market')
  })

  it('the symbol map picks the follower market', () => {
    const d = decide(input({ s: { symbolMap: [{ from: 'BTC/USDT', to: 'BTC/USDC' }] }, market: { ...BTC, symbol: 'BTC/USDC', quote: 'USDC' } }))
    expect(copied(d).symbol).toBe('BTC/USDC')
  })

  it('max open positions: a new market is refused at the limit, an open one is not', () => {
    expect(skipped(decide(input({ s: { maxOpenPositions: 2 }, openPositions: 2 })))).toBe('max-positions')
    expect(copied(decide(input({ s: { maxOpenPositions: 2 }, openPositions: 2, followerPosition: new Decimal('0.05') }))).amount).toBe('0.1')
  })

  it('max open positions: fee dust the venue would not take (below the min amount or the min notional) is no open position', () => {
    // 0.00005 BTC: below the 0.0001 minimum amount; 0.0009 BTC ≈ 45 USDT: sellable, an open position
    expect(skipped(decide(input({ s: { maxOpenPositions: 2 }, openPositions: 2, followerPosition: new Decimal('0.00005') })))).toBe('max-positions')
    // 0.0005 BTC ≈ 25 USDT at the 49 990 bid, below a 30 USDT minimum order
    expect(skipped(decide(input({ s: { maxOpenPositions: 2 }, openPositions: 2, followerPosition: new Decimal('0.0005'), market: { ...BTC, minNotional: '30' } })))).toBe('max-positions')
    expect(copied(decide(input({ s: { maxOpenPositions: 2 }, openPositions: 2, followerPosition: new Decimal('0.0009') }))).amount).toBe('0.1')
  })

  it('min trade skips, max trade cuts', () => {
    // 0.1 × 50 010 = 5001 quote
    expect(skipped(decide(input({ s: { minTradeQuote: '6000' } })))).toBe('below-min')
    // cut to 1000 / 50 010 = 0.019996 → 0.0199
    expect(copied(decide(input({ s: { maxTradeQuote: '1000' } }))).amount).toBe('0.0199')
    // 9.5 USDT asked: 0.00018996 BTC, rounded down to the step 0.0001 = 5.001 USDT — under a minimum of 8.
    const d = decide(input({ s: { sizing: { mode: 'fixed-quote', value: '9.5' }, minTradeQuote: '8' } }))
    expect(d).toMatchObject({ kind: 'skip', rule: 'below-min', reason: '0.0001 BTC (5.00 USDT after rounding to the step 0.0001) is below the minimum trade of 8 USDT' })
  })

  it('allocation: a buy is cut to the room left, none left is skipped', () => {
    // cap 10 000 × 20% = 2000; committed 1500 → room 500 → 500 / 50 010 = 0.009998 → 0.0099
    expect(copied(decide(input({ s: { allocationPct: '20' }, committedQuote: new Decimal('1500') }))).amount).toBe('0.0099')
    expect(skipped(decide(input({ s: { allocationPct: '20' }, committedQuote: new Decimal('2000') })))).toBe('allocation')
    // room 2000 − 1997 = 3 quote: 3 / 50 010 rounds to 0.0000 → the allocation (not the market) left too little
    expect(skipped(decide(input({ s: { allocationPct: '20' }, committedQuote: new Decimal('1997') })))).toBe('allocation')
  })

  it('market rules: below the minimum notional after rounding is skipped', () => {
    // 0.1 × 0.0009 = 0.00009 → step → 0.0000 → below min amount
    expect(skipped(decide(input({ s: { sizing: { mode: 'multiplier', value: '0.0009' } } })))).toBe('market-rules')
    // 0.1 × 0.0009 = … with a min notional of 5: 0.0001 × 50 010 = 5.001 passes; a 10 000 notional does not
    expect(skipped(decide(input({ s: { sizing: { mode: 'multiplier', value: '0.001' } }, market: { ...BTC, minNotional: '10000' } })))).toBe('market-rules')
  })
})

describe('stops', () => {
  it('total stop-loss and daily loss stop', () => {
    expect(skipped(decide(input({ s: { totalStopLoss: '100' }, pnlTotal: new Decimal('-100') })))).toBe('total-loss')
    expect(copied(decide(input({ s: { totalStopLoss: '100' }, pnlTotal: new Decimal('-99.99') }))).amount).toBe('0.1')
    expect(skipped(decide(input({ s: { dailyLossStop: '50' }, pnlToday: new Decimal('-60'), pnlTotal: new Decimal('20') })))).toBe('daily-loss')
  })
})

describe('price guard', () => {
  it('skip: the ask worse than the leader price by more than the allowed % is skipped', () => {
    // ask 50 010 vs 50 000 = 0.02 % worse
    expect(skipped(decide(input({ s: { priceGuard: { maxSlippagePct: '0.01', action: 'skip' } } })))).toBe('price-guard')
    expect(copied(decide(input({ s: { priceGuard: { maxSlippagePct: '0.05', action: 'skip' } } })))).toMatchObject({ type: 'market' })
  })

  it('limit: a limit at the leader price ± the slippage, rounded towards the leader', () => {
    // buy: 50 000 × 1.00013 = 50 006.5 → tick 0.01 down → 50006.5
    expect(copied(decide(input({ s: { priceGuard: { maxSlippagePct: '0.013', action: 'limit' } } })))).toMatchObject({ type: 'limit', price: '50006.5' })
    // sell 0.4 of 1 held (40 %) of a copied 0.05: 0.02 at 50 000 × (1 − 0.00013) = 49 993.5
    const d = decide(input({ fill: sell, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.05'), s: { priceGuard: { maxSlippagePct: '0.013', action: 'limit' } } }))
    expect(copied(d)).toMatchObject({ type: 'limit', price: '49993.5', amount: '0.02', side: 'sell' })
  })

  it('no book: skip when the action is skip', () => {
    expect(skipped(decide(input({ book: { bid: null, ask: null }, s: { priceGuard: { maxSlippagePct: '1', action: 'skip' } } })))).toBe('price-guard')
  })
})

describe('reductions and exits', () => {
  it('a leader selling 40 % of its position makes the follower sell 40 % of its copied position', () => {
    // 0.4 / 1 = 40 %; 40 % of 0.0123 = 0.00492 → step → 0.0049
    expect(copied(decide(input({ fill: sell, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.0123'), book: { bid: new Decimal('50000'), ask: null } })))).toMatchObject({
      side: 'sell',
      amount: '0.0049',
    })
  })

  it('a leader selling a third sells exactly a third of the copy, not a step less', () => {
    // 0.3 × 1 / 3 = 0.1 exactly; a rounded 1/3 first (0.33333333333333333333) would give 0.0999…, floored to 0.0999.
    const third = { ...sell, amount: new Decimal('1') }
    expect(copied(decide(input({ fill: third, leaderPositionBefore: new Decimal('3'), followerPosition: new Decimal('0.3') }))).amount).toBe('0.1')
  })

  it('a leader exit (sells all it held, or more than tracked) sells the whole copied position', () => {
    expect(copied(decide(input({ fill: sell, leaderPositionBefore: new Decimal('0.4'), followerPosition: new Decimal('0.0123') }))).amount).toBe('0.0123')
    expect(copied(decide(input({ fill: sell, leaderPositionBefore: new Decimal('0'), followerPosition: new Decimal('0.0123') }))).amount).toBe('0.0123')
  })

  it('the account holds less of the coin than the copies: the sale sells from what is free, the rest leaves the book', () => {
    const exit = { ...sell, amount: new Decimal('1') }
    // an exit: min(0.1 held, 0.02345 free) → 0.0234 at the step; 0.07655 removed
    const d = decide(input({ fill: exit, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('0.02345'), filled: new Decimal('0.1') } }))
    expect(copied(d).amount).toBe('0.0234')
    expect(d.removed?.toFixed()).toBe('0.07655')
    expect(d.kind === 'copy' && d.capped).toBe("the copies hold 0.1 BTC but only 0.02345 BTC is free; sold 0.0234; the other 0.07655 BTC left the copies' book at what it cost (sold by hand or used elsewhere)")
    // a 40 % reduction: 40 % of the 0.02 still there → 0.008 (not 40 % of 0.1, more than the account has)
    const part = decide(input({ fill: sell, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('0.02'), filled: new Decimal('0.1') } }))
    expect(copied(part).amount).toBe('0.008')
    expect(part.removed?.toFixed()).toBe('0.08')
    // enough free (other coins of the user's too): as before, nothing removed
    const plenty = decide(input({ fill: exit, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('5'), filled: new Decimal('0.1') } }))
    expect([copied(plenty).amount, plenty.removed]).toEqual(['0.1', undefined])
    // a pending copy's coins are not in the account yet: only the filled part is compared with the balance
    const pendingBuy = decide(input({ fill: exit, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('0.06'), filled: new Decimal('0.06') } }))
    expect([copied(pendingBuy).amount, pendingBuy.removed]).toEqual(['0.1', undefined])
  })

  it('too little free to make an order, or none: skipped "insufficient-balance" saying why, the missing coins removed', () => {
    const exit = { ...sell, amount: new Decimal('1') }
    // 0.00009 free: below the minimum amount 0.0001 once at the step
    const dust = decide(input({ fill: exit, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('0.00009'), filled: new Decimal('0.1') } }))
    expect(skipped(dust)).toBe('insufficient-balance')
    expect(dust.kind === 'skip' && dust.reason).toBe("the copies hold 0.1 BTC but only 0.00009 BTC is free; 0 BTC is below the market's minimum amount 0.0001: nothing sold; the other 0.09991 BTC left the copies' book at what it cost (sold by hand or used elsewhere)")
    expect(dust.removed?.toFixed()).toBe('0.09991')
    // 0.0001 free at a 49 990 bid: 0.0001 × 49 990 = 4.999 < 5, the minimum order (shown rounded down: 4.99, not 5.00)
    const small = decide(input({ fill: exit, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('0.0001'), filled: new Decimal('0.1') } }))
    expect(skipped(small)).toBe('insufficient-balance')
    expect(small.kind === 'skip' && small.reason).toMatch(/only 0\.0001 BTC is free; 0\.0001 BTC ≈ 4\.99 USDT is below the market's minimum order of 5 USDT: nothing sold/)
    const none = decide(input({ fill: exit, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('0'), filled: new Decimal('0.1') } }))
    expect(skipped(none)).toBe('insufficient-balance')
    expect(none.kind === 'skip' && none.reason).toMatch(/^the copies hold 0\.1 BTC but only 0 BTC is free: nothing to sell; the other 0\.1 BTC left/)
    expect(none.removed?.toFixed()).toBe('0.1')
  })

  it('nothing copied: no-position; sizing and allocation do not apply to reductions', () => {
    expect(skipped(decide(input({ fill: sell, leaderPositionBefore: new Decimal('1') })))).toBe('no-position')
    // allocation full and equity unknown: a reduction still goes through
    expect(copied(decide(input({ fill: sell, leaderPositionBefore: new Decimal('1'), followerPosition: new Decimal('1'), followerEquity: null, committedQuote: new Decimal('1e9') }))).amount).toBe('0.4')
  })

  it("the leader's position unknown (its balance could not be read): a sale is skipped with why, the coins the account lacks stay on the book; a buy is sized as usual", () => {
    const why = "the leader's BTC balance could not be read: nothing is sent to Binance until 03:12:00 UTC"
    const unknown = { leaderPositionBefore: null, leaderPositionUnknown: why }
    const sale = decide(input({ ...unknown, fill: sell, followerPosition: new Decimal('0.1'), followerAccount: { free: new Decimal('0.02'), filled: new Decimal('0.1') } }))
    expect(sale).toMatchObject({ kind: 'skip', rule: 'leader-position', amount: null, intended: null })
    expect(sale.kind === 'skip' && sale.reason).toMatch(/^the leader's BTC balance could not be read: nothing is sent to Binance until 03:12:00 UTC; .*nothing sold/)
    expect(sale.removed).toBeUndefined()
    // nothing copied to sell: that is the reason, whatever the leader holds
    expect(skipped(decide(input({ ...unknown, fill: sell })))).toBe('no-position')
    // a buy's size does not depend on the leader's position: 0.1 × 1
    expect(copied(decide(input(unknown))).amount).toBe('0.1')
  })
})

describe('roundToStep', () => {
  it('rounds to multiples of the step', () => {
    expect(roundToStep(new Decimal('1.23456'), '0.001', Decimal.ROUND_DOWN).toFixed()).toBe('1.234')
    expect(roundToStep(new Decimal('1.23401'), '0.001', Decimal.ROUND_UP).toFixed()).toBe('1.235')
    expect(roundToStep(new Decimal('7'), '5', Decimal.ROUND_DOWN).toFixed()).toBe('5')
  })
})

describe('refusals on a market quoted in BTC', () => {
  it('give the order value in BTC with its significant digits, not rounded to 0.00', () => {
    const ETHBTC: MarketInfo = { ...BTC, symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', tickSize: '0.00001', minNotional: '0.0001' }
    const d = decide(
      input({
        s: { sizing: { mode: 'multiplier', value: '0.01' } },
        fill: { side: 'buy', symbol: 'ETH/BTC', amount: new Decimal('0.2'), price: new Decimal('0.0358') },
        market: ETHBTC,
        book: { bid: new Decimal('0.03579'), ask: new Decimal('0.0358') },
        quoteValue: new Decimal('95000'),
      }),
    )
    expect(d).toMatchObject({ kind: 'skip', rule: 'market-rules', reason: "0.002 ETH ≈ 0.0000716 BTC is below the market's minimum order of 0.0001 BTC" })
  })
})
