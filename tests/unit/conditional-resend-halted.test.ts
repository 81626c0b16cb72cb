import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ConditionalView } from '../../src-main/api/schemas/trading'
import type { OrderRequest, VenueOrder } from '../../src-main/venues/port'
import { VenueError } from '../../src-main/venues/port'
import { allLegs, closeDesk, openHaltableDesk, settled, tickAt, type Desk } from './conditional-desk-support'

// An OCO's stop triggers (its take-profit partner is canceled with it); the stop's first send meets a rate limit
// the retries cover, and the kill switch is pulled before the order manager sends it again. The order manager no
// longer sends it again once halted (not placed). The stop is then canceled by the kill switch, as a stop refused
// by a rate limit while halted is — not 'failed' ("its order was rejected"), and its take-profit stays canceled
// by the switch: nothing sells once the trader resumes trading. The real order manager and conditional engine over a hand-made venue (conditional-desk-support.ts).

let desk: Desk
let halt: (on: boolean) => void

beforeEach(async () => {
  ;({ desk, halt } = await openHaltableDesk({ dirPrefix: 'co-resend-halt-' }))
})
afterEach(() => closeDesk(desk))

const legs = (): ConditionalView[] => allLegs(desk)

it('a triggered stop whose resend the kill switch stopped is canceled by it, and its take-profit stays disarmed', async () => {
  tickAt(desk, '100')
  await desk.conditional.create({
    type: 'oco',
    venueId: 'a',
    symbol: 'BTC/USDT',
    legs: [
      { kind: 'take-profit-market', side: 'sell', amount: '0.5', triggerPrice: '110.00', trigger: 'last' },
      { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95.00', trigger: 'last' },
    ],
  })
  // The stop's first send hangs, then meets a rate limit short enough to be retried.
  let refuse!: () => void
  const place = desk.venue.placeOrder.bind(desk.venue)
  let first = true
  desk.venue.placeOrder = (r: OrderRequest): Promise<VenueOrder> => {
    if (!first) return place(r)
    first = false
    desk.venue.calls.push(`placeOrder ${r.clientOrderId}`)
    return new Promise((_res, rej) => {
      refuse = () => rej(new VenueError('rate-limited', 'binance {"code":-1003,"msg":"Too many requests"}'))
    })
  }
  tickAt(desk, '94')
  await settled()
  expect(legs().find((l) => l.kind === 'stop-market')?.status).toBe('triggered')

  // The kill switch, as the risk service pulls it: halt, disarm (the stop's send is under way), cancel all.
  halt(true)
  desk.conditional.disarmAll()
  const killed = desk.orders.cancelAll() // it waits for the send under way
  refuse()
  await killed
  await settled()

  expect(desk.venue.orders).toEqual([])
  expect(legs().find((l) => l.kind === 'stop-market')).toMatchObject({ status: 'canceled', reason: 'disarmed by the kill switch' })
  expect(legs().find((l) => l.kind === 'take-profit-market')?.status).toBe('canceled')

  // Trading resumed: the price reaches the take-profit; nothing sells.
  halt(false)
  tickAt(desk, '111')
  await settled()
  expect(desk.venue.orders).toEqual([])
})
