import { BOOK_LEVELS, setViewOptions } from '../workspace/layout'
import { changeWorkspace } from '../workspace/workspaceStore'
import type { WorkspaceView } from '../../../src-main/api/contract'

/** How many levels per side a ladder or depth chart asks the engine for. */
export function LevelsPicker({ view, depth }: { view: WorkspaceView; depth: number }) {
  const choices = (BOOK_LEVELS as readonly number[]).includes(depth) ? BOOK_LEVELS : [...BOOK_LEVELS, depth].sort((a, b) => a - b)
  return (
    <select
      className="input input-compact"
      aria-label="Levels per side"
      title="Levels per side asked of the engine"
      value={depth}
      onChange={(e) => changeWorkspace((l) => setViewOptions(l, view.id, { depth: Number(e.target.value) }))}
      data-testid="book-depth"
    >
      {choices.map((n) => (
        <option key={n} value={n}>
          {n} lv
        </option>
      ))}
    </select>
  )
}
