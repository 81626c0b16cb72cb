import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-main/api/errors'
import { fail, harness, landThenFail, ME_FAKE, unacknowledged, waitFor, type Harness } from './orders-support'
import { rejected } from '../support/thrown'

// submit(): the intent is in SQLite before the venue hears of it, retries reuse the client id, a client
// id is never sent twice, and refusals are kept as history with the venue's words.

let h: Harness
afterEach(async () => {
  await h.close()
})

const refusal = (p: Promise<unknown>) => rejected(p, AppError)

describe('submit', () => {
  it('writes the intent before the venue sees it, then sends it once with an alphanumeric client id', async () => {
    h = await harness()
    const seenInside: unknown[] = []
    h.fake.beforePlace = (request) => {
      // What a crash at this instant would leave behind: the row, with our id, marked as being sent.
      seenInside.push(h.manager.get(request.clientOrderId))
    }
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    expect(order).toMatchObject({ venueId: 'fake', status: 'open', filled: '0', cost: '0', attempts: 1, error: null })
    expect(order.clientOrderId).toMatch(/^co[a-z0-9]{8,30}$/)
    expect(order.clientOrderId.length).toBeLessThanOrEqual(32)
    expect(order.venueOrderId).not.toBeNull()
    expect(seenInside).toEqual([expect.objectContaining({ clientOrderId: order.clientOrderId, status: 'submitting', venueOrderId: null, amount: '1', price: '99.00' })])
    // 'pending' was written (and announced) before 'submitting'
    const statuses = h.events.orderChanged!.filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => [e.previous, e.order.status])
    expect(statuses).toEqual([
      [null, 'pending'],
      ['pending', 'submitting'],
      ['submitting', 'open'],
    ])
    expect(h.engine.openOrders(ME_FAKE)).toEqual([expect.objectContaining({ clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId })])
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
  })

  it('retries a rate-limited order with backoff and the same client id: one order on the venue', async () => {
    h = await harness()
    h.fake.script('placeOrder', fail('rate-limited', 'Too much request weight used'), fail('rate-limited', 'Too much request weight used'))
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    const ids = h.fake.callsOf('placeOrder').map(([r]) => (r as { clientOrderId: string }).clientOrderId)
    expect(ids).toEqual([order.clientOrderId, order.clientOrderId, order.clientOrderId])
    expect(order).toMatchObject({ status: 'open', attempts: 3 })
    expect(h.fake.callsOf('fetchOrder')).toHaveLength(0) // a 429 was not processed: nothing to look for
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(1)
  })

  it('after a timeout looks the order up before sending again: the first attempt had landed → adopted, not re-sent', async () => {
    h = await harness()
    h.fake.silenceStreams() // the venue's own update is lost too: only a look-up can tell
    h.fake.script('placeOrder', landThenFail('unreachable', 'request timed out'))
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
    expect(h.fake.callsOf('fetchOrder')).toEqual([['BTC/USDT', { clientOrderId: order.clientOrderId }]])
    expect(order).toMatchObject({ status: 'open', attempts: 1 })
    expect(order.venueOrderId).toBe(h.engine.openOrders(ME_FAKE)[0]!.venueOrderId)
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(1)
  })

  it('after a timeout that never reached the venue, sends again with the same id', async () => {
    h = await harness()
    h.fake.script('placeOrder', fail('unreachable', 'connect ECONNREFUSED'), fail('unreachable', 'connect ECONNREFUSED'))
    const order = await h.manager.submit(h.intent({ venueId: 'fake' }))
    expect(h.fake.callsOf('placeOrder').map(([r]) => (r as { clientOrderId: string }).clientOrderId)).toEqual([order.clientOrderId, order.clientOrderId, order.clientOrderId])
    expect(h.fake.callsOf('fetchOrder')).toHaveLength(2) // looked before each re-send
    expect(order).toMatchObject({ status: 'open', attempts: 3 })
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(1)
  })

  it('never re-sends while it cannot tell whether the first attempt landed', async () => {
    h = await harness({ retryDelaysMs: [1, 1] })
    h.fake.silenceStreams()
    h.fake.script('placeOrder', landThenFail('unreachable'))
    h.fake.script('fetchOrder', fail('unreachable'), fail('unreachable'))
    const err = await refusal(h.manager.submit(h.intent({ venueId: 'fake' })))
    expect(err.code).toBe('UNAVAILABLE')
    expect(err.message).toMatch(/no answer from fake after 1 attempt/)
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
    const [row] = h.manager.list({ scope: 'open', limit: 10 })
    expect(row).toMatchObject({ status: 'submitting', attempts: 1 })
    expect(row!.error).toMatch(/kept as 'submitting'/)
    // reconciliation (scheduled) finds it on the venue
    const settled = await waitForStatus(h, row!.clientOrderId, 'open')
    expect(settled.venueOrderId).toBe(h.engine.openOrders(ME_FAKE)[0]!.venueOrderId)
  })

  // Its row said "no answer … kept as 'submitting' and checked again"; once the exchange shows it open that is
  // no longer so, and the open order must not go on saying it.
  it('an order kept as submitting that turns up open no longer says it is kept as submitting', async () => {
    h = await harness({ retryDelaysMs: [], reconcileRetryMs: 60_000, resyncDelayMs: 60_000 })
    const onStream = await unacknowledged(h, true)
    expect(h.manager.get(onStream)?.error).toMatch(/kept as 'submitting'/)
    h.fake.pushOrder((await h.fake.inner.fetchOrder('BTC/USDT', { clientOrderId: onStream }))!)
    expect(h.manager.get(onStream)).toMatchObject({ status: 'open', error: null })

    const atReconcile = await unacknowledged(h, true)
    await h.manager.reconcile('fake')
    expect(h.manager.get(atReconcile)).toMatchObject({ status: 'open', error: null })
  })

  it('a rate limit that never ends: rejected as not placed', async () => {
    h = await harness({ retryDelaysMs: [1] })
    h.fake.script('placeOrder', fail('rate-limited', 'Too many requests'), fail('rate-limited', 'Too many requests'))
    const err = await refusal(h.manager.submit(h.intent({ venueId: 'fake' })))
    expect(err.code).toBe('UNAVAILABLE')
    expect(h.manager.list({ scope: 'history', limit: 10 })).toEqual([expect.objectContaining({ status: 'rejected', attempts: 2, error: 'Too many requests (2 attempts; not placed)' })])
    expect(h.engine.openOrders(ME_FAKE)).toHaveLength(0)
  })

  it('a venue refusal is kept as a rejected order with the venue own words', async () => {
    h = await harness()
    const err = await refusal(h.manager.submit(h.intent({ amount: '5000' })))
    expect(err.code).toBe('CONFLICT')
    expect(err.message).toMatch(/insufficient-funds/)
    const [row] = h.manager.list({ scope: 'history', limit: 10 })
    expect(row).toMatchObject({ status: 'rejected', error: err.message, amount: '5000', attempts: 1 })
    expect(h.manager.open()).toEqual([])
  })

  it('an unreadable answer: looked up once; not there → rejected, there → adopted', async () => {
    h = await harness()
    h.fake.script('placeOrder', fail('bad-reply', 'Fake sent an unexpected reply'))
    const err = await refusal(h.manager.submit(h.intent({ venueId: 'fake' })))
    expect(err.code).toBe('CONFLICT')
    expect(h.fake.callsOf('fetchOrder')).toHaveLength(1)
    h.fake.script('placeOrder', landThenFail('bad-reply'))
    const adopted = await h.manager.submit(h.intent({ venueId: 'fake' }))
    expect(adopted.status).toBe('open')
    expect(h.fake.callsOf('placeOrder')).toHaveLength(2)
  })

  it('a client id given twice returns the existing order and sends nothing more', async () => {
    h = await harness()
    const first = await h.manager.submit(h.intent({ venueId: 'fake', clientOrderId: 'copyLeader42trade7' }))
    const again = await h.manager.submit(h.intent({ venueId: 'fake', clientOrderId: 'copyLeader42trade7', amount: '2' }))
    expect(again).toEqual(first)
    expect(h.fake.callsOf('placeOrder')).toHaveLength(1)
    // two at once: one insert wins, both get the same order
    const [a, b] = await Promise.all([
      h.manager.submit(h.intent({ venueId: 'fake', clientOrderId: 'twice' })),
      h.manager.submit(h.intent({ venueId: 'fake', clientOrderId: 'twice' })),
    ])
    expect(a.clientOrderId).toBe('twice')
    expect(b.clientOrderId).toBe('twice')
    expect(h.engine.openOrders(ME_FAKE).filter((o) => o.clientOrderId === 'twice')).toHaveLength(1)
    await expect(h.manager.submit(h.intent({ clientOrderId: 'has-dash' }))).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })

  it('a risk refusal stores nothing and sends nothing', async () => {
    h = await harness({ risk: { check: async () => { throw new AppError('CONFLICT', 'order notional 9900 is over the 5000 limit') } } })
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'CONFLICT', message: 'order notional 9900 is over the 5000 limit' })
    expect(h.manager.list({ scope: 'open', limit: 10 })).toEqual([])
    expect(h.manager.list({ scope: 'history', limit: 10 })).toEqual([])
    expect(h.fake.calls).toEqual([])
  })

  it('a market order that fills at once: filled, with its fills and exact cost', async () => {
    h = await harness()
    h.other('sell', '0.4', '101.00')
    h.other('sell', '0.6', '102.50')
    const order = await h.manager.submit(h.intent({ type: 'market', price: undefined, timeInForce: 'IOC' }))
    expect(order).toMatchObject({ status: 'filled', filled: '1', cost: '101.9' })
    expect(h.manager.fills({ limit: 10 }).map((f) => [f.price, f.amount, f.clientOrderId])).toEqual(
      expect.arrayContaining([
        ['101.00', '0.400', order.clientOrderId],
        ['102.50', '0.600', order.clientOrderId],
      ]),
    )
    expect(h.events.orderFilled).toHaveLength(2)
  })

  it('lists orders in the order they were written, even within one millisecond', async () => {
    h = await harness({ now: () => 1_700_000_000_000 })
    const ids: string[] = []
    for (const price of ['95.00', '96.00', '97.00', '98.00', '94.00']) ids.push((await h.manager.submit(h.intent({ price }))).clientOrderId)
    expect(h.manager.open().map((o) => o.clientOrderId)).toEqual(ids)
    expect(h.manager.list({ scope: 'open', limit: 10 }).map((o) => o.clientOrderId)).toEqual([...ids].reverse())
  })

  it('refuses to work before start', async () => {
    h = await harness({ start: false })
    await expect(h.manager.submit(h.intent())).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  })
})

async function waitForStatus(h: Harness, id: string, status: string) {
  return waitFor(() => {
    const o = h.manager.get(id)
    return o?.status === status ? o : undefined
  }, `order ${id} to be ${status}`)
}
