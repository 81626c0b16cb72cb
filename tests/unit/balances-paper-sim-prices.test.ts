import { afterEach, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { BalancesView } from '../../src-main/api/contract'

// A paper account on the simulated exchange is valued at the simulator's live prices, as the simulated
// exchange's own account is: asked twice within seconds while the simulator trades, both move together
// (it used to keep a price read up to 10 s earlier, while the Portfolio moved on).

const ctx = { door: 'test' } as const
let core: Core | undefined
afterEach(async () => {
  await core?.stop()
  core = undefined
})

async function call<T>(c: Core, name: string, input: unknown = {}): Promise<T> {
  const reply = await c.router.invoke(name, input, ctx)
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
  return reply.value as T
}

/** The USDT price each venue valued one BTC at. */
async function btcPrices(c: Core): Promise<Record<string, string>> {
  const view = await call<BalancesView>(c, 'balances.list')
  const out: Record<string, string> = {}
  for (const v of view.venues) {
    const btc = v.balances.find((b) => b.asset === 'BTC')
    if (btc?.value) out[v.venueId] = new Decimal(btc.value).div(btc.total).toFixed()
  }
  return out
}

describe('a paper account on the simulated exchange', () => {
  it('is valued at the simulator’s current price, not one read seconds ago', async () => {
    const c = (core = tempCore())
    c.sim.runtime.advance(30_000)
    await call(c, 'paper.open', { source: { kind: 'venue', venueId: 'sim' }, balances: [{ asset: 'BTC', amount: '1' }] })
    const before = await btcPrices(c)
    expect(before['paper:1']).toBe(new Decimal(c.sim.engine.ticker('BTC/USDT').last!).toFixed())
    const first = c.sim.engine.ticker('BTC/USDT').last
    for (let i = 0; i < 50 && c.sim.engine.ticker('BTC/USDT').last === first; i++) c.sim.runtime.advance(1_000)
    const last = c.sim.engine.ticker('BTC/USDT').last
    expect(last).not.toBe(first)
    const after = await btcPrices(c)
    expect(after['paper:1']).toBe(new Decimal(last!).toFixed())
    // Read at the simulator's live prices: no "prices as of" on it.
    const view = await call<BalancesView>(c, 'balances.list')
    expect(view.venues.find((v) => v.venueId === 'paper:1')?.pricesAt).toBeUndefined()
  })
})
