import { afterEach, describe, expect, it } from 'vitest'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { DAY, HOUR, MINUTE } from '../../src-main/portfolio/live/periods'
import { buy, money, openLive, tempLedger } from './portfolio-live-support'

// A deposit dated exactly on the last grid snapshot recorded, arriving after a newer row of another
// account: its flow point must hold the equity before that newer row, as a replay from scratch does.

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 30 * DAY + 3 * HOUR

describe('live model: a deposit on the last recorded grid time, after a newer row', () => {
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

  it('the same % as a fresh replay: +4.55 %, not +50 %', () => {
    ledger = tempLedger()
    // An hour four days ago (on the kept hourly grid, not on the 'all' curve's daily one).
    const T = D0 + 26 * DAY + 12 * HOUR
    // b: 10,000 in, 1 BTC at 5000. x buys at 10,000 two minutes after T: BTC doubles then.
    ledger.writer.importBatch([money('b', 'deposit', D0, '10000'), buy('b', D0 + HOUR, '5000', '1'), money('x', 'deposit', D0, '100'), buy('x', T + 2 * MINUTE, '10000', '0.001')])
    const live = open(ledger)
    live.view({ account: 'b', period: 'all' })
    // b's 100,000 put in at T itself comes in with the next sync: before the rise, so the rise is on 110,000.
    ledger.writer.importBatch([money('b', 'deposit', T, '100000')])
    const fresh = open(ledger).view({ account: 'b', period: 'all' }).totals.pnlPct
    expect(fresh).toBe('4.55')
    expect(live.view({ account: 'b', period: 'all' }).totals.pnlPct).toBe(fresh)
  })

  it('the same when the newer price is a stored mark, not another account’s fill: +4.55 %, not +50 %', () => {
    ledger = tempLedger()
    const T = D0 + 26 * DAY + 12 * HOUR
    // BTC doubles two minutes after T, as a price mark the feed stored; b's deposit at T syncs after it.
    ledger.writer.importBatch([money('b', 'deposit', D0, '10000'), buy('b', D0 + HOUR, '5000', '1')])
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '10000', at: T + 2 * MINUTE }])
    const live = open(ledger)
    live.view({ account: 'b', period: 'all' })
    ledger.writer.importBatch([money('b', 'deposit', T, '100000')])
    const fresh = open(ledger).view({ account: 'b', period: 'all' }).totals.pnlPct
    expect(fresh).toBe('4.55')
    expect(live.view({ account: 'b', period: 'all' }).totals.pnlPct).toBe(fresh)
  })
})
