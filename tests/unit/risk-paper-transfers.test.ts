import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { saveRiskLimits } from '../support/risk-limits'
import type { Core } from '../../src-main/core'
import type { RiskToday } from '../../src-main/api/contract'

// The daily loss limit through the contract on the simulated exchange's paper account: a paper balance
// reset is money moved (the ledger books it), so it neither trips the limit nor hides a loss.

const ctx = { door: 'test' } as const
let core: Core
let clock: { t: number }

beforeEach(() => {
  clock = { t: Date.UTC(2025, 0, 1, 10) }
  core = tempCore({ now: () => clock.t })
  core.sim.runtime.advance(60_000) // a book to trade against (BTC/USDT near 95000)
})
afterEach(async () => {
  await core.stop()
})

const { call, ok } = contractCalls(() => core, ctx)
const order = (side: 'buy' | 'sell', amount = '0.01') => ({ venueId: 'sim', symbol: 'BTC/USDT', side, type: 'market', size: { unit: 'base', value: amount } }) as const
const simToday = async () => ((await ok('risk.today', {})) as RiskToday).accounts.find((a) => a.venueId === 'sim')!
/** Lets the reset's valuation run, and moves the clock past the 5 s an account's equity is kept. */
const settle = async () => {
  await new Promise((r) => setTimeout(r, 20))
  clock.t += 6000
}

describe('daily loss limit on the paper account', () => {
  it('a reset to a smaller balance is a withdrawal, not a loss: buys go on', async () => {
    await saveRiskLimits(ok, { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: '100' })
    const start = await simToday()
    expect(start.startEquity).toBe('10000')
    await ok('paper.reset', { amount: '5000' })
    await settle()
    const after = await simToday()
    expect(after).toMatchObject({ startEquity: '10000', equity: '5000', netTransfers: '-5000', transfersNote: null, loss: '0' })
    await ok('orders.submit', order('buy'))
  })

  it('a reset to a larger balance does not hide the loss made before it', async () => {
    await saveRiskLimits(ok, { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: '1' })
    await ok('orders.submit', order('buy')) // the day starts at 10000
    await ok('orders.submit', order('sell', '0.00999')) // the spread and two fees lost (the buy's fee was taken in BTC)
    await settle()
    const lost = await simToday()
    expect(new Decimal(lost.loss!).gt(1)).toBe(true)
    await ok('paper.reset', { amount: '20000' })
    await settle()
    const after = await simToday()
    expect(after.equity).toBe('20000')
    // Money in: the new 20000 less what the account held (equity is rounded to 8 places, the ledger is not).
    const near = (a: string, b: Decimal.Value) => expect(new Decimal(a).minus(b).abs().lt('0.000001'), `${a} ≈ ${new Decimal(b).toFixed()}`).toBe(true)
    near(after.netTransfers!, new Decimal(20000).minus(lost.equity!))
    near(after.loss!, lost.loss!)
    const refused = await call('orders.submit', order('buy'))
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('Daily loss limit reached on') } })
  })
})
