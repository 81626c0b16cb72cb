import path from 'node:path'
import { EventBus } from '../bus'
import { silentLogger, type Logger } from '../log'
import { openStore, type Store } from '../store/open'
import { PortfolioService } from '../portfolio/service'
import { abandonedDetail, discardAbandonedImports } from '../portfolio/pending-imports'
import { recordCliAct } from './audit-command'

// What every command (import, pnl, tax, audit, backup …) needs: the database and the ledger — not the whole engine. A full core would
// start the simulated exchange, whose ledger feed writes the paper account's and the simulated traders'
// opening balances on a fresh data folder: a CLI run must not change the ledger beyond what it was asked
// to (a rejected file leaves it exactly as it was). The app, running at the same time, shares the file
// (SQLite WAL); it sees imported entries at its next P&L computation.

export interface LedgerContext {
  store: Store
  portfolio: PortfolioService
  close(): void
}

export function openLedger(dataDir: string, migrationsDir: string, log: Logger = silentLogger): LedgerContext {
  // The app creates the database; a CLI run on a folder without one (a mistyped --data-dir) is refused.
  const store = openStore(path.resolve(dataDir), migrationsDir, { mustExist: true })
  try {
    // An import cut off by a crash (never visible) is taken out first: its rows would count as duplicates of
    // the same file imported again. Logged like every change the CLI makes.
    try {
      for (const a of discardAbandonedImports(store.db)) {
        log.warn(abandonedDetail(a))
        recordCliAct(store.db, { action: 'portfolio.importAbandoned', outcome: 'ok', detail: abandonedDetail(a) })
      }
    } catch (err) {
      log.error('could not take out an import cut off before it completed (it stays hidden; tried again next time)', err)
    }
    const portfolio = new PortfolioService({ db: store.db, bus: new EventBus(), log })
    return { store, portfolio, close: () => store.close() }
  } catch (err) {
    store.close()
    throw err
  }
}
