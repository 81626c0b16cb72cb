import { describe, expect, it } from 'vitest'
import { ticketSchema, ticketSubmitSchema, tradingCommands } from '../../src-main/api/schemas/trading'

// A ticket's price and amount are numbers a market can have: at most 20 digits before the point and 18 after
// it (zeros that carry nothing not counted), as an alert's level. More is a typing slip, refused at the door
// saying so, where a 110-digit price (inside the 120-character decimal) used to be stored as a rejected order
// that overflowed the history table.

describe('a price or amount with more digits than any market has', () => {
  it('is refused at the door with a specific message (a 110-digit price was stored as a rejected order)', () => {
    const message = 'at most 20 digits before the point and 18 after it'
    for (const raw of [
      { price: '9'.repeat(110) },
      { price: `0.${'0'.repeat(20)}1` },
      { size: { unit: 'base', value: '1'.repeat(21) } },
      { size: { unit: 'quote', value: `1.${'1'.repeat(19)}` } },
    ]) {
      for (const schema of [ticketSchema, ticketSubmitSchema]) {
        const r = schema.safeParse({ venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: '99.00', size: { unit: 'base', value: '1' }, ...raw })
        expect(r.success).toBe(false)
        expect(r.error?.issues.map((i) => i.message).join(' ')).toContain(message)
      }
    }
    // Zeros that carry nothing do not count.
    expect(ticketSchema.safeParse({ venueId: 'v1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: `000000000000000000000095000.50${'0'.repeat(30)}`, size: { unit: 'base', value: '1' } }).success).toBe(true)
  })
})

describe('an amend with more digits than any market has', () => {
  it('is refused at the door the same way', () => {
    const r = tradingCommands['orders.amend'].input.safeParse({ clientOrderId: 'c1', price: '9'.repeat(110) })
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => i.message).join(' ')).toContain('at most 20 digits before the point and 18 after it')
  })
})
