import { useId, useState, type FormEvent } from 'react'
import { Modal } from '../../ui/Modal'
import { dialogSlot } from '../../ui/dialogSlot'
import { DialogActions } from '../../ui/DialogActions'
import { submitOnModEnter } from '../../ui/modEnter'
import { usePortfolio } from './portfolioStore'
import { HISTORY_FLOOR, earlierHistoryFrom, historyFrom } from './portfolioModel'

// "Sync history of <account>": an exchange account's first sync asks where its history starts. Years of
// empty windows cost real time (Binance's Convert history answers one request a second per 30 days), and
// the choice holds for every history the sync reads, now and after updates. Enter starts, Escape cancels.
// On an account already synced from a day (H in Ledger accounts) it moves that start earlier: the engine
// reads every history again from the new day, the ledger keeping each entry once.

/**
 * The account, where its exchange's history is read from when no day is chosen (the engine's word), and,
 * once synced from a day, that day (`syncedFrom`: only an earlier one can be chosen).
 */
type SyncStartAccount = { id: string; label: string; historyStart: number | null; syncedFrom?: number }

const slot = dialogSlot<SyncStartAccount>()
export const openSyncStart = slot.open

export function SyncStartDialog() {
  const account = slot.useValue()
  return account === null ? null : <SyncStartBox key={account.id} account={account} />
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function SyncStartBox({ account }: { account: SyncStartAccount }) {
  const close = slot.close
  const titleId = useId()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // The date picker's last day: today when the dialog opened (a dialog left open past midnight is rare).
  const [today] = useState(() => day(Date.now()))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const chosen = account.syncedFrom === undefined ? historyFrom(text, Date.now()) : earlierHistoryFrom(text, Date.now(), account.syncedFrom)
    if ('error' in chosen) return setError(chosen.error)
    setBusy(true)
    const failed = await usePortfolio.getState().startSync(account.id, chosen.since)
    setBusy(false)
    if (failed) setError(failed)
    else close()
  }

  return (
    <Modal labelledBy={titleId} onClose={close} className="dialog-small pf-sync-start" testId="portfolio-sync-dialog">
      <form onSubmit={(e) => void submit(e)} onKeyDown={submitOnModEnter} noValidate data-testid="portfolio-sync-form">
        <header className="modal-head">
          <h2 id={titleId}>
            Sync history of {account.label}
            {account.syncedFrom === undefined ? null : ' from an earlier day'}
          </h2>
        </header>
        <div className="dialog-body form">
          <label className="form-label" htmlFor="pf-sync-from">
            History from
          </label>
          <div className="form-field">
            <input
              id="pf-sync-from"
              type="date"
              className="input"
              min={day(HISTORY_FLOOR)}
              max={account.syncedFrom === undefined ? today : day(account.syncedFrom - 1)}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-autofocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'pf-sync-from-error' : 'pf-sync-from-hint'}
              data-testid="portfolio-sync-from"
            />
            {account.syncedFrom !== undefined ? (
              <p className="form-hint" id="pf-sync-from-hint">
                Synced from {day(account.syncedFrom)}. An earlier day reads the account's whole history again from there; what is stored already stays,
                once. A later day cannot be chosen: what is stored stays in the ledger.
              </p>
            ) : (
              <p className="form-hint" id="pf-sync-from-hint">
                The day the account's first trade, deposit or conversion could be (UTC). Empty reads{' '}
                {account.historyStart === null ? 'everything the exchange still keeps' : <>from {day(account.historyStart)}</>}: years take minutes, as
                some histories allow one request a second per month. Later syncs go on from where this one stops. H on a synced account moves its start
                earlier.
              </p>
            )}
          </div>
          {error ? (
            <p className="inline-error" id="pf-sync-from-error" role="alert" data-testid="portfolio-sync-error">
              {error}
            </p>
          ) : null}
        </div>
        <DialogActions onDismiss={close} label="Start sync" busyLabel="Starting…" busy={busy} testId="portfolio-sync-submit" />
      </form>
    </Modal>
  )
}
