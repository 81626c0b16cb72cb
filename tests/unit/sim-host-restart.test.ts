import { describe, expect, it } from 'vitest'
import { openStore } from '../../src-main/store/open'
import { silentLogger } from '../../src-main/log'
import { SimHost } from '../../src-main/venues/sim/host'
import { migrationsDir, tempDir } from '../support/temp-core'

// The simulated exchange is saved every 30 s and at a clean stop. After a crash it starts from its last
// save, so the orders and trades made after it — already in the app's orders, fills and ledger — must not
// have their ids handed out again (the newer ones would be dropped as duplicates there).

function host(dir: string) {
  const store = openStore(dir, migrationsDir)
  return { store, sim: new SimHost({ db: store.db, log: silentLogger, mode: 'manual', persist: true, seed: 7, history: false, now: () => 1_700_000_000_000 }) }
}

/** A paper order far from the price (it rests): its venue order id. */
function placeOrder(sim: SimHost, n: number): number {
  const price = sim.engine.ticker('BTC/USDT').last ?? '50000'
  const limit = (Number(price) / 2).toFixed(2)
  const placed = sim.engine.placeOrder({ accountId: 'paper', clientOrderId: `restart-${n}`, symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '0.001', price: limit, timeInForce: 'GTC', postOnly: false })
  return Number(placed.order.venueOrderId)
}

describe('simulated exchange ids across restarts', () => {
  it('after a crash, ids skip past any the lost seconds may have used; after a clean stop they go on', async () => {
    const dir = tempDir('co-sim-restart-')
    const first = host(dir)
    first.sim.runtime.advance(5_000)
    first.sim.save() // the periodic save
    const afterSave = placeOrder(first.sim, 1) // recorded by the app, lost from the sim's state by the crash
    first.store.close() // crash: no stop, no final save

    const second = host(dir)
    const next = placeOrder(second.sim, 2)
    expect(next).toBeGreaterThan(afterSave)
    expect(next - afterSave).toBeGreaterThanOrEqual(1_000_000 - 1)
    await second.sim.stop() // clean: the saved counters are final

    const third = host(dir)
    expect(placeOrder(third.sim, 3)).toBe(next + 1)
    await third.sim.stop()
    second.store.close()
    third.store.close()
  })
})
