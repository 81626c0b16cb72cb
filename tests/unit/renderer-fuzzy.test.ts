import { describe, expect, it } from 'vitest'
import { fuzzyMatch, fuzzyRank } from '../../src-renderer/app/hotkeys/fuzzy'

const titles = [
  'Open command palette',
  'Go to Workspace',
  'Go to Settings',
  'Toggle sidebar',
  'Focus next panel',
  'Focus previous panel',
  'Theme: Dark',
  'Theme: Midnight',
  'Theme: High contrast',
  'Back up database now',
  'Show keyboard shortcuts',
]
const rank = (query: string) => fuzzyRank(titles, query, (t) => t).map((r) => r.item)

describe('fuzzyMatch', () => {
  it('matches characters in order, case-insensitively, and reports where', () => {
    expect(fuzzyMatch('gts', 'Go to Settings')?.indices).toEqual([0, 3, 6])
    expect(fuzzyMatch('SETT', 'Go to Settings')?.indices).toEqual([6, 7, 8, 9])
  })

  it('does not match out of order or missing characters', () => {
    expect(fuzzyMatch('stg', 'Go to Settings')).not.toBeNull() // s…t…g in order
    expect(fuzzyMatch('zz', 'Go to Settings')).toBeNull()
    expect(fuzzyMatch('sg o', 'Go')).toBeNull()
  })

  it('ignores spaces in the query and matches everything for an empty one', () => {
    expect(fuzzyMatch('go set', 'Go to Settings')).not.toBeNull()
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, indices: [] })
  })

  it('scores word starts and runs above scattered characters', () => {
    const wordStarts = fuzzyMatch('ts', 'Toggle sidebar')!.score
    const scattered = fuzzyMatch('ts', 'Shortcuts')!.score
    expect(wordStarts).toBeGreaterThan(scattered)
    const run = fuzzyMatch('mid', 'Theme: Midnight')!.score
    const split = fuzzyMatch('mid', 'Theme: Dark mode indicator')?.score ?? -Infinity
    expect(run).toBeGreaterThan(split)
  })
})

describe('fuzzyRank', () => {
  it('puts the best match first', () => {
    expect(rank('settings')[0]).toBe('Go to Settings')
    expect(rank('gs')[0]).toBe('Go to Settings')
    expect(rank('back')[0]).toBe('Back up database now')
    expect(rank('midn')).toEqual(['Theme: Midnight'])
    expect(rank('fpp')[0]).toBe('Focus previous panel')
  })

  it('drops what does not match and keeps the original order for an empty query or ties', () => {
    expect(rank('xyzzy')).toEqual([])
    expect(rank('')).toEqual(titles)
    expect(rank('theme')).toEqual(['Theme: Dark', 'Theme: Midnight', 'Theme: High contrast'])
  })
})
