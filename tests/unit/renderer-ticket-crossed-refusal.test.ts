import { beforeAll, describe, expect, it } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// The order ticket shows the engine's refusal of a conditional order whose trigger is already crossed (a
// buy take-profit at 1000 with the price at 100) at the form, whole, and keeps the form to fix it.

interface TicketState {
  submitError: Record<string, string> | null
  set(p: Record<string, string>): void
  setConditional(p: Record<string, string>): void
}
type Store<S> = { getState(): S }

const CROSSED = 'The trigger price 1000 is already crossed: the price is 100, and this buy take-profit fires at or below its trigger. Choose a trigger below 100'
let ticket: Store<TicketState>
let submitTicket: () => Promise<string>
const sent: { name: string; input: Record<string, unknown> }[] = []

beforeAll(async () => {
  stubDom('other')
  const { api, ApiError } = await loadRenderer<{ api: { invoke: unknown }; ApiError: new (code: string, message: string) => Error }>('api/index.ts')
  api.invoke = async (name: string, input: Record<string, unknown>) => {
    sent.push({ name, input })
    throw new ApiError('BAD_INPUT', CROSSED)
  }
  const store = await loadRenderer<{ useTicket: never; submitTicket: never }>('features/trading/ticketStore.ts')
  ticket = store.useTicket
  submitTicket = store.submitTicket
  const market = (await loadRenderer<{ useTicketMarket: Store<{ setMarket(v: string, s: string): void; setPrice(p: string): void }> }>('features/trading/ticketMarket.ts')).useTicketMarket
  market.getState().setMarket('sim', 'BTC/USDT')
  market.getState().setPrice('100')
})

describe('the ticket, a conditional order refused as already crossed', () => {
  it('shows the engine’s words at the form and keeps the form', async () => {
    ticket.getState().set({ side: 'buy', size: '1', unit: 'base' })
    ticket.getState().setConditional({ mode: 'take-profit-market', triggerPrice: '1000' })
    expect(await submitTicket()).toBe('refused')
    expect(sent.map((s) => s.name)).toEqual(['conditional.create'])
    expect(sent[0]?.input).toMatchObject({ type: 'single', leg: { kind: 'take-profit-market', side: 'buy', triggerPrice: '1000' } })
    expect(ticket.getState().submitError).toEqual({ general: CROSSED })
  })
})
