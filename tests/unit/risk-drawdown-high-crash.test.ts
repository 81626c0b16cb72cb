import { afterEach, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../support/temp-core'
import { closeRiskStores, riskHarness } from './risk-harness'

// A drawdown's new high is written at most every 10 s. One reached inside that window, followed by a fall
// (no new high to write it with), must still reach the database, so a crash does not take the drawdown
// back to an older, lower high and keep an alert from firing. Figures: high 10,200, value 9,350 →
// (10,200 − 9,350) / 10,200 = 8.33 % (from the older 10,100 it would be 7.42 %).

afterEach(() => {
  vi.useRealTimers()
  closeRiskStores()
})

describe('drawdown high across a crash', () => {
  it('a high reached within 10 s of the last save is written later, and the alert fires after a crash and restart', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] })
    const dataDir = tempDir()
    const a = riskHarness({ dataDir, first: '10000' })
    const rule = await a.create({ metric: 'drawdown', condition: 'above', threshold: '8' })
    const step = (value: string) => (vi.advanceTimersByTime(1000), a.push(value))
    step('10100')
    step('10200')
    step('9900')
    vi.advanceTimersByTime(60_000)
    step('9500')
    expect(a.engine.list({ scope: 'active', limit: 5 })[0]).toMatchObject({ current: '6.86', peak: '10200' })

    // The process dies here: the engine is never stopped. The next one starts on the same folder at 9,350.
    const b = riskHarness({ dataDir, first: '9350' })
    expect(b.fired.map((e) => [e.ruleId, e.price, e.body])).toEqual([[rule.id, '8.33', 'Drawdown 8.33% (value 9350 USD, high 10200 USD)']])
    b.engine.stop()
  })

  it('stop writes the latest high at once, and a pending write is not made after the alert ended', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] })
    const dataDir = tempDir()
    const a = riskHarness({ dataDir, first: '10000' })
    const rule = await a.create({ metric: 'drawdown', condition: 'above', threshold: '8' })
    vi.advanceTimersByTime(1000)
    a.push('10100')
    vi.advanceTimersByTime(1000)
    a.push('10200')
    a.engine.cancel(rule.id)
    const peakOf = () => (a.store.sqlite.prepare('select peak from risk_alert_rules where id = ?').get(rule.id) as { peak: string }).peak
    expect(peakOf()).toBe('10200|0')
    expect(vi.getTimerCount()).toBe(0)
    a.engine.stop()
  })
})
