import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src-main/store/open'
import { silentLogger } from '../../src-main/log'
import { SimHost } from '../../src-main/venues/sim/host'
import { migrationsDir, tempDir } from '../support/temp-core'

// After a crash the simulated market starts from its last save (up to 30 s old) and the paper account from
// its journal: a paper order placed at the touch after the market moved would sit across that older book.
// The older orders it crosses are canceled, so the book comes back uncrossed and the paper order is not
// filled by quotes that were gone when it was placed.

function host(dir: string) {
  const store = openStore(dir, migrationsDir)
  return { store, sim: new SimHost({ db: store.db, log: silentLogger, mode: 'manual', persist: true, seed: 7, history: false, now: () => 1_700_000_000_000 }) }
}

const BTC = 'BTC/USDT'
const crossed = (t: { bid?: string | null; ask?: string | null }) => new Decimal(t.bid ?? 0).gte(t.ask ?? Infinity)

describe('the simulated book after a crash', () => {
  it('is not crossed by a paper order placed at a touch the last save had not seen', async () => {
    const dir = tempDir('co-sim-uncross-')
    const first = host(dir)
    first.sim.runtime.advance(5_000)
    first.sim.engine.deposit('paper', 'BTC', '1')
    first.sim.save() // the periodic save
    const saved = first.sim.engine.ticker(BTC)
    // Let the market move until its touch is through the saved one.
    let side: 'buy' | 'sell' | null = null
    for (let t = 0; t < 30_000 && side === null; t += 1_000) {
      first.sim.runtime.advance(1_000)
      const now = first.sim.engine.ticker(BTC)
      if (new Decimal(now.bid!).gt(saved.ask!)) side = 'buy'
      else if (new Decimal(now.ask!).lt(saved.bid!)) side = 'sell'
    }
    expect(side).not.toBeNull()
    const touch = first.sim.engine.ticker(BTC)
    const price = side === 'buy' ? touch.bid! : touch.ask!
    const placed = first.sim.engine.placeOrder({ accountId: 'paper', clientOrderId: 'x1', symbol: BTC, side: side!, type: 'limit', amount: '0.01', price, timeInForce: 'GTC', postOnly: true }).order
    expect(placed.status).toBe('open')
    const paperBefore = first.sim.engine.balances('paper')
    first.store.close() // crash: no stop, no final save

    const second = host(dir)
    try {
      expect(crossed(second.sim.engine.ticker(BTC))).toBe(false)
      const after = second.sim.engine.getOrder('paper', BTC, { venueOrderId: placed.venueOrderId })
      expect([after?.status, new Decimal(after?.filled ?? 'NaN').isZero()]).toEqual(['open', true])
      expect(second.sim.engine.balances('paper')).toEqual(paperBefore)
      second.sim.runtime.advance(2_000)
      expect(crossed(second.sim.engine.ticker(BTC))).toBe(false)
    } finally {
      await second.sim.stop()
      second.store.close()
    }
  })
})
