import { describe, expect, it } from 'vitest'
import { marketKey, nextTicks } from '../../src-renderer/features/markets/ticks'
import { formatAgo } from '../../src-renderer/ui/format'
import type { MarketView } from '../../src-main/api/contract'

const market = (symbol: string, last: string | null): MarketView => ({
  venueId: 'sim',
  venueLabel: 'Simulated exchange',
  symbol,
  base: symbol.split('/')[0]!,
  quote: symbol.split('/')[1]!,
  last,
  changePct24h: '0',
  volume24h: '0',
  tickSize: '0.01',
  stepSize: '0.0001',
  minNotional: '5',
})

describe('nextTicks', () => {
  it('has no direction for a market seen for the first time', () => {
    const ticks = nextTicks(new Map(), [market('ETH/USDT', '3399.00')])
    expect(ticks.get('sim|ETH/USDT')).toEqual({ last: '3399.00', dir: null })
  })

  it('follows moves up and down, and keeps the direction while the price stands', () => {
    let ticks = nextTicks(new Map(), [market('ETH/USDT', '3399.00')])
    ticks = nextTicks(ticks, [market('ETH/USDT', '3399.10')])
    expect(ticks.get('sim|ETH/USDT')?.dir).toBe('up')
    ticks = nextTicks(ticks, [market('ETH/USDT', '3399.10')])
    expect(ticks.get('sim|ETH/USDT')?.dir).toBe('up')
    ticks = nextTicks(ticks, [market('ETH/USDT', '3398.5')])
    expect(ticks.get('sim|ETH/USDT')?.dir).toBe('down')
    // the same price written differently is no move
    ticks = nextTicks(ticks, [market('ETH/USDT', '3398.50')])
    expect(ticks.get('sim|ETH/USDT')?.dir).toBe('down')
  })

  it('keeps only the markets of the latest answer, and survives unknown prices', () => {
    let ticks = nextTicks(new Map(), [market('ETH/USDT', '1'), market('BTC/USDT', null)])
    ticks = nextTicks(ticks, [market('BTC/USDT', '95000')])
    expect([...ticks.keys()]).toEqual(['sim|BTC/USDT'])
    expect(ticks.get('sim|BTC/USDT')?.dir).toBeNull()
    expect(marketKey({ venueId: 'v', symbol: 'A/B' })).toBe('v|A/B')
  })
})

describe('formatAgo', () => {
  it('says how long ago, compactly', () => {
    expect(formatAgo(-500)).toBe('now')
    expect(formatAgo(999)).toBe('now')
    expect(formatAgo(42_000)).toBe('42s ago')
    expect(formatAgo(5 * 60_000 + 2000)).toBe('5m ago')
    expect(formatAgo(3 * 3_600_000)).toBe('3h ago')
    expect(formatAgo(2 * 86_400_000 + 5)).toBe('2d ago')
  })
})
