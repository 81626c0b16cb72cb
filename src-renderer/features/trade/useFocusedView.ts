import { focusedView } from '../workspace/layout'
import { useWorkspace } from '../workspace/workspaceStore'
import type { WorkspaceView } from '../../../src-main/api/contract'

/** The view keys and "Open market…" act on (null before the layout loads or with no view open). */
export function useFocusedView(): WorkspaceView | null {
  return useWorkspace((s) => (s.layout ? focusedView(s.layout) : null))
}
