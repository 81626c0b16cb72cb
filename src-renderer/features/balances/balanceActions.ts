import { registerAction, type Action } from '../../app/hotkeys/registry'
import { useOverlay } from '../../app/overlays'
import { useVenues } from '../markets/venuesStore'
import { useBalances } from './balancesStore'
import { simAccountLabel } from './simAccount'

export function openPaperReset(): void {
  useOverlay.getState().show('paper-reset')
}

export function balanceActions(): Action[] {
  return [
    {
      id: 'balances.refresh',
      title: 'Refresh balances',
      section: 'Balances',
      run: () => useBalances.getState().load(),
    },
  ]
}

const resetAction = (label: string): Action => ({ id: 'paper.reset', title: `Reset ${label} balance…`, section: 'Balances', run: openPaperReset })

/**
 * "Reset Simulated exchange balance…" in the palette, named as the engine lists the simulated exchange: asks
 * for the venue list once if no page has, and registers the action again when the name arrives or changes.
 * Returns the function that removes it.
 */
export function registerSimResetAction(): () => void {
  if (useVenues.getState().status === 'loading' && useVenues.getState().venues.length === 0) void useVenues.getState().load()
  let label = simAccountLabel()
  let off = registerAction(resetAction(label))
  const follow = () => {
    const next = simAccountLabel()
    if (next === label) return
    label = next
    off()
    off = registerAction(resetAction(label))
  }
  const offVenues = useVenues.subscribe(follow)
  const offBalances = useBalances.subscribe(follow)
  return () => {
    offVenues()
    offBalances()
    off()
  }
}
