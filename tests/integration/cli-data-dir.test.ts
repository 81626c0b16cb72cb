import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { appDataDir, failing } from '../support/cli-process'
import { projectRoot, tempDir } from '../support/temp-core'
import { DB_FILE_NAME } from '../../src-main/store/open'

// A mistyped --data-dir must not look like an empty ledger: the CLI opens the app's database or says
// there is none — it never creates one (a backup "written" of a new empty file, a P&L of "nothing").

const noDatabase = (dir: string) => `No database at ${path.join(dir, DB_FILE_NAME)} (is --data-dir right? the app creates it on first start)`

describe('cli --data-dir', () => {
  it('refuses a folder without a database, and creates nothing there', async () => {
    const typo = path.join(appDataDir(), '..', `${path.basename(tempDir())}-typo`)
    for (const args of [['backup'], ['pnl'], ['audit'], ['imports', '--account', 'x'], ['tax', '--jurisdiction', 'us', '--year', '2024']]) {
      const refused = await failing([...args, '--data-dir', typo])
      expect(refused.code, args[0]).toBe(1)
      expect(refused.stderr, args[0]).toBe(`cli: ${noDatabase(typo)}\n`)
      expect(refused.stdout).toBe('')
    }
    expect(fs.existsSync(typo)).toBe(false)
    // An existing but empty folder: no database is made in it either.
    const empty = tempDir()
    expect((await failing(['backup', '--data-dir', empty])).stderr).toBe(`cli: ${noDatabase(empty)}\n`)
    expect(fs.readdirSync(empty)).toEqual([])
  })

  it('refuses an empty (0-byte) database file and leaves it as it was', async () => {
    const dir = tempDir()
    const file = path.join(dir, DB_FILE_NAME)
    fs.writeFileSync(file, '')
    const refused = await failing(['pnl', '--data-dir', dir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe(`cli: ${noDatabase(dir)}\n`)
    expect(fs.statSync(file).size).toBe(0)
    expect(fs.readdirSync(dir)).toEqual([DB_FILE_NAME])
  })

  it('`npm run cli` reads relative paths from the folder it was started in, not the package folder', async () => {
    const here = tempDir('co-cli-cwd-')
    fs.renameSync(appDataDir(), path.join(here, 'data'))
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
      execFile('npm', ['run', '--silent', '--prefix', projectRoot, 'cli', '--', 'backup', '--data-dir', 'data', '--out', 'copy.sqlite', '--json'], { cwd: here }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve({ stdout: out }),
      ),
    )
    expect(JSON.parse(stdout.slice(stdout.indexOf('{'))).path).toBe(path.join(here, 'copy.sqlite'))
    expect(fs.statSync(path.join(here, 'copy.sqlite')).size).toBeGreaterThan(0)
  })
})
