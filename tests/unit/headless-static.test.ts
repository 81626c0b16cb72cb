import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startHeadlessServer, type HeadlessServer } from '../../src-main/server/headless-server'
import { silentLogger } from '../../src-main/log'
import type { Core } from '../../src-main/core'

// The built renderer's files: one that vanishes between the door's check and its open (a rebuild while
// serving) must get an answer, not end the engine; an abandoned download must not keep its file open.

let server: HeadlessServer
let renderer: string
let origin: string
let token: string

beforeAll(async () => {
  renderer = fs.mkdtempSync(path.join(os.tmpdir(), 'co-static-'))
  fs.mkdirSync(path.join(renderer, 'assets'))
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>')
  // Large enough that the socket cannot take it all before the client walks away.
  fs.writeFileSync(path.join(renderer, 'assets', 'big.js'), Buffer.alloc(48 * 1024 * 1024, 120))
  // HTTP only: the engine is never reached.
  server = await startHeadlessServer({ core: {} as Core, rendererDir: renderer, log: silentLogger, port: 0 })
  origin = new URL(server.url).origin
  token = new URL(server.url).searchParams.get('token')!
})
afterAll(async () => {
  await server.close()
  fs.rmSync(renderer, { recursive: true, force: true })
})
afterEach(() => vi.restoreAllMocks())

/** Open descriptors of this process on `file`. */
function openFdsOn(file: string): number {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === file
    } catch {
      return false
    }
  }).length
}

describe('headless door serving the renderer', () => {
  it('answers 404 for a file removed between its check and its open, and keeps serving', async () => {
    const gone = path.join(renderer, 'assets', 'gone.js')
    // The file was there when the door looked (stat), and is gone when it opens it.
    const exists = fs.existsSync
    const stat = fs.statSync
    vi.spyOn(fs, 'existsSync').mockImplementation((p) => (p === gone ? true : exists(p)))
    vi.spyOn(fs, 'statSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) =>
      p === gone ? stat(path.join(renderer, 'index.html')) : stat(p, o)) as typeof fs.statSync)
    const res = await fetch(`${origin}/assets/gone.js?token=${token}`)
    expect(res.status).toBe(404)
    vi.restoreAllMocks()
    const again = await fetch(`${origin}/?token=${token}`)
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('<title>t</title>')
  })

  it('answers 404 for a file removed between the door seeing it and its stat, and keeps serving', async () => {
    const gone = path.join(renderer, 'assets', 'gone.js')
    const exists = fs.existsSync
    vi.spyOn(fs, 'existsSync').mockImplementation((p) => (p === gone ? true : exists(p)))
    const res = await fetch(`${origin}/assets/gone.js?token=${token}`)
    expect(res.status).toBe(404)
    vi.restoreAllMocks()
    expect((await fetch(`${origin}/?token=${token}`)).status).toBe(200)
  })

  it('closes the file of a download the browser abandons half-way', async () => {
    const big = path.join(renderer, 'assets', 'big.js')
    const { hostname, port } = new URL(origin)
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(Number(port), hostname, () =>
          s.write(`GET /assets/big.js?token=${token} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`),
        )
        s.once('data', () => {
          s.destroy()
          resolve()
        })
        s.once('error', reject)
      })
    }
    await vi.waitFor(() => expect(openFdsOn(big)).toBe(0), { timeout: 3000, interval: 50 })
  })
})
