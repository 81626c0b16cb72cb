import { useScoped, type ScopedLists } from './scopedStore'

// What a capped list says in its panel's title bar: how many rows it shows, and, when the engine holds
// older ones, that these are the newest, with a button that pages further back.

export function FillsCapNote({ lists }: { lists: ScopedLists | undefined }) {
  if (lists === undefined) return null
  const n = lists.fills.length
  if (!lists.fillsMore) return <span className="muted" data-testid="fills-shown">{n} shown</span>
  return (
    <span className="muted" data-testid="fills-shown">
      newest {n} —{' '}
      <button
        type="button"
        className="btn btn-small"
        disabled={lists.loadingOlder}
        onClick={() => void useScoped.getState().loadOlderFills(lists.scope)}
        data-testid="fills-load-older"
      >
        {lists.loadingOlder ? 'Loading…' : 'Load older'}
      </button>
    </span>
  )
}

export function HistoryCapNote({ lists }: { lists: ScopedLists | undefined }) {
  if (lists === undefined) return null
  const n = lists.history.length
  if (!lists.historyMore) return <span className="muted" data-testid="history-shown">{n} shown</span>
  return (
    <span className="muted" data-testid="history-shown" title="The orders that finished most recently; older ones are kept by the engine">
      newest {n} —{' '}
      <button
        type="button"
        className="btn btn-small"
        disabled={lists.loadingOlderHistory}
        onClick={() => void useScoped.getState().loadOlderHistory(lists.scope)}
        data-testid="history-load-older"
      >
        {lists.loadingOlderHistory ? 'Loading…' : 'Load older'}
      </button>
    </span>
  )
}
