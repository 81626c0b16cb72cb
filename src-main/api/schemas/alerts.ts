import Decimal from 'decimal.js'
import { z } from 'zod'
import { positiveDecimal, triggerSourceSchema, withinMarketDigits } from './trading'
import { decimalStringSchema } from './venues'
import { reportingCurrencySchema } from './portfolio'
import { isLoopbackHost } from './loopback'

// Alerts: price alerts held by the engine (persisted, re-armed at start, never fired by a stale book) and
// the notification centre's history. Each fired alert shows in the app, optionally as a desktop
// notification and as a JSON POST to a webhook.

const alertId = z.string().min(1).max(64)

/**
 * A price alert's level: a positive decimal of at most 20 digits before the point and 18 after it (zeros
 * that carry nothing not counted): more than any market prices in, and a typing slip rather than a level.
 */
const alertLevel = positiveDecimal.refine(withinMarketDigits, 'a level has at most 20 digits before the point and 18 after it')

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

/** How a new alert (price or risk) is said and how often it fires. */
const channelsInput = {
  note: z.string().trim().max(200).optional(),
  desktop: z.boolean().default(true),
  webhookUrl: webhookUrlSchema.nullable().default(null),
  /** Fire each time the figure comes back through the level, not only the first time. */
  repeat: z.boolean().default(false),
  /** Also send it by email (the alerts' mail settings must be saved first). */
  email: z.boolean().default(false),
}

/** An alert rule's channels and state (price and risk alike). */
const ruleState = {
  note: z.string().nullable(),
  desktop: z.boolean(),
  webhookUrl: z.string().nullable(),
  email: z.boolean(),
  status: alertStatusSchema,
  repeat: z.boolean(),
  /** false while a repeating alert that fired waits for its figure to come back across the level. */
  armed: z.boolean(),
  fireCount: z.number().int(),
}

export const alertCreateSchema = z
  .object({
    venueId: z.string().min(1).max(100),
    symbol: z.string().min(3).max(40),
    condition: alertConditionSchema,
    price: alertLevel,
    source: triggerSourceSchema.default('last'),
    ...channelsInput,
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
  ...ruleState,
  /** Why it was canceled when not by you (its account was removed); null otherwise. */
  reason: z.string().nullable(),
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
  /** 'price': venueId, symbol and price are the market's; 'risk': venueId is the account (or 'mine'), symbol the metric, price its value. */
  kind: z.enum(['price', 'risk']),
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
  email: z.enum(['pending', 'delivered', 'failed']).nullable(),
  emailDetail: z.string().nullable(),
})

/**
 * Risk alerts: a portfolio figure reaching a threshold — its value, the P&L of the last 24 hours (net of
 * deposits), or the drawdown from the highest value seen since the alert was set (deposits and
 * withdrawals move the high with them) — for the user's own accounts together or one ledger account, in
 * one reporting currency.
 */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/

export const riskMetricSchema = z.enum(['value', 'pnl24h', 'drawdown'])

export const riskAlertCreateSchema = z
  .object({
    metric: riskMetricSchema,
    /** One ledger account; null (default) for the user's own accounts together. */
    account: z.string().min(1).max(100).nullable().default(null),
    /** Default: the reporting currency setting. */
    currency: reportingCurrencySchema.optional(),
    /** 'below': fires when the figure falls to the threshold or under it; 'above': rises to it or over. A drawdown reaches it ('above'). */
    condition: alertConditionSchema,
    /** An amount in the currency (the P&L may be negative), or for the drawdown a percentage. */
    threshold: decimalStringSchema.max(40),
    ...channelsInput,
  })
  .strict()
  .superRefine((v, ctx) => {
    // Exact (a float would round 99.99999999999999999 up to 100); a threshold that is no number has its own issue.
    const n = PLAIN_DECIMAL.test(v.threshold) ? new Decimal(v.threshold) : null
    if (n !== null && v.metric === 'value' && !n.gt(0)) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a portfolio value must be greater than zero' })
    if (n !== null && v.metric === 'drawdown' && !(n.gt(0) && n.lt(100))) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a drawdown is a percentage greater than 0 and less than 100' })
    if (v.metric === 'drawdown' && v.condition !== 'above') ctx.addIssue({ code: 'custom', path: ['condition'], message: 'a drawdown alert fires when the drawdown reaches its threshold: use "above"' })
  })

export const riskAlertViewSchema = z.object({
  id: z.string(),
  metric: riskMetricSchema,
  account: z.string().nullable(),
  /** "My accounts", or the account's label. */
  accountLabel: z.string(),
  currency: reportingCurrencySchema,
  condition: alertConditionSchema,
  threshold: z.string(),
  ...ruleState,
  /** Why it was canceled when not by you (the account it watches was removed); null otherwise. */
  reason: z.string().nullable(),
  /** The figure now (the drawdown in % to two places); null before the first valuation or once ended. */
  current: z.string().nullable(),
  /** The drawdown's high in the currency (moved with money deposited or withdrawn since); null for the other metrics. */
  peak: z.string().nullable(),
  /** Why it cannot fire now (an asset without a price), in words; null when it can. */
  waiting: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
})

const emailAddress = z.email('must be an email address such as me@example.com').max(320)

/**
 * The SMTP server alert emails go through. The password travels one way (in): omitted, the saved one is
 * kept; null removes it. It is sealed with the master key, as exchange credentials are.
 */
export const emailSettingsInputSchema = z
  .object({
    host: z
      .string()
      .trim()
      .min(1, 'give the SMTP server, such as smtp.example.com')
      .max(253)
      // An IPv6 address is kept without its brackets (as the connection wants it).
      .transform((h) => (/^\[.*:.*\]$/.test(h) ? h.slice(1, -1) : h))
      .refine((h) => /^[A-Za-z0-9.-]+$/.test(h) || z.ipv6().safeParse(h).success, 'must be a host name or an IP address (IPv4 or IPv6), such as smtp.example.com'),
    port: z.number().int().min(1).max(65535),
    security: z.enum(['tls', 'starttls', 'none']),
    username: z.string().trim().max(320).nullable().default(null),
    password: z.string().max(1000).nullable().optional(),
    from: emailAddress,
    to: emailAddress,
  })
  .strict()
  .superRefine((v, ctx) => {
    // Removing the saved password is never refused, whatever the rest says (settings saved before "none"
    // was limited to this machine could otherwise not get rid of it); sending is checked again anyway.
    if (v.password === null) return
    const login = (v.username !== null && v.username !== '') || (typeof v.password === 'string' && v.password !== '')
    const refused = plainLoginRefusal(v.security, v.host, login)
    if (refused) ctx.addIssue({ code: 'custom', path: ['security'], message: refused })
  })

/**
 * Why a login may not be sent with these settings, or null: security "none" sends it in clear, so only to a
 * relay on this machine (checked on save, and again before sending settings saved earlier).
 */
export function plainLoginRefusal(security: 'tls' | 'starttls' | 'none', host: string, login: boolean): string | null {
  if (security !== 'none' || !login || isLoopbackHost(host)) return null
  return `choose TLS or STARTTLS to send a password to ${host} (none is for a local relay)`
}

export const emailSettingsViewSchema = z
  .object({
    host: z.string(),
    port: z.number().int(),
    security: z.enum(['tls', 'starttls', 'none']),
    username: z.string().nullable(),
    /** Whether a password is saved; the password itself never leaves the engine. */
    hasPassword: z.boolean(),
    from: z.string(),
    to: z.string(),
    updatedAt: z.number().int(),
  })
  .strict()

export const deliveryResultSchema = z.object({ delivered: z.boolean(), detail: z.string() })

/** Something the engine says once, to be shown as it happens (a fill of yours, a stop that fired or failed). */
export const noticeSchema = z.object({
  kind: z.enum(['fill', 'conditional']),
  /** 'error': something the trader must act on (a conditional order whose order was refused). */
  severity: z.enum(['info', 'error']),
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
  'alerts.amend': { input: z.object({ id: alertId, price: alertLevel }).strict(), output: alertViewSchema },
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
  /** Where alert emails go; null until saved. */
  'alerts.emailGet': { input: z.object({}).strict(), output: emailSettingsViewSchema.nullable() },
  'alerts.emailSet': { input: emailSettingsInputSchema, output: emailSettingsViewSchema },
  /** Sends a test email with the saved settings and says what the server answered. */
  'alerts.emailTest': { input: z.object({}).strict(), output: deliveryResultSchema },
  /** A risk alert; refused when the figure is already at or past the threshold (it would fire at once). */
  'alerts.riskCreate': { input: riskAlertCreateSchema, output: riskAlertViewSchema },
  'alerts.riskCancel': { input: z.object({ id: alertId }).strict(), output: riskAlertViewSchema },
  'alerts.riskList': {
    input: z.object({ scope: z.enum(['active', 'history']).default('active'), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(riskAlertViewSchema),
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
  /** Every change of a risk alert (created, fired, re-armed, canceled; its figure as it moves, at most 4 a second). */
  'alerts.riskChanged': { params: z.object({}).strict(), payload: riskAlertViewSchema },
  /** Each alert that fired, and again when its webhook's delivery is settled. */
  'alerts.fired': { params: z.object({}).strict(), payload: alertEventSchema },
  /** Notices as they are raised (fills of yours, conditional orders triggered or failed; per Settings → Alerts). */
  'alerts.notices': { params: z.object({}).strict(), payload: noticeSchema },
} as const

export type AlertCondition = z.output<typeof alertConditionSchema>
export type AlertStatus = z.output<typeof alertStatusSchema>
export type AlertCreate = z.output<typeof alertCreateSchema>
export type AlertCreateInput = z.input<typeof alertCreateSchema>
export type AlertView = z.output<typeof alertViewSchema>
export type AlertEvent = z.output<typeof alertEventSchema>
export type Notice = z.output<typeof noticeSchema>
export type EmailSettingsInput = z.output<typeof emailSettingsInputSchema>
export type EmailSettingsView = z.output<typeof emailSettingsViewSchema>
export type DeliveryResult = z.output<typeof deliveryResultSchema>
export type RiskMetric = z.output<typeof riskMetricSchema>
export type RiskAlertCreate = z.output<typeof riskAlertCreateSchema>
export type RiskAlertCreateInput = z.input<typeof riskAlertCreateSchema>
export type RiskAlertView = z.output<typeof riskAlertViewSchema>
