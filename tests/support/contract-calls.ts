import type { Core } from '../../src-main/core'
import type { CommandInput, CommandName } from '../../src-main/api/contract'

type Ctx = Parameters<Core['router']['invoke']>[2]

/**
 * Commands through the contract on a test engine, the way a door sends them: `call` gives the reply,
 * `ok` its value or throws with the refusal's code and message, `refused` the refusal's message or throws
 * when it was accepted or refused with another code. `core` is read at each call, since tests make a fresh
 * engine per case.
 */
export function contractCalls(core: () => Core, ctx: Ctx = { door: 'test' }) {
  const call = <N extends CommandName>(name: N, input: CommandInput<N>) => core().router.invoke(name, input, ctx)
  async function ok<N extends CommandName>(name: N, input: CommandInput<N>): Promise<unknown> {
    const reply = await call(name, input)
    if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`)
    return reply.value
  }
  async function refused<N extends CommandName>(name: N, input: CommandInput<N>, code = 'CONFLICT'): Promise<string> {
    const reply = await call(name, input)
    if (reply.ok) throw new Error(`${name} was accepted`)
    if (reply.error.code !== code) throw new Error(`${name} was refused with ${reply.error.code}, not ${code}: ${reply.error.message}`)
    return reply.error.message
  }
  return { call, ok, refused }
}
