import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { LedgerDecimal } from '../../src-main/portfolio/arith'
import { fakeClock, tempLedger } from './portfolio-live-support'

// An asset held by several accounts can be priced in one and unpriced in another: the simulator's SOL
// values the sim trader's 5 SOL at 150, while an imported account's 10 SOL has no real price. The
// per-asset row sums the priced holdings and says how much is unpriced, so the rows add up to the
// total and the allocation chart's SOL slice matches its row. Day 0:
//   deposits: binance-main 100,000 USDT; csv (an import) 1,000 USDT and 10 SOL; sim:trader:x 100,000 USDT, 5 SOL
//   binance-main buys 1 BTC at 95,000; csv 0.01 BTC at 90,000; sim:trader:x 1 BTC at 20,000
//   day 8 the sim's SOL/USDT mark 150 (the only price of SOL)

const D0 = Date.UTC(2024, 0, 1)
const NOW = D0 + 10 * DAY + 3 * HOUR

function trade(account: string, source: LedgerEntryInput['source'], id: string | null, t: number, price: string, amount: string): LedgerEntryInput {
  return { account, source, externalId: id, fee: null, kind: 'trade', timestamp: t, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', side: 'buy', price, amount } as LedgerEntryInput
}
function deposit(account: string, source: LedgerEntryInput['source'], asset: string, amount: string): LedgerEntryInput {
  return { account, source, externalId: source === 'csv' ? null : `dep:${account}:${asset}`, fee: null, kind: 'deposit', timestamp: D0 + HOUR, asset, amount } as LedgerEntryInput
}

const ENTRIES: LedgerEntryInput[] = [
  deposit('binance-main', 'venue', 'USDT', '100000'),
  deposit('csv', 'csv', 'USDT', '1000'),
  deposit('csv', 'csv', 'SOL', '10'),
  deposit('sim:trader:x', 'venue', 'USDT', '100000'),
  deposit('sim:trader:x', 'venue', 'SOL', '5'),
  trade('binance-main', 'app', 'b1', D0 + 2 * HOUR, '95000', '1'),
  trade('csv', 'csv', null, D0 + 2.5 * HOUR, '90000', '0.01'),
  trade('sim:trader:x', 'venue', 's1', D0 + 3 * HOUR, '20000', '1'),
]

describe('an asset priced in one account and unpriced in another', () => {
  let ledger: ReturnType<typeof tempLedger>
  let live: LivePortfolio | undefined
  afterEach(() => {
    live?.stop()
    ledger.close()
  })

  function view() {
    ledger = tempLedger()
    ledger.writer.importBatch(ENTRIES)
    ledger.marks.record([{ asset: 'BTC', quote: 'USDT', price: '96000', at: D0 + 2 * DAY, venue: 'binance-main' }])
    ledger.marks.record([{ asset: 'SOL', quote: 'USDT', price: '150', at: D0 + 8 * DAY, venue: 'sim' }])
    const board = new LivePriceBoard()
    board.set('sim', 'BTC/USDT', '21500', NOW - 1000)
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board, settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    return live.view({ scope: 'all', period: 'all' })
  }

  it('shows the priced part on the asset row, the unpriced amount beside it, and the rows add up to the total', () => {
    const v = view()
    const sol = v.assets.find((a) => a.asset === 'SOL')
    expect(sol).toMatchObject({ amount: '15', unpricedAmount: '10', price: '150', value: '750' })
    // The unrealized gain counts the priced holding only, as the total does.
    const solPositions = v.positions.filter((p) => p.asset === 'SOL' && p.unrealized !== null)
    expect(sol?.unrealized).toBe(solPositions.map((p) => p.unrealized as string).reduce((s, u) => s.plus(u), new LedgerDecimal(0)).toFixed())

    const sum = (xs: (string | null)[]) => xs.reduce((s, x) => (x === null ? s : s.plus(x)), new LedgerDecimal(0)).toFixed()
    expect(sum(v.assets.map((a) => a.value))).toBe(v.totals.value)
    expect(sum(v.assets.map((a) => a.unrealized))).toBe(v.totals.unrealized)
    expect(v.allocation.find((s) => s.asset === 'SOL')?.value).toBe(sol?.value)
    // Fully priced assets have nothing unpriced.
    expect(v.assets.find((a) => a.asset === 'BTC')?.unpricedAmount).toBe('0')
  })

  it('leaves an asset no account can price without a price or value, all of it unpriced', () => {
    ledger = tempLedger()
    ledger.writer.importBatch([deposit('csv', 'csv', 'USDT', '1000'), deposit('csv', 'csv', 'SOL', '10')])
    live = new LivePortfolio({ db: ledger.store.db, bus: new EventBus(), log: silentLogger, board: new LivePriceBoard(), settings: () => ({ method: 'fifo', currency: 'USD' }), clock: fakeClock(NOW) })
    const sol = live.view({ scope: 'all', period: 'all' }).assets.find((a) => a.asset === 'SOL')
    expect(sol).toMatchObject({ amount: '10', unpricedAmount: '10', price: null, value: null, unrealized: null })
  })
})
