import { Fragment, type ReactNode } from 'react'
import { Group, Panel as Pane, type Layout, type LayoutChangedMeta } from 'react-resizable-panels'
import { Splitter } from '../../ui/Splitter'
import { normalize, resize } from './layout'
import { changeWorkspace } from './workspaceStore'
import type { WorkspaceColumn, WorkspaceLayout, WorkspaceView } from '../../../src-main/api/contract'
import './layout-grid.css'

// The layout drawn as resizable panels: a leading panel (the watchlist), then one column per layout column,
// each a stack of views. Sizes come from the saved layout; a resize by the user (pointer or separator keys)
// goes back into it. Panels are keyed by view id, so adding or closing one view leaves the others mounted.

const WATCHLIST = 'watchlist'
const PANE = 'pane-'
const paneId = (id: string) => `${PANE}${id}`

/** The library's layout (pane ids → %) as the sizes the layout keeps (ids → %). */
function sizesOf(layout: Layout): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [id, size] of Object.entries(layout)) if (id.startsWith(PANE)) out[id.slice(PANE.length)] = size
  return out
}

function onUserResize(columnId?: string) {
  return (layout: Layout, meta: LayoutChangedMeta) => {
    if (!meta.isUserInteraction) return
    const sizes = sizesOf(meta.requestedLayout ?? layout)
    changeWorkspace((l) => resize(l, sizes, columnId))
  }
}

/** Pane ids → % adding up to 100, for exactly the panes rendered (the library uses it when they change). */
function paneLayout(entries: readonly (readonly [string, number])[]): Layout {
  const sizes = normalize(entries.map(([, s]) => s))
  return Object.fromEntries(entries.map(([id], i) => [paneId(id), sizes[i]!]))
}

interface LayoutGridProps {
  layout: WorkspaceLayout
  leading: ReactNode
  /** Shown in place of the columns when no view is open. */
  empty: ReactNode
  renderView: (view: WorkspaceView) => ReactNode
}

export function LayoutGrid({ layout, leading, empty, renderView }: LayoutGridProps) {
  const columns = layout.columns
  const top = paneLayout([[WATCHLIST, layout.watchlist], ...(columns.length > 0 ? columns.map((c) => [c.id, c.size] as const) : [['empty', 100 - layout.watchlist] as const])])
  return (
    <Group orientation="horizontal" className="ws-columns" id="ws-columns" defaultLayout={top} onLayoutChanged={onUserResize()}>
      <Pane id={paneId(WATCHLIST)} minSize="160px">
        {leading}
      </Pane>
      {columns.length === 0 ? (
        <>
          <Splitter aria-label="Resize watchlist" />
          <Pane id={paneId('empty')} minSize="200px">
            {empty}
          </Pane>
        </>
      ) : (
        columns.map((c, i) => (
          <Fragment key={c.id}>
            <Splitter aria-label={i === 0 ? 'Resize watchlist and column 1' : `Resize columns ${i} and ${i + 1}`} data-before-column={c.id} />
            <Pane id={paneId(c.id)} minSize="140px" data-column-id={c.id}>
              <Column column={c} index={i} renderView={renderView} />
            </Pane>
          </Fragment>
        ))
      )}
    </Group>
  )
}

function Column({ column, index, renderView }: { column: WorkspaceColumn; index: number; renderView: (view: WorkspaceView) => ReactNode }) {
  const sizes = paneLayout(column.views.map((v) => [v.id, v.size] as const))
  return (
    <Group orientation="vertical" id={`ws-col-${column.id}`} defaultLayout={sizes} onLayoutChanged={onUserResize(column.id)}>
      {column.views.map((v, j) => (
        <Fragment key={v.id}>
          {j > 0 ? <Splitter aria-label={`Resize views ${j} and ${j + 1} of column ${index + 1}`} data-before-view={v.id} /> : null}
          <Pane id={paneId(v.id)} minSize="60px">
            {renderView(v)}
          </Pane>
        </Fragment>
      ))}
    </Group>
  )
}
