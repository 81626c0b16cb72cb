import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { DB_FILE_NAME } from '../../src-main/store/open'
import { BTC_USDT, balanceOf, fakeSource, order, paperRig, type PaperRig } from '../support/paper-market'
import { PaperLedger } from '../../src-main/venues/paper/ledger'
import { D } from '../../src-main/venues/paper/decimal'

// A resting buy reserves price × amount × (1 + the maker fee when it was placed). The venue's rate may
// change before it fills (a restart loads the rates again): its fills are charged at the rate it was placed
// at, which its reservation covers, so the balance never goes below zero.

const rigs: PaperRig[] = []
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close().catch(() => undefined)
})

async function placedThenRestartedAt(makerFee: string, side: 'buy' | 'sell', earlierVersion = false) {
  const rig = await paperRig([
    { asset: 'USDT', amount: '990.792' },
    { asset: 'BTC', amount: '10' },
  ])
  rig.book.set({ bids: [['100', '1']], asks: [['101', '1']] })
  const placed = await rig.venue.placeOrder(order({ side, type: 'limit', price: side === 'buy' ? '99' : '102', amount: '10' }))
  await rig.venue.close()
  rig.db.close()
  if (earlierVersion) {
    // An order an earlier version placed: its rate was not stored.
    const db = new Database(path.join(rig.dataDir, DB_FILE_NAME))
    db.prepare('update paper_orders set maker_fee = null').run()
    db.close()
  }
  const after = await paperRig([], { dataDir: rig.dataDir, accountId: rig.accountId, source: fakeSource([{ ...BTC_USDT, makerFee }]) })
  rigs.push(after)
  return { rig: after, placed }
}

describe('a resting paper order whose venue changed its maker fee before it filled', () => {
  it('a buy is charged the rate it reserved at: all its reservation, nothing more', async () => {
    const { rig, placed } = await placedThenRestartedAt('0.002', 'buy')
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '0', used: '990.792', total: '990.792' })
    rig.book.set({ bids: [['98', '1']], asks: [['101', '1']] })
    rig.market.trade('BTC/USDT', '98', '20', 'sell') // a seller through its bid fills all 10
    expect((await rig.venue.fetchOrder('BTC/USDT', { venueOrderId: placed.venueOrderId }))?.status).toBe('closed')
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '0', used: '0', total: '0' })
    const [fill] = await rig.venue.fetchMyFills('BTC/USDT')
    expect(fill?.fee).toEqual({ asset: 'USDT', amount: '0.792' }) // 990 × 0.0008
  })

  it('a buy an earlier version placed: the rate its reservation was made at', async () => {
    const { rig } = await placedThenRestartedAt('0.002', 'buy', true)
    rig.book.set({ bids: [['98', '1']], asks: [['101', '1']] })
    rig.market.trade('BTC/USDT', '98', '4', 'sell') // 4 of its 10
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '0', used: '594.4752', total: '594.4752' }) // 6 × 99 × 1.0008 left
    rig.market.trade('BTC/USDT', '98', '6', 'sell')
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '0', used: '0', total: '0' })
  })

  it('a sell is charged the rate it was placed at too', async () => {
    const { rig } = await placedThenRestartedAt('0.002', 'sell')
    rig.book.set({ bids: [['100', '1']], asks: [['103', '1']] })
    rig.market.trade('BTC/USDT', '103', '20', 'buy')
    const [fill] = await rig.venue.fetchMyFills('BTC/USDT')
    expect(fill?.fee).toEqual({ asset: 'USDT', amount: '0.816' }) // 1020 × 0.0008
  })
})

describe('paying out of a reservation', () => {
  it('refuses to spend more than is reserved', () => {
    const ledger = new PaperLedger([{ asset: 'USDT', free: '5', used: '10' }])
    expect(() => ledger.spendReserved('USDT', new D('10.5'))).toThrow(/reserved/)
    expect(ledger.balances()).toEqual([{ asset: 'USDT', free: '5', used: '10', total: '15' }])
  })
})
