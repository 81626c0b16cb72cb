import { commands } from '../api/contract'
import { isCommandName } from '../api/names'
import type { CallContext, Router } from '../api/router'
import type { Logger } from '../log'
import type { AuditLog } from './log'
import { auditPolicy, describeFailure, describeInput, describeOutput } from './policy'

/**
 * The router with an audit trail: every command the policy records is appended after it ran, with its
 * door, its outcome (ok or the refusal's code and message) and the allow-listed fields of its input.
 * Refused input is recorded too (a wrong passphrase, a risk limit). An entry the file cannot take now is
 * kept and retried by the AuditLog; it never turns a command's answer into a failure.
 */
export function auditedRouter(inner: Router, audit: AuditLog, log: Logger): Router {
  return {
    async invoke(name, input, ctx) {
      // The router says how the input parsed: checking it again would double the cost of every command.
      let seen: Parameters<NonNullable<CallContext['onParsed']>>[0] | undefined
      const reply = await inner.invoke(name, input, { ...ctx, onParsed: (p) => (seen ??= p) })
      if (!isCommandName(name) || auditPolicy[name] !== 'record') return reply
      try {
        // Not parsed there when refused before (the lock) or by a router that does not parse (tests).
        const parsed = seen ?? commands[name].input.safeParse(input ?? {})
        const asked = parsed.success ? describeInput(parsed.data) : '(input refused)'
        const made = reply.ok ? describeOutput(reply.value) : ''
        // A test that answered "it did not work" (exchange unreachable, mail not delivered) is no success.
        const failed = reply.ok ? describeFailure(name, reply.value) : null
        // The id the answer names is added unless the input named it already (a cancel of that order).
        const detail = reply.ok
          ? [asked, made !== '' && asked.includes(made.slice(2)) ? '' : made, failed?.said ? `— ${withhold(failed.said, input)}` : ''].filter(Boolean).join(' ')
          : [asked, `— ${withhold(reply.error.message, input)}`].filter(Boolean).join(' ')
        audit.record({ door: ctx.door, action: name, outcome: reply.ok ? (failed?.outcome ?? 'ok') : reply.error.code, detail })
      } catch (err) {
        log.error(`audit entry for ${name} could not be described`, err)
      }
      return reply
    },
  }
}

/** A refusal's message with any secret the input carried cut out (an exchange may echo what it was sent). */
function withhold(message: string, input: unknown): string {
  let out = message
  for (const s of secretsIn(input)) out = out.split(s).join('(withheld)')
  return out.length > 300 ? `${out.slice(0, 299)}…` : out
}

const SECRET_KEYS = new Set(['apiKey', 'secret', 'password', 'passphrase', 'current', 'next'])

function secretsIn(value: unknown, depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth > 3) return []
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    SECRET_KEYS.has(k) && typeof v === 'string' && v.length >= 3 ? [v] : secretsIn(v, depth + 1),
  )
}
