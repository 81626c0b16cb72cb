import { commands, type CommandArgs, type CommandOutput } from './contract'
import { isCommandName, type CommandName } from './names'
import { AppError, fail, type Reply } from './errors'
import { formatIssues } from './format-issues'
import type { Logger } from '../log'

export interface CallContext {
  door: 'electron' | 'headless' | 'cli' | 'test'
  /** The screen (app window, browser tab) that asks, from LockService.openScreen: its own idle lock applies. */
  screen?: number
  /** Told how the input parsed (the audit trail describes the parsed input instead of checking it again). */
  onParsed?: (parsed: { success: true; data: unknown } | { success: false }) => void
}

export type Handler<N extends CommandName> = (
  input: CommandArgs<N>,
  ctx: CallContext,
) => CommandOutput<N> | Promise<CommandOutput<N>>

/** One typed handler map; each domain contributes a slice (Actual Budget's habit). */
export type Handlers = { [N in CommandName]: Handler<N> }
export type HandlerSlice<K extends CommandName> = Pick<Handlers, K>

export const MAX_INPUT_BYTES = 1024 * 1024

export interface Router {
  invoke(name: unknown, input: unknown, ctx: CallContext): Promise<Reply<unknown>>
}

export function createRouter(
  handlers: Handlers,
  log: Logger,
  options: { checkOutputs?: boolean } = {},
): Router {
  return {
    async invoke(name, input, ctx) {
      if (!isCommandName(name)) {
        return fail('UNKNOWN_COMMAND', `Unknown command ${JSON.stringify(String(name)).slice(0, 80)}`)
      }
      const spec = commands[name]
      const parsed = spec.input.safeParse(input ?? {})
      ctx.onParsed?.(parsed)
      if (!parsed.success) {
        return fail('BAD_INPUT', `Invalid input for ${name}: ${formatIssues(parsed.error)}`)
      }
      try {
        const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown
        const value = await handler(parsed.data, ctx)
        if (options.checkOutputs) {
          const out = spec.output.safeParse(value)
          if (!out.success) throw new Error(`Output of ${name} breaks the contract: ${formatIssues(out.error)}`)
        }
        return { ok: true, value }
      } catch (err) {
        if (err instanceof AppError) return fail(err.code, err.message)
        log.error(`command ${name} failed`, err)
        return fail('INTERNAL', `${name} failed inside the engine; see the engine log for details`)
      }
    },
  }
}
