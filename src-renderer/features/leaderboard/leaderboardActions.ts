import { flushSync } from 'react-dom'
import type { Action } from '../../app/hotkeys/registry'
import { navigate, useRoute } from '../../app/router'
import { followLeader } from '../copy/copyActions'
import { useLeaderboard } from './leaderboardStore'
import { LEADERBOARD_TABLE_ID } from './leaderboardIds'

// The Leaderboard's actions for the palette: focus the table, follow the selected account (its account id is
// the copy engine's leader id: sim:trader:<slug> for a simulated trader, the venue id for an account).

/** The Follow form on the Copy page, filled for the selected account. */
export function followSelectedAccount(): void {
  const account = useLeaderboard.getState().selected
  if (account !== null) followLeader(account)
}

export function leaderboardActions(): Action[] {
  return [
    {
      id: 'leaderboard.focus',
      title: 'Leaderboard: focus the table',
      section: 'Leaderboard',
      run: () => {
        flushSync(() => {
          if (useRoute.getState().page !== 'leaderboard') navigate('leaderboard')
        })
        document.getElementById(LEADERBOARD_TABLE_ID)?.focus()
      },
    },
    {
      id: 'leaderboard.follow',
      title: 'Leaderboard: copy-trade (follow) the selected account…',
      section: 'Leaderboard',
      enabled: () => useLeaderboard.getState().selected !== null,
      run: followSelectedAccount,
    },
  ]
}
