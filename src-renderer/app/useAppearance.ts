import { useEffect } from 'react'
import { useSettingValue } from '../features/settings/settingsStore'

/**
 * Puts the appearance settings on <html>: data-theme and data-density pick CSS variable sets in
 * theme.css, --font-size scales everything. Until the engine answers, theme.css's defaults apply.
 * (Setting a custom property through CSSOM is allowed by the strict CSP; inline style text is not.)
 */
export function useAppearance(): void {
  const theme = useSettingValue('ui.theme')
  const density = useSettingValue('ui.density')
  const fontSize = useSettingValue('ui.fontSize')
  useEffect(() => {
    const root = document.documentElement
    if (typeof theme === 'string') root.dataset.theme = theme
    if (typeof density === 'string') root.dataset.density = density
    if (typeof fontSize === 'number') root.style.setProperty('--font-size', `${fontSize}px`)
  }, [theme, density, fontSize])
}
