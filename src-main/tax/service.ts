import fs from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { z } from 'zod'
import { AppError, type ErrorCode } from '../api/errors'
import type { TaxExport, TaxReport, TaxReportQuery } from '../api/schemas/tax'
import type { taxExportInputSchema } from '../api/schemas/tax'
import type { Logger } from '../log'
import type { LedgerDb } from '../portfolio/sqlite'
import { runTaxJob, type TaxJob } from './jobs'

// tax/: capital gains reports over the ledger, for the contract (tax.report, tax.export) and the CLI.
// With the database's file path, jobs run on a worker thread (worker-entry.ts) so the engine's own thread
// stays free for the markets and the orders; without one (a database in memory), or if the thread cannot
// start, they run here — the same code, the same answers.

interface Pending {
  job: TaxJob
  resolve(value: TaxReport | TaxExport): void
  reject(err: Error): void
}

type Reply = { id: number; ok: true; value: TaxReport | TaxExport } | { id: number; ok: false; error: { code: ErrorCode; message: string } }

/** The worker's entry: the built bundle's tax-worker.js (next to this code, or above its chunk), or the source under tsx. */
function workerEntry(): { file: string; execArgv?: string[] } | null {
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, 'tax-worker.js')
    if (fs.existsSync(built)) return { file: built }
  }
  const source = path.join(__dirname, 'worker-entry.ts')
  if (fs.existsSync(source)) return { file: source, execArgv: ['--import', 'tsx'] }
  return null
}

export class TaxService {
  private worker: Worker | null = null
  private broken = false
  private nextId = 0
  private readonly pending = new Map<number, Pending>()

  constructor(private readonly deps: { db: LedgerDb; dbPath?: string; now: () => number; log?: Logger }) {}

  report(query: TaxReportQuery): Promise<TaxReport> {
    return this.run({ kind: 'report', query, now: this.deps.now() }) as Promise<TaxReport>
  }

  export(input: z.output<typeof taxExportInputSchema>): Promise<TaxExport> {
    return this.run({ kind: 'export', input, now: this.deps.now() }) as Promise<TaxExport>
  }

  async stop(): Promise<void> {
    const w = this.worker
    this.worker = null
    this.failAll(new AppError('UNAVAILABLE', 'the engine is stopping'))
    if (w) await w.terminate()
  }

  private run(job: TaxJob): Promise<TaxReport | TaxExport> {
    const worker = this.ensureWorker()
    if (!worker) return runTaxJob(this.deps.db, job)
    const id = ++this.nextId
    return new Promise((resolve, reject) => {
      this.pending.set(id, { job, resolve, reject })
      worker.postMessage({ id, job })
    })
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
      // A thread that cannot run (a packaging problem) must not take tax reports with it: the jobs it
      // held, and every later one, run on this thread instead.
      this.deps.log?.error('tax worker failed; tax reports run on the engine thread from now on', err)
      this.broken = true
      this.worker = null
      const held = [...this.pending.values()]
      this.pending.clear()
      for (const p of held) runTaxJob(this.deps.db, p.job).then(p.resolve, p.reject)
    })
    this.worker = worker
    return worker
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }
}
