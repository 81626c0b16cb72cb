import { describe, expect, it } from 'vitest'
import { limitAcrossTrigger, limitSideNotes } from '../../src-renderer/features/trading/limitSide'

// The ticket's remark under a stop's or take-profit's limit on the far side of its trigger.

const fields = { triggerPrice: '', limitPrice: '', tpTrigger: '', tpLimit: '', slTrigger: '', slLimit: '' }

describe('a limit on the far side of its trigger', () => {
  it('is named for a sell above and a buy below; the near side, equal prices and unfinished input say nothing', () => {
    expect(limitAcrossTrigger('sell', '95000', '95000.5')).toBe(
      'Above the trigger: once triggered, this sell waits above the market; it fills only if the price reaches 95,000.5.',
    )
    expect(limitAcrossTrigger('buy', '95000', '94999.99')).toContain('Below the trigger: once triggered, this buy waits below the market')
    expect(limitAcrossTrigger('sell', '95000', '94900')).toBeNull()
    expect(limitAcrossTrigger('buy', '95000', '95100')).toBeNull()
    expect(limitAcrossTrigger('sell', '95000', '95000.00')).toBeNull()
    for (const [t, l] of [['', '1'], ['95000', ''], ['95000', '95,001'], ['95000', '1.'], ['abc', '1']]) expect(limitAcrossTrigger('sell', t!, l!), `${t} ${l}`).toBeNull()
    // Decimals compared exactly, not as floats: 0.1 + 0.2 territory.
    expect(limitAcrossTrigger('sell', '0.30000000000000000001', '0.30000000000000000002')).not.toBeNull()
  })

  it('a single order and an OCO trade on the ticket side; a bracket’s exits on the other', () => {
    expect(Object.keys(limitSideNotes('stop-limit', 'sell', { ...fields, triggerPrice: '100', limitPrice: '101' }))).toEqual(['limitPrice'])
    expect(limitSideNotes('stop-market', 'sell', { ...fields, triggerPrice: '100', limitPrice: '101' })).toEqual({})
    expect(Object.keys(limitSideNotes('oco', 'sell', { ...fields, tpTrigger: '110', tpLimit: '111', slTrigger: '90', slLimit: '89' }))).toEqual(['tpLimit'])
    // A buy entry's bracket exits by selling: a stop-loss sell limited above its trigger is the slip.
    const bracket = limitSideNotes('bracket', 'buy', { ...fields, tpTrigger: '110', tpLimit: '109', slTrigger: '90', slLimit: '91' })
    expect(Object.keys(bracket)).toEqual(['slLimit'])
    expect(bracket.slLimit).toContain('this sell waits above')
  })
})
