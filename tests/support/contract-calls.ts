import type { Core } from '../../src-main/core'
import type { CommandInput, CommandName } from '../../src-main/api/contract'

type Ctx = Parameters<Core['router']['invoke']>[2]

/**
 * A command's value on `core`, or throws naming the command with the refusal's code and message. Loosely
 * typed (any name and input; the value's type is the caller's word), for tests that hold several engines
 * or send inputs as plain data; contractCalls(...).ok checks the input against the contract.
 */
export async function commandValue<T = unknown>(core: Core, name: string, input: unknown = {}, ctx: Ctx = { door: 'test' }): Promise<T> {
  const reply = await core.router.invoke(name, input, ctx)
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}

/**
 * Commands through the contract on a test engine, the way a door sends them: `call` gives the reply,
 * `ok` its value or throws with the refusal's code and message (`value` the same, loosely typed as
 * commandValue), `refused` the refusal's message or throws when it was accepted or refused with another
 * code. `core` is read at each call, since tests make a fresh engine per case.
 */
export function contractCalls(core: () => Core, ctx: Ctx = { door: 'test' }) {
  const call = <N extends CommandName>(name: N, input: CommandInput<N>) => core().router.invoke(name, input, ctx)
  const value = <T = unknown>(name: string, input: unknown = {}) => commandValue<T>(core(), name, input, ctx)
  const ok = <N extends CommandName>(name: N, input: CommandInput<N>): Promise<unknown> => value(name, input)
  async function refused<N extends CommandName>(name: N, input: CommandInput<N>, code = 'CONFLICT'): Promise<string> {
    const reply = await call(name, input)
    if (reply.ok) throw new Error(`${name} was accepted`)
    if (reply.error.code !== code) throw new Error(`${name} was refused with ${reply.error.code}, not ${code}: ${reply.error.message}`)
    return reply.error.message
  }
  return { call, ok, value, refused }
}
