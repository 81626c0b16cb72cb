import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { api } from '../../api'
import { Modal } from '../../ui/Modal'
import { dialogSlot } from '../../ui/dialogSlot'
import { DialogActions } from '../../ui/DialogActions'
import { moveSelection } from '../../ui/listNav'
import { formatDateTime } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { toast } from '../toasts/toastStore'
import { messageOf, usePortfolio } from './portfolioStore'
import type { ImportRecordView } from '../../../src-main/api/schemas/portfolio'

// "Imports into <account>": the files imported into a ledger account, newest first, and taking one back
// out (a wrong file, or one imported into the wrong account). Delete on an imported account in the Ledger
// accounts table opens it; ↑/↓ choose a file, Enter removes it, Escape keeps everything.

const slot = dialogSlot<string>()
export const openImports = slot.open

export function ImportsDialog() {
  const account = slot.useValue()
  return account === null ? null : <ImportsBox key={account} account={account} />
}

function ImportsBox({ account }: { account: string }) {
  const close = slot.close
  const titleId = useId()
  const [imports, setImports] = useState<ImportRecordView[] | null>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const timeFormat = useTimeFormat()
  // The list arrives after the dialog opened: it takes the focus once, when it first shows.
  const focused = useRef(false)
  const takeFocus = (el: HTMLDivElement | null) => {
    if (el && !focused.current) {
      focused.current = true
      el.focus()
    }
  }

  const shown = (list: ImportRecordView[]) => {
    setImports(list)
    setSelected((s) => (s !== null && list.some((i) => i.id === s) ? s : (list[0]?.id ?? null)))
  }
  useEffect(() => {
    let open = true
    api.invoke('portfolio.imports', { account }).then(
      (list) => open && shown(list),
      (err: unknown) => open && setError(messageOf(err)),
    )
    return () => {
      open = false
    }
  }, [account])

  const chosen = imports?.find((i) => i.id === selected) ?? null
  const remove = async () => {
    if (!chosen || busy) return
    setBusy(true)
    setError(null)
    try {
      const done = await api.invoke('portfolio.removeImport', { id: chosen.id, account: chosen.account })
      const store = usePortfolio.getState()
      void store.loadAccounts()
      void store.loadSummary()
      toast.success(`Removed ${done.fileName ?? 'the import'}`, `${done.removed} ${done.removed === 1 ? 'entry' : 'entries'} left ${done.account}`)
      if ((imports?.length ?? 0) <= 1) {
        // The account is gone with its last file: a page filtered to it goes back to its scope.
        if (store.account === done.account) store.setAccount(store.scope)
        flushSync(close)
      } else shown(await api.invoke('portfolio.imports', { account }))
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  const ids = (imports ?? []).map((i) => String(i.id))
  const onKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = moveSelection(event.key, ids, selected === null ? null : String(selected))
    if (next !== null) {
      event.preventDefault()
      setSelected(Number(next))
    } else if (event.key === 'Enter') {
      event.preventDefault()
      void remove()
    }
  }

  return (
    <Modal labelledBy={titleId} onClose={close} className="dialog-small pf-imports" testId="portfolio-imports-dialog">
      <header className="modal-head">
        <h2 id={titleId}>Imports into {account}</h2>
      </header>
      <div className="dialog-body">
        {imports === null && !error ? <p className="muted">Loading…</p> : null}
        {imports !== null && imports.length === 0 ? <p className="muted">Nothing was imported into this account.</p> : null}
        {imports !== null && imports.length > 0 ? (
          <div
            role="listbox"
            tabIndex={0}
            className="pf-imports-list"
            aria-label="Imported files (↑/↓ choose, Enter removes)"
            aria-activedescendant={selected === null ? undefined : `pf-import-${selected}`}
            onKeyDown={onKeys}
            ref={takeFocus}
            data-testid="portfolio-imports-list"
          >
            {imports.map((i) => (
              <div
                key={i.id}
                id={`pf-import-${i.id}`}
                role="option"
                aria-selected={i.id === selected}
                className="pf-imports-item"
                onClick={() => setSelected(i.id)}
                data-testid="portfolio-import-item"
                data-file={i.fileName ?? ''}
              >
                <strong>{i.fileName ?? '(no file name)'}</strong>
                <span className="muted">
                  {i.format} · {i.inserted} {i.inserted === 1 ? 'entry' : 'entries'} added · {timeFormat ? formatDateTime(i.at, timeFormat) : ''}
                </span>
              </div>
            ))}
          </div>
        ) : null}
        <p className="form-hint">
          Removing a file takes the entries it added out of the ledger, in one step. An entry that another file also held was added by
          whichever came first: import that file again to bring it back. Prices a file stated stay.
        </p>
        {error ? (
          <p className="inline-error" role="alert" data-testid="portfolio-imports-error">
            {error}
          </p>
        ) : null}
      </div>
      <DialogActions
        dismissLabel="Keep"
        onDismiss={close}
        label={chosen ? `Remove ${chosen.fileName ?? 'this import'}` : 'Remove'}
        busyLabel="Removing…"
        busy={busy}
        disabled={!chosen}
        danger
        onConfirm={() => void remove()}
        testId="portfolio-imports-remove"
      />
    </Modal>
  )
}
