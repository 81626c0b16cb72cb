import fs from 'node:fs'
import type { ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'

/**
 * Sends `file` with `headers` (status 200), or 404 when it is gone by the time it is opened (a rebuild of
 * the renderer while the door serves) and 500 when it cannot be read. The file is opened before the
 * status goes out, so a failed open still gets an answer; pipeline closes the file when the client goes
 * away half-way (a plain pipe kept it open for ever) and never leaves a stream error unhandled.
 */
export function sendFile(file: string, res: ServerResponse, headers: Record<string, string>, done?: (err?: Error) => void): void {
  fs.open(file, 'r', (openErr, fd) => {
    if (openErr) {
      const status = openErr.code === 'ENOENT' || openErr.code === 'EISDIR' ? 404 : 500
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(status, { 'content-type': 'text/plain' })
        res.end(status === 404 ? 'Not found\n' : 'Could not read the file\n')
      }
      return done?.(openErr)
    }
    res.writeHead(200, headers)
    pipeline(fs.createReadStream(file, { fd }), res, (err) => done?.(err ?? undefined))
  })
}
