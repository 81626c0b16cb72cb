import { afterEach, describe, expect, it } from 'vitest'
import type { Logger } from '../../src-main/log'
import { BTC_USDT, balanceOf, fakeSource, order, paperRig, type PaperRig } from '../support/paper-market'

// A resting paper order whose market the source no longer lists after a restart (delisted or renamed) cannot
// follow its book, but it is still open with its reservation held: it is named in the log, listed as open,
// and can be canceled, which gives its reservation back.

let rigs: PaperRig[] = []
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close().catch(() => undefined)
})

const ETH_ONLY = [{ ...BTC_USDT, symbol: 'ETH/USDT', base: 'ETH' }]

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  return { warnings, info() {}, error() {}, warn: (m, d) => warnings.push(`${m} ${JSON.stringify(d ?? '')}`) }
}

async function restingBuyThenDelisted(log: Logger) {
  const rig = await paperRig()
  rig.book.set({ bids: [['100', '1']], asks: [['101', '1']] })
  const placed = await rig.venue.placeOrder(order({ side: 'buy', type: 'limit', price: '99', amount: '10' }))
  expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '9009.208', used: '990.792', total: '10000' })
  await rig.venue.close()
  rig.db.close()
  const after = await paperRig([], { dataDir: rig.dataDir, accountId: rig.accountId, source: fakeSource(ETH_ONLY), log })
  rigs.push(after)
  return { rig: after, placed }
}

describe('a resting paper order whose market is gone after a restart', () => {
  it('is named in the log and still listed as open', async () => {
    const log = recorder()
    const { rig, placed } = await restingBuyThenDelisted(log)
    expect(log.warnings.join('\n')).toMatch(new RegExp(`#${placed.venueOrderId}.*BTC/USDT`))
    expect((await rig.venue.fetchOpenOrders()).map((o) => [o.venueOrderId, o.status])).toEqual([[placed.venueOrderId, 'open']])
  })

  it('can be canceled: its reservation is free again, and stays so after another restart', async () => {
    const { rig, placed } = await restingBuyThenDelisted(recorder())
    const canceled = await rig.venue.cancelOrder('BTC/USDT', placed.venueOrderId)
    expect(canceled).toMatchObject({ venueOrderId: placed.venueOrderId, status: 'canceled' })
    expect(await balanceOf(rig.venue, 'USDT')).toEqual({ free: '10000', used: '0', total: '10000' })
    expect(await rig.venue.fetchOpenOrders()).toEqual([])
    const again = await rig.restart()
    rigs = [again]
    expect(await balanceOf(again.venue, 'USDT')).toEqual({ free: '10000', used: '0', total: '10000' })
    expect((await again.venue.fetchOrder('BTC/USDT', { venueOrderId: placed.venueOrderId }))?.status).toBe('canceled')
  })

  it('canceling it twice says it is canceled already', async () => {
    const { rig, placed } = await restingBuyThenDelisted(recorder())
    await rig.venue.cancelOrder('BTC/USDT', placed.venueOrderId)
    await expect(rig.venue.cancelOrder('BTC/USDT', placed.venueOrderId)).rejects.toThrow(`Paper order #${placed.venueOrderId} is canceled already, not open`)
  })
})
