import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { startHeadless, type HeadlessProcess } from '../support/headless-process'
import { projectRoot, tempDir } from '../support/temp-core'

const run = promisify(execFile)
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src-main', 'cli.ts'), ...args], { cwd: projectRoot })

let engine: HeadlessProcess | undefined
afterAll(async () => engine?.stop())

describe('cli backup', () => {
  it('writes a consistent copy of the database while the app runs', async () => {
    engine = await startHeadless()
    const out = path.join(tempDir(), 'nightly.sqlite')
    const { stdout } = await cli(['backup', '--data-dir', engine.dataDir, '--out', out, '--json'])
    const result = JSON.parse(stdout) as { path: string; bytes: number; pages: number }
    expect(result.path).toBe(out)
    expect(result.bytes).toBeGreaterThan(0)
    const copy = new Database(out, { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    const kinds = copy.prepare('SELECT kind FROM activity ORDER BY id').all() as { kind: string }[]
    expect(kinds.map((k) => k.kind)).toContain('engine')
    copy.close()
  })

  it('explains an unknown command and exits non-zero', async () => {
    await expect(cli(['launch-rockets', '--data-dir', tempDir()])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "launch-rockets"'),
    })
  })
})
