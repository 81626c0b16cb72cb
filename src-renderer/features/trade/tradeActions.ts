import { flushSync } from 'react-dom'
import type { Action } from '../../app/hotkeys/registry'
import { useOverlay } from '../../app/overlays'
import { navigate, useRoute } from '../../app/router'
import { nextGroup } from './book'
import { TRADE_PAGE, useTrade } from './tradeStore'

// The Trade page's app-wide actions (palette and keys). Focus ids are the panels' focusable parts.
export const FOCUS_IDS = {
  ladder: 'trade-ladder',
  chart: 'trade-chart',
  watchlist: 'trade-watchlist',
  ticket: 'trade-ticket-price',
} as const

function showAndFocus(id: string): void {
  flushSync(() => {
    if (useRoute.getState().page !== TRADE_PAGE) navigate(TRADE_PAGE)
  })
  // Panels mount with the page; the ladder appears with the first book frame.
  const el = document.getElementById(id)
  if (el) el.focus()
  else requestAnimationFrame(() => document.getElementById(id)?.focus())
}

export function tradeActions(): Action[] {
  return [
    {
      id: 'trade.openMarket',
      title: 'Open market…',
      section: 'Trade',
      keys: ['Mod+O'],
      run: () => useOverlay.getState().show('market-open'),
    },
    { id: 'trade.focusBook', title: 'Focus order book', section: 'Trade', keys: ['Alt+B'], run: () => showAndFocus(FOCUS_IDS.ladder) },
    { id: 'trade.focusChart', title: 'Focus chart', section: 'Trade', keys: ['Alt+C'], run: () => showAndFocus(FOCUS_IDS.chart) },
    {
      id: 'trade.focusWatchlist',
      title: 'Focus watchlist',
      section: 'Trade',
      keys: ['Alt+W'],
      run: () => showAndFocus(FOCUS_IDS.watchlist),
    },
    {
      id: 'trade.focusTicket',
      title: 'Focus ticket price',
      section: 'Trade',
      run: () => showAndFocus(FOCUS_IDS.ticket),
    },
    {
      id: 'trade.cycleGrouping',
      title: 'Order book: next price grouping',
      section: 'Trade',
      enabled: () => useRoute.getState().page === TRADE_PAGE,
      run: () => {
        const { group, setGroup } = useTrade.getState()
        setGroup(nextGroup(group))
      },
    },
  ]
}
