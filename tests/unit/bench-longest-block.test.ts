import { describe, expect, it } from 'vitest'
import { longestBlock } from '../bench/stream/longest-block'

// stream.longest-task compares the renderer's longest stall with a 50 ms budget.
describe('stream.longest-task figure', () => {
  it('a timer stall over the budget with no long-task entry counts in full, so the row can score below 1×', () => {
    expect(longestBlock([], 80)).toBe(80)
  })

  it('short timer lateness and reported long tasks are taken as they are', () => {
    expect(longestBlock([], 12)).toBe(12)
    expect(longestBlock([60, 120], 30)).toBe(120)
  })
})
