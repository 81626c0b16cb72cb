import { z } from 'zod'
import type { Reply, ApiErrorBody } from './errors'

// The headless door's WebSocket frames: the same contract as Electron IPC, as JSON text frames.
export const clientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('invoke'), id: z.string().min(1).max(64), name: z.string().max(200), input: z.unknown() }),
  z.object({ t: z.literal('sub'), id: z.string().min(1).max(64), name: z.string().max(200), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.string().min(1).max(64) }),
])
export type ClientFrame = z.infer<typeof clientFrameSchema>

export type ServerFrame =
  | { t: 'reply'; id: string; reply: Reply<unknown> }
  | { t: 'event'; id: string; payload: unknown }
  | { t: 'error'; id?: string; error: ApiErrorBody }
