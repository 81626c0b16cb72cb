import { z } from 'zod'
import type { VenueErrorKind } from '../venues/port'
import { exchangeIds, exchangeSpecs, isExchangeId, isPem, type CredentialFormat, type ExchangeId } from './exchanges'

// Input rules for accounts, with messages that say exactly what is wrong and never repeat a credential.
// Used twice: by the contract (the router refuses bad input before any handler runs) and by the
// AccountsService itself (for callers inside the engine, and for checks that need the stored exchange).

export const MAX_LABEL = 64

export const labelSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'Give the account a name')
      .max(MAX_LABEL, `Names are at most ${MAX_LABEL} characters`)
      .refine((s) => !/\p{Cc}/u.test(s), 'Names cannot contain control characters'),
  )

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * A custom REST origin ("https://api.example.com", "http://127.0.0.1:8080"): https, or http on this
 * machine only (the API key would otherwise cross the network in clear). Stored as the URL's origin.
 */
export const apiBaseUrlSchema = z
  .string()
  .max(2048, 'The base URL is too long')
  .transform((raw, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    if (raw.trim() !== raw || /\s/.test(raw)) return fail('The base URL cannot contain spaces')
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      return fail('The base URL is not a valid URL (expected e.g. https://api.example.com)')
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return fail(`The base URL must start with https:// or http:// (got ${url.protocol.slice(0, 16)})`)
    }
    if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
      return fail('Plain http:// is only allowed for this machine (localhost, 127.0.0.1); use https://')
    }
    if (url.username || url.password) return fail('The base URL cannot contain a user name or password')
    if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
      return fail('The base URL cannot have a query (?…) or fragment (#…)')
    }
    if (url.pathname !== '/' && url.pathname !== '') {
      return fail('The base URL must be an origin only, like https://api.example.com (no path)')
    }
    return url.origin
  })

export const credentialsSchema = z
  .object({
    apiKey: z.string().max(4096, 'The API key is too long'),
    secret: z.string().max(16384, 'The secret is too long'),
    password: z.string().max(256, 'The passphrase is too long').optional(),
  })
  .strict()
export type CredentialsInput = z.output<typeof credentialsSchema>

export interface Issue {
  path: (string | number)[]
  message: string
}

/** Everything wrong with these credentials for this exchange (empty when they look right). */
export function credentialIssues(exchange: ExchangeId, creds: CredentialsInput): Issue[] {
  const spec = exchangeSpecs[exchange]
  const issues: Issue[] = []
  const check = (field: 'apiKey' | 'secret', label: string, formats: CredentialFormat[]) => {
    const value = creds[field]
    if (value.length === 0) return issues.push({ path: [field], message: `The ${label} is empty` })
    const pem = field === 'secret' && isPem(value)
    const candidate = pem ? value.trim() : value
    if (!pem && /\s/.test(value)) {
      return issues.push({ path: [field], message: `The ${label} contains spaces or line breaks; paste it again without them` })
    }
    if (!formats.some((f) => f.pattern.test(candidate))) {
      const accepted = formats.map((f) => f.describe)
      const list = accepted.length > 1 ? `${accepted.slice(0, -1).join(', ')} or ${accepted.at(-1)}` : accepted[0]
      issues.push({
        path: [field],
        message: `${spec.name} ${label}s are ${list}; this one (${candidate.length} characters) is not`,
      })
    }
    return undefined
  }
  check('apiKey', 'API key', spec.apiKey)
  check('secret', 'secret', spec.secret)
  const password = creds.password
  if (spec.needsPassword) {
    if (password === undefined || password.length === 0) {
      issues.push({ path: ['password'], message: `${spec.name} needs the passphrase you chose when you created the API key` })
    } else if (password.trim() !== password) {
      issues.push({ path: ['password'], message: 'The passphrase starts or ends with a space; paste it again without it' })
    } else if (/\p{Cc}/u.test(password)) {
      issues.push({ path: ['password'], message: 'The passphrase contains control characters' })
    }
  } else if (password !== undefined && password.length > 0) {
    issues.push({ path: ['password'], message: `${spec.name} API keys have no passphrase; leave it empty` })
  }
  return issues
}

export function unknownExchangeMessage(id: string): string {
  return `Unknown exchange ${JSON.stringify(id.slice(0, 40))}; supported: ${exchangeIds.join(', ')}`
}

export function sandboxMessage(exchange: ExchangeId): string {
  return `${exchangeSpecs[exchange].name} has no sandbox (test network) in ccxt; turn sandbox off`
}

export const accountIdSchema = z.string().min(1, 'Missing account id').max(64, 'Account ids are at most 64 characters')

export const accountAddInputSchema = z
  .object({
    exchange: z.string().max(64),
    label: labelSchema,
    sandbox: z.boolean().default(false),
    apiBaseUrl: apiBaseUrlSchema.nullable().default(null),
    credentials: credentialsSchema,
  })
  .strict()
  .superRefine(
    (input, ctx) => {
      if (!isExchangeId(input.exchange)) {
        ctx.addIssue({ code: 'custom', path: ['exchange'], message: unknownExchangeMessage(input.exchange) })
        return
      }
      if (input.sandbox && !exchangeSpecs[input.exchange].sandbox) {
        ctx.addIssue({ code: 'custom', path: ['sandbox'], message: sandboxMessage(input.exchange) })
      }
      for (const issue of credentialIssues(input.exchange, input.credentials)) {
        ctx.addIssue({ code: 'custom', path: ['credentials', ...issue.path], message: issue.message })
      }
    },
    // Also when the name or the URL is wrong (zod skips refinements after any issue by default): the form
    // then shows every mistake in one answer, not one per try. Needs only exchange, sandbox and credentials.
    { when: (payload) => payload.issues.every((i) => (i.path?.length ?? 0) > 0 && !['exchange', 'sandbox', 'credentials'].includes(String(i.path?.[0]))) },
  )
  .transform((input) => ({ ...input, exchange: input.exchange as ExchangeId }))
export type AccountAddInput = z.output<typeof accountAddInputSchema>

/** Exchange-specific checks (sandbox, credential formats) need the stored account; the service does them. */
export const accountUpdateInputSchema = z
  .object({
    id: accountIdSchema,
    label: labelSchema.optional(),
    sandbox: z.boolean().optional(),
    apiBaseUrl: apiBaseUrlSchema.nullable().optional(),
    credentials: credentialsSchema.optional(),
  })
  .strict()
  .refine(
    (u) => u.label !== undefined || u.sandbox !== undefined || u.apiBaseUrl !== undefined || u.credentials !== undefined,
    'Nothing to change: give a label, sandbox, apiBaseUrl or credentials',
  )
export type AccountUpdateInput = z.output<typeof accountUpdateInputSchema>

export const passphraseSchema = z.string().max(1024, 'The passphrase must be at most 1024 characters long')

/** The Venue port's error kinds as data (for the contract); the check below keeps it in step with port.ts. */
export const venueErrorKinds = [
  'invalid-key',
  'invalid-signature',
  'permission-denied',
  'ip-not-allowed',
  'unreachable',
  'rate-limited',
  'insufficient-funds',
  'invalid-order',
  'order-not-found',
  'cancel-pending',
  'order-busy',
  'bad-reply',
  'unknown',
] as const satisfies readonly VenueErrorKind[]
type MissingKinds = Exclude<VenueErrorKind, (typeof venueErrorKinds)[number]>
const _allKinds: MissingKinds extends never ? true : MissingKinds = true
void _allKinds
