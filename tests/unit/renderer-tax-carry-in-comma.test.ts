import { describe, expect, it } from 'vitest'
import { carryInput } from '../../src-renderer/features/tax/carryInForm'
import { taxCarryInSetSchema } from '../../src-main/api/schemas/tax'

// The losses-carried-in form with a decimal comma: '1500,75' (a loss of 1,500.75 as a German return writes
// it) must never be saved as 150,075. Only commas that group thousands are taken out; anything else is left
// for the engine to refuse.

describe('the losses-carried-in form with a decimal comma', () => {
  it('sends a decimal comma as typed, which the engine refuses', () => {
    const de = carryInput('de', { year: 2024, amount: '1500,75', shortTerm: '', longTerm: '' })
    expect(de).toEqual({ jurisdiction: 'de', year: 2024, amount: '1500,75' })
    expect(taxCarryInSetSchema.safeParse(de).success).toBe(false)
    const us = carryInput('us', { year: 2024, amount: '', shortTerm: '0,500', longTerm: '' })
    expect(us).toMatchObject({ shortTerm: '0,500', longTerm: '0' })
    expect(taxCarryInSetSchema.safeParse(us).success).toBe(false)
  })

  it('still takes out commas that group thousands', () => {
    expect(carryInput('uk', { year: 2024, amount: ' 12,500.50 ', shortTerm: '', longTerm: '' })).toEqual({ jurisdiction: 'uk', year: 2024, amount: '12500.50' })
    expect(carryInput('us', { year: 2024, amount: '', shortTerm: '1,000', longTerm: '2,345,678' })).toEqual({ jurisdiction: 'us', year: 2024, shortTerm: '1000', longTerm: '2345678' })
  })
})
