import { flushSync } from 'react-dom'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'
import { followTrader, useTraderSelection } from './TradersPage'

export function traderActions(): Action[] {
  return [
    {
      id: 'traders.list',
      title: 'Focus simulated traders',
      section: 'Traders',
      run: () => {
        flushSync(() => {
          if (useRoute.getState().page !== 'traders') navigate('traders')
        })
        document.getElementById('traders-table')?.focus()
      },
    },
    {
      id: 'traders.follow',
      title: 'Traders: copy-trade (follow) the selected trader…',
      section: 'Traders',
      enabled: () => useTraderSelection.getState().id !== null,
      run: () => {
        const id = useTraderSelection.getState().id
        if (id !== null) followTrader(id)
      },
    },
  ]
}
