import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../src-main/bus'
import { silentLogger } from '../../src-main/log'
import { LivePortfolio } from '../../src-main/portfolio/live/service'
import { LivePriceBoard } from '../../src-main/portfolio/live/price-board'
import { DAY } from '../../src-main/portfolio/live/periods'
import { LedgerDecimal } from '../../src-main/portfolio/arith'
import { fakeClock, tempLedger } from './portfolio-live-support'
import { D0, deposit, NOW, simPriceEntries } from './sim-price-fixture'

// An asset held by several accounts can be priced in one and unpriced in another: the simulator's SOL
// values the sim trader's 5 SOL at 150, while an imported account's 10 SOL has no real price. The
// per-asset row sums the priced holdings and says how much is unpriced, so the rows add up to the
// total and the allocation chart's SOL slice matches its row. Day 0:
//   deposits: binance-main 100,000 USDT; csv (an import) 1,000 USDT and 10 SOL; sim:trader:x 100,000 USDT, 5 SOL
//   binance-main buys 1 BTC at 95,000; csv 0.01 BTC at 90,000; sim:trader:x 1 BTC at 20,000
//   day 8 the sim's SOL/USDT mark 150 (the only price of SOL)

const ENTRIES = simPriceEntries({ withSimSol: true })

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
