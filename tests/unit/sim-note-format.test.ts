import { describe, expect, it } from 'vitest'
import { fixed } from '../../src-main/venues/sim/traders/note-format'

describe("simulated traders' notes", () => {
  it('show a value that rounds to zero without a minus sign, and keep the sign otherwise', () => {
    expect(fixed(-0.04, 1)).toBe('0.0')
    expect(fixed(-0, 2)).toBe('0.00')
    expect(fixed(-0.001, 0)).toBe('0')
    expect(fixed(-0.06, 1)).toBe('-0.1')
    expect(fixed(-3.25, 1)).toBe('-3.3')
    expect(fixed(0.04, 1)).toBe('0.0')
    expect(fixed(2.5, 1)).toBe('2.5')
  })
})
