import { z } from 'zod'
import type { CommandName, StreamName } from './names'
import { settingKeySchema } from '../settings/definitions'

// The one contract between the engine and every screen. Each command has a zod input schema and an
// output schema (its typed result); each stream has a params schema and a payload schema. The router
// validates inputs; tests validate outputs. Preload and renderer import only the types below.

const empty = z.object({}).strict()

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  door: z.enum(['electron', 'headless', 'cli']),
  platform: z.string(),
  dataDir: z.string(),
  dbPath: z.string(),
  schemaVersion: z.string(),
  startedAt: z.number().int(),
})

const settingValueSchema = z.union([z.string(), z.number(), z.boolean()])

export const settingViewSchema = z.object({
  key: settingKeySchema,
  label: z.string(),
  description: z.string(),
  section: z.string(),
  kind: z.enum(['enum', 'number', 'boolean']),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  default: settingValueSchema,
  value: settingValueSchema,
  updatedAt: z.number().int().nullable(),
})

export const activityEntrySchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  kind: z.string(),
  message: z.string(),
})

export const backupResultSchema = z.object({
  path: z.string(),
  bytes: z.number().int(),
  pages: z.number().int(),
  tookMs: z.number(),
})

export const commands = {
  'app.info': { input: empty, output: appInfoSchema },
  'settings.list': { input: empty, output: z.array(settingViewSchema) },
  'settings.set': {
    input: z.object({ key: settingKeySchema, value: settingValueSchema }).strict(),
    output: settingViewSchema,
  },
  'settings.reset': { input: z.object({ key: settingKeySchema }).strict(), output: settingViewSchema },
  'store.backup': { input: empty, output: backupResultSchema },
  'activity.recent': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(activityEntrySchema),
  },
} satisfies Record<CommandName, { input: z.ZodType; output: z.ZodType }>

export const streams = {
  'settings.changed': { params: empty, payload: settingViewSchema },
  'activity.recorded': { params: empty, payload: activityEntrySchema },
} satisfies Record<StreamName, { params: z.ZodType; payload: z.ZodType }>

type Commands = typeof commands
type Streams = typeof streams
/** What a caller passes (defaults may be omitted). */
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>
/** What a handler receives after validation (defaults filled in). */
export type CommandArgs<N extends CommandName> = z.output<Commands[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>
export type StreamPayload<S extends StreamName> = z.output<Streams[S]['payload']>

export type AppInfo = z.output<typeof appInfoSchema>
export type SettingView = z.output<typeof settingViewSchema>
export type ActivityEntry = z.output<typeof activityEntrySchema>
export type BackupResult = z.output<typeof backupResultSchema>

export type { CommandName, StreamName } from './names'
export type { Reply, ApiErrorBody, ErrorCode } from './errors'
