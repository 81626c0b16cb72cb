import { describe, expect, it } from 'vitest'
import { openStore } from '../../src-main/store/open'
import { silentLogger } from '../../src-main/log'
import { SimHost } from '../../src-main/venues/sim/host'
import { simTraderViews } from '../../src-main/venues/sim/trader-views'
import { migrationsDir, tempDir } from '../support/temp-core'

// The simulated exchange is saved every 30 s and at a clean stop. After a crash the market starts from its
// last save, so the orders and trades made after it — already in the app's orders, fills and ledger — must
// not have their ids handed out again (the newer ones would be dropped as duplicates there). The paper
// account is journaled call by call in between, so it comes back as it was at the crash.

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

describe('the paper account after a crash', () => {
  const order = (sim: SimHost, n: number, side: 'buy' | 'sell', amount: string, price?: string) =>
    sim.engine.placeOrder({ accountId: 'paper', clientOrderId: `crash-${n}`, symbol: 'BTC/USDT', side, type: price ? 'limit' : 'market', amount, price, timeInForce: 'GTC', postOnly: false }).order

  it('comes back as it was at the crash, not as it was at the last periodic save', async () => {
    const dir = tempDir('co-sim-crash-')
    const first = host(dir)
    first.sim.runtime.advance(5_000)
    const early = order(first.sim, 1, 'buy', '0.001', (Number(first.sim.engine.ticker('BTC/USDT').bid) / 2).toFixed(2))
    first.sim.save() // the periodic save; everything below happens after it
    const bought = order(first.sim, 2, 'buy', '0.01') // a taker fill
    expect(bought.status).toBe('closed')
    first.sim.engine.cancelOrder('paper', 'BTC/USDT', { venueOrderId: early.venueOrderId })
    const ask = first.sim.engine.ticker('BTC/USDT').ask ?? '0'
    const far = order(first.sim, 3, 'buy', '0.001', (Number(ask) / 3).toFixed(2)) // rests
    // The paper account's own sell at the front, partly filled by someone else (a maker fill).
    const front = order(first.sim, 4, 'sell', '0.006', (Number(ask) - 0.01).toFixed(2))
    first.sim.engine.deposit('someone', 'USDT', '100000')
    first.sim.engine.placeOrder({ accountId: 'someone', clientOrderId: 'x', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.002', timeInForce: 'IOC', postOnly: false })
    const atCrash = {
      balances: first.sim.engine.balances('paper'),
      open: first.sim.engine.openOrders('paper'),
      fills: first.sim.engine.fills('paper'),
      front: first.sim.engine.getOrder('paper', 'BTC/USDT', { venueOrderId: front.venueOrderId }),
    }
    expect(atCrash.front).toMatchObject({ status: 'open', filled: '0.00200' })
    expect(atCrash.open.map((o) => o.venueOrderId)).toEqual([far.venueOrderId, front.venueOrderId])
    first.store.close() // crash: no stop, no final save

    const second = host(dir)
    const engine = second.sim.engine
    expect(engine.balances('paper')).toEqual(atCrash.balances)
    expect(engine.fills('paper')).toEqual(atCrash.fills)
    expect(engine.openOrders('paper')).toEqual(atCrash.open)
    expect(engine.getOrder('paper', 'BTC/USDT', { venueOrderId: early.venueOrderId })).toMatchObject({ status: 'canceled' })
    expect(engine.getOrder('paper', 'BTC/USDT', { venueOrderId: bought.venueOrderId })).toMatchObject({ status: 'closed', filled: '0.01000' })
    // The orders it has are really there: they cancel, and their money comes back.
    engine.cancelOrder('paper', 'BTC/USDT', { venueOrderId: far.venueOrderId })
    engine.cancelOrder('paper', 'BTC/USDT', { venueOrderId: front.venueOrderId })
    expect(engine.balances('paper').every((b) => b.used === '0')).toBe(true)
    await second.sim.stop()
    second.store.close()
  })
})


describe('the simulated traders across restarts', () => {
  it("keep their 'orders placed' and 'fills' counts", async () => {
    const dir = tempDir('co-sim-traders-')
    const first = host(dir)
    first.sim.runtime.advance(5 * 60_000)
    const counts = (sim: SimHost) => Object.fromEntries(sim.runtime.traders().map((t) => [t.id, [t.ordersPlaced, t.fills]]))
    const before = counts(first.sim)
    expect(Object.values(before).some(([placed, fills]) => (placed ?? 0) > 0 && (fills ?? 0) > 0)).toBe(true)
    await first.sim.stop()
    first.store.close()

    const second = host(dir)
    second.sim.runtime.advance(0) // sets the market and its traders up
    expect(counts(second.sim)).toEqual(before)
    const views = await simTraderViews(second.sim)
    expect(Object.fromEntries(views.map((v) => [v.id, [v.ordersPlaced, v.fills]]))).toEqual(before)
    await second.sim.stop()
    second.store.close()
  })
})
