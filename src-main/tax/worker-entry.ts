import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { AppError } from '../api/errors'
import { runTaxJob, type TaxJob } from './jobs'

// The tax worker thread: a report over a large ledger takes seconds of CPU (2.7 s for 200k fills), and
// on the engine's thread that would hold up every stream, order and stop for as long. Here it reads the
// database through a read-only connection of its own (WAL: the engine goes on writing meanwhile) and
// answers one job at a time.

const db = new Database((workerData as { dbPath: string }).dbPath, { readonly: true, fileMustExist: true })
db.pragma('busy_timeout = 5000')

parentPort?.on('message', (message: { id: number; job: TaxJob }) => {
  runTaxJob(db, message.job).then(
    (value) => parentPort?.postMessage({ id: message.id, ok: true, value }),
    (err: unknown) =>
      parentPort?.postMessage({
        id: message.id,
        ok: false,
        error: err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
      }),
  )
})
