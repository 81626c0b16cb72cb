import type { HandlerSlice } from '../router'
import type { WorkspaceService } from '../../workspace/service'

export function workspaceHandlers(workspace: WorkspaceService): HandlerSlice<'workspace.get' | 'workspace.save'> {
  return {
    'workspace.get': ({ name }) => workspace.get(name),
    'workspace.save': ({ name, layout, expectedSavedAt }) => workspace.save(name, layout, expectedSavedAt),
  }
}
