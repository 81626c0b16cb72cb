import { Panel, EmptyState } from '../../ui/Panel'
import { useEngine } from './engineStore'
import { formatDateTime, formatDuration, zoneLabel } from '../../ui/format'
import { useNow } from '../../ui/useNow'
import { useTimeFormat } from '../../app/useTimeFormat'

/** What app.info says: version, door, platform, where the data lives, and how long it has run. */
export function EnginePanel() {
  const info = useEngine((s) => s.info)
  const error = useEngine((s) => s.error)
  return (
    <Panel title="Engine" testId="panel-engine">
      {info ? (
        <dl className="facts">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Door</dt>
          <dd>{info.door}</dd>
          <dt>Platform</dt>
          <dd>{info.platform}</dd>
          <dt>Data dir</dt>
          <dd className="path" title={info.dataDir}>
            {info.dataDir}
          </dd>
          <dt>Database</dt>
          <dd className="path" title={info.dbPath} data-testid="engine-db">
            {info.dbPath}
          </dd>
          <dt>Schema</dt>
          <dd>{info.schemaVersion}</dd>
          <Started at={info.startedAt} />
        </dl>
      ) : (
        <EmptyState>{error ? `Engine info unavailable: ${error}` : 'Asking the engine…'}</EmptyState>
      )}
    </Panel>
  )
}

function Started({ at }: { at: number }) {
  const now = useNow(1000)
  const format = useTimeFormat()
  return (
    <>
      <dt>Started</dt>
      <dd>{format ? `${formatDateTime(at, format)} ${zoneLabel(format)}` : new Date(at).toISOString()}</dd>
      <dt>Uptime</dt>
      <dd className="num" data-testid="engine-uptime">
        {formatDuration(now - at)}
      </dd>
    </>
  )
}
