import { useVenues } from '../markets/venuesStore'
import { useBalances, type BalancesView } from './balancesStore'

// The simulated exchange's own account (venue kind 'simulated') is named as the engine lists it (venues.list;
// its balances carry the name too), never "paper": paper accounts are the ones opened on a venue's book, and a
// trader who has one ("Paper · Binance (main)") would read "Paper balance" as that account. Said generically
// until either list has arrived.
const NOT_LISTED_YET = 'simulated exchange'

/** "Simulated exchange": what the engine calls the simulated exchange's account. */
export function simAccountLabel(
  venues: readonly { kind: string; label: string }[] = useVenues.getState().venues,
  balances: BalancesView | null = useBalances.getState().view,
): string {
  return venues.find((v) => v.kind === 'simulated')?.label ?? balances?.venues.find((v) => v.kind === 'simulated')?.label ?? NOT_LISTED_YET
}

/** simAccountLabel for a component: follows the lists. */
export function useSimAccountLabel(): string {
  const venues = useVenues((s) => s.venues)
  const balances = useBalances((s) => s.view)
  return simAccountLabel(venues, balances)
}
