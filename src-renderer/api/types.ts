import type {
  ApiErrorBody,
  CommandInput,
  CommandName,
  CommandOutput,
  Reply,
  StreamName,
  StreamParams,
  StreamPayload,
} from '../../src-main/api/contract'

export type { CommandName, StreamName, CommandOutput, StreamPayload }

/** tokenChanged: the engine refuses this tab's token (it restarted with a new one); still retrying. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'tokenChanged'

/** What a transport (Electron IPC or WebSocket) provides; the client above it is the same for both. */
export interface Transport {
  invoke(name: string, input: unknown): Promise<Reply<unknown>>
  subscribe(
    name: string,
    params: unknown,
    onEvent: (payload: unknown) => void,
    onError: (error: ApiErrorBody) => void,
  ): () => void
  connection(): ConnectionState
  onConnectionChange(listener: (state: ConnectionState) => void): () => void
}

/** A refused command, with the engine's code and message. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApiClient {
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>
  subscribe<S extends StreamName>(
    name: S,
    params: StreamParams<S>,
    onEvent: (payload: StreamPayload<S>) => void,
    onError?: (error: ApiError) => void,
  ): () => void
  connection(): ConnectionState
  onConnectionChange(listener: (state: ConnectionState) => void): () => void
}
