import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runTax, taxArgs } from '../../src-main/cli/tax-command'
import { writeNewFile } from '../../src-main/cli/out-file'
import type { LedgerDb } from '../../src-main/portfolio/sqlite'
import { thrown } from '../support/thrown'

// `tax --out FILE`: a folder that cannot take the file is refused before the report is computed (which can
// take many seconds), naming the file asked for; the file is written under a temporary name of its own, so a
// file of the user's beside it is never touched; a failed write names the target and why.

const dirs: string[] = []
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'co-out-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** A ledger that must not be read: any use of it means the report was computed. */
const untouchable = new Proxy({}, { get: () => { throw new Error('the report was computed') } }) as LedgerDb

describe('tax --out', () => {
  it('a folder that does not exist is refused before computing, naming the file and the folder', async () => {
    const target = path.join(tempDir(), 'no-such-folder', 'report.pdf')
    const err = await runTax(taxArgs(['--jurisdiction', 'us', '--year', '2024', '--out', target]), untouchable, 0).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toBe(`tax: cannot write ${target}: the folder ${path.dirname(target)} does not exist`)
  })

  it('a "folder" that is a file is refused before computing', async () => {
    const file = path.join(tempDir(), 'notes.txt')
    fs.writeFileSync(file, 'x')
    const target = path.join(file, 'report.csv')
    const err = await runTax(taxArgs(['--jurisdiction', 'us', '--year', '2024', '--out', target]), untouchable, 0).catch((e: unknown) => e)
    expect((err as Error).message).toBe(`tax: cannot write ${target}: ${file} is not a folder`)
  })

  it('a file of the user\'s named like the old temporary file is left alone, and nothing else is left behind', () => {
    const dir = tempDir()
    const target = path.join(dir, 'report.csv')
    fs.writeFileSync(`${target}.partial`, 'my own file\n')
    writeNewFile('tax', target, 'a,b\r\n')
    expect(fs.readFileSync(target, 'utf8')).toBe('a,b\r\n')
    expect(fs.readFileSync(`${target}.partial`, 'utf8')).toBe('my own file\n')
    expect(fs.readdirSync(dir).sort()).toEqual(['report.csv', 'report.csv.partial'])
  })

  it('a full disk: the error names the file asked for, and no file is left', () => {
    const dir = tempDir()
    const target = path.join(dir, 'report.pdf')
    vi.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    })
    expect(thrown(() => writeNewFile('tax', target, 'x'), Error).message).toBe(`tax: could not write ${target}: the disk is full`)
    expect(fs.readdirSync(dir)).toEqual([])
  })
})
