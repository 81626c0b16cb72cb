// The shapes of the two logs every local exchange server keeps (server.faults.requests / .wsMessages).

/** One REST request; `Params` and `Code` are the exchange's (decoded parameters or JSON body; its error code). */
export interface RequestLogEntry<Params, Code> {
  time: number
  method: string
  /** Path without the query. */
  path: string
  params: Params
  apiKey: string | undefined
  status: number
  /** The exchange's code for the reply, when it carried one. */
  code?: Code
  /** The fault that answered instead of the handler, if any. */
  injected?: 'respondWith' | 'rejectNextOrder'
}

export interface WsLogEntry {
  time: number
  connection: number
  path: string
  event: 'open' | 'message' | 'close'
  /** Client → server message (parsed JSON when possible, else the text). */
  data?: unknown
}
