import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { bracket, closeStores, FakeGateway, harness, input, rowOf, single, VENUE, viewOf, type Harness } from './conditional-harness'

// A tick only decides which conditional orders fire; one settle right after the tick handling writes
// everything the ticks of that turn decided in one transaction, then sends the orders (fire-queue.ts).
// What a trader relies on: an order fires once however many ticks cross it before the write, an OCO sends
// one leg, nothing is sent that was not recorded first, and a crash on either side of the write neither
// loses the order nor sends it twice.

afterEach(closeStores)

async function sellOco(h: Harness): Promise<[string, string]> {
  const views = await h.engine.create(
    input({
      type: 'oco',
      venueId: VENUE,
      symbol: 'BTC/USDT',
      legs: [
        { kind: 'take-profit-market', side: 'sell', amount: '1', trigger: 'ask', triggerPrice: '110' },
        { kind: 'stop-market', side: 'sell', amount: '1', trigger: 'bid', triggerPrice: '95' },
      ],
    }),
  )
  return [views[0]?.id as string, views[1]?.id as string]
}

const stop95 = { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' }

describe('ticks of one turn, one settle', () => {
  it('two ticks in the same turn crossing the same stop fire it once', async () => {
    const h = await harness({ defer: 'microtask' })
    h.ticks.price('100')
    const id = await single(h, stop95)
    h.ticks.price('94')
    h.ticks.price('93') // same turn: before the settle of the first has run
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({ side: 'sell', type: 'market', amount: '1', origin: { ref: id } })
    expect(rowOf(h, id)).toMatchObject({ status: 'triggered', client_order_id: h.gateway.last.clientOrderId })
    h.ticks.price('92')
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
  })

  it('OCO: one tick crosses the take-profit, the next (same turn) the stop — one order, the stop canceled by it', async () => {
    const h = await harness({ defer: 'microtask' })
    h.ticks.push({ bid: '99.99', ask: '100.01', last: '100' })
    const [tp, sl] = await sellOco(h)
    h.ticks.push({ bid: '109.9', ask: '110' }) // take-profit (ask ≥ 110)
    h.ticks.push({ bid: '94', ask: '94.02' }) // would be the stop (bid ≤ 95)
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last.origin.ref).toBe(tp)
    expect(rowOf(h, tp)).toMatchObject({ status: 'triggered', client_order_id: h.gateway.last.clientOrderId })
    expect(rowOf(h, sl)).toMatchObject({ status: 'canceled', cancel_cause: 'sibling' })
    expect(viewOf(h, sl).reason).toBe('its take-profit partner triggered')
    // Still exactly one partner re-arm when the take-profit's order is canceled unfilled.
    h.gateway.end(h.gateway.last.clientOrderId as string, 'canceled')
    await h.settle()
    expect(h.gateway.submits).toHaveLength(2) // the stop, re-armed below its trigger, fires at once
    expect(h.gateway.last).toMatchObject({ amount: '1', origin: { ref: sl } })
  })

  it('a trailing stop that starts and fires within one turn is sent, from the reference it started at', async () => {
    const h = await harness({ defer: 'microtask' })
    h.ticks.price('100')
    const id = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '0.5', distance: { unit: 'price', value: '3' }, activationPrice: '105' })
    h.ticks.price('106') // activates, reference 106, trigger 103
    h.ticks.price('102.5') // fires
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({ side: 'sell', amount: '0.5', origin: { ref: id } })
    expect(rowOf(h, id)).toMatchObject({ status: 'triggered', trailing_activated: 1, trailing_reference: '106' })
  })

  it('a trailing stop records the reference it fired from, even when a later tick of the same turn lifts its group', async () => {
    const h = await harness({ defer: 'microtask' })
    h.ticks.price('100')
    const tight = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '1' } })
    const wide = await single(h, { kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '10' } })
    h.ticks.price('105')
    await h.settle()
    h.ticks.price('103.9') // ≤ 105 × 0.99 = 103.95: the 1 % stop fires
    h.ticks.price('120') // the 10 % stop (same reference group) now trails 120
    await h.settle()
    expect(h.gateway.submits.map((s) => s.origin.ref)).toEqual([tight])
    expect(rowOf(h, tight)).toMatchObject({ status: 'triggered', trailing_reference: '105' })
    expect(viewOf(h, wide)).toMatchObject({ status: 'armed', trailing: { reference: '120' }, triggerPrice: '108' })
  })

  it('every order fired in a turn is recorded before the first of them is sent', async () => {
    const h = await harness({ defer: 'microtask' })
    h.ticks.price('100')
    const a = await single(h, stop95)
    const b = await single(h, { kind: 'stop-market', side: 'sell', amount: '2', triggerPrice: '93' })
    const c = await single(h, { kind: 'take-profit-limit', side: 'buy', amount: '3', triggerPrice: '92', limitPrice: '92.5' })
    let atFirstSubmit: unknown[] | null = null
    h.gateway.onSubmit = () => {
      atFirstSubmit ??= [a, b, c].map((id) => rowOf(h, id).status)
    }
    h.ticks.price('94.5') // a
    h.ticks.price('91') // b and c
    await h.settle()
    expect(h.gateway.submits.map((s) => s.origin.ref).sort()).toEqual([a, b, c].sort())
    expect(atFirstSubmit).toEqual(['triggered', 'triggered', 'triggered'])
    for (const s of h.gateway.submits) expect(rowOf(h, s.origin.ref as string).client_order_id).toBe(s.clientOrderId)
  })
})

describe('crashes around the write', () => {
  it('a crash after the tick decided but before its write: the order is still armed in SQLite, re-armed at start, fires there', async () => {
    const h = await harness({ defer: 'manual' })
    h.ticks.price('100')
    const id = await single(h, stop95)
    h.ticks.price('94') // decided; the settle never runs: the process dies here
    expect(h.gateway.submits).toHaveLength(0)
    expect(rowOf(h, id)).toMatchObject({ status: 'armed', client_order_id: null })
    // A new process over the same database (the old one is gone: no stop(), no settle).
    const bus = new EventBus()
    const fresh = new FakeGateway(bus)
    const h2 = await harness({ dir: h.dir, bus, gateway: fresh })
    expect(h2.logs).toContain('Conditional orders re-armed on start: 1')
    expect(viewOf(h2, id).status).toBe('armed')
    h2.ticks.price('94')
    expect(fresh.submits).toHaveLength(1)
    expect(fresh.last).toMatchObject({ side: 'sell', amount: '1', origin: { ref: id } })
    expect(rowOf(h2, id)).toMatchObject({ status: 'triggered', client_order_id: fresh.last.clientOrderId })
  })

  it('a crash after the write but before the order reached the gateway: sent again at start with the same client id, the OCO partner stays canceled', async () => {
    const h = await harness({ defer: 'microtask' })
    h.ticks.push({ bid: '99.99', ask: '100.01', last: '100' })
    const [tp, sl] = await sellOco(h)
    h.gateway.hangNext = true // the process dies inside submit: the gateway recorded nothing
    h.ticks.push({ bid: '94', ask: '94.02' })
    await h.settle()
    const clientOrderId = rowOf(h, sl).client_order_id as string
    expect(clientOrderId).toBe(h.gateway.last.clientOrderId)
    expect(rowOf(h, tp)).toMatchObject({ status: 'canceled', cancel_cause: 'sibling' })
    const bus = new EventBus()
    const fresh = new FakeGateway(bus)
    const h2 = await harness({ dir: h.dir, bus, gateway: fresh })
    expect(fresh.submits).toHaveLength(1)
    expect(fresh.last).toMatchObject({ clientOrderId, side: 'sell', type: 'market', amount: '1', origin: { ref: sl } })
    h2.ticks.push({ bid: '111', ask: '111.02', last: '111' }) // the take-profit's price: it stays canceled
    expect(fresh.submits).toHaveLength(1)
    fresh.fill(clientOrderId, '1', '94')
    expect(viewOf(h2, sl).status).toBe('done')
    expect(viewOf(h2, tp).status).toBe('canceled')
  })

  it('a bracket entry fill between the tick and its settle: the exit row is still armed (a crash re-arms it); the settle sends it sized to the whole fill', async () => {
    const h = await harness({ defer: 'manual' })
    h.ticks.price('100')
    const { tp, sl, entry } = await bracket(h)
    h.gateway.fill(entry, '0.3')
    h.ticks.price('94') // the index fires the stop-loss; the settle has not run yet
    h.gateway.fill(entry, '0.2') // the engine writes the bracket's legs now
    expect(rowOf(h, sl)).toMatchObject({ status: 'armed', client_order_id: null, amount: '0.5' })
    expect(h.gateway.submits).toHaveLength(1) // only the entry
    h.runDeferred()
    const written = rowOf(h, sl)
    expect(written.status).toBe('triggered')
    expect(h.gateway.last).toMatchObject({ clientOrderId: written.client_order_id, side: 'sell', amount: '0.5', origin: { ref: sl } })
    expect(rowOf(h, tp).status).toBe('canceled')
    expect(h.gateway.cancels).toEqual([entry]) // the rest of the entry is canceled once the exit is out
  })

  it('a leg the user cancels between the tick that fired it and the settle is not sent', async () => {
    const h = await harness({ defer: 'manual' })
    h.ticks.price('100')
    const id = await single(h, stop95)
    h.ticks.price('94')
    await h.engine.cancel(id)
    h.runDeferred()
    expect(h.gateway.submits).toHaveLength(0)
    expect(rowOf(h, id)).toMatchObject({ status: 'canceled', client_order_id: null })
  })

  it('stop() with a decided trigger pending writes it and sends it (nothing decided is dropped)', async () => {
    const h = await harness({ defer: 'manual' })
    h.ticks.price('100')
    const id = await single(h, stop95)
    h.ticks.price('94')
    h.engine.stop()
    expect(h.gateway.submits).toHaveLength(1)
    expect(rowOf(h, id)).toMatchObject({ status: 'triggered', client_order_id: h.gateway.last.clientOrderId })
    expect(h.runDeferred()).toBe(1) // the scheduled settle finds nothing left
    expect(h.gateway.submits).toHaveLength(1)
  })

  it('the write fails: nothing is sent, the OCO stays armed as a pair, and it fires on a later tick once writes work', async () => {
    const h = await harness()
    h.ticks.push({ bid: '99.99', ask: '100.01', last: '100' })
    const [tp, sl] = await sellOco(h)
    h.store.sqlite.exec(
      "create trigger co_test_full before update on conditional_orders when new.status = 'triggered' begin select raise(abort, 'database or disk is full'); end",
    )
    h.ticks.push({ bid: '94', ask: '94.02' })
    expect(h.gateway.submits).toHaveLength(0)
    expect(h.logs).toContain('conditional engine: could not record triggered orders; they stay armed')
    expect(rowOf(h, sl)).toMatchObject({ status: 'armed', client_order_id: null })
    expect(viewOf(h, sl).status).toBe('armed')
    expect(viewOf(h, tp).status).toBe('armed')
    h.store.sqlite.exec('drop trigger co_test_full')
    h.ticks.push({ bid: '93.5', ask: '93.52' })
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last.origin.ref).toBe(sl)
    expect(rowOf(h, sl)).toMatchObject({ status: 'triggered', client_order_id: h.gateway.last.clientOrderId })
    expect(rowOf(h, tp)).toMatchObject({ status: 'canceled', cancel_cause: 'sibling' })
  })
})
