import { flushSync } from 'react-dom'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'

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
  ]
}
