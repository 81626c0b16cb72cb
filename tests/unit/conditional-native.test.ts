import { afterEach, describe, expect, it } from 'vitest'
import ccxt from 'ccxt'
import { AppError } from '../../src-main/api/errors'
import type { ConditionalCreate } from '../../src-main/api/schemas/trading'
import { exchangeIds } from '../../src-main/accounts/exchanges'
import type { OrderRecord } from '../../src-main/trading/model'
import { nativeStopExchanges, nativeStopSupport } from '../../src-main/venues/ccxt/native-stop-exchanges'
import { holdsNativeStops } from '../../src-main/venues/ccxt/native-stops'
import { closeStores, FakeGateway, harness, input, rowOf, VENUE, viewOf, type Harness } from './conditional-harness'

// Conditional orders "on exchange": the venue holds the stop; the engine stores the leg with its order's
// client id, sends the order once through the gateway with its trigger, never arms it in the app, follows
// the order to its end, and cancels it through the gateway. What cannot be native is refused plainly.

afterEach(closeStores)

const onExchange = (leg: Record<string, unknown>, extra: Record<string, unknown> = {}): ConditionalCreate =>
  input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', placement: 'exchange', leg, ...extra })
const stopLimit = (leg: Record<string, unknown> = {}) => ({ kind: 'stop-limit', side: 'sell', amount: '1', triggerPrice: '95', limitPrice: '94.5', ...leg })

async function created(h: Harness, raw: ConditionalCreate) {
  const [view] = await h.engine.create(raw)
  if (view === undefined) throw new Error('no leg')
  return view
}

describe('placing on exchange', () => {
  it('stores the leg with its client id before the order goes out, and sends it once with its trigger', async () => {
    const h = await harness({ nativeStops: true })
    h.ticks.price('100')
    let rowAtSubmit: Record<string, unknown> | undefined
    h.gateway.onSubmit = (intent) => {
      rowAtSubmit = h.store.sqlite.prepare('select * from conditional_orders where client_order_id = ?').get(intent.clientOrderId) as Record<string, unknown>
    }
    const view = await created(h, onExchange(stopLimit()))
    expect(view).toMatchObject({ placement: 'exchange', status: 'armed', reason: null, kind: 'stop-limit', triggerPrice: '95', limitPrice: '94.5' })
    expect(h.gateway.submits).toHaveLength(1)
    expect(h.gateway.last).toMatchObject({
      type: 'limit',
      side: 'sell',
      amount: '1',
      price: '94.5',
      timeInForce: 'GTC',
      postOnly: false,
      clientOrderId: view.clientOrderId,
      origin: { kind: 'conditional', ref: view.id },
      trigger: { kind: 'stop-loss', price: '95' },
    })
    expect(rowAtSubmit).toMatchObject({ placement: 'exchange', status: 'armed', client_order_id: view.clientOrderId })
    // The app does not hold it: a price through the trigger sends nothing more.
    h.ticks.price('90')
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    expect(viewOf(h, view.id)).toMatchObject({ status: 'armed' })
  })

  it('its live price and distance follow the venue\'s last trade, in one batch per timer period', async () => {
    const h = await harness({ nativeStops: true })
    h.ticks.price('100')
    const a = await created(h, onExchange(stopLimit()))
    const b = await created(h, onExchange(stopLimit({ triggerPrice: '90', limitPrice: '89.5' })))
    h.timers.run(250)
    h.live.length = 0
    h.ticks.price('98')
    h.ticks.price('97')
    h.timers.run(250)
    expect(h.live).toHaveLength(1)
    expect(h.live[0]).toEqual(
      expect.arrayContaining([
        { id: a.id, currentPrice: '97', distancePct: '2.06', triggerPrice: '95', reference: null },
        { id: b.id, currentPrice: '97', distancePct: '7.22', triggerPrice: '90', reference: null },
      ]),
    )
    h.timers.run(250)
    expect(h.live).toHaveLength(1)
  })

  it('each kind becomes the matching native order: stop-loss or take-profit, market or limit', async () => {
    const h = await harness({ nativeStops: true })
    await created(h, onExchange({ kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95' }))
    expect(h.gateway.last).toMatchObject({ type: 'market', trigger: { kind: 'stop-loss', price: '95' } })
    expect(h.gateway.last.price).toBeUndefined()
    await created(h, onExchange({ kind: 'take-profit-market', side: 'sell', amount: '1', triggerPrice: '110' }))
    expect(h.gateway.last).toMatchObject({ type: 'market', trigger: { kind: 'take-profit', price: '110' } })
    await created(h, onExchange({ kind: 'take-profit-limit', side: 'buy', amount: '1', triggerPrice: '90', limitPrice: '90.5' }))
    expect(h.gateway.last).toMatchObject({ type: 'limit', side: 'buy', price: '90.5', trigger: { kind: 'take-profit', price: '90' } })
    expect(h.engine.list({ scope: 'active', limit: 10 }).map((v) => v.placement)).toEqual(['exchange', 'exchange', 'exchange'])
  })

  it('follows its order: partly filled → triggered, filled → done; canceled on the venue → canceled; rejected → failed', async () => {
    const h = await harness({ nativeStops: true })
    const a = await created(h, onExchange(stopLimit()))
    const id = a.clientOrderId as string
    h.gateway.fill(id, '0.4', '94.5')
    expect(viewOf(h, a.id)).toMatchObject({ status: 'triggered' })
    h.gateway.fill(id, '0.6', '94.5')
    expect(viewOf(h, a.id)).toMatchObject({ status: 'done', reason: null })
    expect(rowOf(h, a.id)).toMatchObject({ status: 'done', filled: '1' })

    const b = await created(h, onExchange(stopLimit()))
    h.gateway.end(b.clientOrderId as string, 'canceled')
    expect(viewOf(h, b.id)).toMatchObject({ status: 'canceled', reason: 'its order was canceled on Sim (0 of 1 filled)' })

    const c = await created(h, onExchange(stopLimit()))
    h.gateway.end(c.clientOrderId as string, 'lost', 'not found at two looks')
    expect(viewOf(h, c.id)).toMatchObject({ status: 'failed', reason: 'its order was lost (not found at two looks) with 0 of 1 filled' })
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  })

  it('cancel cancels its order through the gateway; the kill switch leaves it to the order cancel', async () => {
    const h = await harness({ nativeStops: true })
    const a = await created(h, onExchange(stopLimit()))
    expect(h.engine.disarmAll()).toBe(0) // the kill switch's cancel-all ends it on the venue
    expect(viewOf(h, a.id).status).toBe('armed')
    const [after] = await h.engine.cancel(a.id)
    expect(h.gateway.cancels).toEqual([a.clientOrderId])
    expect(after).toMatchObject({ status: 'canceled', reason: 'canceled by you' })
    expect(rowOf(h, a.id)).toMatchObject({ status: 'canceled', cancel_cause: 'user' })
    await expect(h.engine.cancel(a.id)).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('a refused order leaves nothing: no leg stored, listed or announced', async () => {
    const h = await harness({ nativeStops: true })
    h.gateway.refuseNext = new AppError('CONFLICT', 'Order would trigger immediately.')
    await expect(h.engine.create(onExchange(stopLimit()))).rejects.toMatchObject({ code: 'CONFLICT', message: 'Order would trigger immediately.' })
    expect(h.rows()).toBe(0)
    expect(h.events).toEqual([])
    expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  })

  it('after a restart: followed again (filled meanwhile → done), and one stored but never sent is sent with its client id', async () => {
    const h = await harness({ nativeStops: true })
    const a = await created(h, onExchange(stopLimit()))
    h.gateway.hangNext = true // the next one is stored, then the app dies while sending it
    void h.engine.create(onExchange(stopLimit({ triggerPrice: '96', limitPrice: '95.5' })))
    await h.settle()
    const lost = h.engine.list({ scope: 'active', limit: 10 }).find((v) => v.triggerPrice === '96')
    expect(lost).toMatchObject({ status: 'armed', reason: 'being placed on Sim' })
    h.engine.stop()
    h.gateway.fill(a.clientOrderId as string, '1', '94.5') // filled on the venue while the engine is stopped
    expect(rowOf(h, a.id)).toMatchObject({ status: 'armed' })

    const fresh = new FakeGateway(h.bus)
    fresh.records.set(a.clientOrderId as string, h.gateway.get(a.clientOrderId as string) as OrderRecord)
    const again = await h.restart({ gateway: fresh })
    expect(viewOf(again, a.id)).toMatchObject({ status: 'done' })
    expect(fresh.submits).toHaveLength(1)
    expect(fresh.last).toMatchObject({ clientOrderId: lost?.clientOrderId, trigger: { kind: 'stop-loss', price: '96' } })
    expect(viewOf(again, lost?.id as string)).toMatchObject({ status: 'armed', reason: null })
  })
})

describe('what cannot be on exchange', () => {
  it('a venue that cannot hold stops, a trailing stop, a trigger other than the last price: refused, nothing stored', async () => {
    const no = await harness()
    await expect(no.engine.create(onExchange(stopLimit()))).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'Sim cannot hold this order natively; choose in app' })
    const h = await harness({ nativeStops: true })
    await expect(h.engine.create(onExchange({ kind: 'trailing-stop', side: 'sell', amount: '1', distance: { unit: 'percent', value: '1' } }))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'A trailing stop cannot be placed on Sim from this app (only stop and take-profit orders can); choose in app',
    })
    await expect(h.engine.create(onExchange(stopLimit({ trigger: 'mid' })))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'Sim triggers its stop orders on the last trade price: choose the trigger "last", or in app to trigger on the mid',
    })
    await expect(h.engine.create(onExchange(stopLimit({ triggerPrice: '95.001' })))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('not on the tick') })
    expect(h.rows()).toBe(0)
    expect(h.gateway.submits).toHaveLength(0)
  })

  it('OCO and bracket orders are in app only (the contract takes no placement for them)', () => {
    expect(() =>
      input({
        type: 'oco',
        venueId: VENUE,
        symbol: 'BTC/USDT',
        placement: 'exchange',
        legs: [stopLimit(), { kind: 'take-profit-market', side: 'sell', amount: '1', triggerPrice: '110' }],
      }),
    ).toThrow()
  })
})

describe('which exchanges hold stops natively', () => {
  it('the plain table offers only what ccxt takes: its spot createOrder takes stopLossPrice and takeProfitPrice', () => {
    for (const id of exchangeIds) {
      const Class = (ccxt as unknown as Record<string, (new () => InstanceType<typeof ccxt.Exchange>) | undefined>)[id]
      if (Class === undefined) throw new Error(`ccxt has no ${id}`)
      if (nativeStopExchanges[id]) expect(holdsNativeStops(new Class()), id).toBe(true)
      // An exchange offered nothing says why.
      else expect(nativeStopSupport[id].note, id).toEqual(expect.any(String))
    }
    expect(nativeStopExchanges.binance).toBe(true)
    expect(nativeStopExchanges.mexc).toBe(false)
  })
})
