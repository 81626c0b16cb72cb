import { useSettingValue } from '../features/settings/settingsStore'
import type { TimeFormat } from '../ui/format'

/** How to show times, from ui.timeZone and ui.clock24h; null until the engine has answered. */
export function useTimeFormat(): TimeFormat | null {
  const zone = useSettingValue('ui.timeZone')
  const clock24h = useSettingValue('ui.clock24h')
  if ((zone !== 'local' && zone !== 'utc') || typeof clock24h !== 'boolean') return null
  return { timeZone: zone, clock24h }
}
