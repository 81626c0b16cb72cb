import type { IncomingMessage, ServerResponse } from 'node:http'

// Plain HTTP plumbing for the local exchange servers: read a request body, send JSON or text, the caller's IP.
// What goes inside the bodies (error shapes, envelopes) is each exchange's own business.

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export type JsonSender = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void

/** A sendJson that labels its replies with `contentType` (exchanges differ, e.g. with or without a charset). */
export function jsonSender(contentType: string): JsonSender {
  return (res, status, body, headers = {}) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'Content-Type': contentType, ...headers })
    res.end(text)
  }
}

export const sendJson: JsonSender = jsonSender('application/json')

/** Sends text as text/html unless `headers` say otherwise. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html', ...headers })
  res.end(text)
}

/** The client's IPv4 address (an IPv4-mapped IPv6 address loses its "::ffff:" prefix). */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1'
}
