import type { Router, CallContext } from './router'
import type { StreamHub } from './streams'
import { fail, type Reply } from './errors'

export const MAX_MESSAGE_BYTES = 1024 * 1024
/**
 * Commands that carry a file's text (a trade-history export) may be larger; the WebSocket frame cap is
 * above this. 15 MiB, written as a literal so the renderer's import dialog can be held to it by type.
 */
export const MAX_FILE_MESSAGE_BYTES = 15_728_640
const FILE_COMMANDS: ReadonlySet<unknown> = new Set(['portfolio.import', 'portfolio.importCheck', 'portfolio.importRates'])

/** The input size a command accepts: 1 MiB, or 15 MiB for the commands that carry a file. */
export const inputLimitFor = (name: unknown): number => (FILE_COMMANDS.has(name) ? MAX_FILE_MESSAGE_BYTES : MAX_MESSAGE_BYTES)

/**
 * One connected screen (an Electron window or a browser tab on the headless door): its calls and its
 * live subscriptions, which all end when the screen goes away. Both doors use this, so they behave alike.
 */
export class ClientSession {
  private readonly subscriptions = new Map<string, () => void>()

  constructor(
    private readonly router: Router,
    private readonly hub: StreamHub,
    private readonly ctx: CallContext,
  ) {}

  invoke(name: unknown, input: unknown): Promise<Reply<unknown>> {
    const size = approximateBytes(input)
    const limit = inputLimitFor(name)
    if (size > limit) return Promise.resolve(tooLarge(size, limit))
    return this.router.invoke(name, input, this.ctx)
  }

  subscribe(id: string, name: unknown, params: unknown, send: (payload: unknown) => void): Reply<null> {
    if (this.subscriptions.has(id)) return fail('CONFLICT', `Subscription id ${id} is already in use`)
    const opened = this.hub.open(name, params, send)
    if (!opened.ok) return opened
    this.subscriptions.set(id, opened.value)
    return { ok: true, value: null }
  }

  unsubscribe(id: string): void {
    this.subscriptions.get(id)?.()
    this.subscriptions.delete(id)
  }

  get subscriptionCount(): number {
    return this.subscriptions.size
  }

  close(): void {
    for (const stop of this.subscriptions.values()) stop()
    this.subscriptions.clear()
  }
}

export function tooLarge(bytes: number, limit = MAX_MESSAGE_BYTES): { ok: false; error: { code: 'TOO_LARGE'; message: string } } {
  return {
    ok: false,
    error: {
      code: 'TOO_LARGE',
      message: `Message of ${bytes} bytes exceeds the ${limit} byte (${limit / (1024 * 1024)} MiB) limit`,
    },
  }
}

function approximateBytes(value: unknown): number {
  if (value === undefined) return 0
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '')
  } catch {
    return Number.POSITIVE_INFINITY
  }
}
