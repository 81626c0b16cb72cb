import { z } from 'zod'
import { positiveDecimal, triggerSourceSchema } from './trading'

// Alerts: price alerts held by the engine (persisted, re-armed at start, never fired by a stale book) and
// the notification centre's history. Each fired alert shows in the app, optionally as a desktop
// notification and as a JSON POST to a webhook.

const alertId = z.string().min(1).max(64)

export const alertConditionSchema = z.enum(['above', 'below'])
export const alertStatusSchema = z.enum(['active', 'fired', 'canceled'])

/** Only http(s): a webhook is a plain POST, and nothing else (file:, javascript:) may be called. */
export const webhookUrlSchema = z
  .string()
  .max(2000)
  .refine((s) => {
    try {
      const u = new URL(s)
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === ''
    } catch {
      return false
    }
  }, 'must be an http:// or https:// URL without a user name or password')

export const alertCreateSchema = z
  .object({
    venueId: z.string().min(1).max(100),
    symbol: z.string().min(3).max(40),
    condition: alertConditionSchema,
    price: positiveDecimal,
    source: triggerSourceSchema.default('last'),
    note: z.string().trim().max(200).optional(),
    desktop: z.boolean().default(true),
    webhookUrl: webhookUrlSchema.nullable().default(null),
    /** Fire each time the price comes back through the level, not only the first time. */
    repeat: z.boolean().default(false),
  })
  .strict()

export const alertViewSchema = z.object({
  id: z.string(),
  venueId: z.string(),
  venueLabel: z.string(),
  symbol: z.string(),
  condition: alertConditionSchema,
  price: z.string(),
  source: triggerSourceSchema,
  note: z.string().nullable(),
  desktop: z.boolean(),
  webhookUrl: z.string().nullable(),
  status: alertStatusSchema,
  repeat: z.boolean(),
  /** false while a repeating alert that fired waits for the price to come back across its level. */
  armed: z.boolean(),
  fireCount: z.number().int(),
  /** The source's current price (null before the first tick or once ended). */
  current: z.string().nullable(),
  /** Why it cannot fire now (a book not live), in words; null when it can. */
  waiting: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
})

export const alertEventSchema = z.object({
  id: z.number().int(),
  ruleId: z.string(),
  at: z.number().int(),
  venueId: z.string(),
  symbol: z.string(),
  price: z.string(),
  title: z.string(),
  body: z.string(),
  /** Whether the rule asked for a desktop notification. */
  desktop: z.boolean(),
  webhook: z.enum(['pending', 'delivered', 'failed']).nullable(),
  webhookDetail: z.string().nullable(),
})

/** Something the engine says once, to be shown as it happens (a fill of yours, when the setting asks). */
export const noticeSchema = z.object({
  kind: z.enum(['fill']),
  title: z.string(),
  body: z.string(),
  at: z.number().int(),
  /** Also a desktop notification (the desktop app's engine shows it; a browser page shows it if allowed). */
  desktop: z.boolean(),
})

export const alertsCommands = {
  /** A price alert; refused when the source price is already at or past the level (it would fire at once). */
  'alerts.create': { input: alertCreateSchema, output: alertViewSchema },
  'alerts.cancel': { input: z.object({ id: alertId }).strict(), output: alertViewSchema },
  /** Moves an active alert's level (same checks as at creation). */
  'alerts.amend': { input: z.object({ id: alertId, price: positiveDecimal }).strict(), output: alertViewSchema },
  'alerts.list': {
    input: z
      .object({
        scope: z.enum(['active', 'history']).default('active'),
        venueId: z.string().min(1).max(100).optional(),
        symbol: z.string().min(3).max(40).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.array(alertViewSchema),
  },
  /** The notification centre: fired alerts, newest first. */
  'alerts.events': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: z.array(alertEventSchema),
  },
} as const

export const alertsStreams = {
  /** Every change of an alert rule (created, amended, fired, canceled), the whole view. */
  'alerts.changed': { params: z.object({}).strict(), payload: alertViewSchema },
  /** Each alert that fired, and again when its webhook's delivery is settled. */
  'alerts.fired': { params: z.object({}).strict(), payload: alertEventSchema },
  /** Notices as they are raised (fills of yours, per the 'alerts.fills' setting). */
  'alerts.notices': { params: z.object({}).strict(), payload: noticeSchema },
} as const

export type AlertCondition = z.output<typeof alertConditionSchema>
export type AlertStatus = z.output<typeof alertStatusSchema>
export type AlertCreate = z.output<typeof alertCreateSchema>
export type AlertCreateInput = z.input<typeof alertCreateSchema>
export type AlertView = z.output<typeof alertViewSchema>
export type AlertEvent = z.output<typeof alertEventSchema>
export type Notice = z.output<typeof noticeSchema>
