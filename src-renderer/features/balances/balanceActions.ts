import type { Action } from '../../app/hotkeys/registry'
import { useOverlay } from '../../app/overlays'
import { useBalances } from './balancesStore'

export function openPaperReset(): void {
  useOverlay.getState().show('paper-reset')
}

export function balanceActions(): Action[] {
  return [
    {
      id: 'paper.reset',
      title: 'Reset paper balance…',
      section: 'Balances',
      run: openPaperReset,
    },
    {
      id: 'balances.refresh',
      title: 'Refresh balances',
      section: 'Balances',
      run: () => useBalances.getState().load(),
    },
  ]
}
