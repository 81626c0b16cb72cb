import { flushSync } from 'react-dom'
import { create } from 'zustand'
import { useOverlay } from '../../app/overlays'
import { navigate } from '../../app/router'
import { toast } from '../toasts/toastStore'
import { addView, findView, focusedView, MAX_VIEWS, setViewMarket, type MarketRef, type Placement } from '../workspace/layout'
import { changeWorkspace, currentLayout } from '../workspace/workspaceStore'
import { openMarket, TRADE_PAGE } from './tradeStore'
import { focusViewElement } from './viewFocus'
import type { WorkspaceViewKind } from '../../../src-main/api/contract'

// What the market dialog is for: open a market in the focused views, add a view (its kind picked first
// unless given), or bind one view to another market. One dialog (the 'market-open' overlay), three uses.

export type MarketDialogPurpose =
  | { mode: 'open' }
  | { mode: 'add'; kind: WorkspaceViewKind | null; placement: Placement; anchorId: string | null }
  | { mode: 'rebind'; viewId: string }

export const useMarketDialog = create<{ purpose: MarketDialogPurpose }>()(() => ({ purpose: { mode: 'open' } }))

export function showMarketDialog(purpose: MarketDialogPurpose): void {
  useMarketDialog.setState({ purpose })
  useOverlay.getState().show('market-open')
}

/** Says why no view can be added (the header's "+", Alt+A, the palette's "Add …"): the workspace is full. */
export function noRoomForView(): void {
  toast.error('No room for another view', `A workspace holds at most ${MAX_VIEWS} views; close one first.`)
}

/** The market a purpose starts on: the view being rebound, or the focused view's. */
export function preferredMarket(purpose: MarketDialogPurpose): MarketRef | null {
  const layout = currentLayout()
  if (!layout) return null
  if (purpose.mode === 'rebind') return findView(layout, purpose.viewId)
  if (purpose.mode === 'add') return findView(layout, purpose.anchorId) ?? focusedView(layout)
  return null
}

/** Closes the dialog and does what it was opened for with the market picked. */
export function chooseMarket(purpose: MarketDialogPurpose, market: MarketRef): void {
  const hide = useOverlay.getState().hide
  flushSync(hide)
  if (purpose.mode === 'open') {
    openMarket(market)
    return
  }
  if (purpose.mode === 'rebind') {
    changeWorkspace((l) => setViewMarket(l, purpose.viewId, market))
    focusViewElement(purpose.viewId)
    return
  }
  const kind = purpose.kind ?? 'book'
  const added: { id: string | null } = { id: null }
  flushSync(() => {
    navigate(TRADE_PAGE)
    changeWorkspace((l) => {
      const r = addView(l, kind, market, purpose.placement, purpose.anchorId ?? undefined)
      added.id = r.id
      return r.layout
    })
  })
  if (added.id) focusViewElement(added.id)
  else if (currentLayout()) noRoomForView()
}
