import { describe, expect, it } from 'vitest'
import { riskFormInput, riskFormOf, riskFormReducer } from '../../src-renderer/features/trading/riskForm'
import type { RiskView } from '../../src-main/api/schemas/trading'

// The Risk panel's form with the same limits open in two windows: what one user is typing is not thrown
// away when the other window saves, and saving sends only what this user changed over the latest limits.

const view = (patch: Partial<RiskView> = {}): RiskView => ({
  maxOrderNotional: '1000',
  maxPositionNotional: '5000',
  priceBandPct: '2',
  dailyLossLimit: null,
  halted: false,
  haltedAt: null,
  version: 1,
  ...patch,
})

describe('the risk form beside another window', () => {
  it('keeps the user’s edit when another window saves, says so with the new values, and saves the edit over them', () => {
    let form = riskFormOf(view())
    form = riskFormReducer(form, { type: 'edit', limit: 'maxOrderNotional', value: '1,500' })
    // The other window sets a price band of 5 % and a daily loss limit of 300.
    const elsewhere = view({ priceBandPct: '5', dailyLossLimit: '300', version: 2 })
    form = riskFormReducer(form, { type: 'saved', risk: elsewhere })
    expect(form.draft).toEqual({ maxOrderNotional: '1,500', maxPositionNotional: '5000', priceBandPct: '5', dailyLossLimit: '300' })
    expect(form.changedElsewhere).toEqual({ maxOrderNotional: '1000', maxPositionNotional: '5000', priceBandPct: '5', dailyLossLimit: '300' })
    // The save is made from the other window's version, so the engine takes it.
    expect(riskFormInput(form)).toEqual({ maxOrderNotional: '1500', maxPositionNotional: '5000', priceBandPct: '5', dailyLossLimit: '300', expectedVersion: 2 })
    // Its own save comes back: the form is the saved limits, the notice goes.
    form = riskFormReducer(form, { type: 'saved', risk: view({ maxOrderNotional: '1500', priceBandPct: '5', dailyLossLimit: '300', version: 3 }) })
    expect(form.changedElsewhere).toBeNull()
    expect(form.draft.maxOrderNotional).toBe('1500')
  })

  it('a field cleared by the user is an edit (no limit); a form with no edits follows the saved limits without a notice', () => {
    let form = riskFormOf(view())
    form = riskFormReducer(form, { type: 'saved', risk: view({ maxOrderNotional: '2000', version: 2 }) })
    expect(form).toMatchObject({ changedElsewhere: null, draft: { maxOrderNotional: '2000' } })
    form = riskFormReducer(form, { type: 'edit', limit: 'priceBandPct', value: '' })
    form = riskFormReducer(form, { type: 'saved', risk: view({ maxOrderNotional: '2500', priceBandPct: '3', version: 3 }) })
    expect(riskFormInput(form)).toEqual({ maxOrderNotional: '2500', maxPositionNotional: '5000', priceBandPct: null, dailyLossLimit: null, expectedVersion: 3 })
    // Typing back what is saved is no edit left: the notice goes.
    form = riskFormReducer(form, { type: 'edit', limit: 'priceBandPct', value: '3' })
    expect(form.changedElsewhere).toBeNull()
  })

  it('a view of older limits arriving late is not gone back to: the form keeps the newer limits and their version', () => {
    let form = riskFormOf(view({ maxOrderNotional: '2000', version: 4 }))
    form = riskFormReducer(form, { type: 'saved', risk: view({ maxOrderNotional: '1000', version: 3 }) })
    expect(form.draft.maxOrderNotional).toBe('2000')
    expect(riskFormInput(form).expectedVersion).toBe(4)
  })

  it('limits loaded from the engine are shown whatever their version (a backup restored): edits kept, saved from that version', () => {
    let form = riskFormOf(view({ maxOrderNotional: '2000', version: 3 }))
    form = riskFormReducer(form, { type: 'edit', limit: 'priceBandPct', value: '5' })
    // The engine now has version 1 (restored): max order 500.
    form = riskFormReducer(form, { type: 'loaded', risk: view({ maxOrderNotional: '500', version: 1 }) })
    expect(form.draft).toMatchObject({ maxOrderNotional: '500', priceBandPct: '5' })
    expect(form.changedElsewhere).toMatchObject({ maxOrderNotional: '500' })
    expect(riskFormInput(form)).toMatchObject({ maxOrderNotional: '500', priceBandPct: '5', expectedVersion: 1 })
  })
})
