import { describe, expect, it } from 'vitest'
import { spreadMidText } from '../../src-renderer/features/trade/book'

// The spread and mid under the ladder come from the real best bid and ask, not the buckets: at any grouping
// they are shown in the market's tick (the mid, half-way between two ticks, with one decimal more).

describe('spread and mid under a grouped ladder', () => {
  it('keeps the tick precision at a coarse grouping (XRP at 100×)', () => {
    // tick 0.00001, grouped by 0.001: best bid 0.03582, best ask 0.03583
    const frame = { spread: 0.00001, mid: 0.035825, group: '0.001' }
    expect(spreadMidText(frame, '0.00001', [[0.035, 10]])).toEqual({ spread: '0.00001', mid: '0.035825' })
  })

  it('is the same at every grouping', () => {
    const raw = spreadMidText({ spread: 0.01, mid: 95012.195, group: null }, '0.01')
    for (const group of ['0.1', '1', '10']) expect(spreadMidText({ spread: 0.01, mid: 95012.195, group }, '0.01')).toEqual(raw)
    expect(raw).toEqual({ spread: '0.01', mid: '95,012.195' })
  })

  it('without a known tick, reads the precision from the levels; no side gives dashes', () => {
    expect(spreadMidText({ spread: 0.5, mid: 100.25, group: null }, null, [[100.5, 1], [100, 2]])).toEqual({ spread: '0.5', mid: '100.25' })
    expect(spreadMidText({ spread: null, mid: null, group: null }, '0.01')).toEqual({ spread: '—', mid: '—' })
  })
})
