import { sqliteOf, type LedgerDb } from './sqlite'
import { COMPLETE_IMPORT } from './visible'

// The files (and syncs) that added entries to a ledger account, newest first: what the user can review
// and take back out (LedgerWriter.removeImport).

export interface ImportRecord {
  id: number
  account: string
  format: string
  fileName: string | null
  /** Entries the file offered (rows it read), and how many of them were new to the ledger. */
  rows: number
  inserted: number
  at: number
}

const COLUMNS = 'id, account, format, file_name as fileName, rows, inserted, created_at as at'

export function listImports(db: LedgerDb, account: string): ImportRecord[] {
  return sqliteOf(db).prepare(`select ${COLUMNS} from ledger_imports where account = ? and ${COMPLETE_IMPORT} order by created_at desc, id desc`).all(account) as ImportRecord[]
}

export function findImport(db: LedgerDb, id: number): ImportRecord | null {
  const row = sqliteOf(db)
    .prepare(`select ${COLUMNS} from ledger_imports where id = ? and ${COMPLETE_IMPORT}`)
    .get(id) as ImportRecord | undefined
  return row ?? null
}
