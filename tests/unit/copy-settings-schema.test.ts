import { describe, expect, it } from 'vitest'
import { copyCommands, followSettingsSchema } from '../../src-main/api/schemas/copy'
import { formatIssues } from '../../src-main/api/format-issues'

// What copy.follow / copy.update answer for settings that do not fit: the exact sentence the user reads.

const base = { leaderId: 'sim:trader:x', followerVenueId: 'sim', sizing: { mode: 'multiplier', value: '1' }, allocationPct: '100' }

function refusal(over: Record<string, unknown>): string {
  const r = followSettingsSchema.safeParse({ ...base, ...over })
  if (r.success) throw new Error(`accepted ${JSON.stringify(over)}`)
  return formatIssues(r.error)
}

const accepted = (over: Record<string, unknown>) => followSettingsSchema.safeParse({ ...base, ...over }).success

describe('follow settings: refusals name the field and the rule', () => {
  it('the allocation is compared exactly: a hair over 100 % is refused, 100 and 99.99999999999999999 are not', () => {
    expect(refusal({ allocationPct: '100.00000000000000001' })).toBe('allocationPct: must be at most 100 (%)')
    expect(refusal({ allocationPct: '100.5' })).toBe('allocationPct: must be at most 100 (%)')
    expect(accepted({ allocationPct: '100.000' })).toBe(true)
    expect(accepted({ allocationPct: '99.99999999999999999' })).toBe(true)
  })

  it('max positions and max age say what they take, not "Too small: expected number to be >=1"', () => {
    const positions = 'maxOpenPositions: must be a whole number from 1 to 1000 (empty: no limit)'
    expect(refusal({ maxOpenPositions: 0 })).toBe(positions)
    expect(refusal({ maxOpenPositions: 1.5 })).toBe(positions)
    expect(refusal({ maxOpenPositions: 1001 })).toBe(positions)
    expect(refusal({ maxOpenPositions: '3' })).toBe(positions)
    expect(accepted({ maxOpenPositions: 1000 })).toBe(true)
    const age = 'maxAgeSec: must be a whole number of seconds from 1 to 86400'
    expect(refusal({ maxAgeSec: 0 })).toBe(age)
    expect(refusal({ maxAgeSec: 86_401 })).toBe(age)
    expect(refusal({ maxAgeSec: 2.5 })).toBe(age)
  })

  it('the leader, the follower, the lists and the markets', () => {
    expect(refusal({ leaderId: '' })).toBe('leaderId: choose a leader')
    expect(refusal({ followerVenueId: '' })).toBe('followerVenueId: choose the follower account')
    expect(refusal({ allow: Array(501).fill('BTC/USDT') })).toBe('allow: at most 500 markets')
    expect(refusal({ deny: Array(501).fill('BTC/USDT') })).toBe('deny: at most 500 markets')
    expect(refusal({ symbolMap: Array(501).fill({ from: 'BTC/USDT', to: 'BTC/USDC' }) })).toBe('symbolMap: at most 500 entries')
    expect(refusal({ symbolMap: [{ from: 'B', to: 'BTC/USDC' }] })).toBe('symbolMap.0.from: a market such as BTC/USDT')
    expect(refusal({ deny: ['BTC/' + 'X'.repeat(40)] })).toBe('deny.0: a market such as BTC/USDT, at most 40 characters')
  })

  it('the other copy commands: ids and page sizes', () => {
    const records = copyCommands['copy.records'].input.safeParse({ limit: 0 })
    expect(records.success ? 'accepted' : formatIssues(records.error)).toBe('limit: must be a whole number from 1 to 1000')
    const fills = copyCommands['copy.leaderFills'].input.safeParse({ leaderId: 'x', limit: 501 })
    expect(fills.success ? 'accepted' : formatIssues(fills.error)).toBe('limit: must be a whole number from 1 to 500')
    const pause = copyCommands['copy.pause'].input.safeParse({ id: '' })
    expect(pause.success ? 'accepted' : formatIssues(pause.error)).toBe('id: give the relationship id')
  })
})
