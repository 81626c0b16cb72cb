import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { capToTarget, presentTarget, settledUnplaced } from '../../src-main/copy/catch-up'

// The bound on a catch-up by the present state: never sell the copies below their share of the leader's position
// just read (the sizing's ratio × it), whatever the counted-back positions say the skipped sales owe.
const d = (v: string) => new Decimal(v)
const none = { follower: null, leader: null }

describe('catch-up: the copies\' share of the leader position now', () => {
  it('multiplier: its value × the position, exact', () => {
    expect(presentTarget({ mode: 'multiplier', value: '0.1' }, d('2.7'), none)!.toFixed()).toBe('0.27')
  })

  it('proportional: follower ÷ leader equity × the position; not known without both equities', () => {
    expect(presentTarget({ mode: 'proportional' }, d('3'), { follower: d('1000'), leader: d('30000') })!.toFixed()).toBe('0.1')
    expect(presentTarget({ mode: 'proportional' }, d('3'), { follower: d('1000'), leader: null })).toBeNull()
    expect(presentTarget({ mode: 'proportional' }, d('3'), { follower: d('1000'), leader: d('0') })).toBeNull()
  })

  it('fixed quote: no ratio of positions, no bound', () => {
    expect(presentTarget({ mode: 'fixed-quote', value: '50' }, d('3'), none)).toBeNull()
  })
})

describe('catch-up: min(owed, max(0, held − target))', () => {
  it('owed within the room above the target: unchanged', () => {
    expect(capToTarget(d('0.15'), d('0.3'), d('0.15'))).toEqual({ amount: d('0.15'), capped: false })
  })
  it('owed beyond it: cut to the room', () => {
    const cut = capToTarget(d('0.12857142857'), d('0.3'), d('0.2'))
    expect(cut.capped).toBe(true)
    expect(cut.amount.toFixed()).toBe('0.1')
  })
  it('copies at or below the target: nothing', () => {
    const cut = capToTarget(d('0.01'), d('0.1'), d('0.27'))
    expect(cut.capped).toBe(true)
    expect(cut.amount.isZero()).toBe(true)
  })
  it('no target: what is owed', () => {
    expect(capToTarget(d('0.3'), d('0.3'), null)).toEqual({ amount: d('0.3'), capped: false })
  })
})

describe('catch-up: records not placed that settle what was owed', () => {
  it('cut to nothing (no-position, 0) and dust settle; a no-position skip without an amount or one to retry does not', () => {
    expect(settledUnplaced({ status: 'skipped', rule: 'no-position', followerAmount: '0' })).toBe(true)
    expect(settledUnplaced({ status: 'skipped', rule: 'market-rules', followerAmount: '0' })).toBe(true)
    expect(settledUnplaced({ status: 'skipped', rule: 'no-position', followerAmount: null })).toBe(false)
    expect(settledUnplaced({ status: 'skipped', rule: 'market-rules', followerAmount: '0.01' })).toBe(false)
    expect(settledUnplaced({ status: 'skipped', rule: 'risk', followerAmount: '0' })).toBe(false)
  })
})
