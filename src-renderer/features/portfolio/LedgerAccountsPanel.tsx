import { useMemo, useState } from 'react'
import { Panel } from '../../ui/Panel'
import { useNow } from '../../ui/useNow'
import { formatAgo } from '../../ui/format'
import { useGridKeys } from '../../ui/useRowKeys'
import { DataGrid, rowDomId } from '../../ui/DataGrid'
import { toast } from '../toasts/toastStore'
import { usePortfolio, type LedgerAccountView } from './portfolioStore'
import { isSyncRunning, syncFraction, syncLabel } from './portfolioModel'
import { PORTFOLIO_IDS } from './portfolioIds'
import { openImports } from './ImportsDialog'
import { openSyncStart } from './SyncStartDialog'
import { openEntries } from './EntriesDialog'

const KIND_LABELS: Record<LedgerAccountView['kind'], string> = {
  exchange: 'exchange',
  paper: 'paper',
  sim: 'simulated',
  trader: 'sim trader',
  import: 'import',
}

async function syncOrCancel(account: LedgerAccountView): Promise<void> {
  const store = usePortfolio.getState()
  if (!account.canSync) return
  const running = isSyncRunning(account.sync)
  // A first sync asks where the history starts; later ones go on from their cursors.
  if (!running && (account.sync === null || account.sync.state === 'idle')) return openSyncStart({ id: account.account, label: account.label, historyStart: account.historyStart })
  const error = running ? await store.cancelSync(account.account) : await store.startSync(account.account)
  if (error) toast.error(running ? 'Sync not canceled' : 'Sync not started', error)
}

/** H: an account synced from a day moves that start earlier (the engine reads its history again from there). */
function syncFromEarlier(account: LedgerAccountView): boolean {
  const from = account.sync?.historyFrom ?? null
  if (!account.canSync || isSyncRunning(account.sync) || from === null) return false
  openSyncStart({ id: account.account, label: account.label, historyStart: account.historyStart, syncedFrom: from })
  return true
}

/**
 * Each ledger account: kind, entries, last sync; exchange accounts sync their history (Enter) or cancel
 * (Delete); Delete on an imported account lists its files, to take one back out.
 */
export function LedgerAccountsPanel() {
  const accounts = usePortfolio((s) => s.accounts)
  const error = usePortfolio((s) => s.accountsError)
  const now = useNow(5000)
  const ids = useMemo(() => accounts.map((a) => a.account), [accounts])
  const [selected, setSelected] = useState<string | null>(null)
  const byId = (id: string) => accounts.find((a) => a.account === id)
  const grid = useGridKeys({
    ids,
    selected,
    onSelect: setSelected,
    onActivate: (id) => {
      const a = byId(id)
      if (a && !isSyncRunning(a.sync)) void syncOrCancel(a)
    },
    onDelete: (id) => {
      const a = byId(id)
      if (a && isSyncRunning(a.sync)) void syncOrCancel(a)
      else if (a?.kind === 'import') openImports(a.account)
    },
    onKey: (key, id) => {
      const a = byId(id)
      if (!a) return false
      if (key === 'h') return syncFromEarlier(a)
      if (key !== 'e') return false
      openEntries({ id: a.account, label: a.label })
      return true
    },
  })
  return (
    <Panel
      title="Ledger accounts"
      tools={
        <button type="button" className="btn btn-small" onClick={() => usePortfolio.getState().setImportOpen(true)}>
          Import CSV…
        </button>
      }
      testId="panel-portfolio-ledger"
    >
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      <DataGrid
        id={PORTFOLIO_IDS.ledger}
        label="Ledger accounts (Enter syncs, H syncs from an earlier day, E lists entries, Delete cancels a sync or removes an imported file)"
        testId="portfolio-ledger"
        className="pf-table pf-ledger"
        emptyClassName="pf-empty"
        rowKind="pf-led"
        {...grid}
        selected={selected !== null && ids.includes(selected) ? selected : null}
        columns={[{ label: 'Account' }, { label: 'Entries', num: true }, { label: 'Synced' }, { label: 'History' }]}
        empty={accounts.length > 0 ? null : error ? '—' : 'No ledger account yet: trade, sync or import.'}
      >
        {accounts.map((a) => (
          <tr
            key={a.account}
            id={rowDomId('pf-led', a.account)}
            aria-selected={a.account === selected}
            onClick={() => setSelected(a.account)}
            data-testid="ledger-account-row"
            data-account={a.account}
            data-sync-state={a.sync?.state ?? 'none'}
          >
            <th scope="row" className="ellipsis pf-account" title={`${a.account} (${KIND_LABELS[a.kind]})`}>
              {a.label}
            </th>
            <td className="num">
              <button type="button" className="link-button" tabIndex={-1} onClick={() => openEntries({ id: a.account, label: a.label })} title="List the entries (E)" data-testid="ledger-entries">
                {a.entries}
              </button>
            </td>
            <td className="muted nowrap">{a.sync?.lastSyncedAt ? formatAgo(now - a.sync.lastSyncedAt) : a.canSync ? 'never' : '—'}</td>
            <td className="pf-sync-cell">
              {a.canSync ? (
                <SyncControl account={a} />
              ) : a.kind === 'import' ? (
                <button type="button" className="btn btn-small" tabIndex={-1} onClick={() => openImports(a.account)} title="The files imported here; remove one (Delete)" data-testid="ledger-imports">
                  {KIND_LABELS[a.kind]}…
                </button>
              ) : (
                <span className="badge badge-muted" data-testid="ledger-kind">
                  {KIND_LABELS[a.kind]}
                </span>
              )}
            </td>
          </tr>
        ))}
      </DataGrid>
    </Panel>
  )
}

function SyncControl({ account }: { account: LedgerAccountView }) {
  const status = account.sync
  const running = isSyncRunning(status)
  const fraction = status ? syncFraction(status) : null
  return (
    <div className="pf-sync" data-testid="sync-control">
      {running && status ? (
        fraction === null ? (
          <progress className="pf-progress" aria-label={`Sync of ${account.label}`} data-testid="sync-progress" />
        ) : (
          <progress className="pf-progress" max={status.total} value={status.done} aria-label={`Sync of ${account.label}`} data-testid="sync-progress" />
        )
      ) : null}
      {status ? (
        <span className={`pf-sync-label ${status.state === 'failed' ? 'warn-text' : 'muted'}`} title={status.error ?? (status.historyFrom === null ? 'History: everything the exchange keeps' : `History from ${new Date(status.historyFrom).toISOString().slice(0, 10)}`)} data-testid="sync-label">
          {syncLabel(status)}
        </span>
      ) : null}
      <button
        type="button"
        className={`btn btn-small ${running ? 'btn-danger' : ''}`}
        tabIndex={-1}
        onClick={() => void syncOrCancel(account)}
        data-testid={running ? 'sync-cancel' : 'sync-start'}
      >
        {running ? 'Cancel' : status?.state === 'interrupted' ? 'Resume' : 'Sync'}
      </button>
    </div>
  )
}
