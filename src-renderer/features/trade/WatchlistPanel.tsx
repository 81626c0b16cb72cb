import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { Panel, EmptyState } from '../../ui/Panel'
import { formatAtStep, formatPercent, signOf } from '../../ui/decimal'
import { useRowKeys, useSelectedInView } from '../../ui/useRowKeys'
import { marketKey } from '../markets/ticks'
import { useMarketList } from './feeds'
import { compact, nextSort, sortByColumn, sortMarkets, type Sort, type SortKey } from './watchlist'
import { openMarket, sameMarket } from './tradeStore'
import { useFocusedView } from './useFocusedView'

export const WATCHLIST_ID = 'trade-watchlist'

const columns: { key: SortKey; label: string; num: boolean }[] = [
  { key: 'symbol', label: 'Market', num: false },
  { key: 'last', label: 'Last', num: true },
  { key: 'change', label: '24h %', num: true },
  { key: 'volume', label: 'Volume', num: true },
]

/** Markets with last price, 24 h change and volume (markets.search every 2 s); Enter opens one in the focused views. */
export function WatchlistPanel() {
  const { rows, error, loaded } = useMarketList()
  const current = useFocusedView()
  const [sort, setSort] = useState<Sort>({ key: 'symbol', dir: 'asc' })
  const [selected, setSelected] = useState<string | null>(null)
  const sorted = useMemo(() => sortMarkets(rows, sort), [rows, sort])
  const manyVenues = useMemo(() => new Set(rows.map((r) => r.venueId)).size > 1, [rows])
  const keys = sorted.map(marketKey)
  const currentKey = current ? marketKey(current) : null
  const sel = selected && keys.includes(selected) ? selected : currentKey && keys.includes(currentKey) ? currentKey : null
  const scroller = useRef<HTMLDivElement>(null)
  useSelectedInView(scroller, sel)
  const open = (key: string) => {
    const m = sorted.find((r) => marketKey(r) === key)
    if (m) openMarket({ venueId: m.venueId, symbol: m.symbol })
  }
  const rowKeys = useRowKeys({ ids: keys, selected: sel, onSelect: setSelected, onActivate: open })
  const onKeys = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.key === 's' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault()
      setSort(nextSort(sort))
      return
    }
    rowKeys(event)
  }
  const arrow = (key: SortKey) => (sort.key === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '')

  return (
    <Panel title="Watchlist" testId="panel-watchlist" tools={<span className="muted">s: sort</span>}>
      {error ? <p className="inline-error">{error}</p> : null}
      {rows.length === 0 ? (
        <EmptyState>{loaded ? 'No markets.' : 'Loading markets…'}</EmptyState>
      ) : (
        <div className="scroll" ref={scroller}>
          <table
            id={WATCHLIST_ID}
            className="grid-table selectable watch-table"
            role="grid"
            aria-label="Watchlist"
            aria-activedescendant={sel ? `watch-${sel.replace(/[^A-Za-z0-9]+/g, '-')}` : undefined}
            tabIndex={0}
            onKeyDown={onKeys}
            data-testid="watchlist"
            data-sort={`${sort.key}-${sort.dir}`}
          >
            <thead>
              <tr>
                {columns.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    className={`sortable ${c.num ? 'num' : ''}`}
                    aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                    onClick={() => setSort(sortByColumn(sort, c.key))}
                  >
                    {c.label}
                    {arrow(c.key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sorted.map((m) => {
                const key = marketKey(m)
                const sign = signOf(m.changePct24h)
                return (
                  <tr
                    key={key}
                    id={`watch-${key.replace(/[^A-Za-z0-9]+/g, '-')}`}
                    aria-selected={key === sel}
                    aria-current={sameMarket(current, m) || undefined}
                    onMouseDown={() => setSelected(key)}
                    onClick={() => open(key)}
                    data-testid="watch-row"
                    data-symbol={m.symbol}
                    data-venue-id={m.venueId}
                  >
                    <td className="nowrap watch-symbol" title={`${m.symbol} on ${m.venueLabel}`}>
                      {m.base}
                      <span className="muted">/{m.quote}</span>
                      {manyVenues ? <span className="watch-venue"> {m.venueLabel}</span> : null}
                    </td>
                    <td className="num">{m.last === null ? <span className="muted">—</span> : formatAtStep(m.last, m.tickSize)}</td>
                    <td className={`num ${sign > 0 ? 'pos' : sign < 0 ? 'neg' : 'muted'}`}>
                      {m.changePct24h === null ? '—' : formatPercent(m.changePct24h)}
                    </td>
                    <td className="num">{m.volume24h === null ? <span className="muted">—</span> : compact(Number(m.volume24h))}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}
