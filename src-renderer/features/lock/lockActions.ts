import type { Action } from '../../app/hotkeys/registry'
import { navigate } from '../../app/router'
import { toast } from '../toasts/toastStore'
import { messageOf } from '../../ui/engineMessage'
import { useLock } from './lockStore'

/** Lock the app from anywhere (the engine refuses when no passphrase is set: the palette then says so). */
export function lockActions(): Action[] {
  return [
    {
      id: 'lock.now',
      title: 'Lock the app',
      section: 'Security',
      keys: ['Alt+Shift+L'],
      inDialogs: true,
      run: async () => {
        try {
          await useLock.getState().lockNow()
        } catch (err) {
          toast.error('Could not lock', messageOf(err))
          navigate('settings')
        }
      },
    },
  ]
}
