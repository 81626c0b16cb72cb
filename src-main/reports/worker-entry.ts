import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { AppError } from '../api/errors'
import { runReportJob, type ReportJob } from './jobs'
import { JobControl } from './job-control'

// The report worker thread: a tax report or the leaderboard's trade statistics over a large ledger take
// seconds of CPU (2.7 s for a 200k-fill tax report), and on the engine's thread that would hold up every
// stream, order and stop for as long. Here the jobs read the database through a read-only connection of
// their own (WAL: the engine goes on writing meanwhile), one at a time: a tax job hands the thread back
// between chunks, and the next job waits for it all the same. Each job comes with its cancel flag in shared
// memory (job-control.ts), which it reads at every checkpoint.

const db = new Database((workerData as { dbPath: string }).dbPath, { readonly: true, fileMustExist: true })
db.pragma('busy_timeout = 5000')

let queue: Promise<unknown> = Promise.resolve()

parentPort?.on('message', (message: { id: number; job: ReportJob; control: SharedArrayBuffer }) => {
  queue = queue.then(() => run(message))
})

function run(message: { id: number; job: ReportJob; control: SharedArrayBuffer }): Promise<void> {
  return runReportJob(db, message.job, new JobControl(message.control)).then(
    (value) => parentPort?.postMessage({ id: message.id, ok: true, value }),
    (err: unknown) =>
      parentPort?.postMessage({
        id: message.id,
        ok: false,
        error: err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
      }),
  )
}
