import { afterEach, describe, expect, it } from 'vitest'
import { ConditionalStore } from '../../src-main/trading/conditional/store'
import type { OrderRecord } from '../../src-main/trading/model'
import { bracket, closeStores, FakeGateway, harness, viewOf, type Harness } from './conditional-harness'

// Start reads the brackets whose exit was canceled as its partner filled, since their entry may have filled
// more while the app was down. A bracket whose entry the engine saw end is settled: start must not read it
// again (every start, for ever, as the list of old brackets grows), while the one whose entry ended unseen
// still re-arms its exit — once.

afterEach(closeStores)

/** The entry's cancel has not landed (it keeps working). */
function slowCancels(h: Harness): void {
  h.gateway.cancel = (id: string) => {
    h.gateway.cancels.push(id)
    return new Promise<OrderRecord>(() => {})
  }
}

/** Take-profit sold the entry's first 0.3, the stop was canceled as its partner; the entry still works. */
async function exitedFirstFill(h: Harness): Promise<{ tp: string; sl: string; entry: string }> {
  const b = await bracket(h)
  h.gateway.fill(b.entry, '0.3', '100')
  h.ticks.price('110')
  h.gateway.fill(h.gateway.last.clientOrderId as string, '0.3', '110')
  await h.settle()
  expect(viewOf(h, b.sl)).toMatchObject({ status: 'canceled' })
  h.ticks.price('100')
  return b
}

const startReads = (h: Harness): (string | null)[] => [...new Set(new ConditionalStore(h.store.db).partnerCanceledBrackets().map((l) => l.entryClientOrderId))]

describe('start: brackets whose exit its partner canceled', () => {
  it('one whose entry ended while the engine ran is not read at start; one whose entry ended while the app was down is, and re-arms once', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const settled = await exitedFirstFill(h)
    h.gateway.end(settled.entry, 'canceled') // seen: nothing more to guard
    await h.settle()
    const unseen = await exitedFirstFill(h)
    expect(startReads(h)).toEqual([unseen.entry])

    h.engine.stop()
    h.gateway.fill(unseen.entry, '0.7', '100') // unseen: the engine is not running
    const h2 = await h.restart()
    h2.ticks.price('100')
    await h2.settle()
    expect(viewOf(h2, unseen.sl)).toMatchObject({ status: 'armed', amount: '0.7' })
    expect(viewOf(h2, settled.sl)).toMatchObject({ status: 'canceled' })
    // Re-armed for the entry's end: settled now, so the next start neither reads it nor arms it twice.
    expect(startReads(h2)).toEqual([])

    const h3 = await h2.restart()
    h3.ticks.price('100')
    await h3.settle()
    expect(h3.engine.list({ scope: 'active', limit: 10 }).map((v) => [v.id, v.amount])).toEqual([[unseen.sl, '0.7']])
    h3.ticks.price('94')
    expect(h3.gateway.submits.slice(4).map((s) => `${s.side} ${s.type} ${s.amount}`)).toEqual(['sell market 0.7'])
  })

  it('one written before entries were marked (its entry found ended with nothing more at start) is read at that start only', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    const b = await exitedFirstFill(h)
    h.engine.stop()
    h.gateway.end(b.entry, 'canceled') // unseen, nothing more filled
    expect(startReads(h)).toEqual([b.entry])
    const h2 = await h.restart()
    await h2.settle()
    expect(h2.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    expect(startReads(h2)).toEqual([])
  })

  it('one whose entry order the app has no record of (nothing can fill there for it) is read at one start only', async () => {
    const h = await harness()
    slowCancels(h)
    h.ticks.price('100')
    await exitedFirstFill(h)
    const h2 = await h.restart({ gateway: new FakeGateway(h.bus) })
    await h2.settle()
    expect(h2.engine.list({ scope: 'active', limit: 10 })).toEqual([])
    expect(startReads(h2)).toEqual([])
  })
})
