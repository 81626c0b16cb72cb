import { z } from 'zod'
import { marketSymbolSchema, timeframeSchema } from './market'

// The Trade page's workspace: which market views are open, in which columns, at which sizes, bound to
// which market, and which one has focus. Saved as one validated JSON document per named layout.
// Sizes are percentages (0..100) of the parent: a column's share of the page's width (the watchlist
// takes the rest), a view's share of its column's height. They need not add up to 100 exactly; the
// screen scales them.

export const MAX_VIEWS = 16
export const MAX_COLUMNS = 8
/** Markets the user can pin to the watchlist. */
export const MAX_WATCHLIST = 100
export const viewKinds = ['book', 'depth', 'tape', 'candles', 'aggregate', 'orders'] as const
export const groupMultiples = [1, 10, 100, 1000] as const

const idSchema = z
  .string()
  .min(1, 'id is required')
  .max(40, 'id must be at most 40 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'id must be letters, digits, - or _')
const sizeSchema = z
  .number({ error: 'size must be a number' })
  .min(0, 'size must be between 0 and 100')
  .max(100, 'size must be between 0 and 100')
export const layoutNameSchema = z
  .string()
  .min(1, 'name is required')
  .max(40, 'name must be at most 40 characters')
  .regex(/^[A-Za-z0-9 _.-]+$/, 'name must be letters, digits, spaces, -, _ or .')

export const viewKindSchema = z.enum(viewKinds, { error: `kind must be one of ${viewKinds.join(', ')}` })
const venueIdSchema = z.string().min(1, 'venueId is required').max(100, 'venueId must be at most 100 characters')

/** A market pinned to the watchlist. */
export const watchlistMarketSchema = z.object({ venueId: venueIdSchema, symbol: marketSymbolSchema }).strict()

export const workspaceViewSchema = z
  .object({
    id: idSchema,
    kind: viewKindSchema,
    venueId: venueIdSchema,
    symbol: marketSymbolSchema,
    size: sizeSchema,
    /** Order book: price grouping as a multiple of the tick. */
    group: z.literal(groupMultiples, { error: `group must be one of ${groupMultiples.join(', ')}` }).optional(),
    /** Order book and depth chart: levels per side asked of the engine. */
    depth: z.number().int('depth must be a whole number').min(1, 'depth must be at least 1').max(200, 'depth must be at most 200').optional(),
    /** Candle chart: the timeframe shown. */
    timeframe: timeframeSchema.optional(),
  })
  .strict()

export const workspaceColumnSchema = z
  .object({
    id: idSchema,
    size: sizeSchema,
    views: z.array(workspaceViewSchema).min(1, 'a column holds at least one view').max(MAX_VIEWS, `a column holds at most ${MAX_VIEWS} views`),
  })
  .strict()

export const workspaceLayoutSchema = z
  .object({
    version: z.literal(1, { error: 'version must be 1' }),
    /** The watchlist's share of the page's width. */
    watchlist: sizeSchema,
    /** The markets pinned to the watchlist, in the user's order (absent in layouts saved before pinning existed). */
    watchlistMarkets: z.array(watchlistMarketSchema).max(MAX_WATCHLIST, `at most ${MAX_WATCHLIST} markets in the watchlist`).optional(),
    columns: z.array(workspaceColumnSchema).max(MAX_COLUMNS, `at most ${MAX_COLUMNS} columns`),
    /** The view keys and "Open market…" act on; null when there is none. */
    focused: idSchema.nullable(),
  })
  .strict()
  .superRefine((layout, ctx) => {
    const views = layout.columns.flatMap((c) => c.views)
    if (views.length > MAX_VIEWS) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: `at most ${MAX_VIEWS} views (got ${views.length})` })
    }
    const seen = new Set<string>()
    for (const id of [...layout.columns.map((c) => c.id), ...views.map((v) => v.id)]) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['columns'], message: `id "${id}" is used twice` })
      seen.add(id)
    }
    const pinned = new Set<string>()
    for (const m of layout.watchlistMarkets ?? []) {
      const key = `${m.venueId}|${m.symbol}`
      if (pinned.has(key)) ctx.addIssue({ code: 'custom', path: ['watchlistMarkets'], message: `${m.symbol} on ${m.venueId} is in the watchlist twice` })
      pinned.add(key)
    }
    if (layout.focused !== null && !views.some((v) => v.id === layout.focused)) {
      ctx.addIssue({ code: 'custom', path: ['focused'], message: `focused view "${layout.focused}" is not in the layout` })
    }
  })

export const workspaceSavedSchema = z.object({
  name: z.string(),
  layout: workspaceLayoutSchema,
  /** When it was saved (ms); null for the default layout (nothing saved yet). */
  savedAt: z.number().int().nullable(),
  /**
   * Set when the stored layout no longer validated (hand-edited, another version) and this is what still
   * read of it: what was left out, and the name the stored row is copied to before the next save
   * replaces it (workspace.get with that name shows it again).
   */
  recovered: z
    .object({
      dropped: z.array(z.string()),
      keptAs: z.string(),
    })
    .optional(),
})

export const workspaceCommands = {
  'workspace.get': {
    input: z.object({ name: layoutNameSchema.default('default') }).strict(),
    output: workspaceSavedSchema,
  },
  'workspace.save': {
    input: z
      .object({
        name: layoutNameSchema.default('default'),
        layout: workspaceLayoutSchema,
        /**
         * The savedAt this layout was read (or last saved) at; null: the default, nothing saved yet. When the
         * stored one has changed since (another window saved), the save is refused with CONFLICT.
         */
        expectedSavedAt: z.number().int().nullable().optional(),
      })
      .strict(),
    output: workspaceSavedSchema,
  },
} as const

export const workspaceStreams = {
  /** A layout was saved (by any window): one with no unsaved change of its own loads it again. */
  'workspace.changed': { params: z.object({}).strict(), payload: z.object({ name: z.string(), savedAt: z.number().int() }) },
} as const

export type WorkspaceViewKind = z.output<typeof viewKindSchema>
export type WorkspaceView = z.output<typeof workspaceViewSchema>
export type WorkspaceColumn = z.output<typeof workspaceColumnSchema>
export type WorkspaceLayout = z.output<typeof workspaceLayoutSchema>
export type WorkspaceSaved = z.output<typeof workspaceSavedSchema>
export type GroupMultipleView = (typeof groupMultiples)[number]
