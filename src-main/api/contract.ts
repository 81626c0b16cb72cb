import { z } from 'zod'
import type { CommandName, StreamName } from './names'
import { settingKeySchema } from '../settings/definitions'
import { exchangeIds } from '../accounts/exchanges'
import {
  accountAddInputSchema,
  accountIdSchema,
  accountUpdateInputSchema,
  passphraseSchema,
  venueErrorKinds,
} from '../accounts/validation'
import { venueCommands, venueStreams, venueViewSchema } from './schemas/venues'
import { marketCommands, marketStreams } from './schemas/market'
import { workspaceCommands, workspaceStreams } from './schemas/workspace'
import { tradingCommands, tradingStreams } from './schemas/trading'
import { portfolioCommands, portfolioStreams } from './schemas/portfolio'
import { copyCommands, copyStreams } from './schemas/copy'
import { alertsCommands, alertsStreams } from './schemas/alerts'
import { taxCommands } from './schemas/tax'
import { analyticsCommands } from './schemas/analytics'
import { lockCommands, lockStreams } from './schemas/lock'
import { auditCommands, auditStreams } from './schemas/audit'

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

// Exchange accounts and the key store. No schema below has room for a credential: an account shows only
// its key hint ("••••1234"); credentials travel one way, in accounts.add / accounts.update inputs.
export const exchangeInfoSchema = z.object({
  id: z.enum(exchangeIds),
  name: z.string(),
  /** The exchange wants the passphrase chosen with the key (ccxt's `password`). */
  needsPassword: z.boolean(),
  /** ccxt has a sandbox (test network) for it. */
  sandbox: z.boolean(),
  defaultApiOrigin: z.string(),
  apiKeyFormat: z.string(),
  secretFormat: z.string(),
})

export const accountTestSchema = z.object({
  ok: z.boolean(),
  kind: z.enum(venueErrorKinds).nullable(),
  message: z.string(),
  canTrade: z.boolean().nullable(),
  balanceCount: z.number().int(),
  latencyMs: z.number().int(),
  at: z.number().int(),
})

export const accountViewSchema = z
  .object({
    id: z.string(),
    exchange: z.string(),
    exchangeName: z.string(),
    label: z.string(),
    sandbox: z.boolean(),
    apiBaseUrl: z.string().nullable(),
    keyHint: z.string().regex(/^••••.{0,4}$/),
    keyMode: z.enum(['keychain', 'passphrase']).nullable(),
    canTrade: z.boolean().nullable(),
    lastTest: accountTestSchema.nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .strict()

export const accountTestResultSchema = accountTestSchema.extend({ accountId: z.string() }).strict()

export const secretsStatusSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('keychain'), locked: z.literal(false), detail: z.string() }).strict(),
  z.object({ mode: z.literal('passphrase'), locked: z.boolean(), detail: z.string() }).strict(),
  z
    .object({ mode: z.literal('unavailable'), locked: z.literal(true), reason: z.string(), canUsePassphrase: z.boolean() })
    .strict(),
])

/** What removing an account stops (asked before the removal dialog confirms); counts are of what is live now. */
export const accountRemovalImpactSchema = z
  .object({
    accountId: z.string(),
    label: z.string(),
    /** Live copy relationships the account leads or follows in: they end. */
    copyRelationships: z.array(
      z.object({ id: z.string(), role: z.enum(['leader', 'follower']), leaderLabel: z.string(), followerLabel: z.string() }).strict(),
    ),
    /** Armed or waiting conditional orders held in the app on it: they are canceled. */
    conditionalOrders: z.number().int().nonnegative(),
    /** Active price alerts on it: they are canceled. */
    alerts: z.number().int().nonnegative(),
    /** Active risk alerts watching it alone: they are canceled. */
    riskAlerts: z.number().int().nonnegative(),
    /** Orders open on the exchange through it (native stops included): they stay there; the app lists them as left on the exchange. */
    openOrders: z.number().int().nonnegative(),
  })
  .strict()

export const accountsChangedSchema = z.object({
  change: z.enum(['added', 'updated', 'removed', 'tested']),
  id: z.string(),
  account: accountViewSchema.nullable(),
  /** 'updated': whether where or how it connects changed (keys, sandbox, base URL), not only its label. */
  reconnects: z.boolean().optional(),
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
    /** The newest `limit` entries, oldest first; with `before` (an entry's id), the newest of those older than it. */
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200), before: z.number().int().min(1).optional() }).strict(),
    output: z.array(activityEntrySchema),
  },
  'exchanges.list': { input: empty, output: z.array(exchangeInfoSchema) },
  'accounts.list': { input: empty, output: z.array(accountViewSchema) },
  'accounts.add': { input: accountAddInputSchema, output: accountViewSchema },
  'accounts.update': { input: accountUpdateInputSchema, output: accountViewSchema },
  'accounts.remove': {
    input: z.object({ id: accountIdSchema }).strict(),
    output: z.object({ id: z.string(), removed: z.literal(true) }),
  },
  'accounts.test': { input: z.object({ id: accountIdSchema }).strict(), output: accountTestResultSchema },
  'accounts.removalImpact': { input: z.object({ id: accountIdSchema }).strict(), output: accountRemovalImpactSchema },
  /** A fresh connection for the account (after the exchange refused its key and the cause was fixed there); its venue's status after. */
  'accounts.reconnect': { input: z.object({ id: accountIdSchema }).strict(), output: venueViewSchema },
  'secrets.status': { input: empty, output: secretsStatusSchema },
  'secrets.usePassphrase': { input: z.object({ passphrase: passphraseSchema }).strict(), output: secretsStatusSchema },
  'secrets.unlock': { input: z.object({ passphrase: passphraseSchema }).strict(), output: secretsStatusSchema },
  // Deletes the credentials sealed with a lost master key (they can never be opened) and makes a new key.
  'secrets.resetMasterKey': { input: empty, output: secretsStatusSchema },
  ...venueCommands,
  ...marketCommands,
  ...workspaceCommands,
  ...tradingCommands,
  ...portfolioCommands,
  ...copyCommands,
  ...alertsCommands,
  ...taxCommands,
  ...analyticsCommands,
  ...lockCommands,
  ...auditCommands,
} satisfies Record<CommandName, { input: z.ZodType; output: z.ZodType }>

export const streams = {
  'settings.changed': { params: empty, payload: settingViewSchema },
  'activity.recorded': { params: empty, payload: activityEntrySchema },
  'accounts.changed': { params: empty, payload: accountsChangedSchema },
  ...venueStreams,
  ...workspaceStreams,
  ...marketStreams,
  ...tradingStreams,
  ...portfolioStreams,
  ...copyStreams,
  ...alertsStreams,
  ...lockStreams,
  ...auditStreams,
} satisfies Record<StreamName, { params: z.ZodType; payload: z.ZodType }>

type Commands = typeof commands
type Streams = typeof streams
/** What a caller passes (defaults may be omitted). */
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>
/** What a handler receives after validation (defaults filled in). */
export type CommandArgs<N extends CommandName> = z.output<Commands[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>
/** What a stream source receives after validation (defaults filled in). */
export type StreamArgs<S extends StreamName> = z.output<Streams[S]['params']>
export type StreamPayload<S extends StreamName> = z.output<Streams[S]['payload']>

export type AppInfo = z.output<typeof appInfoSchema>
export type SettingView = z.output<typeof settingViewSchema>
export type ActivityEntry = z.output<typeof activityEntrySchema>
export type BackupResult = z.output<typeof backupResultSchema>
export type ExchangeInfo = z.output<typeof exchangeInfoSchema>
export type AccountView = z.output<typeof accountViewSchema>
export type AccountTestResult = z.output<typeof accountTestResultSchema>
export type SecretsStatusView = z.output<typeof secretsStatusSchema>
export type AccountsChanged = z.output<typeof accountsChangedSchema>
export type AccountRemovalImpact = z.output<typeof accountRemovalImpactSchema>

export type * from './schemas/venues'
export type * from './schemas/market'
export type * from './schemas/workspace'
export type * from './schemas/trading'
export type * from './schemas/alerts'
export type * from './schemas/tax'
export type * from './schemas/analytics'
export type * from './schemas/lock'
export type * from './schemas/audit'
export type * from './schemas/files'
export type { CommandName, StreamName } from './names'
export type { Reply, ApiErrorBody, ErrorCode } from './errors'
