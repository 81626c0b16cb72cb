import type { ReadCommand } from '../../src-main/audit/policy'

// The commands that change nothing, as the engine's audit policy classes them (the type keeps this list
// equal to it: a command added there as a read must be added here, and only reads may be). A read lost
// with the connection simply failed; anything else may have been done (ws-transport.ts).
const READS: Record<ReadCommand, true> = {
  'app.info': true,
  'settings.list': true,
  'activity.recent': true,
  'exchanges.list': true,
  'accounts.list': true,
  'accounts.removalImpact': true,
  'secrets.status': true,
  'venues.list': true,
  'venues.former': true,
  'markets.search': true,
  'balances.list': true,
  'balances.venue': true,
  'sim.traders': true,
  'sim.trader': true,
  'market.candles': true,
  'market.health': true,
  'workspace.get': true,
  'orders.preview': true,
  'orders.list': true,
  'fills.list': true,
  'conditional.list': true,
  'risk.get': true,
  'risk.today': true,
  'portfolio.summary': true,
  'portfolio.equity': true,
  'portfolio.lots': true,
  'portfolio.accounts': true,
  'portfolio.imports': true,
  'portfolio.importCheck': true,
  'portfolio.entries': true,
  'copy.leaders': true,
  'copy.leaderFills': true,
  'copy.follows': true,
  'copy.records': true,
  'copy.drift': true,
  'copy.stats': true,
  'alerts.list': true,
  'alerts.events': true,
  'alerts.emailGet': true,
  'alerts.riskList': true,
  'analytics.leaderboard': true,
  'analytics.heatmap': true,
  'tax.report': true,
  'tax.cancel': true,
  'tax.carryInList': true,
  'lock.status': true,
  'audit.list': true,
}

export function isRead(name: string): boolean {
  return Object.hasOwn(READS, name)
}
