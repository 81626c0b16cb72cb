import path from 'node:path'
import { createCore } from '../core'
import { consoleLogger } from '../log'
import type { BackupResult } from '../api/contract'
import { parseCommand, UsageError } from './usage'

// `backup [--out FILE]`: SQLite's online backup through the engine, safe while the app runs.

export function backupArgs(args: string[]) {
  const { values, positionals } = parseCommand('backup', args, { out: { type: 'string' } })
  if (positionals.length > 0) throw new UsageError(`backup: unexpected argument "${positionals[0]}"`)
  return { out: values.out, dataDir: values['data-dir'], json: values.json }
}

export async function runBackup(
  args: ReturnType<typeof backupArgs>,
  env: { dataDir: string; migrationsDir: string; version: string },
): Promise<BackupResult> {
  const core = createCore({
    dataDir: env.dataDir,
    migrationsDir: env.migrationsDir,
    door: 'cli',
    // A short-lived process: the simulated exchange neither animates nor overwrites the app's saved market.
    sim: { mode: 'manual', persist: false },
    version: env.version,
    log: consoleLogger('cli'),
  })
  try {
    return await core.backup(args.out ? path.resolve(args.out) : undefined)
  } finally {
    await core.stop()
  }
}

export const formatBackup = (r: BackupResult) => `Backup written: ${r.path} (${r.bytes} bytes, ${r.pages} pages)\n`
