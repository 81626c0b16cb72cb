import { afterEach, describe, expect, it } from 'vitest'
import { harness, type Harness } from './orders-support'
import { fakeFill, fakeReport, restingOnFake } from './orders-fake-reports'

// Fills that add up to more than a finished order's reported filled amount: exchanges round, so the fills
// (the ground truth for amount and cost) count, without an error on a perfectly filled order. Fills beyond
// the order's own amount are an anomaly, put on the order naming both figures.

let h: Harness
afterEach(async () => {
  await h.close()
})

describe('fills that add up to more than a finished order reported', () => {
  it('fills that add up to a hair more than a closed report said: the fills count, no error', async () => {
    h = await harness()
    const order = await restingOnFake(h, '0.01')
    h.fake.pushOrder(fakeReport(order, 'closed', '0.0099', '9.801'))
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.0099' })
    h.fake.pushFill(fakeFill(order, '0.004'))
    h.fake.pushFill(fakeFill(order, '0.006'))
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.01', cost: '9.9', error: null })
    expect(h.events.orderTransitionRefused).toEqual([])
    expect(h.events.orderFilled!.at(-1)!.order).toMatchObject({ status: 'filled', filled: '0.01' })
  })

  it('fills that add up to more than the order itself are an anomaly: put on the order, naming both figures', async () => {
    h = await harness()
    const order = await restingOnFake(h, '0.01')
    h.fake.pushOrder(fakeReport(order, 'closed', '0.01', '9.9'))
    h.fake.pushFill(fakeFill(order, '0.006'))
    h.fake.pushFill(fakeFill(order, '0.006'))
    const after = h.manager.get(order.clientOrderId)!
    expect(after).toMatchObject({ status: 'filled', filled: '0.01' })
    expect(after.error).toBe('its fills add up to 0.012, more than the order amount 0.01')
    expect(h.warnings.some((w) => w.includes(order.clientOrderId) && w.includes('0.012') && w.includes('0.01'))).toBe(true)
  })
  it('a market buy the exchange took as a quote amount may buy a hair more than asked: its fills count, no error', async () => {
    h = await harness()
    h.other('sell', '0.02', '990.00')
    const order = await h.manager.submit(h.intent({ venueId: 'fake', type: 'market', amount: '0.01' }))
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.01' })
    h.fake.pushFill(fakeFill(h.manager.get(order.clientOrderId)!, '0.0001'))
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.0101', error: null })
    expect(h.events.orderTransitionRefused).toEqual([])
  })

  it('a canceled order whose late fills add up to all of it keeps them and says so, naming the venue\'s word', async () => {
    h = await harness()
    const order = await restingOnFake(h, '0.01')
    h.fake.pushFill(fakeFill(order, '0.006'))
    h.fake.pushOrder(fakeReport(order, 'canceled', '0.006', '5.94'))
    h.fake.pushFill(fakeFill(order, '0.004'))
    const after = h.manager.get(order.clientOrderId)!
    expect(after).toMatchObject({ status: 'canceled', filled: '0.01' })
    expect(after.error).toBe('reported canceled, but its fills add up to the whole amount 0.01')
    expect(h.warnings.some((w) => w.includes(order.clientOrderId) && w.includes('whole amount'))).toBe(true)
  })
})
