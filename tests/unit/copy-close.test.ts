import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { planClose } from '../../src-main/copy/close'

// "Unfollow and close positions": what is sold per market of the copies' book.

const BTC = { base: 'BTC', quote: 'USDT', stepSize: '0.0001', minAmount: '0.001', minNotional: '5' }

describe('closing a relationship’s positions', () => {
  it('sells what the copies hold, rounded down to the market’s step', () => {
    expect(planClose('BTC/USDT', new Decimal('0.012345'), BTC, new Decimal('50000'))).toMatchObject({ kind: 'sell', amount: new Decimal('0.0123') })
  })

  it('leaves dust below the minimum amount, saying so', () => {
    const plan = planClose('BTC/USDT', new Decimal('0.00099'), BTC, new Decimal('50000'))
    expect(plan).toMatchObject({ kind: 'dust' })
    expect(plan?.kind === 'dust' && plan.reason).toBe("0.00099 BTC is below the market's minimum amount 0.001 (step 0.0001): left as it is")
  })

  it('leaves dust below the minimum order at the current price, which the venue would refuse', () => {
    // 0.0049 BTC × 1 000 = 4.9 USDT < 5: dust; at 1 100 it is 5.39, an order
    const plan = planClose('BTC/USDT', new Decimal('0.0049'), BTC, new Decimal('1000'))
    expect(plan).toMatchObject({ kind: 'dust' })
    expect(plan?.kind === 'dust' && plan.reason).toBe("0.0049 BTC ≈ 4.90 USDT at 1000 is below the market's minimum order of 5 USDT: left as it is")
    expect(planClose('BTC/USDT', new Decimal('0.0049'), BTC, new Decimal('1100'))).toMatchObject({ kind: 'sell', amount: new Decimal('0.0049') })
    // no price to check it at: sold (the venue has the last word)
    expect(planClose('BTC/USDT', new Decimal('0.0049'), BTC, null)).toMatchObject({ kind: 'sell', amount: new Decimal('0.0049') })
  })

  it('sells only what the account has free when the user sold some of the coins by hand, rounded down to the step', () => {
    const plan = planClose('BTC/USDT', new Decimal('0.1'), BTC, new Decimal('50000'), new Decimal('0.03456'))
    expect(plan).toMatchObject({ kind: 'sell', held: new Decimal('0.1'), amount: new Decimal('0.0345') })
    expect(plan?.kind === 'sell' && plan.note).toBe('the copies hold 0.1 BTC but only 0.03456 BTC is free')
    // enough free (or not known): what the copies hold, no note
    expect(planClose('BTC/USDT', new Decimal('0.1'), BTC, new Decimal('50000'), new Decimal('2'))).toMatchObject({ kind: 'sell', amount: new Decimal('0.1'), note: null })
    expect(planClose('BTC/USDT', new Decimal('0.1'), BTC, new Decimal('50000'), null)).toMatchObject({ kind: 'sell', amount: new Decimal('0.1'), note: null })
  })

  it('what is free is below the minimum amount or order → coins not in the account, nothing to sell', () => {
    const gone = planClose('BTC/USDT', new Decimal('0.1'), BTC, new Decimal('50000'), new Decimal('0'))
    expect(gone).toMatchObject({ kind: 'dust' })
    expect(gone?.kind === 'dust' && gone.reason).toBe(
      "coins not in the account: the copies hold 0.1 BTC but only 0 BTC is free; 0 BTC is below the market's minimum amount 0.001 (step 0.0001): nothing sold",
    )
    // 0.002 BTC free × 2 000 = 4 USDT < 5
    const small = planClose('BTC/USDT', new Decimal('0.1'), BTC, new Decimal('2000'), new Decimal('0.002'))
    expect(small?.kind === 'dust' && small.reason).toBe(
      "coins not in the account: the copies hold 0.1 BTC but only 0.002 BTC is free; 0.002 BTC ≈ 4.00 USDT at 2000 is below the market's minimum order of 5 USDT: nothing sold",
    )
  })

  it('nothing held → nothing to do; no such market → said so', () => {
    expect(planClose('BTC/USDT', new Decimal(0), BTC, new Decimal('50000'))).toBeNull()
    expect(planClose('BTC/EUR', new Decimal('1'), undefined, null)).toMatchObject({ kind: 'dust', reason: 'the follower venue has no market BTC/EUR to sell on' })
  })
})

describe('closing on a market quoted in BTC', () => {
  it('says what the dust is worth in BTC with its significant digits, not 0.00', () => {
    const ETHBTC = { symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', stepSize: '0.0001', minAmount: '0.0001', minNotional: '0.0001' }
    const plan = planClose('ETH/BTC', new Decimal('0.002'), ETHBTC, new Decimal('0.0358'))
    expect(plan?.kind === 'dust' && plan.reason).toBe("0.002 ETH ≈ 0.0000716 BTC at 0.0358 is below the market's minimum order of 0.0001 BTC: left as it is")
  })
})
