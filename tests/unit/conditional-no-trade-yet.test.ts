import { afterEach, expect, it } from 'vitest'
import type { ConditionalCreate } from '../../src-main/api/schemas/trading'
import { closeStores, harness, input, VENUE, type Harness } from './conditional-harness'

// A market with a live book that has not traded since the app began watching it has no last price. A
// conditional order triggering on 'last' cannot be checked then, and "try again in a moment" never helps
// until a trade prints: the refusal says so and points at the sources the book does give.

afterEach(closeStores)

const NO_TRADE =
  'No trade has printed on BTC/USDT on Sim since the app began watching it (its book is live): the trigger price cannot be checked against the current price; trigger on bid, ask or mid instead, or try again after a trade'

async function refusedWith(h: Harness, raw: ConditionalCreate, message: string): Promise<void> {
  await expect(h.engine.create(raw)).rejects.toMatchObject({ code: 'UNAVAILABLE', message })
  expect(h.engine.list({ scope: 'active', limit: 10 })).toEqual([])
  expect(h.gateway.submits).toHaveLength(0)
}

it('a stop on the last price, on a live book that has not traded: refused, pointing at bid, ask or mid', async () => {
  const h = await harness()
  h.ticks.push({ bid: '99.99', ask: '100.01', last: null })
  const leg = { kind: 'stop-market', side: 'sell', amount: '0.5', triggerPrice: '95' }
  await refusedWith(h, input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { ...leg, trigger: 'last' } }), NO_TRADE)
  // The same stop on the bid is taken.
  const [view] = await h.engine.create(input({ type: 'single', venueId: VENUE, symbol: 'BTC/USDT', leg: { ...leg, trigger: 'bid' } }))
  expect(view?.status).toBe('armed')
})

it('an OCO with a leg on the last price, on a live book that has not traded: the same refusal', async () => {
  const h = await harness()
  h.ticks.push({ bid: '99.99', ask: '100.01', last: null })
  const raw = input({
    type: 'oco',
    venueId: VENUE,
    symbol: 'BTC/USDT',
    legs: [
      { kind: 'take-profit-market', side: 'sell', amount: '1', triggerPrice: '110', trigger: 'bid' },
      { kind: 'stop-market', side: 'sell', amount: '1', triggerPrice: '95', trigger: 'last' },
    ],
  })
  await refusedWith(h, raw, NO_TRADE.replace('the trigger price cannot be checked', 'the OCO legs cannot be checked'))
})
