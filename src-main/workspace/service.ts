import { eq } from 'drizzle-orm'
import type { Db } from '../store/open'
import { workspaceLayouts } from './tables'
import type { Logger } from '../log'
import { AppError } from '../api/errors'
import { formatIssues } from '../api/format-issues'
import { workspaceLayoutSchema, type WorkspaceSaved } from '../api/schemas/workspace'
import { defaultLayout } from './defaults'

/**
 * Owns `workspace_layouts`: one validated layout per name. A layout that fails validation is refused and
 * the stored one stays as it was; a stored row that no longer validates (written by another version) reads
 * as the default layout, and is left in place until the next good save replaces it.
 */
export class WorkspaceService {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get(name: string): WorkspaceSaved {
    const row = this.db.select().from(workspaceLayouts).where(eq(workspaceLayouts.name, name)).get()
    if (row) {
      const parsed = workspaceLayoutSchema.safeParse(parseJson(row.layout))
      if (parsed.success) return { name, layout: parsed.data, savedAt: row.savedAt }
      this.log.warn(`stored workspace layout "${name}" is invalid; showing the default`, { issues: formatIssues(parsed.error) })
    }
    return { name, layout: defaultLayout(), savedAt: null }
  }

  save(name: string, layout: unknown): WorkspaceSaved {
    const parsed = workspaceLayoutSchema.safeParse(layout)
    if (!parsed.success) {
      throw new AppError('BAD_INPUT', `Workspace layout "${name}" not saved: ${formatIssues(parsed.error).replace(/^input: /, '')}`)
    }
    const text = JSON.stringify(parsed.data)
    const savedAt = this.now()
    this.db
      .insert(workspaceLayouts)
      .values({ name, layout: text, savedAt })
      .onConflictDoUpdate({ target: workspaceLayouts.name, set: { layout: text, savedAt } })
      .run()
    return { name, layout: parsed.data, savedAt }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
