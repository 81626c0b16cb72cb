import { describe, expect, it } from 'vitest'
import { createInput, emptyDraft, guessedCondition } from '../../src-renderer/features/alerts/alertForm'
import { emptyRiskDraft, riskCreateInput } from '../../src-renderer/features/alerts/riskAlertForm'
import { alertCreateSchema, riskAlertCreateSchema } from '../../src-main/api/schemas/alerts'

// A decimal comma typed in the new price alert's level or the new risk alert's threshold: the forms take
// out only commas that really group thousands, so '94526,5' is never 945,265 nor '2,5' 25 %. Anything
// else reaches the engine as typed and is refused there, as the order ticket does.

describe('the new price alert form with a decimal comma', () => {
  it('does not guess a direction from a level it cannot read, and sends it as typed for the engine to refuse', () => {
    // The price is 94,600: the user meant "falls to 94,526.5".
    expect(guessedCondition({ price: '94526,5' }, '94600')).toBeNull()
    const input = createInput({ ...emptyDraft, price: '94526,5' }, guessedCondition({ price: '94526,5' }, '94600'))
    expect(input.price).toBe('94526,5')
    expect(alertCreateSchema.safeParse(input).success).toBe(false)
    expect(createInput({ ...emptyDraft, price: ' 0,500 ' }, null).price).toBe('0,500')
    expect(alertCreateSchema.safeParse(createInput({ ...emptyDraft, price: '0,500' }, null)).success).toBe(false)
  })

  it('still takes thousands separators out where they group thousands', () => {
    expect(guessedCondition({ price: '95,000.5' }, '94600')).toBe('above')
    expect(guessedCondition({ price: '94,000' }, '94600')).toBe('below')
    expect(createInput({ ...emptyDraft, price: ' 95,000.5 ' }, 'above').price).toBe('95000.5')
    expect(createInput({ ...emptyDraft, price: '1,234,567' }, 'above').price).toBe('1234567')
  })
})

describe('the new risk alert form with a decimal comma', () => {
  it('sends a drawdown of 2,5 as typed, refused by the engine, never 25 %', () => {
    const input = riskCreateInput({ ...emptyRiskDraft, metric: 'drawdown', threshold: '2,5' }, false)
    expect(input.threshold).toBe('2,5')
    expect(riskAlertCreateSchema.safeParse(input).success).toBe(false)
  })

  it('takes grouping commas out of a value threshold and keeps the rest of the command', () => {
    expect(riskCreateInput({ ...emptyRiskDraft, threshold: ' 9,000.50 ', note: ' n ', webhookUrl: ' ', email: true }, false)).toEqual({
      metric: 'value',
      account: null,
      condition: 'below',
      threshold: '9000.50',
      note: ' n ',
      desktop: true,
      email: false,
      repeat: false,
      webhookUrl: null,
    })
    expect(riskCreateInput({ ...emptyRiskDraft, metric: 'drawdown', condition: 'below', threshold: '12.5', account: 'a1', currency: 'EUR', email: true }, true)).toMatchObject({
      condition: 'above',
      threshold: '12.5',
      account: 'a1',
      currency: 'EUR',
      email: true,
    })
  })
})
