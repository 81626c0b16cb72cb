import type { HandlerSlice } from '../router'
import type { AnalyticsService } from '../../analytics/service'

/** The leaderboard (analytics.leaderboard) and one account's week heatmap (analytics.heatmap). */
export function analyticsHandlers(analytics: AnalyticsService): HandlerSlice<'analytics.leaderboard' | 'analytics.heatmap'> {
  return {
    'analytics.leaderboard': (query) => analytics.leaderboard(query),
    'analytics.heatmap': (query) => analytics.heatmap(query),
  }
}
