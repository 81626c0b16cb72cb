import { afterEach, describe, expect, it } from 'vitest'
import { acceptedLater, acceptedNotDone, haltable, harness, waitFor, type Harness } from './orders-support'

// OKX and Bybit take a cancel asynchronously: right after accepting it the order may still be open, and it
// may still fill before the cancel is processed. The order stays 'canceling' until it really ends, and
// only that end (with what it filled) counts — for the user, the OCO engine and an amend's replacement.

let h: Harness
afterEach(async () => {
  await h?.close()
})

const sellAt110 = () => h.intent({ venueId: 'fake', side: 'sell', price: '110.00', amount: '1' })

it('an accepted cancel whose order then fills completely ends filled (1 of 1), not canceled with the filled of that moment', async () => {
  h = await harness({ cancelFollowMs: [20, 40, 80, 160] })
  const order = await h.manager.submit(sellAt110())
  h.other('buy', '0.2', '110.00')
  await waitFor(() => h.manager.get(order.clientOrderId)?.filled === '0.2', '0.2 filled')
  h.fake.script('cancelOrder', acceptedLater(h.fake, 30, () => h.other('buy', '0.8', '110.00')))
  const answer = await h.manager.cancel(order.clientOrderId)
  expect(answer.status).toBe('canceling')
  const done = await waitFor(() => { const o = h.manager.get(order.clientOrderId); return o?.status === 'filled' || o?.status === 'canceled' ? o : undefined }, 'the order to end')
  expect(done).toMatchObject({ status: 'filled', filled: '1' })
})

it('with no order stream, the accepted cancel is followed by look-ups until it is canceled, with what it filled in the end', async () => {
  h = await harness({ cancelFollowMs: [20, 40, 80, 160] })
  const order = await h.manager.submit(sellAt110())
  h.fake.silenceStreams()
  h.fake.script('cancelOrder', acceptedLater(h.fake, 30, () => h.other('buy', '0.3', '110.00')))
  expect((await h.manager.cancel(order.clientOrderId)).status).toBe('canceling')
  const done = await waitFor(() => { const o = h.manager.get(order.clientOrderId); return o?.status === 'canceled' ? o : undefined }, 'canceled', 2000)
  expect(done.filled).toBe('0.3')
})

it('an amend waits for the accepted cancel to be processed and places its replacement for what was left then', async () => {
  h = await harness({ cancelFollowMs: [20, 40, 80, 160] })
  const order = await h.manager.submit(sellAt110())
  h.fake.script('cancelOrder', acceptedLater(h.fake, 30, () => h.other('buy', '0.4', '110.00')))
  const replacement = await h.manager.amend(order.clientOrderId, { price: '111.00' })
  expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0.4' })
  expect(replacement).toMatchObject({ amount: '0.6', price: '111.00' })
})

it('cancel-all counts an accepted-but-unconfirmed cancel as awaiting, not as canceled, and names it', async () => {
  h = await harness({ cancelFollowMs: [20, 40, 80, 160] })
  const first = await h.manager.submit(sellAt110())
  const second = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '111.00', amount: '1' }))
  // The first cancel is accepted asynchronously (OKX/Bybit) and the order fills before it is processed.
  h.fake.script('cancelOrder', acceptedLater(h.fake, 30, () => h.other('buy', '1', '110.00')))
  const result = await h.manager.cancelAll()
  // The 'canceling' row's time comes with it: the screen tells a later row of the order (back to open, say)
  // from what it saw before, even if that later row streamed in before this reply.
  const canceling = h.events.orderChanged!.find((e) => e.order.clientOrderId === first.clientOrderId && e.order.status === 'canceling')!
  expect(result).toEqual({ canceled: 1, partlyFilled: [], awaiting: [{ clientOrderId: first.clientOrderId, venueId: 'fake', updatedAt: canceling.order.updatedAt }], ended: [], failed: [] })
  expect(h.manager.get(second.clientOrderId)?.status).toBe('canceled')
  await waitFor(() => (h.manager.get(first.clientOrderId)?.status === 'filled' ? true : undefined), 'the first order to fill')
})

describe('while the kill switch holds trading', () => {
  const cancels = () => h.fake.callsOf('cancelOrder').length

  it('an order whose accepted cancel did not go through (back to open) is canceled again', async () => {
    const ks = haltable()
    h = await harness({ risk: ks.gate, cancelFollowMs: [10, 10], haltedRecancelMs: [20] })
    const order = await h.manager.submit(sellAt110())
    ks.halt(true)
    h.fake.script('cancelOrder', acceptedNotDone(h.fake))
    const result = await h.manager.cancelAll()
    expect(result.awaiting.map((a) => a.clientOrderId)).toEqual([order.clientOrderId])
    // The looks see it still open; the reconcile after them says the cancel did not go through.
    await waitFor(() => h.events.orderChanged!.some((e) => e.order.clientOrderId === order.clientOrderId && e.previous === 'canceling' && e.order.status === 'open'), 'the order back to open')
    // Asked again: this time the venue carries it out.
    const done = await waitFor(() => (h.manager.get(order.clientOrderId)?.status === 'canceled' ? h.manager.get(order.clientOrderId) : undefined), 'the order canceled')
    expect(done?.status).toBe('canceled')
    expect(cancels()).toBe(2)
  })

  it('not halted (the trader’s own cancel), such an order is left open, as the screen tells it', async () => {
    const ks = haltable()
    h = await harness({ risk: ks.gate, cancelFollowMs: [10, 10], haltedRecancelMs: [20] })
    const order = await h.manager.submit(sellAt110())
    h.fake.script('cancelOrder', acceptedNotDone(h.fake))
    await h.manager.cancel(order.clientOrderId) // not halted: a trader's own cancel
    await waitFor(() => h.manager.get(order.clientOrderId)?.status === 'open', 'the order back to open')
    await new Promise((r) => setTimeout(r, 80))
    expect(cancels()).toBe(1)
    expect(h.manager.get(order.clientOrderId)?.status).toBe('open')
  })
})
