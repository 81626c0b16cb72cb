import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { decide } from '../../src-main/copy/decide'
import { planClose } from '../../src-main/copy/close'
import { followSettingsSchema } from '../../src-main/api/schemas/copy'
import { market } from '../support/copy/world'

// A refusal for being below the market's minimum order shows the order's value: that value must read
// below the minimum, not rounded up onto it ("≈ 0.0001 BTC is below the minimum order of 0.0001 BTC").

/** The value a "≈ X Q is below the market's minimum order of M Q" text shows, and M. */
function shown(reason: string): { value: Decimal; minimum: Decimal } {
  const m = /≈ ([0-9.]+) \S+(?: at [0-9.]+)? is below the market's minimum order of ([0-9.]+)/.exec(reason)
  if (!m) throw new Error(`no minimum-order text in: ${reason}`)
  return { value: new Decimal(m[1]!), minimum: new Decimal(m[2]!) }
}

describe('"is below the minimum order" texts', () => {
  it('a copy of 0.0012 ETH at 0.08333 BTC (0.000099996 BTC) against a 0.0001 BTC minimum', () => {
    const settings = followSettingsSchema.parse({ leaderId: 'l', followerVenueId: 'f', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100' })
    const d = decide({
      ageMs: 0,
      settings,
      status: 'active',
      market: market('ETH/BTC', { tickSize: '0.00001', minNotional: '0.0001' }),
      book: { bid: new Decimal('0.08332'), ask: new Decimal('0.08333') },
      followerEquity: new Decimal(100000),
      leaderEquity: null,
      leaderPositionBefore: new Decimal(0),
      followerPosition: new Decimal(0),
      openPositions: 0,
      committedQuote: new Decimal(0),
      quoteValue: new Decimal(95000),
      pnlTotal: new Decimal(0),
      pnlToday: new Decimal(0),
      fill: { side: 'buy', symbol: 'ETH/BTC', amount: new Decimal('0.0012'), price: new Decimal('0.08333') },
    } as unknown as Parameters<typeof decide>[0])
    expect(d).toMatchObject({ kind: 'skip', rule: 'market-rules' })
    const { value, minimum } = shown((d as { reason: string }).reason)
    expect(value.lt(minimum)).toBe(true)
    expect(value.toFixed()).toBe('0.00009999')
  })

  it('closing 0.0001 BTC at 49960 (4.996 USDT) against a 5 USDT minimum', () => {
    const plan = planClose('BTC/USDT', new Decimal('0.0001'), market('BTC/USDT', { minNotional: '5' }), new Decimal('49960'))
    expect(plan?.kind).toBe('dust')
    const { value, minimum } = shown((plan as { reason: string }).reason)
    expect(value.lt(minimum)).toBe(true)
    expect(value.toFixed(2)).toBe('4.99')
  })
})
