// The engine refuses bad input with one sentence per problem, each led by the field's path:
// "Invalid input for accounts.add: credentials.apiKey: Binance API keys are …; label: Give the account a name".
// A form shows each part next to the field it names, and whatever names no field of the form at the form.
// Pure (no DOM), so it is tested in Node.

export interface SplitMessage {
  /** Message per field path (as the engine names it, e.g. 'credentials.secret'), without the path. */
  fields: Record<string, string>
  /** The parts that name no known field (joined with '; '), or null. */
  general: string | null
}

const PREFIX = /^Invalid (?:input|params) for [\w.]+: /
// A new part starts at "; " followed by a path and ": ". Messages may contain "; " themselves
// ("… line breaks; paste it again …"), but never followed by a bare path and a colon.
const PART_BOUNDARY = /;\s+(?=[A-Za-z_][\w]*(?:\.[\w]+)*: )/
const PART = /^([A-Za-z_][\w]*(?:\.[\w]+)*): ([\s\S]*)$/

/** Splits an engine message over the form's `known` field paths. */
export function splitEngineMessage(message: string, known: readonly string[]): SplitMessage {
  const isInput = PREFIX.test(message)
  const body = message.replace(PREFIX, '')
  const fields: Record<string, string> = {}
  const general: string[] = []
  for (const part of body.split(PART_BOUNDARY)) {
    const m = PART.exec(part)
    const path = m?.[1]
    if (m && path && known.includes(path)) {
      fields[path] = fields[path] ? `${fields[path]}; ${m[2]}` : m[2]!
    } else if (m && path === 'input') {
      general.push(m[2]!)
    } else {
      general.push(part)
    }
  }
  // A message that names no field and is not about input ("The OS keychain is unavailable: …") stays whole.
  if (!isInput && Object.keys(fields).length === 0) return { fields, general: message }
  return { fields, general: general.length > 0 ? general.join('; ') : null }
}

/** The words of anything a command rejected with (an ApiError carries the engine's message). */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))
