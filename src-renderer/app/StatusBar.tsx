import { useConnection, connectionLabels } from '../features/connection/connection'
import { useEngine } from '../features/engine/engineStore'
import { formatTime, zoneLabel } from '../ui/format'
import { useNow } from '../ui/useNow'
import { useTimeFormat } from './useTimeFormat'

/** Bottom line: connection, database, version, door and the clock (per the time settings). */
export function StatusBar() {
  const connection = useConnection()
  const info = useEngine((s) => s.info)
  const infoError = useEngine((s) => s.error)
  return (
    <footer className="statusbar" tabIndex={-1} data-focus-region aria-label="Status">
      <span className="status-item status-connection" data-state={connection} data-testid="status-connection">
        <span className="status-dot" aria-hidden="true" />
        {connectionLabels[connection]}
      </span>
      {info ? (
        <>
          <span className="status-item status-db" title={info.dbPath} data-testid="status-db">
            <span className="status-label">DB</span> {info.dbPath}
          </span>
          <span className="status-spacer" />
          <span className="status-item" data-testid="status-door">
            <span className="status-label">door</span> {info.door}
          </span>
          <span className="status-item" data-testid="status-version">
            <span className="status-label">v</span>
            {info.version}
          </span>
        </>
      ) : (
        <>
          <span className="status-item status-muted">{infoError ?? 'Waiting for the engine…'}</span>
          <span className="status-spacer" />
        </>
      )}
      <Clock />
    </footer>
  )
}

function Clock() {
  const now = useNow(1000)
  const format = useTimeFormat()
  if (!format) return null
  return (
    <time className="status-item status-clock" dateTime={new Date(now).toISOString()} data-testid="status-clock">
      {formatTime(now, format)} <span className="status-label">{zoneLabel(format)}</span>
    </time>
  )
}
