import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { openStore } from '../../src-main/store/open'
import { migrationsDir, projectRoot, tempDir } from './temp-core'

// The command line as a user runs it: a child process on src-main/cli.ts (through tsx), stdout and stderr
// as text. `failing` expects a non-zero exit and gives its code and output.

const run = promisify(execFile)

export const cli = (args: string[], cwd = projectRoot) => run(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src-main', 'cli.ts'), ...args], { cwd })

export async function failing(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    await cli(args)
  } catch (err) {
    return err as { code: number; stdout: string; stderr: string }
  }
  throw new Error(`expected cli ${args.join(' ')} to fail`)
}

/** A data folder as the app leaves it at its first start: the database created and migrated (the CLI never creates one). */
export function appDataDir(prefix = 'co-cli-'): string {
  const dataDir = tempDir(prefix)
  openStore(dataDir, migrationsDir).close()
  return dataDir
}
