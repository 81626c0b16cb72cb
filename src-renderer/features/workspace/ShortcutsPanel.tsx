import { Panel } from '../../ui/Panel'
import { ShortcutList } from '../../app/ShortcutList'
import { useActions } from '../../app/hotkeys/useActions'

export function ShortcutsPanel() {
  const count = useActions().length
  return (
    <Panel title="Shortcuts" tools={<span className="muted">{count} actions</span>} testId="panel-shortcuts">
      <ShortcutList />
    </Panel>
  )
}
