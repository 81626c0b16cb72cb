import { afterEach, describe, expect, it } from 'vitest'
import { harness, type Harness } from './orders-support'
import { fakeFill, fakeReport, restingOnFake } from './orders-fake-reports'

// A venue's final word on an order against the fills recorded for it. Exchanges round: a quote-sized market
// buy's base is its quote over a rounded average, a hair off what its fills add up to. The final status
// counts (an order the venue finished is finished), the fills count for amount and cost.

let h: Harness
afterEach(async () => {
  await h.close()
})

describe('final reports and fills that differ by rounding', () => {
  it('a closed report a hair below the recorded fills finishes the order at what the fills add up to', async () => {
    h = await harness()
    const order = await restingOnFake(h, '0.02')
    h.fake.pushFill(fakeFill(order, '0.004'))
    h.fake.pushFill(fakeFill(order, '0.006'))
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'partially-filled', filled: '0.01', cost: '9.9' })
    h.fake.pushOrder(fakeReport(order, 'closed', '0.0099', '9.9'))
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.01', cost: '9.9', error: null })
    expect(h.events.orderTransitionRefused).toEqual([])
  })

  it('a canceled report a hair below the recorded fills ends the order canceled, keeping the fills', async () => {
    h = await harness()
    const order = await restingOnFake(h, '0.02')
    h.fake.pushFill(fakeFill(order, '0.01'))
    h.fake.pushOrder(fakeReport(order, 'canceled', '0.0099', '9.9'))
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0.01', cost: '9.9', error: null })
    expect(h.events.orderTransitionRefused).toEqual([])
  })

  it('reconciliation finishes an order whose venue reports it closed a hair below its fills', async () => {
    h = await harness()
    const order = await restingOnFake(h, '0.02')
    h.fake.pushFill(fakeFill(order, '0.01'))
    h.fake.script('fetchOpenOrders', async () => [])
    h.fake.script('fetchMyFills', async () => [])
    h.fake.script('fetchOrder', async () => fakeReport(order, 'closed', '0.0099', '9.9'))
    await h.manager.reconcile('fake')
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.01', cost: '9.9', error: null })
  })

  it('an older report arriving after the order finished is still ignored (no going back, no error)', async () => {
    h = await harness()
    const order = await restingOnFake(h, '0.02')
    h.fake.pushFill(fakeFill(order, '0.01'))
    h.fake.pushOrder(fakeReport(order, 'closed', '0.0099', '9.9'))
    const done = h.manager.get(order.clientOrderId)
    expect(done).toMatchObject({ status: 'filled', filled: '0.01' })
    h.fake.pushOrder(fakeReport(order, 'open', '0.004', '3.96'))
    h.fake.pushOrder(fakeReport(order, 'open', '0', '0'))
    h.fake.pushOrder(fakeReport(order, 'canceled', '0.0099', '9.9'))
    expect(h.manager.get(order.clientOrderId)).toEqual(done)
    expect(h.events.orderTransitionRefused).toEqual([])
  })
})
