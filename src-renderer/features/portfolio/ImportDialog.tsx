import { useId, useRef, useState, type ChangeEvent } from 'react'
import { flushSync } from 'react-dom'
import { api } from '../../api'
import { Modal } from '../../ui/Modal'
import { DialogActions } from '../../ui/DialogActions'
import { submitOnModEnter } from '../../ui/modEnter'
import { splitEngineMessage } from '../../ui/engineMessage'
import { toast } from '../toasts/toastStore'
import { messageOf, usePortfolio } from './portfolioStore'
import { asSentence, describeImport, describeImportError } from './portfolioModel'
import { fileTooLarge, textTooLarge } from './importSize'
import { chooseFormat, choiceForFile, initialChoice, overlapQuestion, proposeAccount, type ImportFormat, type ImportOverlap } from './importChoice'
import { importChecker } from './importCheck'

// "Import trade history (CSV)": the exchange's own exports (Binance's trade and transaction history,
// Coinbase's, Kraken's trades and ledgers) or the generic format,
// read here as text and sent whole to the engine, which stores all rows or none and names the bad line.

const FORMATS: readonly { value: ImportFormat; label: string }[] = [
  { value: 'binance', label: 'Binance trade or transaction history' },
  { value: 'coinbase', label: 'Coinbase transaction history' },
  { value: 'kraken', label: 'Kraken trades or ledgers' },
  { value: 'generic', label: 'Generic CSV' },
]

export function ImportDialog() {
  const open = usePortfolio((s) => s.importOpen)
  return open ? <ImportForm /> : null
}

interface Picked {
  name: string
  text: string
}

function ImportForm() {
  const close = () => usePortfolio.getState().setImportOpen(false)
  const titleId = useId()
  const [choice, setChoice] = useState(initialChoice)
  const { account, format } = choice
  const [file, setFile] = useState<Picked | null>(null)
  const [reading, setReading] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ field: 'account' | 'file' | null; message: string } | null>(null)
  // Rows of the file another import account holds already: asked once before the import (see submit).
  const [overlap, setOverlap] = useState<{ warning: string; account: string; into: string } | null>(null)
  const picks = useRef(0)
  // One engine check per file and format: made on pick, reused by Import.
  const [checker] = useState(() => importChecker((q) => api.invoke('portfolio.importCheck', q)))

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0]
    const pickNo = ++picks.current
    setError(null)
    setOverlap(null)
    if (!chosen) return setFile(null)
    // The doors take at most 15 MiB for an import; a larger export goes through the command line.
    const large = fileTooLarge(chosen.name, chosen.size, format)
    if (large) {
      setFile(null)
      return setError({ field: 'file', message: large })
    }
    setReading(true)
    try {
      const text = await chosen.text()
      // Measured as the engine will: JSON-encoded, which a CRLF or quoted export outgrows its file size.
      const encodedLarge = textTooLarge(chosen.name, text, choiceForFile(choice, chosen.name, text).format)
      if (encodedLarge) {
        setFile(null)
        return setError({ field: 'file', message: encodedLarge })
      }
      const picked = { name: chosen.name, text }
      setFile(picked)
      // From the state as it is now: the user may have typed while the file was read.
      setChoice((c) => choiceForFile(c, chosen.name, text))
      void proposeFrom(pickNo, picked, choiceForFile(choice, chosen.name, text).format)
    } catch (err) {
      setFile(null)
      setError({ field: 'file', message: `Could not read ${chosen.name}: ${messageOf(err)}` })
    } finally {
      setReading(false)
    }
  }

  // The import account already holding files of this format (the rows of this one, first) is proposed.
  const proposeFrom = async (pickNo: number, picked: Picked, guessed: ImportFormat) => {
    let overlaps: ImportOverlap[]
    try {
      overlaps = await checker.check(picked, guessed)
    } catch {
      return // A file the engine cannot read is named when it is imported.
    }
    if (pickNo === picks.current) setChoice((c) => proposeAccount(c, overlaps))
  }

  const submit = async (event: { preventDefault(): void }, confirmed = false) => {
    event.preventDefault()
    if (busy || reading) return
    if (!file) return setError({ field: 'file', message: 'Choose the export file to import.' })
    if (file.text.length === 0) return setError({ field: 'file', message: `${file.name} is empty.` })
    setBusy(true)
    setError(null)
    setOverlap(null)
    try {
      const into = account.trim()
      if (!confirmed && into !== '') {
        // Rows another import account holds would count twice: asked first (the pick's check, unless the format changed).
        const overlaps = await checker.check(file, format)
        const question = overlapQuestion(overlaps, into)
        if (question !== null) return setOverlap({ ...question, into })
      }
      const result = await api.invoke('portfolio.import', { account: account.trim(), format, fileName: file.name, text: file.text })
      const store = usePortfolio.getState()
      void store.loadAccounts()
      void store.loadSummary()
      flushSync(close)
      const told = describeImport(result, file.name)
      toast.success(told.title, told.body)
    } catch (err) {
      const message = messageOf(err)
      const split = splitEngineMessage(message, ['account', 'text', 'fileName', 'format'])
      if (split.fields.account) setError({ field: 'account', message: `Account name: ${asSentence(split.fields.account)}` })
      else setError({ field: 'file', message: split.general ?? (Object.values(split.fields).join('; ') || message) })
    } finally {
      setBusy(false)
    }
  }

  const described = error?.field === 'file' ? describeImportError(error.message) : null
  const line = described?.line ?? null
  return (
    <Modal labelledBy={titleId} onClose={close} className="dialog-small pf-import" testId="portfolio-import-dialog">
      <form onSubmit={submit} onKeyDown={submitOnModEnter} noValidate data-testid="portfolio-import-form">
        <header className="modal-head">
          <h2 id={titleId}>Import trade history</h2>
        </header>
        <div className="dialog-body form pf-import-form">
          <label className="form-label" htmlFor="pf-import-file">
            File
          </label>
          <div className="form-field">
            <input
              id="pf-import-file"
              type="file"
              accept=".csv,text/csv,text/plain"
              className="input"
              onChange={(e) => void pick(e)}
              data-autofocus
              aria-invalid={error?.field === 'file' ? true : undefined}
              aria-describedby={error?.field === 'file' ? 'pf-import-error' : undefined}
              data-testid="portfolio-import-file"
            />
            {file ? (
              <p className="form-hint" data-testid="portfolio-import-picked">
                {file.name} · {file.text.split(/\r?\n/).filter((l) => l.trim() !== '').length} lines
              </p>
            ) : null}
          </div>
          <label className="form-label" htmlFor="pf-import-format">
            Format
          </label>
          <div className="form-field">
            <select
              id="pf-import-format"
              className="input"
              value={format}
              onChange={(e) => setChoice((c) => chooseFormat(c, e.target.value as ImportFormat))}
              aria-describedby={format === 'generic' ? 'pf-import-generic' : undefined}
              data-testid="portfolio-import-format"
            >
              {FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
            {format === 'generic' ? (
              <p className="form-hint pf-import-columns" id="pf-import-generic">
                Columns: timestamp, type, base, quote, side, price, amount, fee, fee_asset, trade_id (see docs/import-formats.md)
              </p>
            ) : null}
          </div>
          <label className="form-label" htmlFor="pf-import-account">
            Account
          </label>
          <div className="form-field">
            <input
              id="pf-import-account"
              className="input"
              value={account}
              onChange={(e) => {
                const typed = e.target.value
                setOverlap(null)
                setChoice((c) => ({ ...c, account: typed }))
              }}
              placeholder="e.g. Binance 2024"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={error?.field === 'account' ? true : undefined}
              aria-describedby={error?.field === 'account' ? 'pf-import-error' : 'pf-import-account-hint'}
              data-testid="portfolio-import-account"
            />
            <p className="form-hint" id="pf-import-account-hint">
              The ledger account the rows go to. Importing the same file again into the same account adds nothing.
            </p>
          </div>
          {overlap ? (
            <div className="inline-error pf-import-overlap" role="alert" data-testid="portfolio-import-overlap">
              <p>{overlap.warning}</p>
              <p className="form-hint">Imported into {overlap.into} as well, those trades would count twice.</p>
              <button type="button" className="btn" onClick={() => {
                  setChoice((c) => ({ ...c, account: overlap.account }))
                  setOverlap(null)
                }} data-testid="portfolio-import-overlap-there">
                Import into {overlap.account}
              </button>{' '}
              <button type="button" className="btn" onClick={(e) => void submit(e, true)} data-testid="portfolio-import-overlap-anyway">
                Import into {overlap.into} anyway
              </button>
            </div>
          ) : null}
          {error ? (
            <p className="inline-error pf-import-error" id="pf-import-error" role="alert" data-testid="portfolio-import-error" data-line={line ?? ''}>
              {line !== null ? <strong>Line {line}: </strong> : null}
              {described?.detail ?? error.message}
              {described?.fixLine ? <span className="muted"> Fix that line and import the file again.</span> : null}
            </p>
          ) : null}
        </div>
        <DialogActions onDismiss={close} label="Import" busyLabel="Importing…" busy={busy} disabled={reading} testId="portfolio-import-submit" />
      </form>
    </Modal>
  )
}
