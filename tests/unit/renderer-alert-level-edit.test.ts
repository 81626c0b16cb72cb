import { describe, expect, it } from 'vitest'
import { alertLevelInput, editKey, startLevelEdit } from '../../src-renderer/features/alerts/alertLevelEdit'

// An active alert's level is moved from its row (Enter or E), not only by dragging its chart line: Enter
// sends alerts.amend with the new level, Escape drops the draft, and a level that did not change sends nothing.

describe('the alert level editor', () => {
  it('opens on Enter or E on the selected row, not with a modifier', () => {
    expect(editKey({ key: 'Enter' })).toBe(true)
    expect(editKey({ key: 'e' })).toBe(true)
    expect(editKey({ key: 'E' })).toBe(true)
    expect(editKey({ key: 'Enter', ctrlKey: true })).toBe(false)
    expect(editKey({ key: 'x' })).toBe(false)
  })

  it('sends the new level (thousands separators dropped); nothing when it is unchanged', () => {
    const draft = startLevelEdit({ id: 'a1', price: '120000' })
    expect(draft).toEqual({ id: 'a1', original: '120000', price: '120000', sending: false, error: null })
    expect(alertLevelInput({ ...draft, price: '118,500.5' })).toEqual({ id: 'a1', price: '118500.5' })
    expect(alertLevelInput({ ...draft, price: '120000.00' })).toBeNull()
    expect(alertLevelInput({ ...draft, price: '  ' })).toBeNull()
  })

  it('passes what is not a number to the engine, which says why', () => {
    const draft = startLevelEdit({ id: 'a1', price: '120000' })
    expect(alertLevelInput({ ...draft, price: '12o' })).toEqual({ id: 'a1', price: '12o' })
  })
})
