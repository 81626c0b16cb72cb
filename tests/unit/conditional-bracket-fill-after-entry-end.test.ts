import Decimal from 'decimal.js'
import { afterEach, expect, it } from 'vitest'
import { ConditionalStore } from '../../src-main/trading/conditional/store'
import type { OrderRecord } from '../../src-main/trading/model'
import { bracket, closeStores, harness, viewOf, type Harness } from './conditional-harness'

// A bracket's entry ended (canceled with 0.3 filled) after its take-profit sold that 0.3 and canceled the stop.
// Its fills then add up to more than the venue said at the end (a fill the stream brought late, or the fills a
// reconcile fetched): the order's filled grows while its status stays canceled. That extra is in the account
// and the stop must guard it — at the latest from the next start, as before brackets were marked settled.

afterEach(closeStores)

const startReads = (h: Harness): (string | null)[] => [...new Set(new ConditionalStore(h.store.db).partnerCanceledBrackets().map((l) => l.entryClientOrderId))]

/** The entry's cancel has not landed (it keeps working). */
function slowCancels(h: Harness): void {
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    return new Promise<OrderRecord>(() => {})
  }
}

/** The finished order's recorded fills grow by `amount` (order-updates' fillsOfFinished): status unchanged. */
function lateFill(h: Harness, clientOrderId: string, amount: string): void {
  const rec = h.gateway.records.get(clientOrderId) as OrderRecord
  rec.filled = new Decimal(rec.filled).plus(amount).toFixed()
  rec.cost = new Decimal(rec.cost).plus(new Decimal(amount).times('100')).toFixed()
  h.bus.emit('orderChanged', { order: { ...rec }, previous: rec.status })
}

it('an entry whose fills grow after it ended: its stop guards the extra (after a restart at the latest)', async () => {
  const h = await harness()
  slowCancels(h)
  h.ticks.price('100')
  const { sl, entry } = await bracket(h)
  h.gateway.fill(entry, '0.3', '100')
  h.ticks.price('110')
  h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '110')
  await h.settle()
  h.gateway.end(entry, 'canceled')
  await h.settle()
  expect(viewOf(h, sl)).toMatchObject({ status: 'canceled' })
  // A change that brings no fill (an error noted on the finished order) leaves it settled.
  h.gateway.end(entry, 'canceled', 'noted')
  expect(startReads(h)).toEqual([])

  lateFill(h, entry, '0.2')
  await h.settle()
  const h2 = await h.restart()
  h2.ticks.price('100')
  await h2.settle()
  expect(viewOf(h2, sl)).toMatchObject({ status: 'armed', amount: '0.2' })
  h2.ticks.price('94')
  expect(h2.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '0.2' })
})
