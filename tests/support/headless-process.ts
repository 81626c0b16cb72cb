import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface HeadlessProcess {
  url: string
  origin: string
  token: string
  dataDir: string
  child: ChildProcess
  stderr: () => string
  stop(): Promise<void>
}

const root = path.resolve(__dirname, '..', '..')

/**
 * Starts `src-main/headless.ts` (the same entry `npm run headless` runs, minus the build) on port 0
 * with a fresh data dir, and resolves once it printed its URL. Needs `npm run build` to have run.
 */
export async function startHeadless(options: { dataDir?: string; args?: string[] } = {}): Promise<HeadlessProcess> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'co-e2e-'))
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'src-main', 'headless.ts'), '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`headless did not print its URL in 30 s:\n${err}`)), 30_000)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('http://'))
      if (line) {
        clearTimeout(timer)
        resolve(line.trim())
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`headless exited with ${code}:\n${err}`))
    })
  })
  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
