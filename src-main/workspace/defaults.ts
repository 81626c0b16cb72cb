import type { WorkspaceLayout } from '../api/schemas/workspace'
import { defaultSimMarkets } from '../venues/sim/markets'

/**
 * The layout before anything is saved: the simulated exchange's BTC/USDT as candles above my orders on it,
 * the ladder above the tape, and the aggregated book above depth, beside the watchlist of the simulated
 * exchange's markets.
 */
export function defaultLayout(): WorkspaceLayout {
  const market = { venueId: 'sim', symbol: 'BTC/USDT' }
  return {
    version: 1,
    watchlist: 18,
    watchlistMarkets: defaultSimMarkets.map((m) => ({ venueId: 'sim', symbol: m.symbol })),
    columns: [
      {
        id: 'c1',
        size: 38,
        views: [
          { id: 'v1', kind: 'candles', ...market, size: 62, timeframe: '1m' },
          { id: 'v2', kind: 'orders', ...market, size: 38 },
        ],
      },
      {
        id: 'c2',
        size: 23,
        views: [
          { id: 'v3', kind: 'book', ...market, size: 62, group: 1 },
          { id: 'v4', kind: 'tape', ...market, size: 38 },
        ],
      },
      {
        id: 'c3',
        size: 21,
        views: [
          { id: 'v5', kind: 'aggregate', ...market, size: 55 },
          { id: 'v6', kind: 'depth', ...market, size: 45 },
        ],
      },
    ],
    focused: 'v3',
  }
}
