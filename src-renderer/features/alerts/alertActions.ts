import type { Action } from '../../app/hotkeys/registry'
import { navigate } from '../../app/router'
import { currentLayout } from '../workspace/workspaceStore'
import { focusedView, sameMarket } from '../workspace/layout'
import { useSelection } from '../trade/selection'
import { useAlertForm } from './alertForm'
import { focusById } from '../trade/viewFocus'
import { ALERT_IDS, RISK_IDS } from './alertIds'

export const ALERTS_PAGE = 'alerts'

/**
 * "New price alert": the form on the Alerts page, on the Trade page's focused market and at the price
 * picked on its ladder (if one was), with the level field focused.
 */
export function newAlertHere(): void {
  const layout = currentLayout()
  const view = layout ? focusedView(layout) : null
  const { selectedMarket, selectedPrice } = useSelection.getState()
  const form = useAlertForm.getState()
  const venueId = view?.venueId ?? form.draft.venueId
  const symbol = view?.symbol ?? form.draft.symbol
  const price = view && sameMarket(selectedMarket, view) ? selectedPrice : ''
  navigate(ALERTS_PAGE)
  form.prefill(venueId, symbol, price)
  // After the page has rendered and taken focus for itself (App moves focus to a new page).
  focusById(ALERT_IDS.price)
}

export function alertActions(): Action[] {
  return [
    {
      id: 'alerts.new',
      title: 'New price alert on this market…',
      section: 'Alerts',
      keys: ['Alt+L'],
      run: newAlertHere,
    },
    {
      id: 'alerts.newRisk',
      title: 'New risk alert (portfolio value, 24h P&L, drawdown)…',
      section: 'Alerts',
      keys: ['Alt+Shift+R'],
      run: () => {
        navigate(ALERTS_PAGE)
        focusById(RISK_IDS.metric)
      },
    },
  ]
}
