import { afterEach, describe, expect, it } from 'vitest'
import type { LedgerEntryInput } from '../../src-main/portfolio/model'
import { computePortfolio } from '../../src-main/portfolio/pnl'
import { DEFAULT_EQUIVALENTS } from '../../src-main/portfolio/prices'
import { LedgerReplay } from '../../src-main/portfolio/live/replay'
import { DAY, HOUR } from '../../src-main/portfolio/live/periods'
import { tempLedger } from './portfolio-live-support'
import { mulberry32 } from '../support/seeded'

// The live model's promise: applying ledger rows and price marks one by one as they are stored gives the
// same book as replaying the whole ledger again — positions, realized and unrealized P&L, realized in
// period, net deposits and every equity snapshot — after each step of random sequences. The sequences
// mix accounts whose rows arrive out of time order with each other (a late fill of one account after
// another's newer one, even after a grid snapshot was recorded), an account's own late row (replayed from
// scratch), deposits, crypto-quoted trades, trades with a stated total, fees in the quote, the base and BNB,
// and sells beyond holdings.
// fast-check is not installed: a seeded generator, every failure names its seed.

const PAIRS = [
  { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', price: 30000 },
  { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', price: 2000 },
  { symbol: 'BNB/USDT', base: 'BNB', quote: 'USDT', price: 300 },
  { symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', price: 0.066 },
] as const
const START = Date.UTC(2024, 2, 1, 7, 3)
const NOW = START + 3 * DAY

describe('live model: incremental = full replay after every step', () => {
  let ledger: ReturnType<typeof tempLedger> | undefined
  afterEach(() => {
    ledger?.close()
    ledger = undefined
  })

  for (const method of ['fifo', 'average'] as const) {
    it(`${method}: 25 random sequences of 50 steps`, () => {
      let steps = 0
      let rebuilds = 0
      for (let seed = 1; seed <= 25; seed++) {
        ledger = tempLedger()
        const rand = mulberry32(seed * 31 + (method === 'fifo' ? 0 : 7))
        const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
        const options = { db: ledger.store.db, method, reporting: 'USD', equivalents: DEFAULT_EQUIVALENTS, now: () => NOW }
        const live = new LedgerReplay(options)
        const market = new Map<string, number>(PAIRS.map((p) => [p.symbol, p.price]))
        let t = START
        let n = 0
        for (let step = 0; step < 50; step++) {
          t += Math.floor(rand() * 1.5 * HOUR)
          if (rand() < 0.4) {
            const p = pick(PAIRS)
            market.set(p.symbol, (market.get(p.symbol) as number) * (0.95 + rand() * 0.1))
            ledger.marks.record([{ asset: p.base, quote: p.quote, price: (market.get(p.symbol) as number).toFixed(p.quote === 'BTC' ? 6 : 2), at: t }])
          }
          const account = pick(['a', 'b', 'c'])
          // b's rows arrive up to 20 minutes late relative to the others; c sometimes later than its own last one.
          const at = account === 'b' ? t - Math.floor(rand() * 20 * 60_000) : account === 'c' && rand() < 0.1 ? t - 3 * HOUR : t
          const entry = randomEntry(rand, pick, account, Math.max(START, at), market, ++n)
          ledger.writer.importBatch([entry])
          live.sync()
          const full = new LedgerReplay(options)
          const prices = new Map(PAIRS.filter((p) => p.quote === 'USDT').map((p) => [p.base, (market.get(p.symbol) as number).toFixed(2)]))
          const a = live.book.valued(prices, NOW)
          const b = full.book.valued(prices, NOW)
          expect(a, `seed ${seed} step ${step}`).toEqual(b)
          const direct = computePortfolio({ db: ledger.store.db, method, prices, reportingCurrency: 'USD', at: NOW })
          expect(a.positions, `seed ${seed} step ${step} vs computePortfolio`).toEqual(direct.positions)
          expect(a.totals, `seed ${seed} step ${step} vs computePortfolio`).toEqual(direct.totals)
          expect(live.snapshots, `seed ${seed} step ${step} snapshots`).toEqual(full.snapshots)
          for (const start of [null, START + 6 * HOUR, t - DAY]) {
            for (const [key, log] of full.realized) expect(live.realized.get(key)?.since(start) ?? 0n, `seed ${seed} ${key}`).toBe(log.since(start))
            for (const [key, log] of full.deposits) expect(live.deposits.get(key)?.since(start) ?? 0n, `seed ${seed} ${key}`).toBe(log.since(start))
          }
          steps++
        }
        rebuilds += live.rebuilds - 1
        ledger.close()
        ledger = undefined
      }
      expect(steps).toBe(25 * 50)
      // The account-late rows did force some full replays; most steps were incremental.
      expect(rebuilds).toBeGreaterThan(0)
      expect(rebuilds).toBeLessThan(steps / 4)
    })
  }
})

function randomEntry(
  rand: () => number,
  pick: <T>(xs: readonly T[]) => T,
  account: string,
  timestamp: number,
  market: Map<string, number>,
  n: number,
): LedgerEntryInput {
  const amount = (max: number, dp: number) => (Math.max(1, Math.floor(rand() * max * 10 ** dp)) / 10 ** dp).toFixed(dp)
  const externalId = `e${n}`
  if (rand() < 0.2) {
    const asset = pick(['USDT', 'BTC', 'ETH', 'USDC'])
    const roll = rand()
    const kind = roll < 0.6 ? 'deposit' : roll < 0.8 ? 'income' : 'withdrawal'
    return { kind, account, timestamp, asset, amount: asset === 'BTC' ? amount(1, 4) : amount(5000, 2), fee: null, source: 'csv', externalId }
  }
  const p = pick(PAIRS)
  const price = ((market.get(p.symbol) as number) * (0.99 + rand() * 0.02)).toFixed(p.quote === 'BTC' ? 6 : 2)
  const qty = amount(p.base === 'BTC' ? 0.5 : 5, 4)
  const feeKind = pick(['none', 'quote', 'base', 'bnb'] as const)
  const fee = feeKind === 'none' ? null : feeKind === 'bnb' ? { asset: 'BNB', amount: amount(0.01, 5) } : { asset: feeKind === 'quote' ? p.quote : p.base, amount: '0.0001' }
  // Some trades state their quote amount (a conversion): a total a little off amount × price.
  const total = rand() < 0.2 ? (Number(qty) * Number(price) * (0.999 + rand() * 0.002)).toFixed(p.quote === 'BTC' ? 8 : 2) : null
  return { kind: 'trade', account, timestamp, symbol: p.symbol, base: p.base, quote: p.quote, side: rand() < 0.55 ? 'buy' : 'sell', price, amount: qty, total, fee, source: 'csv', externalId }
}
