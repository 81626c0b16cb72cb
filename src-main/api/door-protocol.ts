// How a tab hands the headless door its access token: as a WebSocket subprotocol, never a cookie (a
// cookie for 127.0.0.1 goes to every server on that host, whatever its port) and never in the socket's
// URL (which could end up in a log). The server answers with DOOR_PROTOCOL, never echoing the token.

// Types too, so the renderer (which may import engine types only) spells the same values.
/** The subprotocol the server chooses (a browser drops a socket whose server chose none it offered). */
export type DoorProtocol = 'cryptoorchestrator'
export const DOOR_PROTOCOL: DoorProtocol = 'cryptoorchestrator'
/** The subprotocol value that carries the token (base64url, so a valid header token). */
export type TokenProtocol = `token.${string}`
const TOKEN_PREFIX = 'token.'

export const tokenProtocol = (token: string): TokenProtocol => `token.${token}`

/** The token among offered subprotocols, if any. */
export function tokenFromProtocols(offered: Iterable<string>): string | undefined {
  for (const p of offered) if (p.startsWith(TOKEN_PREFIX)) return p.slice(TOKEN_PREFIX.length)
  return undefined
}
