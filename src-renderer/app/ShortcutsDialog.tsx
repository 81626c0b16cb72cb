import { useId } from 'react'
import { useOverlay } from './overlays'
import { Modal } from '../ui/Modal'
import { ShortcutList } from './ShortcutList'
import { KeyHints } from '../ui/Kbd'
import { useActions } from './hotkeys/useActions'

/** Mod+/: the registry's actions and keys, in a dialog. */
export function ShortcutsDialog() {
  const open = useOverlay((s) => s.open === 'shortcuts')
  const hide = useOverlay((s) => s.hide)
  const titleId = useId()
  const paletteKeys = useActions().find((a) => a.id === 'app.palette')?.keys
  if (!open) return null
  return (
    <Modal labelledBy={titleId} onClose={hide} className="shortcuts-dialog" testId="shortcuts-dialog">
      <header className="modal-head">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <span className="muted">
          Every action is also in the command palette <KeyHints keys={paletteKeys} />
        </span>
        <button type="button" className="btn" onClick={hide} data-autofocus>
          Close
        </button>
      </header>
      <div className="modal-body">
        <ShortcutList />
      </div>
    </Modal>
  )
}
