import { Group, Panel as Pane, useDefaultLayout } from 'react-resizable-panels'
import { Splitter } from '../../ui/Splitter'
import { EnginePanel } from '../engine/EnginePanel'
import { ActivityPanel } from '../activity/ActivityPanel'
import { ShortcutsPanel } from './ShortcutsPanel'
import { PaperBalancePanel } from '../balances/PaperBalancePanel'

// Engine and Shortcuts stacked on the left, Activity above the paper balance on the right. Separators are focusable and
// resize with the arrow keys; the split is remembered in localStorage (it is screen layout, not data).
export function WorkspacePage() {
  const columns = useDefaultLayout({ id: 'workspace.columns', storage: localStorage })
  const left = useDefaultLayout({ id: 'workspace.left', storage: localStorage })
  const right = useDefaultLayout({ id: 'workspace.right', storage: localStorage })
  return (
    <Group
      orientation="horizontal"
      className="workspace"
      id="workspace-columns"
      defaultLayout={columns.defaultLayout}
      onLayoutChanged={columns.onLayoutChanged}
    >
      <Pane id="ws-left" defaultSize="38%" minSize="220px">
        <Group
          orientation="vertical"
          id="workspace-left"
          defaultLayout={left.defaultLayout}
          onLayoutChanged={left.onLayoutChanged}
        >
          <Pane id="ws-engine" defaultSize="30%" minSize="120px">
            <EnginePanel />
          </Pane>
          <Splitter aria-label="Resize Engine and Shortcuts" />
          <Pane id="ws-shortcuts" minSize="80px">
            <ShortcutsPanel />
          </Pane>
        </Group>
      </Pane>
      <Splitter aria-label="Resize left column and Activity" />
      <Pane id="ws-activity" minSize="240px">
        <Group
          orientation="vertical"
          id="workspace-right"
          defaultLayout={right.defaultLayout}
          onLayoutChanged={right.onLayoutChanged}
        >
          <Pane id="ws-activity-feed" minSize="120px">
            <ActivityPanel />
          </Pane>
          <Splitter aria-label="Resize Activity and Paper balance" />
          <Pane id="ws-paper" defaultSize="30%" minSize="90px">
            <PaperBalancePanel />
          </Pane>
        </Group>
      </Pane>
    </Group>
  )
}
