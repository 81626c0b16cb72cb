import { afterAll, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import type { Core } from '../../src-main/core'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'

// A bracket on the simulated exchange, which (like Binance) charges a buyer's fee in the coin bought: the
// exits are sized to what the entry put in the account, not the gross fill, so the one that fires is not
// refused for want of the fee's worth.

let core: Core
afterAll(async () => {
  await core?.stop()
})

const ctx = { door: 'test' } as const
const { value: call } = contractCalls(() => core, ctx)

interface LegView {
  kind: string
  amount: string
  status: string
}

describe('bracket exits after a fee paid in the coin bought', () => {
  it('are sized to the coins received, down to the step, and the one that fires fills', async () => {
    core = tempCore()
    core.sim.runtime.advance(60_000)
    const venue = await core.venues.open('sim')
    const ask = new Decimal((await venue.fetchTicker('BTC/USDT')).ask!)
    const before = new Decimal((await venue.fetchBalances()).find((b) => b.asset === 'BTC')?.total ?? '0')
    await call('conditional.create', {
      type: 'bracket',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      entry: { side: 'buy', type: 'market', size: { unit: 'base', value: '0.001' } },
      takeProfit: { triggerPrice: ask.plus(30).toFixed(2) },
      stopLoss: { triggerPrice: ask.minus(30).toFixed(2) },
    })
    const held = new Decimal((await venue.fetchBalances()).find((b) => b.asset === 'BTC')!.total).minus(before)
    // 0.001 bought, 0.1 % of it paid as the fee: 0.000999 arrived; the step is 0.00001.
    expect(held.toFixed()).toBe('0.000999')
    const legs = await call<LegView[]>('conditional.list', {})
    expect(legs.map((l) => [l.kind, l.amount])).toEqual(
      expect.arrayContaining([
        ['take-profit-market', '0.00099'],
        ['stop-market', '0.00099'],
      ]),
    )
    // The market moves until one exit fires; its sell fills (it was refused before: 0.001 asked, 0.000999 held).
    let history: LegView[] = []
    for (let i = 0; i < 1200 && history.length === 0; i++) {
      core.sim.runtime.advance(1000)
      await new Promise((r) => setImmediate(r))
      history = await call<LegView[]>('conditional.list', { scope: 'history' })
    }
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    history = await call<LegView[]>('conditional.list', { scope: 'history' })
    expect(history.map((l) => l.status).sort()).toEqual(['canceled', 'done'])
    const orders = await call<{ side: string; amount: string; filled: string; status: string }[]>('orders.list', { scope: 'history' })
    expect(orders.find((o) => o.side === 'sell')).toMatchObject({ amount: '0.00099', filled: '0.00099', status: 'filled' })
  }, 60_000)
})
