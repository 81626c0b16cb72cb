import { afterEach, describe, expect, it } from 'vitest'
import { ticketSchema } from '../../src-main/api/schemas/trading'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { openStore } from '../../src-main/store/open'
import { OrderManager } from '../../src-main/trading/orders/order-manager'
import { evaluateTicket } from '../../src-main/trading/ticket/evaluate'
import type { OrderRequest } from '../../src-main/venues/port'
import type { CcxtVenue } from '../../src-main/venues/ccxt/venue'
import { timeInForceChoices } from '../../src-renderer/features/trading/timeInForceChoices'
import { migrationsDir, tempDir } from '../support/temp-core'
import { stubbedVenue } from './ccxt-stub'

// Kraken spot's AddOrder takes timeinforce GTC, IOC or GTD: no fill-or-kill. A FOK limit order there is
// refused before anything is sent, with the reason, by the ticket, the order manager and the venue; the
// ticket's choice shows FOK as not offered there. Other exchanges keep all three.

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const done of cleanups.splice(0).reverse()) await done()
})

const fok: OrderRequest = { clientOrderId: 'coabc123', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '50000', amount: '0.01', timeInForce: 'FOK', postOnly: false }
const NOTE = 'Kraken spot takes good-till-canceled and immediate-or-cancel orders only, no fill-or-kill'

function kraken() {
  return stubbedVenue('kraken', (s) => {
    if (s.path === '/0/private/AddOrder') return { error: [], result: { descr: { order: 'buy 0.01 XBTUSDT @ limit 50000' }, txid: ['OUF4EM-FRGI2-MQMWZD'] } }
    throw new Error(`unexpected ${s.path}`)
  })
}

async function manager(venue: CcxtVenue): Promise<OrderManager> {
  const store = openStore(tempDir('co-kraken-tif-'), migrationsDir)
  cleanups.push(() => store.close())
  const m = new OrderManager({ db: store.db, bus: new EventBus(() => {}), log: silentLogger, venues: { open: async () => venue }, risk: { check: async () => {} }, reconcileEveryMs: 0, venueLabel: (id) => `${id} main` })
  await m.start()
  cleanups.push(() => m.stop())
  return m
}

describe('Kraken: no fill-or-kill', () => {
  it('the venue says so and refuses a FOK limit order before sending it; IOC and GTC go out', async () => {
    const { venue, sent } = kraken()
    expect(venue.capabilities).toMatchObject({ timeInForce: ['GTC', 'IOC'], timeInForceNote: NOTE })
    await expect(venue.placeOrder(fok)).rejects.toMatchObject({ kind: 'invalid-order', message: `Kraken does not take FOK orders (${NOTE}); choose GTC or IOC` })
    expect(sent).toEqual([])
    await venue.placeOrder({ ...fok, timeInForce: 'IOC' })
    expect(sent.map((s) => s.fields.timeinforce)).toEqual(['IOC'])
  })

  it('the order manager refuses it and stores nothing', async () => {
    const { venue, sent } = kraken()
    const m = await manager(venue)
    await expect(m.submit({ ...fok, venueId: 'kraken', origin: { kind: 'manual', ref: null } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: `kraken main does not take FOK orders (${NOTE}); choose GTC or IOC`,
    })
    expect(m.list({ scope: 'open', limit: 5 })).toEqual([])
    expect(m.list({ scope: 'history', limit: 5 })).toEqual([])
    expect(sent).toEqual([])
  })

  it("the ticket's preview names it next to the time in force", async () => {
    const { venue } = kraken()
    const market = (await venue.loadMarkets())[0]!
    venue.fetchOrderBook = async () => ({ symbol: 'BTC/USDT', bids: [['49990', '5']], asks: [['50010', '5']], timestamp: Date.now() })
    const ticket = ticketSchema.parse({ venueId: 'kraken', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '50000', timeInForce: 'FOK', size: { unit: 'base', value: '0.01' } })
    const ev = await evaluateTicket({ ticket, venue, label: 'Kraken main', market, books: undefined })
    expect(ev.problems).toEqual([{ field: 'timeInForce', code: 'BAD_INPUT', message: `Kraken main does not take FOK orders (${NOTE}); choose GTC or IOC` }])
    const ioc = await evaluateTicket({ ticket: { ...ticket, timeInForce: 'IOC' }, venue, label: 'Kraken main', market, books: undefined })
    expect(ioc.problems).toEqual([])
  })

  it("the ticket's choices show FOK as not offered on Kraken, and offer all three elsewhere", () => {
    expect(timeInForceChoices({ label: 'Kraken main', timeInForce: ['GTC', 'IOC'], timeInForceNote: NOTE })).toEqual([
      { value: 'GTC', disabled: false, title: undefined },
      { value: 'IOC', disabled: false, title: undefined },
      { value: 'FOK', disabled: true, title: `Not on Kraken main: ${NOTE}` },
    ])
    expect(timeInForceChoices({ label: 'Gate' }).map((c) => c.disabled)).toEqual([false, false, false])
  })

  it('other exchanges take FOK', () => {
    const { venue } = stubbedVenue('gate', () => ({}))
    expect(venue.capabilities.timeInForce).toBeUndefined()
  })
})
