import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { planClose } from '../../src-main/copy/close'

// "Unfollow and close positions": what is sold per market of the copies' book.

const BTC = { base: 'BTC', stepSize: '0.0001', minAmount: '0.001' }

describe('closing a relationship’s positions', () => {
  it('sells what the copies hold, rounded down to the market’s step', () => {
    expect(planClose('BTC/USDT', new Decimal('0.012345'), BTC)).toMatchObject({ kind: 'sell', amount: new Decimal('0.0123') })
  })

  it('leaves dust below the minimum amount, saying so', () => {
    const plan = planClose('BTC/USDT', new Decimal('0.00099'), BTC)
    expect(plan).toMatchObject({ kind: 'dust' })
    expect(plan?.kind === 'dust' && plan.reason).toBe("0.00099 BTC is below the market's minimum amount 0.001 (step 0.0001): left as it is")
  })

  it('nothing held → nothing to do; no such market → said so', () => {
    expect(planClose('BTC/USDT', new Decimal(0), BTC)).toBeNull()
    expect(planClose('BTC/EUR', new Decimal('1'), undefined)).toMatchObject({ kind: 'dust', reason: 'the follower venue has no market BTC/EUR to sell on' })
  })
})
