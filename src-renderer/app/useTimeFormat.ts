import { useMemo } from 'react'
import { useSettingValue } from '../features/settings/settingsStore'
import type { TimeFormat } from '../ui/format'

/** How to show times, from ui.timeZone and ui.clock24h; null until the engine has answered. */
export function useTimeFormat(): TimeFormat | null {
  const zone = useSettingValue('ui.timeZone')
  const clock24h = useSettingValue('ui.clock24h')
  // The same object while the settings stay (memoised rows take it as a prop).
  return useMemo(() => ((zone !== 'local' && zone !== 'utc') || typeof clock24h !== 'boolean' ? null : { timeZone: zone, clock24h }), [zone, clock24h])
}
