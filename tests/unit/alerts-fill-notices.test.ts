import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { fillNoticeText, startFillNotices, type NoticeMode } from '../../src-main/alerts/fill-notices'
import type { Notice } from '../../src-main/api/schemas/alerts'
import type { FillRecord } from '../../src-main/trading/model'

// Fill notices: a burst within a second is one notice with the exact total and average price; the
// setting decides whether it is said and whether it goes to the desktop; old (recovered) fills are not news.

afterEach(() => vi.useRealTimers())

const fill = (over: Partial<FillRecord>): FillRecord => ({
  venueId: 'sim',
  tradeId: 't',
  venueOrderId: 'v',
  clientOrderId: 'c',
  symbol: 'BTC/USDT',
  side: 'buy',
  price: '95000',
  amount: '0.001',
  fee: { asset: 'BTC', amount: '0.000001' },
  liquidity: 'taker',
  timestamp: 1_000_000,
  ...over,
})
const label = () => 'Simulated exchange'

describe('fill notices', () => {
  it('says one fill at its price, and a sweep as its exact total at the exact average', () => {
    expect(fillNoticeText([fill({})], label)).toEqual({ title: 'Bought 0.001 BTC · BTC/USDT', body: 'at 95000 on Simulated exchange' })
    // 0.1 @ 100.1 + 0.2 @ 100.2 = 0.3 for 30.05 → 100.1666666666… → 100.16666667
    const sweep = [fill({ side: 'sell', symbol: 'SOL/USDT', price: '100.1', amount: '0.1' }), fill({ side: 'sell', symbol: 'SOL/USDT', price: '100.2', amount: '0.2' })]
    expect(fillNoticeText(sweep, label)).toEqual({ title: 'Sold 0.3 SOL · SOL/USDT', body: 'avg 2 fills at 100.16666667 on Simulated exchange' })
    expect(fillNoticeText([fill({}), fill({ symbol: 'ETH/USDT' })], label)).toEqual({ title: '2 fills', body: 'BTC/USDT, ETH/USDT on Simulated exchange' })
  })

  it('gathers the fills of one second into one notice; desktop only when asked; nothing when off or for old fills', () => {
    vi.useFakeTimers()
    const bus = new EventBus()
    let mode: NoticeMode = 'app'
    const notices: Notice[] = []
    const desktop: string[] = []
    bus.on('noticeRaised', (e) => notices.push(e.notice))
    const now = () => 1_000_500
    const stop = startFillNotices({ bus, mode: () => mode, notifier: { notify: (t) => desktop.push(t) }, labelOf: label, now })
    bus.emit('orderFilled', { order: null, fill: fill({ amount: '0.001' }) })
    bus.emit('orderFilled', { order: null, fill: fill({ amount: '0.002', price: '95001' }) })
    expect(notices).toHaveLength(0)
    vi.advanceTimersByTime(1000)
    expect(notices).toEqual([{ kind: 'fill', title: 'Bought 0.003 BTC · BTC/USDT', body: 'avg 2 fills at 95000.66666667 on Simulated exchange', at: 1_000_500, desktop: false, severity: 'info' }])
    expect(desktop).toEqual([])
    mode = 'desktop'
    bus.emit('orderFilled', { order: null, fill: fill({}) })
    vi.advanceTimersByTime(1000)
    expect(notices.at(-1)?.desktop).toBe(true)
    expect(desktop).toEqual(['Bought 0.001 BTC · BTC/USDT'])
    // A fill recovered long after it happened is not said.
    bus.emit('orderFilled', { order: null, fill: fill({ timestamp: 1_000_500 - 61_000 }) })
    mode = 'off'
    bus.emit('orderFilled', { order: null, fill: fill({}) })
    vi.advanceTimersByTime(2000)
    expect(notices).toHaveLength(2)
    stop()
  })
})
