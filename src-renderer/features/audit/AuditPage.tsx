import { useEffect } from 'react'
import { DataGrid, rowDomId } from '../../ui/DataGrid'
import { Panel } from '../../ui/Panel'
import { useGridKeys } from '../../ui/useRowKeys'
import { formatDateTime, zoneLabel, type TimeFormat } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { startAuditSync, useAudit } from './auditStore'
import type { AuditEntry } from '../../../src-main/api/schemas/audit'
import './audit.css'

// The audit log: what was done through each door (the app window, the browser door, the CLI) and what the
// engine did by itself (start, idle lock), newest first, with each entry's place in the hash chain.
// Verify recomputes the chain in the engine; Export saves it all as CSV.

export const AUDIT_TABLE_ID = 'audit-table'
const COLUMNS = [{ label: 'Time' }, { label: 'Door' }, { label: 'Action' }, { label: 'Outcome' }, { label: 'Detail' }, { label: 'Hash' }] as const

export function AuditPage() {
  useEffect(() => startAuditSync(), [])
  return (
    <div className="audit-page" data-testid="audit-page">
      <Toolbar />
      <VerifyResult />
      <Entries />
    </div>
  )
}

function Toolbar() {
  const search = useAudit((s) => s.search)
  const total = useAudit((s) => s.total)
  const verifying = useAudit((s) => s.verifying)
  const exporting = useAudit((s) => s.exporting)
  const error = useAudit((s) => s.error)
  return (
    <div className="toolbar audit-toolbar">
      <label htmlFor="audit-search">Search</label>
      <input
        id="audit-search"
        className="input"
        type="search"
        placeholder="action, door, detail…"
        value={search}
        onChange={(e) => useAudit.getState().setSearch(e.target.value)}
        data-testid="audit-search"
      />
      <span className="muted" data-testid="audit-total">
        {total} {total === 1 ? 'entry' : 'entries'}
      </span>
      <button type="button" className="btn btn-small" disabled={verifying} onClick={() => void useAudit.getState().check()} data-testid="audit-verify">
        {verifying ? 'Checking…' : 'Verify chain'}
      </button>
      <button type="button" className="btn btn-small" disabled={exporting} onClick={() => void useAudit.getState().exportCsv()} data-testid="audit-export">
        Export CSV
      </button>
      {error ? (
        <span className="inline-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  )
}

function VerifyResult() {
  const verify = useAudit((s) => s.verify)
  if (!verify) return null
  return (
    <p className={verify.ok ? 'audit-verify audit-verify-ok' : 'audit-verify inline-error'} role="status" data-testid="audit-verify-result" data-ok={verify.ok}>
      {verify.ok
        ? `Chain intact: ${verify.checked} ${verify.checked === 1 ? 'entry' : 'entries'} checked. Newest #${verify.headId}, hash ${verify.headHash} (note it elsewhere to check later that nothing was cut off).`
        : `Chain broken at entry ${verify.brokenAt}: ${verify.problem}. The ${verify.checked} entries before it are intact.`}
    </p>
  )
}

function Entries() {
  const entries = useAudit((s) => s.entries)
  const total = useAudit((s) => s.total)
  const status = useAudit((s) => s.status)
  const selected = useAudit((s) => s.selected)
  const format = useTimeFormat()
  const grid = useGridKeys({ ids: entries.map((e) => String(e.id)), selected: selected === null ? null : String(selected), onSelect: (id) => useAudit.getState().select(Number(id)) })
  const more = total - entries.length
  return (
    <Panel title="Audit log" tools={<span className="muted">↑/↓ move{format ? ` · times ${zoneLabel(format)}` : ''}</span>} testId="panel-audit">
      <DataGrid
        id={AUDIT_TABLE_ID}
        label="Audit log"
        testId="audit-table"
        className="audit-table"
        emptyClassName="audit-empty"
        rowKind="audit"
        columns={COLUMNS}
        empty={entries.length > 0 ? null : status === 'loading' || status === 'idle' ? 'Loading…' : 'No entry matches.'}
        {...grid}
      >
        {entries.map((e) => (
          <Row key={e.id} entry={e} format={format} selected={e.id === selected} />
        ))}
      </DataGrid>
      {more > 0 ? (
        <button type="button" className="btn btn-small audit-more" onClick={() => void useAudit.getState().loadOlder()} data-testid="audit-more">
          Show {Math.min(more, 200)} older of {more}
        </button>
      ) : null}
    </Panel>
  )
}

function Row({ entry: e, format, selected }: { entry: AuditEntry; format: TimeFormat | null; selected: boolean }) {
  return (
    <tr id={rowDomId('audit', String(e.id))} aria-selected={selected} onClick={() => useAudit.getState().select(e.id)} data-testid="audit-row" data-action={e.action} data-outcome={e.outcome} data-door={e.door}>
      <td className="muted">{format ? formatDateTime(e.at, format) : ''}</td>
      <td>{e.door}</td>
      <td>{e.action}</td>
      <td className={e.outcome === 'ok' ? 'audit-ok' : 'audit-refused'}>{e.outcome}</td>
      <td className="audit-detail" title={e.detail}>
        {e.detail}
      </td>
      <td className="muted mono" title={e.hash}>
        #{e.id} {e.hash.slice(0, 10)}
      </td>
    </tr>
  )
}
