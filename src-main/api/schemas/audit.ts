import { z } from 'zod'
import { fileExportSchema } from './files'

// The audit log: what was done through each door, hash-chained (audit/). Reading it changes nothing;
// verifying and exporting it are themselves recorded.

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  door: z.string(),
  action: z.string(),
  outcome: z.string(),
  detail: z.string(),
  hash: z.string(),
})

export const auditListInputSchema = z
  .object({
    limit: z.number().int().min(1).max(1000).default(200),
    /** Entries older than this id (the next page back). */
    before: z.number().int().min(1).optional(),
    /** Entries whose action, door, outcome or detail contain this text (any case). */
    search: z.string().trim().max(100).optional(),
  })
  .strict()

export const auditPageSchema = z.object({
  /** Newest first. */
  entries: z.array(auditEntrySchema),
  /** Entries matching the search in the whole log. */
  total: z.number().int(),
})

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first entry that does not fit the chain, and why. */
  brokenAt: z.number().int().nullable(),
  problem: z.string().nullable(),
  /** The newest entry's hash: noted elsewhere, it shows later whether the log was cut or rewritten. */
  headId: z.number().int(),
  headHash: z.string(),
})

export const auditCommands = {
  'audit.list': { input: auditListInputSchema, output: auditPageSchema },
  'audit.verify': { input: z.object({}).strict(), output: auditVerifySchema },
  'audit.export': { input: z.object({}).strict(), output: fileExportSchema },
} as const

export const auditStreams = {
  'audit.recorded': { params: z.object({}).strict(), payload: auditEntrySchema },
} as const

export type AuditEntry = z.infer<typeof auditEntrySchema>
export type AuditPage = z.infer<typeof auditPageSchema>
export type AuditListInput = z.input<typeof auditListInputSchema>
export type AuditVerify = z.infer<typeof auditVerifySchema>
