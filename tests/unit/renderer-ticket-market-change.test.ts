import { beforeAll, describe, expect, it } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// The ticket's conditional prices belong to the market they were typed for: a trail of 500 USDT typed for
// BTC, carried to XRP (about 2 USDT), would be a stop that can never fire. A market change clears them.

type Store<S> = { getState(): S }
let ticket: Store<{ fields: { size: string; conditional: Record<string, string> }; setConditional(p: Record<string, string>): void; set(p: Record<string, string>): void }>
let market: Store<{ setMarket(v: string, s: string): void }>

beforeAll(async () => {
  stubDom('other')
  ticket = (await loadRenderer<{ useTicket: never }>('features/trading/ticketStore.ts')).useTicket
  market = (await loadRenderer<{ useTicketMarket: never }>('features/trading/ticketMarket.ts')).useTicketMarket
})

const filled = { triggerPrice: '60000', limitPrice: '59900', activationPrice: '61000', tpTrigger: '70000', tpLimit: '69900', slTrigger: '55000', slLimit: '54900' }

describe('the order ticket on a market change', () => {
  it('clears the trigger, limit, activation, OCO / bracket prices and a price trail distance; keeps the amount', () => {
    market.getState().setMarket('sim', 'BTC/USDT')
    ticket.getState().setConditional({ mode: 'trailing-stop', ...filled, trailUnit: 'price', trailValue: '500' })
    ticket.getState().set({ size: '10' })
    market.getState().setMarket('sim', 'XRP/USDT')
    const c = ticket.getState().fields.conditional
    for (const key of [...Object.keys(filled), 'trailValue']) expect(c[key], key).toBe('')
    expect(c.mode).toBe('trailing-stop')
    expect(ticket.getState().fields.size).toBe('10')
  })

  it('keeps a percent trail distance (it means the same on any market), and everything when the market is the same', () => {
    market.getState().setMarket('sim', 'BTC/USDT')
    ticket.getState().setConditional({ mode: 'trailing-stop', trailUnit: 'percent', trailValue: '2', triggerPrice: '60000' })
    market.getState().setMarket('sim', 'BTC/USDT')
    expect(ticket.getState().fields.conditional).toMatchObject({ trailValue: '2', triggerPrice: '60000' })
    market.getState().setMarket('sim', 'ETH/USDT')
    expect(ticket.getState().fields.conditional).toMatchObject({ trailValue: '2', triggerPrice: '' })
  })
})
