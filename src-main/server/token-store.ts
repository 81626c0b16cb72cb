import fs from 'node:fs'
import path from 'node:path'
import { newToken } from './auth'

/** The headless door's access token, kept in the data folder so a restart does not lock out open tabs. */
export const TOKEN_FILE = 'headless-token'
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/

/**
 * The token stored in `dataDir`, or a new one (stored, owner-only) when there is none, it is damaged, or
 * `rotate` asks for a new one (`--new-token`: tabs opened with the old one get 401).
 */
export function headlessToken(dataDir: string, options: { rotate: boolean }): string {
  const file = path.join(dataDir, TOKEN_FILE)
  if (!options.rotate) {
    const kept = readToken(file)
    if (kept) return kept
  }
  const token = newToken()
  fs.mkdirSync(dataDir, { recursive: true })
  // Written aside then renamed: a crash never leaves half a token, and the mode is set before it holds one.
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, `${token}\n`, { mode: 0o600 })
  fs.chmodSync(tmp, 0o600)
  fs.renameSync(tmp, file)
  return token
}

function readToken(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8').trim()
    return TOKEN_SHAPE.test(text) ? text : undefined
  } catch {
    return undefined
  }
}
