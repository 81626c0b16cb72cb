import { describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { conditionalNoticeText, startConditionalNotices } from '../../src-main/alerts/conditional-notices'
import type { NoticeMode } from '../../src-main/alerts/fill-notices'
import type { Notice } from '../../src-main/api/schemas/alerts'
import { cond } from '../support/order-views'

// Conditional-order notices: a stop that triggered is said once, a refused one is said as an error with
// the venue's reason, the setting decides where, and a state re-reported at start (old) is not news.

describe('conditional order notices', () => {
  it('words a triggered and a failed leg; other states are not said', () => {
    expect(conditionalNoticeText(cond('a', { status: 'triggered' }))).toEqual({
      title: 'Stop sell 0.01 BTC/USDT triggered',
      body: 'Triggered at 90000 (last); its order was sent to Simulated exchange',
      severity: 'info',
    })
    expect(conditionalNoticeText(cond('b', { status: 'failed', kind: 'take-profit-limit', reason: 'Account has insufficient balance for requested action.' }))).toEqual({
      title: 'Take-profit limit sell 0.01 BTC/USDT failed',
      body: 'Account has insufficient balance for requested action.',
      severity: 'error',
    })
    expect(conditionalNoticeText(cond('c', { status: 'armed' }))).toBeNull()
    expect(conditionalNoticeText(cond('d', { status: 'done' }))).toBeNull()
  })

  it('says each leg and state once, where the setting asks; nothing when off or for an old state', () => {
    const bus = new EventBus()
    let mode: NoticeMode = 'desktop'
    const notices: Notice[] = []
    const desktop: string[] = []
    bus.on('noticeRaised', (e) => notices.push(e.notice))
    const stop = startConditionalNotices({ bus, mode: () => mode, notifier: { notify: (t) => desktop.push(t) }, now: () => 10_000 })
    const triggered = cond('a', { status: 'triggered', updatedAt: 9_000 })
    bus.emit('conditionalChanged', { view: triggered })
    bus.emit('conditionalChanged', { view: { ...triggered, reason: 'order open' } })
    expect(notices).toEqual([{ kind: 'conditional', title: 'Stop sell 0.01 BTC/USDT triggered', body: 'Triggered at 90000 (last); its order was sent to Simulated exchange', at: 10_000, desktop: true, severity: 'info' }])
    expect(desktop).toEqual(['Stop sell 0.01 BTC/USDT triggered'])
    mode = 'app'
    bus.emit('conditionalChanged', { view: cond('a', { status: 'failed', reason: 'refused', updatedAt: 9_500 }) })
    expect(notices.at(-1)).toMatchObject({ title: 'Stop sell 0.01 BTC/USDT failed', severity: 'error', desktop: false })
    expect(desktop).toHaveLength(1)
    // Re-reported at start, a minute and more after it happened: not said.
    bus.emit('conditionalChanged', { view: cond('old', { status: 'triggered', updatedAt: 10_000 - 61_000 }) })
    mode = 'off'
    bus.emit('conditionalChanged', { view: cond('z', { status: 'triggered', updatedAt: 9_900 }) })
    expect(notices).toHaveLength(2)
    stop()
  })
})
