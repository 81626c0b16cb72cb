import type { DoorProtocol, TokenProtocol } from '../../src-main/api/door-protocol'

// The headless door's access token, as this tab holds it: in the page's own address (`?token=`, kept by
// the router), handed to the engine as a WebSocket subprotocol. No cookie: one set for 127.0.0.1 would
// go to every other server on this machine.

export function pageToken(): string {
  return new URLSearchParams(location.search).get('token') ?? ''
}

const DOOR_PROTOCOL: DoorProtocol = 'cryptoorchestrator'
const tokenProtocol = (token: string): TokenProtocol => `token.${token}`

/** Opens the door's socket with the token (the server answers with DOOR_PROTOCOL alone). */
export function doorSocket(token: string): (url: string) => WebSocket {
  return (url) => new WebSocket(url, [DOOR_PROTOCOL, tokenProtocol(token)])
}

/**
 * Asks the door whether this token still opens it: 401 when the engine holds another token, 426 when it
 * is the right one (0 when the engine is unreachable).
 */
export function tokenStatus(token: string): () => Promise<number> {
  return async () => {
    try {
      return (await fetch('/ws', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' })).status
    } catch {
      return 0
    }
  }
}
