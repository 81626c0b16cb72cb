import type { HandlerSlice } from '../router'
import type { SettingsService } from '../../settings/service'

export function settingsHandlers(
  settings: SettingsService,
): HandlerSlice<'settings.list' | 'settings.set' | 'settings.reset'> {
  return {
    'settings.list': () => settings.list(),
    'settings.set': ({ key, value }) => settings.set(key, value),
    'settings.reset': ({ key }) => settings.reset(key),
  }
}
