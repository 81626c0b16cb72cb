import { afterEach, describe, expect, it } from 'vitest'
import { OrderStore } from '../../src-main/trading/orders/store'
import type { OrderIntent, OrderRecord } from '../../src-main/trading/model'
import { FakeVenue, harness, ME, ME_FAKE, waitFor, type Behaviour, type Harness } from './orders-support'
import { SimVenue } from '../../src-main/venues/sim/sim-venue'
import { KeyRejectedError, VenueError, type VenueOrder } from '../../src-main/venues/port'

// Reconciliation: at start (a new manager over the same database, as after a crash), after a reconnect or
// a stream error, with a second look before anything is declared lost.

let h: Harness
afterEach(async () => {
  await h.close()
})

/** What a crash leaves: the row as it was written at that instant. */
function crashLeftover(h: Harness, id: string, status: 'pending' | 'submitting' | 'open' | 'canceling', intent: OrderIntent, venueOrderId: string | null = null): void {
  const store = new OrderStore(h.store.db)
  store.insertIntent(id, intent, Date.now() - 1000)
  if (status !== 'pending') store.update(id, { status, attempts: 1, venueOrderId }, Date.now() - 1000)
}

/** Stops the manager (as a crash would: nothing more is recorded), runs `whileDown`, starts a new one. */
async function downThenRestart(whileDown: () => void | Promise<void> = () => {}): Promise<void> {
  await h.close()
  await whileDown()
  h = await harness({ dataDir: h.dataDir, engine: h.engine })
}

const statusOf = (id: string, status: OrderRecord['status']) =>
  waitFor(() => {
    const o = h.manager.get(id)
    return o?.status === status ? o : undefined
  }, `order ${id} to be ${status}`)

describe('reconciliation at start', () => {
  it('a pending row the venue never got: looked for twice, then lost — never re-sent', async () => {
    h = await harness()
    crashLeftover(h, 'crashedBeforeSend1', 'pending', h.intent({ venueId: 'fake' }))
    await downThenRestart()
    const lost = await statusOf('crashedBeforeSend1', 'lost')
    expect(lost.error).toBe('never reached fake: the app stopped before sending it; not re-sent')
    expect(h.fake.callsOf('fetchOrder')).toEqual([
      ['BTC/USDT', { clientOrderId: 'crashedBeforeSend1' }],
      ['BTC/USDT', { clientOrderId: 'crashedBeforeSend1' }],
    ])
    expect(h.fake.callsOf('placeOrder')).toEqual([])
    expect(h.engine.openOrders(ME_FAKE)).toEqual([])
    expect(h.manager.list({ scope: 'history', limit: 5 })).toEqual([lost])
  })

  it('a pending row the venue has after all is adopted', async () => {
    h = await harness()
    crashLeftover(h, 'sentAfterAll1', 'pending', h.intent())
    h.engine.placeOrder({ accountId: ME, clientOrderId: 'sentAfterAll1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '1', price: '99.00', timeInForce: 'GTC', postOnly: false })
    await downThenRestart()
    expect(h.manager.get('sentAfterAll1')).toMatchObject({ status: 'open', venueOrderId: h.engine.openOrders(ME)[0]!.venueOrderId })
  })

  it('a submitting row whose order landed and traded while the app was down: progress and fills recovered', async () => {
    h = await harness()
    await h.manager.submit(h.intent({ price: '90.00' })) // the venue is followed and has an order from before
    crashLeftover(h, 'sentNoAck1', 'submitting', h.intent({ price: '100.00' }))
    await downThenRestart(() => {
      h.other('sell', '0.25', '100.00')
      h.engine.placeOrder({ accountId: ME, clientOrderId: 'sentNoAck1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '1', price: '100.00', timeInForce: 'GTC', postOnly: false })
      h.other('sell', '0.5', '100.00')
    })
    expect(h.manager.get('sentNoAck1')).toMatchObject({ status: 'partially-filled', filled: '0.75', cost: '75' })
    expect(h.manager.fills({ limit: 10 }).map((f) => [f.clientOrderId, f.amount])).toEqual([
      ['sentNoAck1', '0.500'],
      ['sentNoAck1', '0.250'],
    ])
  })

  it('open orders that filled or were canceled elsewhere while the app was down', async () => {
    h = await harness()
    const a = await h.manager.submit(h.intent({ price: '100.00' }))
    const b = await h.manager.submit(h.intent({ price: '98.00' }))
    await downThenRestart(() => {
      h.other('sell', '0.4', '100.00')
      h.other('sell', '0.6', '100.00')
      h.engine.cancelOrder(ME, 'BTC/USDT', { venueOrderId: b.venueOrderId! }) // canceled on the exchange's web page
    })
    expect(h.manager.get(a.clientOrderId)).toMatchObject({ status: 'filled', filled: '1', cost: '100' })
    expect(h.manager.get(b.clientOrderId)).toMatchObject({ status: 'canceled' })
    expect(h.manager.fills({ limit: 10 })).toHaveLength(2)
    expect(h.events.orderFilled).toHaveLength(2)
  })

  it('a canceling row whose cancel never reached the venue goes back to open, saying so', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent())
    new OrderStore(h.store.db).update(order.clientOrderId, { status: 'canceling' }, Date.now())
    await downThenRestart()
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'open', error: 'the cancel did not go through: the venue still has the order open' })
  })

  it('fills missing for an order already finished are fetched', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    h.fake.silenceStreams()
    h.other('sell', '1', '100.00')
    // only the order update got through, not its fill
    h.fake.pushOrder((await h.fake.inner.fetchOrder('BTC/USDT', { clientOrderId: order.clientOrderId }))!)
    expect(h.manager.get(order.clientOrderId)).toMatchObject({ status: 'filled' })
    expect(h.manager.fills({ limit: 10 })).toEqual([])
    await h.manager.reconcile('fake')
    expect(h.manager.fills({ limit: 10 })).toEqual([expect.objectContaining({ clientOrderId: order.clientOrderId, amount: '1.000', price: '100.00' })])
  })
})

describe('lost orders', () => {
  it('an open order the venue does not know: looked at twice, then lost with what was known', async () => {
    h = await harness()
    crashLeftover(h, 'ghost1', 'open', h.intent({ venueId: 'fake' }), '999999')
    await downThenRestart()
    const lost = await statusOf('ghost1', 'lost')
    expect(lost.error).toBe('fake no longer knows this order (not found at two looks); it was open, 0 of 1 filled')
    expect(h.fake.callsOf('fetchOrder')).toEqual([
      ['BTC/USDT', { venueOrderId: '999999' }],
      ['BTC/USDT', { venueOrderId: '999999' }],
    ])
  })

  it('found at the second look: adopted, not lost', async () => {
    h = await harness()
    crashLeftover(h, 'late1', 'submitting', h.intent({ venueId: 'fake' }))
    await h.close()
    h = await harness({ dataDir: h.dataDir, engine: h.engine, start: false })
    h.fake.silenceStreams() // only the second look can find it
    h.fake.script('fetchOrder', async (_real, args) => {
      // not there at the first look; it reaches the venue just after (a slow gateway)
      h.engine.placeOrder({ accountId: ME_FAKE, clientOrderId: 'late1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: '1', price: '99.00', timeInForce: 'GTC', postOnly: false })
      expect(args).toEqual(['BTC/USDT', { clientOrderId: 'late1' }])
      return null
    })
    await h.manager.start()
    expect(h.manager.get('late1')!.status).toBe('submitting')
    const found = await statusOf('late1', 'open')
    expect(h.fake.callsOf('fetchOrder')).toHaveLength(2)
    expect(found.venueOrderId).toBe(h.engine.openOrders(ME_FAKE)[0]!.venueOrderId)
  })

  it('a lost order the venue reports later gets its real status back', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    new OrderStore(h.store.db).update(order.clientOrderId, { status: 'lost', error: 'not found at two looks' }, Date.now())
    h.other('sell', '1', '100.00')
    const filled = await statusOf(order.clientOrderId, 'filled')
    expect(filled).toMatchObject({ filled: '1', cost: '100' })
    expect(h.events.orderChanged!.filter((e) => e.order.clientOrderId === order.clientOrderId).map((e) => e.order.status).slice(-2)).toEqual(['open', 'filled'])
    expect(h.events.orderTransitionRefused).toEqual([])
  })

  it('leaves an order with a request in flight to that request', async () => {
    h = await harness()
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    h.fake.script('placeOrder', async (real) => {
      await gate
      return real()
    })
    const submitting = h.manager.submit(h.intent({ venueId: 'fake' }))
    await waitFor(() => h.fake.callsOf('placeOrder').length === 1, 'the order to be on its way')
    const result = await h.manager.reconcile('fake')
    expect(result).toMatchObject({ checked: 0, rechecking: [] })
    expect(h.fake.callsOf('fetchOrder')).toEqual([])
    release()
    expect(await submitting).toMatchObject({ status: 'open' })
  })
})

describe('reconciliation after a reconnect', () => {
  it('fills made while the order and fill streams were down are all recovered', async () => {
    h = await harness()
    const a = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    const b = await h.manager.submit(h.intent({ venueId: 'fake', side: 'sell', price: '101.00' }))
    h.fake.cutStreams() // the stream errors; the adapter reconnects meanwhile
    h.other('sell', '0.3', '100.00')
    h.other('sell', '0.7', '100.00')
    h.other('buy', '0.2', '101.00')
    await waitFor(() => h.manager.fills({ venueId: 'fake', limit: 10 }).length === 3, 'every fill to be recovered')
    expect(h.manager.get(a.clientOrderId)).toMatchObject({ status: 'filled', filled: '1', cost: '100' })
    expect(h.manager.get(b.clientOrderId)).toMatchObject({ status: 'partially-filled', filled: '0.2', cost: '20.2' })
    const venueFills = await h.fake.inner.fetchMyFills('BTC/USDT')
    expect(h.manager.fills({ venueId: 'fake', limit: 10 }).map((f) => [f.tradeId, f.price, f.amount, f.fee]).sort()).toEqual(
      venueFills.map((f) => [f.tradeId, f.price, f.amount, f.fee]).sort(),
    )
  })

  it('a connection back to live after a gap reconciles (updates lost without any error)', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    h.fake.silenceStreams()
    h.fake.setConnection('degraded', 'no pong')
    h.other('sell', '1', '100.00')
    expect(h.manager.get(order.clientOrderId)!.status).toBe('open') // nothing arrived
    h.fake.restoreStreams() // → live
    await statusOf(order.clientOrderId, 'filled')
    expect(h.manager.fills({ venueId: 'fake', limit: 10 })).toHaveLength(1)
  })

  it('an account edited while an order is open: its fills come through the fresh venue object, not the old one', async () => {
    // A directory like the registry: edit → a new venue object for the id, and the listeners are told.
    const dropped = new Set<(venueId: string, how: 'replaced' | 'removed') => void>()
    let current: FakeVenue | undefined = undefined
    h = await harness({
      venues: {
        open: async (id) => {
          if (id !== 'fake') throw new Error(`no venue ${id}`)
          return current ?? h.fake
        },
        onDropped: (listener) => {
          dropped.add(listener)
          return () => dropped.delete(listener)
        },
      },
    })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    // The account is edited: the old object is closed (its streams say nothing more), a fresh one serves the id.
    h.fake.silenceStreams()
    current = new FakeVenue(new SimVenue(h.engine, ME_FAKE, { id: 'fake' }))
    for (const listener of dropped) listener('fake', 'replaced')
    h.other('sell', '0.4', '100.00')
    await statusOf(order.clientOrderId, 'partially-filled')
    h.other('sell', '0.6', '100.00')
    await statusOf(order.clientOrderId, 'filled')
    expect(h.manager.fills({ venueId: 'fake', limit: 10 }).map((f) => f.amount).sort()).toEqual(['0.400', '0.600'])
  })

  it('an account reconnected after a reconnect the exchange refused: its fresh venue is followed at once, not after the retry wait', async () => {
    const dropped = new Set<(venueId: string, how: 'replaced' | 'removed') => void>()
    let refused = false
    let current: FakeVenue | undefined = undefined
    h = await harness({
      // A failed reconcile is tried again only after this: far longer than the waits below.
      reconcileRetryMs: 60_000,
      venues: {
        open: async (id) => {
          if (id !== 'fake') throw new Error(`no venue ${id}`)
          if (refused) throw new KeyRejectedError('ip-not-allowed', 'The exchange rejected the API key: not whitelisted — update the key in Accounts')
          return current ?? h.fake
        },
        onDropped: (listener) => {
          dropped.add(listener)
          return () => dropped.delete(listener)
        },
      },
    })
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    // Reconnected while the exchange still refuses the key: the old object is closed, no fresh one connects.
    h.fake.silenceStreams()
    refused = true
    for (const listener of dropped) listener('fake', 'replaced')
    await waitFor(() => h.warnings.some((w) => w.includes('rejected the API key')), 'the refused reconcile')
    // The key is fixed at the exchange and the user reconnects: a fresh object serves the id.
    refused = false
    current = new FakeVenue(new SimVenue(h.engine, ME_FAKE, { id: 'fake' }))
    for (const listener of dropped) listener('fake', 'replaced')
    await waitFor(() => current!.callsOf('fetchOpenOrders').length > 0, 'the fresh venue reconciled')
    h.other('sell', '1', '100.00')
    await statusOf(order.clientOrderId, 'filled')
    expect(h.manager.fills({ venueId: 'fake', limit: 10 }).map((f) => f.amount)).toEqual(['1.000'])
  })

  it('a venue that cannot be reached at start is reconciled once it answers', async () => {
    h = await harness()
    const order = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    await h.close()
    h.other('sell', '1', '100.00')
    h = await harness({ dataDir: h.dataDir, engine: h.engine, start: false, reconcileRetryMs: 10 })
    h.fake.script('fetchOpenOrders', async () => {
      throw new Error('connect ECONNREFUSED')
    })
    await h.manager.start()
    expect(h.warnings).toEqual(['could not reconcile orders with fake: connect ECONNREFUSED'])
    await statusOf(order.clientOrderId, 'filled')
  })
})

describe('one order the venue cannot look up', () => {
  it('is skipped with a warning: the other orders are still reconciled, and it is tried again later', async () => {
    h = await harness()
    const filled = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    h.fake.silenceStreams() // only reconciliation can learn that it filled
    h.other('sell', '1', '100.00')
    crashLeftover(h, 'unlucky1', 'submitting', h.intent({ venueId: 'fake', price: '98.00' }))
    // The venue answers the look-up of one order with an error that is not "no such order".
    const refuse = (async (real, args) => {
      if ((args[1] as { clientOrderId?: string }).clientOrderId === 'unlucky1') throw new VenueError('unknown', 'MEXC returned an error (700003: Timestamp for this request is outside of the recvWindow)')
      return real()
    }) satisfies Behaviour
    h.fake.script('fetchOrder', refuse, refuse, refuse)
    const result = await h.manager.reconcile('fake')
    expect(result).toMatchObject({ venueId: 'fake', rechecking: [], skipped: ['unlucky1'] })
    expect(h.manager.get(filled.clientOrderId)).toMatchObject({ status: 'filled', filled: '1' })
    expect(h.manager.get('unlucky1')).toMatchObject({ status: 'submitting' })
    expect(h.warnings).toEqual([
      'could not look up order unlucky1 on fake (reconciling its other orders; trying it again later): MEXC returned an error (700003: Timestamp for this request is outside of the recvWindow)',
    ])
    // Tried again on its own: failing the same way, it is not warned about twice; then the venue answers
    // "not there" (a second look, then lost).
    await statusOf('unlucky1', 'lost')
    expect(h.warnings).toHaveLength(1)
    expect(h.fake.callsOf('fetchOrder').filter((c) => (c[1] as { clientOrderId?: string }).clientOrderId === 'unlucky1').length).toBeGreaterThanOrEqual(3)
  })
})

describe('reconciliation when the order streams start', () => {
  it('an order that filled before the account streams listened: its fill is fetched once they had time to start', async () => {
    h = await harness()
    // The venue has not confirmed the order and fill subscriptions yet: what happens now is pushed to no one.
    h.fake.silenceStreams()
    h.other('sell', '1', '100.00')
    // Acks that say only "accepted" (OKX's order reply has no fill in it).
    h.fake.script('placeOrder', async (real) => ({ ...((await real()) as VenueOrder), status: 'open', filled: '0', cost: '0' }))
    const sent = await h.manager.submit(h.intent({ venueId: 'fake', price: '100.00' }))
    expect(sent).toMatchObject({ status: 'open', filled: '0' })
    h.fake.restoreStreams()
    const filled = await statusOf(sent.clientOrderId, 'filled')
    expect(filled).toMatchObject({ filled: '1', cost: '100' })
    expect(h.manager.fills({ limit: 5 }).map((f) => [f.clientOrderId, f.amount])).toEqual([[sent.clientOrderId, '1.000']])
  })
})
