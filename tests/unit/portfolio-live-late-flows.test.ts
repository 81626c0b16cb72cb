import { afterEach, describe, expect, it } from 'vitest'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import { buy, entry, money, openLive, tempLedger } from './portfolio-live-support'

// A deposit or withdrawal a sync brings in late (older than rows already applied) must split the
// time-weighted return's step where it happened, as a replay of the same ledger from scratch does: the
// Portfolio % must not depend on the order the rows came in.

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 30 * DAY + 3 * HOUR

describe('live model: a late deposit or withdrawal splits the return where it happened', () => {
  let ledger: ReturnType<typeof tempLedger> | undefined
  const lives: LivePortfolio[] = []
  afterEach(() => {
    for (const l of lives.splice(0)) l.stop()
    ledger?.close()
    ledger = undefined
  })

  const open = (l: ReturnType<typeof tempLedger>) => {
    const live = openLive(l, NOW, '10000')
    lives.push(live)
    return live
  }

  it('a deposit older than the last grid snapshot: +50 % stays +50 %', () => {
    ledger = tempLedger()
    // b: 10,000 in, 1 BTC at 5000; BTC doubles on day 5 at 12:00 (x's trade): b +50 %. x trades on to day 10.
    ledger.writer.importBatch([
      money('b', 'deposit', D0, '10000'),
      buy('b', D0 + HOUR, '5000', '1'),
      money('x', 'deposit', D0, '100'),
      buy('x', D0 + 5 * DAY + 12 * HOUR, '10000', '0.001'),
      buy('x', D0 + 10 * DAY, '10000', '0.001'),
    ])
    const live = open(ledger)
    expect(live.view({ account: 'b', period: 'all' }).totals.pnlPct).toBe('50')
    // The next sync brings b's 100,000 put in on day 5 at 18:00, after the rise: it made nothing.
    ledger.writer.importBatch([money('b', 'deposit', D0 + 5 * DAY + 18 * HOUR, '100000')])
    for (const period of ['all', '30d'] as const) expect(live.view({ account: 'b', period }).totals.pnlPct, period).toBe('50')
    expect(open(ledger).view({ account: 'b', period: 'all' }).totals.pnlPct).toBe('50')
  })

  it('a deposit older than the last recorded flow point: the same % as a fresh replay', () => {
    ledger = tempLedger()
    const D10 = D0 + 10 * DAY
    // BTC 5000 → 10000 at day 10 10:00; a takes 5,000 out at 14:00.
    ledger.writer.importBatch([
      money('a', 'deposit', D0, '10000'),
      buy('a', D0 + HOUR, '5000', '1'),
      money('x', 'deposit', D0, '100'),
      buy('x', D10 + 10 * HOUR, '10000', '0.001'),
      money('a', 'withdrawal', D10 + 14 * HOUR, '5000'),
      buy('x', D10 + 15 * HOUR, '10000', '0.001'),
    ])
    const live = open(ledger)
    expect(live.view({ period: 'all' }).totals.pnlPct).toBe('49.5')
    // b's 100,000 put in at 09:00, before the rise, arrives late (after a's withdrawal at 14:00 was applied).
    ledger.writer.importBatch([money('b', 'deposit', D10 + 9 * HOUR, '100000')])
    const incremental = live.view({ period: 'all' }).totals.pnlPct
    const fresh = open(ledger).view({ period: 'all' }).totals.pnlPct
    expect(incremental).toBe(fresh)
    // 10,000 doubled to 15,000 on 10,100 + 100,000 put in before the rise: about +4.5 %, not +49.5 %.
    expect(Number(fresh)).toBeLessThan(5)
  })

  it('income is earned, not money moved: it splits no step, and a late one is patched in without a replay', () => {
    ledger = tempLedger()
    const income = (account: string, timestamp: number, amount: string) => entry(account, { kind: 'income', timestamp, asset: 'USDT', amount })
    // s: 1,000 staked, 1 USDT of rewards a day for 20 days: +2 % (earned, not put in). u: 100 put in.
    ledger.writer.importBatch([
      money('s', 'deposit', D0, '1000'),
      ...Array.from({ length: 20 }, (_, i) => income('s', D0 + (i + 1) * DAY + HOUR, '1')),
      money('u', 'deposit', D0, '100'),
    ])
    const live = open(ledger)
    expect(live.view({ account: 's', period: 'all' }).totals.pnlPct).toBe('2')
    const replay = live.replay('fifo', 'USD')
    // Only the deposits moved money: the return's steps are split there alone.
    expect(replay.flowPoints.map((p) => p.t)).toEqual([D0])
    // u's reward of 10 on day 3 comes with a later sync: added to the snapshots after it, no replay.
    const builds = replay.rebuilds
    ledger.writer.importBatch([income('u', D0 + 3 * DAY + 2 * HOUR, '10')])
    expect(live.view({ account: 'u', period: 'all' }).totals.pnlPct).toBe('10')
    expect(live.replay('fifo', 'USD').rebuilds).toBe(builds)
    expect(open(ledger).view({ account: 'u', period: 'all' }).totals.pnlPct).toBe('10')
  })
})
