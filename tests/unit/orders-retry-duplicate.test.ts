import { afterEach, describe, expect, it } from 'vitest'
import { VenueError } from '../../src-main/venues/port'
import { fail, harness, ME_FAKE, notFound, waitFor, type Harness } from './orders-support'

// A send that timed out may land late: the retry's look-up by client id can miss it, then the resend is
// refused as a duplicate (Binance -2010 "Duplicate order sent.", OKX 51016). That refusal is not the venue
// refusing the order: the order is looked up and followed, never marked rejected while it rests there.

let h: Harness
afterEach(async () => {
  await h.close()
})

describe('a retry refused after the first attempt may have landed', () => {
  it('a late-landing original refused as a duplicate on retry: adopted as open, and it can be canceled', async () => {
    h = await harness()
    h.fake.silenceStreams() // the order stream says nothing (not subscribed yet, or messages lost)
    let landOriginal: (() => Promise<unknown>) | undefined
    h.fake.script('placeOrder', async (real) => {
      landOriginal = real // on the wire; our side times out
      throw new VenueError('unreachable', 'request timed out')
    })
    h.fake.script('fetchOrder', async (real) => {
      const answer = await real() // not there yet
      await landOriginal!() // the original is processed meanwhile
      return answer
    })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' }))
    const onVenue = h.engine.openOrders(ME_FAKE)
    expect(onVenue).toHaveLength(1)
    expect(order).toMatchObject({ status: 'open', venueOrderId: onVenue[0]!.venueOrderId, clientOrderId: onVenue[0]!.clientOrderId })
    expect(await h.manager.cancel(order.clientOrderId)).toMatchObject({ status: 'canceled' })
    expect(h.engine.openOrders(ME_FAKE)).toEqual([])
  })

  it('a duplicate-id refusal on the first send: the order holding the id is looked up and followed', async () => {
    h = await harness()
    h.fake.silenceStreams()
    h.fake.script('placeOrder', async (real) => {
      await real() // an earlier send of the same id got there
      throw new VenueError('invalid-order', 'Binance refused the order (-2010: Duplicate order sent.)')
    })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' }))
    expect(order).toMatchObject({ status: 'open', venueOrderId: h.engine.openOrders(ME_FAKE)[0]!.venueOrderId })
  })

  it('a refusal after a timeout, the order not found: kept submitting and reconciled, not rejected', async () => {
    h = await harness({ reconcileRetryMs: 60_000 })
    h.fake.silenceStreams()
    h.fake.script('placeOrder', fail('unreachable', 'request timed out'), fail('insufficient-funds', 'Fake refused the order: insufficient funds'))
    h.fake.script('fetchOrder', notFound, notFound)
    const sent = h.manager.submit(h.intent({ venueId: 'fake', price: '95.00' }))
    await expect(sent).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/insufficient funds.*may have landed.*kept as 'submitting'/) })
    const row = h.manager.open({ venueId: 'fake' })[0]!
    expect(row).toMatchObject({ status: 'submitting' })
    // Reconciliation settles it: not on the venue at two looks → lost (never re-sent).
    await h.manager.reconcile('fake')
    await waitFor(() => h.manager.get(row.clientOrderId)?.status === 'lost', 'the order to be declared lost')
  })

  it('a plain refusal on the first send is still a rejection, looked up never', async () => {
    h = await harness()
    h.fake.script('placeOrder', fail('insufficient-funds', 'Fake refused the order: insufficient funds'))
    await expect(h.manager.submit(h.intent({ venueId: 'fake' }))).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(h.fake.callsOf('fetchOrder')).toEqual([])
    expect(h.manager.list({ scope: 'history', limit: 5 })[0]).toMatchObject({ status: 'rejected' })
  })
})
