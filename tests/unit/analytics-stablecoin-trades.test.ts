import { describe, expect, it } from 'vitest'
import { runTradeStatsJob } from '../../src-main/analytics/jobs'
import { openStore } from '../../src-main/store/open'
import { PortfolioService } from '../../src-main/portfolio/service'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { migrationsDir, tempDir } from '../support/temp-core'
import { ledger } from './portfolio-support'

// Markets quoted in a stablecoin other than the dollar equivalents the book treats as cash (FDUSD, DAI…):
// paying with the stablecoin is spending money, not closing a trade; and a trade the book could not value
// (its quote had no price) is no win and no loss.

const at = (iso: string) => Date.parse(iso)

function roundTrips(marks: { asset: string; quote: string; price: string; at: number }[]) {
  const store = openStore(tempDir('co-analytics-stable-'), migrationsDir)
  const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log: silentLogger })
  const l = ledger('binance')
  if (marks.length) portfolio.importMarks(marks)
  portfolio.importBatch(
    [
      { ...l.deposit('FDUSD', '1000'), timestamp: at('2024-01-01T00:00:00Z') },
      { ...l.buy('BTC/FDUSD', '1', '100'), timestamp: at('2024-01-01T10:00:00Z') },
      { ...l.sell('BTC/FDUSD', '1', '110'), timestamp: at('2024-01-02T10:00:00Z') },
      { ...l.buy('BTC/FDUSD', '1', '100'), timestamp: at('2024-01-03T10:00:00Z') },
      { ...l.sell('BTC/FDUSD', '1', '110'), timestamp: at('2024-01-04T10:00:00Z') },
    ],
    null,
  )
  try {
    const { heatmap, ...s } = runTradeStatsJob(store.db, { kind: 'tradeStats', since: null, now: at('2024-03-01T00:00:00Z'), currency: 'USD' })['binance']!
    return { s, heatmapTrades: heatmap.reduce((n, c) => n + c.trades, 0) }
  } finally {
    store.close()
  }
}

describe('closed trades on a stablecoin-quoted market', () => {
  it('two BTC/FDUSD round trips of +10 each are 2 trades, both won — paying with FDUSD is no trade', () => {
    const { s, heatmapTrades } = roundTrips([{ asset: 'FDUSD', quote: 'USDT', price: '1', at: at('2023-12-31T00:00:00Z') }])
    expect(s).toMatchObject({ trades: 2, wins: 2, losses: 0, realized: '20', best: '10', worst: '10', unpriced: 0 })
    expect(heatmapTrades).toBe(2)
  })

  it('with no price for FDUSD the sales cannot be valued: no trades, no win rate, and they are counted as unpriced', () => {
    const { s, heatmapTrades } = roundTrips([])
    expect(s).toMatchObject({ trades: 0, wins: 0, losses: 0, best: null, worst: null, unpriced: 2 })
    expect(heatmapTrades).toBe(0)
  })
})
