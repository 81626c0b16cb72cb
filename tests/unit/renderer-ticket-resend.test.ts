import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadRenderer, stubDom } from './renderer-keys-harness'

// The order ticket's idempotency key: when the connection drops after an order left and before its answer
// (OUTCOME_UNKNOWN), sending the unchanged ticket again carries the same key, so the engine answers with the
// order it placed instead of placing a second one. An answer, a refusal or an edit starts a new key.

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
type Store<S> = { getState(): S; setState(p: Partial<S>): void }
interface TicketState {
  submitUnknown: string | null
  set(p: Record<string, string>): void
  setConditional(p: Record<string, string>): void
}

let ticket: Store<TicketState>
let market: Store<{ setMarket(v: string, s: string): void; setPrice(p: string): void }>
let submitTicket: () => Promise<string>
const sent: { name: string; input: Record<string, unknown> }[] = []
const replies: Reply[] = []

const dropped: Reply = {
  ok: false,
  error: { code: 'OUTCOME_UNKNOWN', message: 'The connection dropped after this was sent: it may have been done. Check Orders before sending again.' },
}
const order = (id: string): Reply => ({
  ok: true,
  value: { clientOrderId: id, venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'limit', status: 'open', amount: '0.01', filled: '0', price: '90000' },
})

beforeAll(async () => {
  stubDom('other')
  const { api } = await loadRenderer<{ api: { invoke: unknown } }>('api/index.ts')
  api.invoke = async (name: string, input: Record<string, unknown>) => {
    sent.push({ name, input })
    const reply = replies.shift() ?? order('coX')
    if (!reply.ok) {
      const { ApiError } = await loadRenderer<{ ApiError: new (code: string, message: string) => Error }>('api/index.ts')
      throw new ApiError(reply.error.code, reply.error.message)
    }
    return reply.value
  }
  const store = await loadRenderer<{ useTicket: never; submitTicket: never }>('features/trading/ticketStore.ts')
  ticket = store.useTicket
  submitTicket = store.submitTicket
  market = (await loadRenderer<{ useTicketMarket: never }>('features/trading/ticketMarket.ts')).useTicketMarket
})

beforeEach(() => {
  sent.length = 0
  replies.length = 0
  market.getState().setMarket('sim', 'BTC/USDT')
  market.getState().setPrice('90000')
  ticket.getState().setConditional({ mode: 'none' })
  ticket.getState().set({ side: 'buy', kind: 'limit', size: '0.01', unit: 'base' })
})

const keys = () => sent.filter((s) => s.name === 'orders.submit').map((s) => s.input.idempotencyKey as string)

describe('resending the order ticket after the connection dropped', () => {
  it('sends the same key again after OUTCOME_UNKNOWN, and says a resend places no second order', async () => {
    replies.push(dropped, order('co1'))
    expect(await submitTicket()).toBe('unknown')
    expect(ticket.getState().submitUnknown).toBe(
      'The connection dropped after this was sent: it may have been placed. Sending this ticket again unchanged is safe: it will not place a second order.',
    )
    expect(await submitTicket()).toBe('sent')
    const [first, resend] = keys()
    expect(first).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(resend).toBe(first)
    expect(sent[1]!.input).toEqual(sent[0]!.input)
  })

  it('a new key once an answer came: the next order is a new order', async () => {
    replies.push(order('co1'), order('co2'))
    await submitTicket()
    await submitTicket()
    const [a, b] = keys()
    expect(b).not.toBe(a)
  })

  it('a new key after a refusal, and after the ticket was edited', async () => {
    replies.push({ ok: false, error: { code: 'CONFLICT', message: 'Account has insufficient balance' } }, dropped, order('co3'), dropped, order('co4'))
    expect(await submitTicket()).toBe('refused')
    expect(await submitTicket()).toBe('unknown')
    ticket.getState().set({ size: '0.02' }) // the user changed the order: it is another order
    expect(await submitTicket()).toBe('sent')
    expect(await submitTicket()).toBe('unknown')
    market.getState().setPrice('89000') // the price lives outside the form's fields: a change there counts too
    expect(await submitTicket()).toBe('sent')
    // Each send here was a new order: five keys.
    expect(new Set(keys()).size).toBe(5)
  })

  it('a conditional order sent again after OUTCOME_UNKNOWN carries the same key too', async () => {
    ticket.getState().setConditional({ mode: 'stop-market', triggerPrice: '80000' })
    ticket.getState().set({ side: 'sell' })
    replies.push(dropped, { ok: true, value: [] })
    expect(await submitTicket()).toBe('unknown')
    expect(await submitTicket()).toBe('sent')
    const creates = sent.filter((s) => s.name === 'conditional.create').map((s) => s.input.idempotencyKey)
    expect(creates).toHaveLength(2)
    expect(creates[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(creates[1]).toBe(creates[0])
  })
})
