import Decimal from 'decimal.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { CommandInput, CommandName } from '../../src-main/api/contract'
import type { OrderRecord } from '../../src-main/trading/model'

// Self-trade prevention on the embedded default, as the user sees it: the paper account's own resting sell
// is first in line when its buy crosses the book.

const ctx = { door: 'test' } as const
let core: Core

beforeEach(() => {
  core = tempCore()
  core.sim.runtime.advance(60_000) // the synthetic market builds its books
})
afterEach(async () => {
  await core.stop()
})

async function submit(input: CommandInput<'orders.submit'>): Promise<OrderRecord> {
  const reply = await core.router.invoke('orders.submit' as CommandName, input, ctx)
  if (!reply.ok) throw new Error(`orders.submit failed: ${reply.error.message}`)
  return reply.value as OrderRecord
}

function order(clientOrderId: string): OrderRecord | undefined {
  return core.orders.list({ scope: 'history', limit: 1000 }).find((o) => o.clientOrderId === clientOrderId)
}

describe('self-trade prevention on the simulated exchange', () => {
  it("a buy crossing the user's own sell fills against the others; the own sell expires and says why", async () => {
    const base = { venueId: 'sim', symbol: 'BTC/USDT' } as const
    const bought = await submit({ ...base, side: 'buy', type: 'market', size: { unit: 'base', value: '0.02' } } as CommandInput<'orders.submit'>)
    expect(bought.status).toBe('filled')
    const ask = new Decimal(core.sim.engine.ticker('BTC/USDT').ask ?? '0')
    const mine = await submit({ ...base, side: 'sell', type: 'limit', price: ask.minus('0.01').toFixed(2), size: { unit: 'base', value: '0.005' } } as CommandInput<'orders.submit'>)
    expect(mine.status).toBe('open')

    const buy = await submit({ ...base, side: 'buy', type: 'limit', price: ask.plus(50).toFixed(2), size: { unit: 'base', value: '0.005' } } as CommandInput<'orders.submit'>)
    expect(buy).toMatchObject({ status: 'filled', filled: '0.005', error: null })
    const own = order(mine.clientOrderId)
    expect(own?.status).toBe('expired')
    expect(own?.error).toMatch(/^self-trade prevention: your buy #\d+ at [\d.]+ would have traded with it$/)
  })
})
