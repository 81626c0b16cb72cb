import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { saveRiskLimits } from '../support/risk-limits'
import type { Core } from '../../src-main/core'
import type { CommandInput, ConditionalView, OrderView, TicketPreview } from '../../src-main/api/contract'

// The max position counts what the buys working on a market would add: open orders and armed conditional
// buys (an OCO once), at placing and at arming. Through the contract, on a real engine with the simulated
// exchange held still (BTC/USDT near 94800, the account holds no BTC): with a max position of 250 USDT,
// two buys of 0.001 BTC fit (≈ 190 USDT) and a third does not (≈ 284 USDT).

const ctx = { door: 'test' } as const
let core: Core

beforeEach(async () => {
  core = tempCore()
  core.sim.runtime.advance(60_000)
  await saveRiskLimits(ok, { maxOrderNotional: null, maxPositionNotional: '250', priceBandPct: null, dailyLossLimit: null })
})
afterEach(async () => {
  await core.stop()
})

const { ok, refused } = contractCalls(() => core, ctx)

const order = (side: 'buy' | 'sell', price: string, amount = '0.001') =>
  ({ venueId: 'sim', symbol: 'BTC/USDT', side, type: 'limit', price, size: { unit: 'base', value: amount } }) as const
const single = (side: 'buy' | 'sell', kind: 'stop-market' | 'take-profit-market', triggerPrice: string, amount = '0.001') =>
  ({ type: 'single', venueId: 'sim', symbol: 'BTC/USDT', leg: { kind, side, amount, triggerPrice, trigger: 'mid' } }) as const
const buyOco = (amount: string): CommandInput<'conditional.create'> => ({
  type: 'oco',
  venueId: 'sim',
  symbol: 'BTC/USDT',
  legs: [
    { kind: 'take-profit-market', side: 'buy', amount, triggerPrice: '80000.00', trigger: 'mid' },
    { kind: 'stop-market', side: 'buy', amount, triggerPrice: '120000.00', trigger: 'mid' },
  ],
})
const activeConditional = async () => (await ok('conditional.list', {})) as ConditionalView[]

/** The refusal, with its USDT value (it moves with the simulated price) left as a pattern. */
function positionMessage(total: string, parts: string): RegExp {
  const esc = (s: string) => s.replace(/[.+]/g, (c) => `\\${c}`)
  return new RegExp(`^A BTC position of ${esc(total)} BTC ≈ \\d+(\\.\\d+)? USDT on .+ would be above the max position 250 USDT per market: ${esc(parts)}$`)
}

describe('max position: working buys', () => {
  it('resting limit buys (and a bracket entry) count as if filled; canceling one frees its room', async () => {
    const first = (await ok('orders.submit', order('buy', '80000.00'))) as OrderView
    await ok('orders.submit', order('buy', '81000.00'))
    expect(await refused('orders.submit', order('buy', '82000.00'))).toMatch(positionMessage('0.003', '0 BTC held now + 0.002 BTC in open buys + 0.001 BTC in this order'))
    // The ticket's preview says the same before anything is sent.
    const preview = (await ok('orders.preview', order('buy', '82000.00'))) as TicketPreview
    expect(preview.problems).toEqual([{ field: 'risk', message: expect.stringMatching(positionMessage('0.003', '0 BTC held now + 0.002 BTC in open buys + 0.001 BTC in this order')) }])

    await ok('orders.cancel', { clientOrderId: first.clientOrderId })
    await ok('orders.submit', order('buy', '82000.00'))

    // A bracket's entry is an open buy like any other.
    await ok('orders.cancelAll', {})
    await ok('conditional.create', {
      type: 'bracket',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      entry: { side: 'buy', type: 'limit', price: '80000.00', size: { unit: 'base', value: '0.002' } },
      takeProfit: { triggerPrice: '90000.00' },
      stopLoss: { triggerPrice: '70000.00' },
    })
    expect(await refused('orders.submit', order('buy', '82000.00'))).toMatch(positionMessage('0.003', '0 BTC held now + 0.002 BTC in open buys + 0.001 BTC in this order'))
  })

  it('an armed stop buy counts toward the max position; one that would breach is refused when armed, storing nothing', async () => {
    const [stop] = (await ok('conditional.create', single('buy', 'stop-market', '120000.00'))) as ConditionalView[]
    await ok('orders.submit', order('buy', '80000.00'))
    expect(await refused('orders.submit', order('buy', '81000.00'))).toMatch(
      positionMessage('0.003', '0 BTC held now + 0.001 BTC in open buys + 0.001 BTC in armed conditional buys + 0.001 BTC in this order'),
    )

    // At arming: the same numbers, this conditional buy named as such.
    expect(await refused('conditional.create', single('buy', 'stop-market', '125000.00'))).toMatch(
      positionMessage('0.003', '0 BTC held now + 0.001 BTC in open buys + 0.001 BTC in armed conditional buys + 0.001 BTC in this conditional buy'),
    )
    expect(await refused('conditional.create', single('buy', 'take-profit-market', '70000.00'))).toMatch(/\+ 0\.001 BTC in this conditional buy$/)
    expect((await activeConditional()).map((c) => c.id)).toEqual([stop?.id])

    // Canceling the armed stop frees its room.
    await ok('conditional.cancel', { id: stop?.id as string })
    await ok('orders.submit', order('buy', '81000.00'))
  })

  it('an OCO buy counts once (one leg cancels the other), at arming and after', async () => {
    await ok('orders.submit', order('buy', '80000.00'))
    // 0.001 open + 0.002 = 0.003: refused, naming the OCO's amount once.
    expect(await refused('conditional.create', buyOco('0.002'))).toMatch(positionMessage('0.003', '0 BTC held now + 0.001 BTC in open buys + 0.002 BTC in this conditional buy'))
    expect(await activeConditional()).toEqual([])

    const legs = (await ok('conditional.create', buyOco('0.001'))) as ConditionalView[]
    expect(legs).toHaveLength(2)
    expect(await refused('orders.submit', order('buy', '81000.00'))).toMatch(
      positionMessage('0.003', '0 BTC held now + 0.001 BTC in open buys + 0.001 BTC in armed conditional buys + 0.001 BTC in this order'),
    )
    await ok('conditional.cancel', { id: legs[0]?.groupId as string })
    await ok('orders.submit', order('buy', '81000.00'))
  })

  it('sells are never refused by the max position, whatever is held, working or armed', async () => {
    await saveRiskLimits(ok, { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null })
    const bought = (await ok('orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.003' } })) as OrderView
    expect(bought.status).toBe('filled')
    await saveRiskLimits(ok, { maxOrderNotional: null, maxPositionNotional: '1', priceBandPct: null, dailyLossLimit: null })

    expect(((await ok('orders.submit', order('sell', '120000.00'))) as OrderView).status).toBe('open')
    await ok('conditional.create', single('sell', 'stop-market', '60000.00'))
    await ok('conditional.create', {
      type: 'oco',
      venueId: 'sim',
      symbol: 'BTC/USDT',
      legs: [
        { kind: 'take-profit-market', side: 'sell', amount: '0.001', triggerPrice: '120000.00', trigger: 'mid' },
        { kind: 'stop-market', side: 'sell', amount: '0.001', triggerPrice: '60000.00', trigger: 'mid' },
      ],
    })
    expect(((await ok('orders.preview', order('sell', '121000.00'))) as TicketPreview).problems).toEqual([])
    // A buy, by contrast, is over 1 USDT at once.
    expect(await refused('orders.submit', order('buy', '80000.00'))).toMatch(/^A BTC position of .+ above the max position 1 USDT per market: /)
  })
})
