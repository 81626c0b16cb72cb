import { describe, expect, it } from 'vitest'
import { addTrades, isLarge, largeThreshold, median, statusAfter } from '../../src-renderer/features/trade/tape'
import type { TradeRow } from '../../src-main/api/contract'

const trade = (id: number, amount: string, side: 'buy' | 'sell' = 'buy'): TradeRow => ({
  id: String(id),
  time: 1_700_000_000_000 + id,
  price: '100',
  amount,
  side,
})

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNull()
  })
})

describe('large trades', () => {
  it('are at least 5× the median size of the last 200 trades', () => {
    const tape = Array.from({ length: 10 }, (_, i) => trade(i, '1'))
    expect(largeThreshold(tape)).toBe(5)
    expect(isLarge(trade(99, '5'), 5)).toBe(true)
    expect(isLarge(trade(99, '4.99'), 5)).toBe(false)
  })

  it('look only at the newest 200 trades', () => {
    // Newest first: 200 trades of size 2, then 300 older trades of size 100 that must not count.
    const tape = [...Array.from({ length: 200 }, (_, i) => trade(i, '2')), ...Array.from({ length: 300 }, (_, i) => trade(1000 + i, '100'))]
    expect(largeThreshold(tape)).toBe(10)
  })

  it('has no threshold without trades (nothing is large)', () => {
    expect(largeThreshold([])).toBeNull()
    expect(isLarge(trade(1, '1000'), null)).toBe(false)
  })
})

describe('addTrades', () => {
  it('puts a batch (oldest first) on top of the tape newest first, without duplicates, bounded', () => {
    let tape = addTrades([], [trade(1, '1'), trade(2, '1')])
    expect(tape.map((t) => t.id)).toEqual(['2', '1'])
    tape = addTrades(tape, [trade(2, '1'), trade(3, '1')])
    expect(tape.map((t) => t.id)).toEqual(['3', '2', '1'])
    tape = addTrades(tape, [trade(4, '1'), trade(5, '1')], 3)
    expect(tape.map((t) => t.id)).toEqual(['5', '4', '3'])
  })

  it('keeps the same array when nothing is new', () => {
    const tape = addTrades([], [trade(1, '1')])
    expect(addTrades(tape, [trade(1, '1')])).toBe(tape)
  })
})

describe('the tape status', () => {
  const none = { error: null, note: null }

  it('shows the note of the recent trades a view gets first (put on the tape before it opened)', () => {
    const note = 'Trades between 14:03:21 UTC and 14:05:02 UTC may be missing: the exchange gave only its most recent ones'
    expect(statusAfter(none, { note })).toEqual({ error: null, note })
  })

  it('keeps a note until a later one replaces it; a batch without one changes nothing', () => {
    const first = statusAfter(none, { note: 'A' })
    expect(statusAfter(first, {})).toBe(first)
    expect(statusAfter(first, { note: 'B' }).note).toBe('B')
  })

  it('says why the tape ended', () => {
    expect(statusAfter(none, { ended: 'the account was removed' }).error).toBe('The tape ended: the account was removed')
  })
})
