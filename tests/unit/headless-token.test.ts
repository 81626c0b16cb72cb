import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { headlessToken, TOKEN_FILE } from '../../src-main/server/token-store'

// A restart on the same data folder keeps the access token, so open tabs reconnect instead of getting
// 401 for ever; --new-token makes a new one. The file is readable by its owner only.

describe('headless access token', () => {
  it('is kept in the data folder (0600) and reused at the next start; rotating replaces it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-token-'))
    const first = headlessToken(dir, { rotate: false })
    const file = path.join(dir, TOKEN_FILE)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(headlessToken(dir, { rotate: false })).toBe(first)
    const rotated = headlessToken(dir, { rotate: true })
    expect(rotated).not.toBe(first)
    expect(headlessToken(dir, { rotate: false })).toBe(rotated)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('replaces a token file that is damaged, rather than serving with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'co-token-'))
    fs.writeFileSync(path.join(dir, TOKEN_FILE), 'short\n')
    const token = headlessToken(dir, { rotate: false })
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(fs.readFileSync(path.join(dir, TOKEN_FILE), 'utf8').trim()).toBe(token)
  })
})
