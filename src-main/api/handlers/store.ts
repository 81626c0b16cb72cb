import type { HandlerSlice } from '../router'
import type { BackupResult } from '../contract'
import type { ActivityService } from '../../activity/service'

export function storeHandlers(
  backup: () => Promise<BackupResult>,
  activity: ActivityService,
): HandlerSlice<'store.backup' | 'activity.recent'> {
  return {
    'store.backup': () => backup(),
    'activity.recent': ({ limit, before }) => activity.recent(limit, before),
  }
}
