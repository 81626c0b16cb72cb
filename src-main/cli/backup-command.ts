import path from 'node:path'
import { EventBus } from '../bus'
import { ActivityService } from '../activity/service'
import type { BackupResult } from '../api/contract'
import type { Store } from '../store/open'
import { backupDatabase, backupFileName } from '../store/backup'
import { parseCommand, UsageError } from './usage'

// `backup [--out FILE]`: SQLite's online backup of the database file, safe while the app runs. Only the
// database is opened — never the engine: a second engine would restore the simulated exchange from its
// last save and fire the app's armed stops at that old price, re-send pending copies and mark the app's
// webhook deliveries in flight failed, all into the shared file.

export function backupArgs(args: string[]) {
  const { values, positionals } = parseCommand('backup', args, { out: { type: 'string' } })
  if (positionals.length > 0) throw new UsageError(`backup: unexpected argument "${positionals[0]}"`)
  return { out: values.out, dataDir: values['data-dir'], json: values.json }
}

/** Where the copy goes: --out, or backups/ in the data folder under a dated name (as the app's own backups). */
export function backupTarget(args: ReturnType<typeof backupArgs>, dataDir: string, at: number): string {
  return args.out ? path.resolve(args.out) : path.join(dataDir, 'backups', backupFileName(at))
}

export async function runBackup(store: Store, target: string, at: number): Promise<BackupResult> {
  const result = await backupDatabase(store.sqlite, target)
  // The app's activity feed lists it beside the app's own backups (the activity module writes its table).
  const bus = new EventBus()
  const activity = new ActivityService(store.db, bus, () => at)
  bus.emit('backupWritten', { result, at })
  activity.stop()
  return result
}

export const formatBackup = (r: BackupResult) => `Backup written: ${r.path} (${r.bytes} bytes, ${r.pages} pages)\n`
