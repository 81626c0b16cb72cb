// The contract's names, as plain data: the preload imports this list (and nothing else from the engine) so
// that it forwards only names the contract knows. contract.ts is checked against it at compile time.
export const commandNames = [
  'app.info',
  'settings.list',
  'settings.set',
  'settings.reset',
  'store.backup',
  'activity.recent',
  'exchanges.list',
  'accounts.list',
  'accounts.add',
  'accounts.update',
  'accounts.remove',
  'accounts.test',
  'secrets.status',
  'secrets.usePassphrase',
  'secrets.unlock',
  'venues.list',
  'markets.search',
  'balances.list',
  'sim.traders',
  'sim.trader',
  'paper.reset',
  'market.candles',
  'market.health',
  'workspace.get',
  'workspace.save',
  'orders.preview',
  'orders.submit',
  'orders.cancel',
  'orders.cancelAll',
  'orders.amend',
  'orders.list',
  'fills.list',
  'positions.flatten',
  'conditional.create',
  'conditional.cancel',
  'conditional.list',
  'risk.get',
  'risk.set',
  'trading.killSwitch',
  'trading.resume',
  'paper.open',
  'paper.close',
] as const

export const streamNames = [
  'settings.changed',
  'activity.recorded',
  'accounts.changed',
  'venues.changed',
  'balances.changed',
  'market.book',
  'market.trades',
  'market.ticker',
  'market.candles.live',
  'market.aggregate',
  'orders.changed',
  'fills.recorded',
  'conditional.changed',
  'risk.changed',
] as const

export type CommandName = (typeof commandNames)[number]
export type StreamName = (typeof streamNames)[number]

export const isCommandName = (name: unknown): name is CommandName =>
  typeof name === 'string' && (commandNames as readonly string[]).includes(name)
export const isStreamName = (name: unknown): name is StreamName =>
  typeof name === 'string' && (streamNames as readonly string[]).includes(name)
