import { flushSync } from 'react-dom'
import type { Action } from '../../app/hotkeys/registry'
import { useRoute } from '../../app/router'
import { nextGroup } from './book'
import { TRADE_PAGE } from './tradeStore'
import { noRoomForView, showMarketDialog } from './marketDialog'
import { togglePinnedMarket } from './pinning'
import { marketUnavailable, marketVenueLabel } from './marketAvailability'
import { toast } from '../toasts/toastStore'
import { focusById, focusViewElement, showTrade } from './viewFocus'
import { WATCHLIST_ID } from './WatchlistPanel'
import { kindInfo } from './viewKinds'
import { TICKET_IDS } from '../trading/ticketIds'
import {
  canAddView,
  closeView,
  focusedView,
  replaceKind,
  setViewOptions,
  stepFocus,
  VIEW_KINDS,
  viewOfKind,
  type Placement,
} from '../workspace/layout'
import { changeWorkspace, currentLayout } from '../workspace/workspaceStore'
import { isPinned } from '../workspace/watchlistMarkets'
import type { WorkspaceViewKind } from '../../../src-main/api/contract'

// The Trade page's app-wide actions (palette and keys): markets, the views of the workspace (add,
// replace, close, move focus) and focusing a panel. Every button on the page has one here.

export const FOCUS_IDS = {
  watchlist: WATCHLIST_ID,
} as const

const onTrade = () => useRoute.getState().page === TRADE_PAGE
const hasFocusedView = () => {
  const l = currentLayout()
  return onTrade() && !!l && focusedView(l) !== null
}

/** Focuses the focused view if it is of `kind`, else the first view of that kind. */
async function focusKind(kind: WorkspaceViewKind): Promise<void> {
  const layout = await showTrade()
  const view = layout ? viewOfKind(layout, kind) : null
  if (view) focusViewElement(view.id)
}

async function addViewDialog(placement: Placement, kind: WorkspaceViewKind | null): Promise<void> {
  const layout = await showTrade()
  if (!layout) return
  if (!canAddView(layout)) return noRoomForView()
  showMarketDialog({ mode: 'add', kind, placement, anchorId: focusedView(layout)?.id ?? null })
}

function changeFocused(fn: (id: string) => void): void {
  const l = currentLayout()
  const view = l ? focusedView(l) : null
  if (view) fn(view.id)
}

/** Applies a layout change, draws it at once, and puts keyboard focus on the view then focused. */
function changeAndFocus(change: Parameters<typeof changeWorkspace>[0]): void {
  flushSync(() => changeWorkspace(change))
  const id = currentLayout()?.focused
  if (id) focusViewElement(id)
}

function viewActions(): Action[] {
  return [
    {
      id: 'workspace.addView',
      title: 'Add view…',
      section: 'Trade',
      keys: ['Alt+A'],
      run: () => addViewDialog('beside', null),
    },
    {
      id: 'workspace.addViewBelow',
      title: 'Add view below the focused view…',
      section: 'Trade',
      keys: ['Alt+Shift+A'],
      run: () => addViewDialog('below', null),
    },
    ...VIEW_KINDS.map(
      (kind): Action => ({
        id: `workspace.add.${kind}`,
        title: `Add ${kindInfo[kind].title.toLowerCase()}…`,
        section: 'Trade',
        run: () => addViewDialog('beside', kind),
      }),
    ),
    ...VIEW_KINDS.map(
      (kind): Action => ({
        id: `workspace.replace.${kind}`,
        title: `Replace focused view with ${kindInfo[kind].title.toLowerCase()}`,
        section: 'Trade',
        enabled: hasFocusedView,
        run: () => changeFocused((id) => changeAndFocus((l) => replaceKind(l, id, kind))),
      }),
    ),
    {
      id: 'workspace.changeMarket',
      title: 'Change market of the focused view…',
      section: 'Trade',
      keys: ['Alt+M'],
      enabled: hasFocusedView,
      run: () => changeFocused((viewId) => showMarketDialog({ mode: 'rebind', viewId })),
    },
    {
      id: 'workspace.closeView',
      title: 'Close focused view',
      section: 'Trade',
      keys: ['Alt+X'],
      enabled: hasFocusedView,
      run: () => changeFocused((id) => changeAndFocus((l) => closeView(l, id))),
    },
    {
      id: 'workspace.focusNext',
      title: 'Focus next view',
      section: 'Trade',
      keys: ['Alt+]'],
      enabled: hasFocusedView,
      run: () => changeAndFocus((l) => stepFocus(l, 1)),
    },
    {
      id: 'workspace.focusPrevious',
      title: 'Focus previous view',
      section: 'Trade',
      keys: ['Alt+['],
      enabled: hasFocusedView,
      run: () => changeAndFocus((l) => stepFocus(l, -1)),
    },
  ]
}

export function tradeActions(): Action[] {
  return [
    {
      id: 'trade.openMarket',
      title: 'Open market…',
      section: 'Trade',
      keys: ['Mod+O'],
      run: () => showMarketDialog({ mode: 'open' }),
    },
    { id: 'trade.focusBook', title: 'Focus order book', section: 'Trade', keys: ['Alt+B'], run: () => focusKind('book') },
    { id: 'trade.focusChart', title: 'Focus chart', section: 'Trade', keys: ['Alt+C'], run: () => focusKind('candles') },
    { id: 'trade.focusMyOrders', title: 'Focus my orders on the market', section: 'Trade', keys: ['Alt+Shift+O'], run: () => focusKind('orders') },
    {
      id: 'trade.focusWatchlist',
      title: 'Focus watchlist',
      section: 'Trade',
      keys: ['Alt+W'],
      run: async () => {
        await showTrade()
        focusById(FOCUS_IDS.watchlist)
      },
    },
    {
      id: 'trade.pinMarket',
      title: 'Pin or unpin the current market in the watchlist',
      section: 'Trade',
      keys: ['Alt+P'],
      run: () => {
        const layout = currentLayout()
        const view = layout ? focusedView(layout) : null
        if (!view) return
        const market = { venueId: view.venueId, symbol: view.symbol }
        // A saved view on a venue since removed must not pin a market the watchlist cannot show; one pinned
        // before its venue went still unpins.
        const why = layout && isPinned(layout, market) ? null : marketUnavailable(view)
        if (why !== null) toast.error('Market not pinned', `${view.symbol} on ${marketVenueLabel(view.venueId)} is not available: ${why}.`)
        else togglePinnedMarket(market)
      },
    },
    {
      id: 'trade.focusTicket',
      title: 'Focus ticket price',
      section: 'Trade',
      run: async () => {
        await showTrade()
        if (!document.getElementById(TICKET_IDS.price)) focusById(TICKET_IDS.size)
        else focusById(TICKET_IDS.price)
      },
    },
    {
      id: 'trade.cycleGrouping',
      title: 'Order book: next price grouping',
      section: 'Trade',
      enabled: () => {
        const l = currentLayout()
        return onTrade() && !!l && viewOfKind(l, 'book') !== null
      },
      run: () => {
        const l = currentLayout()
        const book = l ? viewOfKind(l, 'book') : null
        if (book) changeWorkspace((x) => setViewOptions(x, book.id, { group: nextGroup(book.group ?? 1) }))
      },
    },
    ...viewActions(),
  ]
}
