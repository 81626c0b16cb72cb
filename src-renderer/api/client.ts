import { ApiError, type ApiClient, type Transport } from './types'

/** The typed client every feature uses; it neither knows nor cares which transport is underneath. */
export function createClient(transport: Transport): ApiClient {
  return {
    async invoke(name, input) {
      const reply = await transport.invoke(name, input)
      if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message)
      return reply.value as never
    },
    subscribe(name, params, onEvent, onError) {
      return transport.subscribe(
        name,
        params,
        (payload) => onEvent(payload as never),
        (error) => (onError ? onError(new ApiError(error.code, error.message)) : console.error(error.message)),
      )
    },
    connection: () => transport.connection(),
    onConnectionChange: (listener) => transport.onConnectionChange(listener),
  }
}
