import { describe, expect, it } from 'vitest'
import { moveIndex, moveSelection } from '../../src-renderer/ui/listNav'

describe('moveIndex', () => {
  it('moves one row with the arrows and stops at the ends', () => {
    expect(moveIndex('ArrowDown', 0, 3)).toBe(1)
    expect(moveIndex('ArrowDown', 2, 3)).toBe(2)
    expect(moveIndex('ArrowUp', 1, 3)).toBe(0)
    expect(moveIndex('ArrowUp', 0, 3)).toBe(0)
  })

  it('starts from the top (down) or the bottom (up) when nothing is selected', () => {
    expect(moveIndex('ArrowDown', -1, 3)).toBe(0)
    expect(moveIndex('ArrowUp', -1, 3)).toBe(2)
  })

  it('jumps a page, or to either end', () => {
    expect(moveIndex('PageDown', 0, 30, 10)).toBe(10)
    expect(moveIndex('PageDown', 25, 30, 10)).toBe(29)
    expect(moveIndex('PageUp', 5, 30, 10)).toBe(0)
    expect(moveIndex('Home', 17, 30)).toBe(0)
    expect(moveIndex('End', 3, 30)).toBe(29)
  })

  it('ignores other keys and empty lists, and clamps a stale index', () => {
    expect(moveIndex('Enter', 0, 3)).toBeNull()
    expect(moveIndex('a', 0, 3)).toBeNull()
    expect(moveIndex('ArrowDown', 0, 0)).toBeNull()
    expect(moveIndex('ArrowDown', 9, 3)).toBe(2)
  })
})

describe('moveSelection', () => {
  const ids = ['a', 'b', 'c']
  it('works on ids', () => {
    expect(moveSelection('ArrowDown', ids, 'a')).toBe('b')
    expect(moveSelection('ArrowUp', ids, 'a')).toBe('a')
    expect(moveSelection('End', ids, null)).toBe('c')
    // a selection that is no longer in the list starts over
    expect(moveSelection('ArrowDown', ids, 'gone')).toBe('a')
    expect(moveSelection('Tab', ids, 'a')).toBeNull()
  })
})
