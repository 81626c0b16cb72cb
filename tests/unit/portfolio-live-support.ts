import fs from 'node:fs'
import { openStore, type Store } from '../../src-main/store/open'
import { LedgerWriter } from '../../src-main/portfolio/ledger'
import { PriceMarkStore } from '../../src-main/portfolio/marks'
import { migrationsDir, tempDir } from '../support/temp-core'

// A temp ledger database for the live model's tests, and a fake clock whose timers run when told.

export function tempLedger() {
  const dir = tempDir('co-live-')
  const store: Store = openStore(dir, migrationsDir)
  return {
    store,
    writer: new LedgerWriter(store.db, () => 0),
    marks: new PriceMarkStore(store.db),
    close() {
      store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function fakeClock(start: number) {
  let now = start
  let seq = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number): unknown {
      const id = ++seq
      timers.set(id, { at: now + Math.max(0, ms), fn })
      return id
    },
    clearTimeout(handle: unknown) {
      timers.delete(handle as number)
    },
    /** Moves time on by `ms`, running each timer when its time comes (in time order). */
    advance(ms: number) {
      const end = now + ms
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined
        for (const e of timers) if (e[1].at <= end && (next === undefined || e[1].at < next[1].at)) next = e
        if (next === undefined) break
        timers.delete(next[0])
        now = Math.max(now, next[1].at)
        next[1].fn()
      }
      now = end
    },
    set(t: number) {
      now = t
    },
  }
}
