import { eq } from 'drizzle-orm'
import type { Db } from '../store/open'
import { workspaceLayouts } from './tables'
import type { Logger } from '../log'
import type { EventBus } from '../bus'
import { AppError } from '../api/errors'
import { formatIssues } from '../api/format-issues'
import { workspaceLayoutSchema, type WorkspaceSaved } from '../api/schemas/workspace'
import { defaultLayout } from './defaults'
import { salvageLayout } from './salvage'

/**
 * Owns `workspace_layouts`: one validated layout per name. A layout that fails validation is refused and
 * the stored one stays as it was. A stored row that no longer validates (hand-edited, written by another
 * version) reads as what still validates of it (salvage.ts), with what was left out in `recovered`; the
 * save that first replaces it copies the row to a backup name first, so nothing the user had is lost.
 */
export class WorkspaceService {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly bus?: EventBus,
  ) {}

  get(name: string): WorkspaceSaved {
    const row = this.db.select().from(workspaceLayouts).where(eq(workspaceLayouts.name, name)).get()
    if (!row) return { name, layout: defaultLayout(), savedAt: null }
    const raw = parseJson(row.layout)
    const parsed = workspaceLayoutSchema.safeParse(raw)
    if (parsed.success) return { name, layout: parsed.data, savedAt: row.savedAt }
    const { layout, dropped } = salvageLayout(raw)
    const keptAs = backupName(name, row.savedAt)
    this.log.warn(`stored workspace layout "${name}" is invalid; showing what still reads of it`, { dropped, keptAs, issues: formatIssues(parsed.error) })
    return { name, layout, savedAt: row.savedAt, recovered: { dropped, keptAs } }
  }

  /**
   * Saves `layout` under `name`. With `expectedSavedAt` (the savedAt the caller read; null: nothing was
   * saved), refuses with CONFLICT when the stored layout is another version: a window saving what it
   * loaded before another window's save would wipe that change. savedAt only grows, so it names a version.
   */
  save(name: string, layout: unknown, expectedSavedAt?: number | null): WorkspaceSaved {
    const parsed = workspaceLayoutSchema.safeParse(layout)
    if (!parsed.success) {
      throw new AppError('BAD_INPUT', `Workspace layout "${name}" not saved: ${formatIssues(parsed.error).replace(/^input: /, '')}`)
    }
    const text = JSON.stringify(parsed.data)
    const saved = this.db.transaction(
      (tx) => {
        const old = tx.select().from(workspaceLayouts).where(eq(workspaceLayouts.name, name)).get()
        if (expectedSavedAt !== undefined && (old?.savedAt ?? null) !== expectedSavedAt) {
          throw new AppError('CONFLICT', 'The workspace was changed in another window: load it again and re-apply the change')
        }
        const savedAt = old === undefined ? this.now() : Math.max(this.now(), old.savedAt + 1)
        // The row this save replaces did not validate: it was read salvaged, so keep it as it was first.
        if (old && !workspaceLayoutSchema.safeParse(parseJson(old.layout)).success) {
          tx.insert(workspaceLayouts)
            .values({ name: backupName(name, old.savedAt), layout: old.layout, savedAt: old.savedAt })
            .onConflictDoNothing()
            .run()
        }
        tx.insert(workspaceLayouts)
          .values({ name, layout: text, savedAt })
          .onConflictDoUpdate({ target: workspaceLayouts.name, set: { layout: text, savedAt } })
          .run()
        return { name, layout: parsed.data, savedAt }
      },
      { behavior: 'immediate' },
    )
    this.bus?.emit('workspaceSaved', { name, savedAt: saved.savedAt })
    return saved
  }
}

/** Where a stored row that no longer validates is kept: a name workspace.get accepts (at most 40 characters). */
export function backupName(name: string, savedAt: number): string {
  const suffix = `.backup-${savedAt}`
  return `${name.slice(0, 40 - suffix.length)}${suffix}`
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
