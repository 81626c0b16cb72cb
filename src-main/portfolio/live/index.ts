import type { EventBus } from '../../bus'
import type { Logger } from '../../log'
import type { MarketDataService } from '../../market/service'
import type { SettingsService } from '../../settings/service'
import type { ReportingCurrency } from '../../api/schemas/portfolio'
import { simTraderDefinitions } from '../../venues/sim/traders'
import { SIM_ACCOUNT_LABEL } from '../../venues/sim/label'
import type { CostMethod } from '../model'
import type { PortfolioService } from '../service'
import { SIM_LEDGER_ACCOUNT, simTraderLedgerAccount, type SimLedgerSource } from '../sim-feed'
import type { LedgerDb } from '../sqlite'
import { LivePriceBoard } from './price-board'
import { bookMidPrices, simPrices, VenueMarkRecorder } from './price-sources'
import { LivePortfolio, systemLiveClock } from './service'

// Wiring of the live P&L for the engine: the price board fed by the simulated exchange and the watched
// books, the mark recorder for real venues, and the live model reading the portfolio settings.

export interface LivePortfolioWiring {
  db: LedgerDb
  bus: EventBus
  log: Logger
  now: () => number
  settings: Pick<SettingsService, 'get'>
  portfolio: PortfolioService
  market: Pick<MarketDataService, 'health' | 'bookFeed'>
  sim?: Pick<SimLedgerSource, 'engine'>
  venueLabel: (venueId: string) => string
}

export interface LivePortfolioHandle {
  live: LivePortfolio
  board: LivePriceBoard
  recorder: VenueMarkRecorder
  stop(): void
}

/** Builds and starts the live P&L (call after the portfolio service started). */
export function startLivePortfolio(w: LivePortfolioWiring): LivePortfolioHandle {
  const board = new LivePriceBoard()
  const live = new LivePortfolio({
    db: w.db,
    bus: w.bus,
    log: w.log,
    board,
    settings: () => ({
      method: w.settings.get('portfolio.costMethod').value as CostMethod,
      currency: w.settings.get('portfolio.currency').value as ReportingCurrency,
    }),
    onMarks: (listener) => w.portfolio.marks.onRecorded(listener),
    labelOf: (account) => accountLabel(account, w.venueLabel),
    // The engine's clock, as its fills and marks are stamped with (a test's simulated one too); waits stay real.
    clock: { ...systemLiveClock, now: w.now },
  })
  const recorder = new VenueMarkRecorder(board, w.portfolio.marks, w.now, w.log)
  const stops = [w.sim ? simPrices(w.sim.engine, board) : () => undefined, bookMidPrices(w.market, board, w.now)]
  live.start()
  recorder.start()
  return {
    live,
    board,
    recorder,
    stop() {
      for (const s of stops) s()
      recorder.record()
      recorder.stop()
      live.stop()
    },
  }
}

const traderNames = new Map(simTraderDefinitions.map((d) => [simTraderLedgerAccount(d.id), d.name]))

/** "Simulated exchange", "Trader: Grid Gus", an exchange account's label, or the import name itself. */
export function accountLabel(account: string, venueLabel: (venueId: string) => string): string {
  if (account === SIM_LEDGER_ACCOUNT) return SIM_ACCOUNT_LABEL
  const trader = traderNames.get(account)
  if (trader !== undefined) return `Trader: ${trader}`
  return venueLabel(account)
}
