import path from 'node:path'
import { knownMigrations } from '../store/migrations-check'
import { restoreDatabase, type RestoreResult } from '../store/restore'
import { parseCommand, UsageError } from './usage'

// `restore FILE`: a backup put back as the data folder's database, with the app closed (see store/restore.ts
// for how nothing is lost on the way). The database replaced is kept in backups/.

export function restoreArgs(args: string[]) {
  const { values, positionals } = parseCommand('restore', args, {})
  if (positionals.length === 0) throw new UsageError('restore: the backup FILE to restore is required')
  if (positionals.length > 1) throw new UsageError(`restore: unexpected argument "${positionals[1]}"`)
  return { file: positionals[0] as string, dataDir: values['data-dir'], json: values.json }
}

export function runRestore(args: ReturnType<typeof restoreArgs>, dataDir: string, migrationsDir: string, at: number): Promise<RestoreResult> {
  return restoreDatabase(path.resolve(args.file), dataDir, knownMigrations(migrationsDir), at)
}

export const formatRestore = (r: RestoreResult) =>
  `Restored ${r.from} as ${r.path} (${r.bytes} bytes).\n` +
  (r.previous === null ? 'There was no database before.\n' : `The database it replaced is kept at ${r.previous}.\n`) +
  (r.ignoredWal === null ? '' : `A stray ${r.ignoredWal} beside the backup was ignored: the backup is complete by itself, and that file is not part of it.\n`)
