import { useScoped, type ScopedLists } from './scopedStore'

// What a capped list says in its panel's title bar: how many rows it shows, and, when the engine holds
// older ones, that these are the newest, with a button that pages further back.

interface CapNoteProps {
  /** The list's test id stem ("fills" → fills-shown, fills-load-older). */
  name: 'fills' | 'history'
  shown: number
  more: boolean
  loading: boolean
  loadOlder: () => void
  title?: string
}

function CapNote({ name, shown, more, loading, loadOlder, title }: CapNoteProps) {
  if (!more) return <span className="muted" data-testid={`${name}-shown`}>{shown} shown</span>
  return (
    <span className="muted" data-testid={`${name}-shown`} title={title}>
      newest {shown} —{' '}
      <button type="button" className="btn btn-small" disabled={loading} onClick={loadOlder} data-testid={`${name}-load-older`}>
        {loading ? 'Loading…' : 'Load older'}
      </button>
    </span>
  )
}

export function FillsCapNote({ lists }: { lists: ScopedLists | undefined }) {
  if (lists === undefined) return null
  return (
    <CapNote
      name="fills"
      shown={lists.fills.length}
      more={lists.fillsMore}
      loading={lists.loadingOlder}
      loadOlder={() => void useScoped.getState().loadOlderFills(lists.scope)}
    />
  )
}

export function HistoryCapNote({ lists }: { lists: ScopedLists | undefined }) {
  if (lists === undefined) return null
  return (
    <CapNote
      name="history"
      shown={lists.history.length}
      more={lists.historyMore}
      loading={lists.loadingOlderHistory}
      loadOlder={() => void useScoped.getState().loadOlderHistory(lists.scope)}
      title="The orders that finished most recently; older ones are kept by the engine"
    />
  )
}
