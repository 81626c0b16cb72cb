import { useOverlay } from './overlays'
import { useActions } from './hotkeys/useActions'
import { KeyHints } from '../ui/Kbd'

/** Page title and the palette button (the mouse way into every action). */
export function PageHeader({ title }: { title: string }) {
  const toggle = useOverlay((s) => s.toggle)
  const paletteKeys = useActions().find((a) => a.id === 'app.palette')?.keys
  return (
    <header className="page-header">
      <h1 className="page-title">{title}</h1>
      <button type="button" className="palette-button" onClick={() => toggle('palette')} data-testid="open-palette">
        <span>Search actions…</span>
        <KeyHints keys={paletteKeys} />
      </button>
    </header>
  )
}
