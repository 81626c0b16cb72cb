import type { HandlerSlice } from '../router'
import type { StreamSources } from '../streams'
import type { EventBus } from '../../bus'
import { AppError } from '../errors'
import type { ImportResultView } from '../schemas/portfolio'
import type { AccountsService } from '../../accounts/service'
import type { PortfolioService } from '../../portfolio/service'
import { parseExportPaced, type ImportFormat, type ParsedImport } from '../../portfolio/import'
import { listEntries } from '../../portfolio/entries'
import { findImport } from '../../portfolio/imports'
import { importRatesFile } from '../../portfolio/rates-import'
import type { SyncService } from '../../portfolio/sync/service'
import { importNameClash, isManagedAccount, labelClashRefusal, ledgerAccounts, managedImportRefusal, managedRemoveRefusal } from '../../portfolio/sync/ledger-accounts'
import type { LedgerDb } from '../../portfolio/sqlite'
import type { VenueRegistry } from '../../venues/registry'
import { historyStartOf } from '../../venues/ccxt/history'

// portfolio.accounts / entries / sync / syncCancel / import / imports / removeImport / importRates and the
// portfolio.syncProgress stream: the ledger's accounts, exchange history sync (portfolio/sync), CSV import
// through the same parsers as the CLI's `import` (portfolio/import: the whole file is read and checked
// first, a slice at a time with the event loop let in between, then stored: LedgerWriter.importFile), and
// taking an imported file back out.

export interface PortfolioSyncModules {
  db: LedgerDb
  sync: SyncService
  portfolio: Pick<PortfolioService, 'importFile' | 'importOverlaps' | 'importMarks' | 'imports' | 'removeImport'>
  accounts: Pick<AccountsService, 'list'>
  venues: Pick<VenueRegistry, 'list' | 'formerLabel'>
}

type PortfolioSyncCommand =
  | 'portfolio.accounts'
  | 'portfolio.sync'
  | 'portfolio.syncCancel'
  | 'portfolio.import'
  | 'portfolio.importCheck'
  | 'portfolio.imports'
  | 'portfolio.entries'
  | 'portfolio.removeImport'
  | 'portfolio.importRates'

export function portfolioSyncHandlers(m: PortfolioSyncModules): HandlerSlice<PortfolioSyncCommand> {
  const exchangeIds = () => new Set(m.accounts.list().map((a) => a.id))
  return {
    'portfolio.accounts': () =>
      ledgerAccounts({
        db: m.db,
        exchangeAccounts: () => m.accounts.list().map((a) => ({ id: a.id, label: a.label, historyStart: historyStartOf(a.exchange, Date.now()) })),
        venueLabels: () => new Map(m.venues.list().map((v) => [v.id, v.label])),
        formerLabel: (account) => m.venues.formerLabel(account),
        syncStatus: (account) => m.sync.status(account),
        syncedAccounts: () => m.sync.statuses().map((s) => s.account),
      }),
    'portfolio.sync': ({ account, markets, since }) => m.sync.sync(account, { ...(markets === undefined ? {} : { markets }), ...(since === undefined ? {} : { since }) }),
    'portfolio.syncCancel': ({ account }) => m.sync.cancel(account),
    'portfolio.entries': ({ account, kind, asset, before, limit }) =>
      listEntries(m.db, { account, limit, ...(kind ? { kind } : {}), ...(asset ? { asset: asset.toUpperCase() } : {}), ...(before ? { before } : {}) }),
    'portfolio.importRates': ({ fileName, text }) => importRatesFile(m.portfolio, fileName, text),
    'portfolio.import': async ({ account, format, fileName, text }): Promise<ImportResultView> => {
      // Led by the field's path, as the contract's input errors are, so a form shows it at the account name.
      if (isManagedAccount(account, exchangeIds())) {
        throw new AppError('BAD_INPUT', `account: ${managedImportRefusal(account)}`)
      }
      const clash = importNameClash(account, [...m.accounts.list().map((a) => a.label), ...m.venues.list().map((v) => v.label)])
      if (clash !== null) throw new AppError('BAD_INPUT', `account: ${labelClashRefusal(clash)}`)
      const parsed = await parseFile(format, text, account, fileName)
      const result = await m.portfolio.importFile(parsed.entries, parsed.marks ?? [], { account, format, fileName })
      return { account, format, layout: parsed.layout, rows: parsed.rows, inserted: result.inserted, duplicates: result.duplicates, skipped: parsed.skipped }
    },
    'portfolio.importCheck': async ({ account, format, fileName, text }) => {
      // Parsed under a stand-in name: each account checked gets the entries under its own.
      const parsed = await parseFile(format, text, account ?? 'import', fileName)
      return m.portfolio.importOverlaps(parsed.entries, format, account ?? null)
    },
    'portfolio.imports': ({ account }) => m.portfolio.imports(account),
    'portfolio.removeImport': ({ id, account }) => {
      const record = findImport(m.db, id)
      if (!record || (account !== undefined && record.account !== account))
        throw new AppError('NOT_FOUND', `there is no import ${id}${account === undefined ? '' : ` in account "${account}"`} (it may have been removed already); nothing was changed`)
      if (isManagedAccount(record.account, exchangeIds())) {
        throw new AppError('BAD_INPUT', managedRemoveRefusal(record.account))
      }
      const removed = m.portfolio.removeImport(id)
      if (!removed) throw new AppError('NOT_FOUND', `there is no import ${id} (it may have been removed already)`)
      return removed
    },
  }
}

/** An export's text read by its format's parser; a refusal names the file and that nothing was imported. */
async function parseFile(format: ImportFormat, text: string, account: string, fileName: string): Promise<ParsedImport> {
  try {
    return await parseExportPaced(format, text, { account })
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `${fileName}: ${err.message}; nothing was imported`)
    throw new AppError('BAD_INPUT', `${fileName}: ${err instanceof Error ? err.message : String(err)}; nothing was imported`)
  }
}

/** Sync progress of every account: the current status of each running or finished run first, then changes. */
export function portfolioSyncSources(bus: EventBus, sync: Pick<SyncService, 'statuses'>): Pick<StreamSources, 'portfolio.syncProgress'> {
  return {
    'portfolio.syncProgress': (emit) => {
      let open = true
      const off = bus.on('syncProgressed', (e) => emit(e.status))
      // After the subscription is answered: where each account stands now.
      queueMicrotask(() => {
        if (open) for (const status of sync.statuses()) emit(status)
      })
      return () => {
        open = false
        off()
      }
    },
  }
}
