import { useEffect, useLayoutEffect, useRef } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { startActivitySync, useActivity } from './activityStore'
import { formatDateTime, formatTime, zoneLabel } from '../../ui/format'
import { useTimeFormat } from '../../app/useTimeFormat'
import { useNow } from '../../ui/useNow'
import type { TimeFormat } from '../../ui/format'

function whenLabel(at: number, format: TimeFormat, today: string): string {
  const full = formatDateTime(at, format)
  return full.startsWith(today) ? formatTime(at, format) : full
}

/** The engine's activity feed, oldest first; follows new entries while scrolled to the bottom. */
export function ActivityPanel() {
  useEffect(() => startActivitySync(), [])
  const { entries, status, error, hasOlder, loadingOlder, loadOlder } = useActivity()
  const format = useTimeFormat()
  // Entries from today show the time only; older ones the date too.
  const now = useNow(60_000)
  const today = format ? formatDateTime(now, format).slice(0, 10) : ''
  const scroller = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)

  useLayoutEffect(() => {
    const el = scroller.current
    if (el && pinned.current) el.scrollTop = el.scrollHeight
  }, [entries])

  const tools = (
    <span className="muted" data-testid="activity-count">
      {/* Only what is loaded is counted: with older entries left in the engine it is not a total. */}
      {hasOlder ? `newest ${entries.length} shown` : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`}
      {format ? ` · ${zoneLabel(format)}` : ''}
    </span>
  )
  return (
    <Panel title="Activity" tools={tools} testId="panel-activity">
      {error ? <p className="inline-error">Activity unavailable: {error}</p> : null}
      {entries.length === 0 ? (
        <EmptyState>{status === 'loading' ? 'Loading activity…' : 'Nothing recorded yet.'}</EmptyState>
      ) : (
        <div
          className="scroll"
          ref={scroller}
          onScroll={(e) => {
            const el = e.currentTarget
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 4
          }}
        >
          {hasOlder ? (
            <button type="button" className="btn btn-small" onClick={() => void loadOlder()} disabled={loadingOlder} data-testid="activity-older">
              {loadingOlder ? 'Loading older…' : 'Load older entries'}
            </button>
          ) : null}
          <table className="grid-table activity-table">
            <thead>
              <tr>
                <th scope="col" className="col-time">
                  Time
                </th>
                <th scope="col" className="col-kind">
                  Kind
                </th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody data-testid="activity-rows">
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="num nowrap" title={format ? formatDateTime(e.at, format) : undefined}>
                    {format ? whenLabel(e.at, format, today) : ''}
                  </td>
                  <td className="nowrap">
                    <span className={`tag tag-${e.kind}`}>{e.kind}</span>
                  </td>
                  <td className="msg">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}
