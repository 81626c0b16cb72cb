import fs from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { AppError, type ErrorCode } from '../api/errors'
import type { Logger } from '../log'
import type { LedgerDb } from '../portfolio/sqlite'
import { runReportJob, type ReportJob } from './jobs'
import { JobControl } from './job-control'

// Runs report jobs (jobs.ts) on a worker thread when the database is a file, so the engine's own thread
// stays free for the markets and the orders; without a file (a database in memory), or if the thread
// cannot start, on this thread — the same code, the same answers.

interface Pending {
  job: ReportJob
  control: JobControl
  resolve(value: unknown): void
  reject(err: Error): void
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code: ErrorCode; message: string } }

/** The worker's entry: the built bundle's report-worker.js (next to this code, or above its chunk), or the source under tsx. */
function workerEntry(): { file: string; execArgv?: string[] } | null {
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, 'report-worker.js')
    if (fs.existsSync(built)) return { file: built }
  }
  const source = path.join(__dirname, 'worker-entry.ts')
  if (fs.existsSync(source)) return { file: source, execArgv: ['--import', 'tsx'] }
  return null
}

export class ReportWorker {
  private worker: Worker | null = null
  private broken = false
  private nextId = 0
  private readonly pending = new Map<number, Pending>()

  constructor(private readonly deps: { db: LedgerDb; dbPath?: string; log?: Logger }) {}

  /**
   * Runs a job; canceling `control` settles it at once with CANCELED (the job itself stops at its next
   * checkpoint, and whatever it would still have answered is dropped).
   */
  run<T>(job: ReportJob, control: JobControl = new JobControl()): Promise<T> {
    const worker = this.ensureWorker()
    return new Promise<T>((resolve, reject) => {
      control.onCancel(reject)
      if (!worker) {
        runReportJob(this.deps.db, job, control).then(resolve as (v: unknown) => void, reject)
        return
      }
      const id = ++this.nextId
      this.pending.set(id, { job, control, resolve: resolve as (v: unknown) => void, reject })
      control.onCancel(() => this.pending.delete(id))
      worker.postMessage({ id, job, control: control.buffer })
    })
  }

  async stop(): Promise<void> {
    const w = this.worker
    this.worker = null
    for (const p of this.pending.values()) p.reject(new AppError('UNAVAILABLE', 'the engine is stopping'))
    this.pending.clear()
    if (w) await w.terminate()
  }

  private ensureWorker(): Worker | null {
    if (this.worker || this.broken || !this.deps.dbPath) return this.worker
    const entry = workerEntry()
    if (!entry) {
      this.broken = true
      return null
    }
    const worker = new Worker(entry.file, { workerData: { dbPath: this.deps.dbPath }, ...(entry.execArgv ? { execArgv: entry.execArgv } : {}) })
    worker.unref()
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id)
      if (!p) return
      this.pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.value)
      else p.reject(new AppError(reply.error.code, reply.error.message))
    })
    worker.on('error', (err) => {
      // A thread that cannot run (a packaging problem) must not take reports with it: the jobs it held,
      // and every later one, run on this thread instead.
      this.deps.log?.error('report worker failed; reports run on the engine thread from now on', err)
      this.broken = true
      this.worker = null
      const held = [...this.pending.values()]
      this.pending.clear()
      for (const p of held) runReportJob(this.deps.db, p.job, p.control).then(p.resolve, p.reject)
    })
    this.worker = worker
    return worker
  }
}
