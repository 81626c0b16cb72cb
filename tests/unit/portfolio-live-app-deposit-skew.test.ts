import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR, MINUTE } from '../../src-main/portfolio/live/periods'
import { fakeClock, tempLedger } from './portfolio-live-support'

// A deposit made in the app (a paper account opened) is stamped with our clock; a fill of another account
// stamped by a venue whose clock runs a second ahead of ours is already applied. Replaying the whole ledger
// for that (seconds on a large ledger, at every paper account opened) is not needed: the second's price move
// is what a venue's clock ahead already does to the snapshots. Money moved minutes before another account's
// newer row still replays (its flow point needs the prices of its time).

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 30 * DAY + 3 * HOUR + 2 * MINUTE
const entry = (account: string, x: Partial<LedgerEntryInput>): LedgerEntryInput =>
  ({ account, source: 'app', externalId: `${account}${x.kind}${x.timestamp}`, fee: null, ...x }) as LedgerEntryInput
const deposit = (account: string, timestamp: number, amount: string) => entry(account, { kind: 'deposit', timestamp, asset: 'USDT', amount })
const buy = (account: string, timestamp: number, price: string, amount: string) =>
  entry(account, { kind: 'trade', timestamp, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price, amount, externalId: null })

describe('live model: a deposit made in the app after a fill stamped by a venue clock ahead of ours', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio
  afterEach(() => {
    live.stop()
    ledger.close()
  })

  function open() {
    ledger = tempLedger()
    ledger.writer.importBatch([deposit('a', D0, '100000'), buy('a', D0 + HOUR, '10000', '1')])
    const board = new LivePriceBoard()
    board.set('binance-main', 'BTC/USDT', '10000', NOW)
    const settings = { method: 'fifo', currency: 'USD' } as const
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => settings, clock: fakeClock(NOW), onMarks: (m) => ledger.marks.onRecorded(m) })
    live.start()
    live.view({ period: 'all' })
    return live.replay('fifo', 'USD')
  }

  it('a fill a second ahead does not make the deposit replay the ledger', () => {
    const replay = open()
    ledger.writer.importBatch([buy('a', NOW + 1000, '10010', '0.1')])
    live.view({ period: 'all' })
    const builds = replay.rebuilds
    ledger.writer.importBatch([deposit('paper:1', NOW, '10000')])
    expect(live.view({ account: 'paper:1', period: 'all' }).totals.value).toBe('10000')
    expect(replay.rebuilds).toBe(builds)
  })

  it('a deposit two minutes older than another account’s fill still replays it', () => {
    const replay = open()
    ledger.writer.importBatch([buy('a', NOW, '10010', '0.1')])
    live.view({ period: 'all' })
    const builds = replay.rebuilds
    ledger.writer.importBatch([deposit('paper:1', NOW - 2 * MINUTE, '10000')])
    live.view({ period: 'all' })
    expect(replay.rebuilds).toBe(builds + 1)
  })
})
