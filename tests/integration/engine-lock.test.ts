import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { projectRoot, tempCore, tempDir } from '../support/temp-core'

// One engine per data folder, whichever door starts it (desktop, headless): a second is refused with a
// message naming the first, before it touches the database; the folder is free again once the first ends —
// stopped, or killed.

const children: ReturnType<typeof spawn>[] = []
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
})

function engineInChild(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests', 'support', 'engine-child.ts'), dataDir], { cwd: projectRoot })
  children.push(child)
  let out = ''
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const running = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), out.includes('running\n') && resolve()))
    child.once('exit', () => reject(new Error(`the engine process ended: ${out}`)))
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return { child, running, exited }
}

describe('one engine per data folder', () => {
  it('refuses a second engine in the same process, names the first, and opens once the first stopped', async () => {
    const first = tempCore()
    expect(() => tempCore({ dataDir: first.dataDir })).toThrow(
      new RegExp(`^The data folder ${first.dataDir} is in use by the headless engine \\(process ${process.pid}, started .*\\)\\. Close it first, or start this one with another data folder \\(--data-dir\\)\\.$`),
    )
    await first.stop()
    expect(fs.readdirSync(first.dataDir).filter((f) => f.startsWith('engine.lock'))).toEqual(['engine.lock'])
    const second = tempCore({ dataDir: first.dataDir })
    await second.stop()
  })

  it('refuses an engine while another process runs one on the folder, and opens once that process was killed', async () => {
    const dataDir = tempDir()
    const other = engineInChild(dataDir)
    await other.running
    expect(() => tempCore({ dataDir })).toThrow(`is in use by the headless engine (process ${other.child.pid}`)
    other.child.kill('SIGKILL')
    await other.exited
    const mine = tempCore({ dataDir })
    await mine.stop()
  }, 60_000)
})
