import fs from 'node:fs'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
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

/** A live model over a temp ledger, BTC/USDT at `btc` on Binance at `now`, FIFO in USD, started. */
export function openLive(l: ReturnType<typeof tempLedger>, now: number, btc: string): LivePortfolio {
  const board = new LivePriceBoard()
  board.set('binance-main', 'BTC/USDT', btc, now)
  const settings = { method: 'fifo', currency: 'USD' } as const
  const live = new LivePortfolio({ db: l.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => settings, clock: fakeClock(now), onMarks: (m) => l.marks.onRecorded(m) })
  live.start()
  return live
}

/** Ledger rows as a sync brings them (an external id per account, kind and time; trades without one). */
export const entry = (account: string, x: Partial<LedgerEntryInput>): LedgerEntryInput =>
  ({ account, source: 'csv', externalId: `${account}${x.kind}${x.timestamp}`, fee: null, ...x }) as LedgerEntryInput
export const money = (account: string, kind: 'deposit' | 'withdrawal', timestamp: number, amount: string) => entry(account, { kind, timestamp, asset: 'USDT', amount })
export const buy = (account: string, timestamp: number, price: string, amount: string) =>
  entry(account, { kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price, amount, externalId: null })
