import type { z } from 'zod'

/** Turns zod issues into one specific sentence: `value: must be one of dark, midnight; key: Required`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'input'
      return `${where}: ${issue.message}`
    })
    .join('; ')
}
