import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import type { Candle, Timeframe } from '../../src-main/venues/port'
import { createSimMarket, FairPriceModel } from '../../src-main/venues/sim/flow'
import { syntheticHistory, type HistoryRequest } from '../../src-main/venues/sim/flow/history'
import { defaultSimMarkets } from '../../src-main/venues/sim/markets'
import { createMatchingEngine } from '../../src-main/venues/sim/matching/engine'
import { TIMEFRAMES, TIMEFRAME_MS } from '../../src-main/venues/sim/matching/market-data'
import { Rng } from '../../src-main/venues/sim/random'

// The simulated exchange's past (flow/history.ts, flow/backfill.ts): a first start has weeks of candles that
// end at the live start price; a restart after hours away fills those hours from the saved close.

const NOW = Date.UTC(2026, 10, 22, 11, 30, 17)
const MIN = 60_000
const HOUR = 3_600_000
const KEEP: Record<Timeframe, number> = { '1m': 1500, '5m': 1000, '15m': 1000, '1h': 1000, '4h': 1000, '1d': 1000 }
const BTC = defaultSimMarkets[0]!

function request(overrides: Partial<HistoryRequest> = {}): HistoryRequest {
  return {
    specs: defaultSimMarkets,
    fair: {},
    rng: new Rng(11),
    from: NOW - 45 * 24 * HOUR,
    to: NOW,
    endPrices: new Map(defaultSimMarkets.map((s) => [s.symbol, Number(s.initialPrice)])),
    volumePerMinute: (_symbol, price) => 300_000 / price,
    keep: (tf) => KEEP[tf],
    ...overrides,
  }
}

const n = (x: string): number => Number(x)

function logReturnSd(candles: Candle[]): number {
  const r: number[] = []
  for (let i = 1; i < candles.length; i++) r.push(Math.log(n(candles[i]!.close) / n(candles[i - 1]!.close)))
  const mean = r.reduce((a, b) => a + b, 0) / r.length
  return Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1))
}

describe('synthetic history', () => {
  const history = syntheticHistory(request()).candles
  const btc = history.get('BTC/USDT')!

  it('every timeframe is contiguous, aligned, on the tick, within its kept window, and ends in the still-open bucket holding now', () => {
    for (const spec of defaultSimMarkets) {
      const all = history.get(spec.symbol)!
      const dp = spec.tickSize.split('.')[1]!.length
      for (const tf of TIMEFRAMES) {
        const ms = TIMEFRAME_MS[tf]
        const candles = all[tf]
        expect(candles.length, `${spec.symbol} ${tf}`).toBe(Math.min(KEEP[tf], Math.floor((NOW - 1) / ms) - Math.floor((NOW - 45 * 24 * HOUR) / ms) + 1))
        expect(candles.at(-1)!.time).toBe(Math.floor(NOW / ms) * ms)
        for (let i = 0; i < candles.length; i++) {
          const c = candles[i]!
          expect(c.time % ms).toBe(0)
          if (i > 0) expect(c.time - candles[i - 1]!.time).toBe(ms)
          for (const p of [c.open, c.high, c.low, c.close]) expect(p.split('.')[1]!.length).toBe(dp)
          expect(n(c.low)).toBeLessThanOrEqual(Math.min(n(c.open), n(c.close)))
          expect(n(c.high)).toBeGreaterThanOrEqual(Math.max(n(c.open), n(c.close)))
          expect(n(c.volume)).toBeGreaterThan(0)
        }
      }
      // It ends where the live market starts.
      expect(all['1m'].at(-1)!.close).toBe(spec.initialPrice)
    }
  })

  it('the timeframes agree: an hour is its sixty minutes (open, close, high, low, volume)', () => {
    const hour = btc['1h'].at(-3)!
    const minutes = btc['1m'].filter((c) => c.time >= hour.time && c.time < hour.time + HOUR)
    expect(minutes).toHaveLength(60)
    expect(hour.open).toBe(minutes[0]!.open)
    expect(hour.close).toBe(minutes[59]!.close)
    expect(n(hour.high)).toBe(Math.max(...minutes.map((c) => n(c.high))))
    expect(n(hour.low)).toBe(Math.min(...minutes.map((c) => n(c.low))))
    expect(hour.volume).toBe(minutes.reduce((a, c) => a.plus(c.volume), new Decimal(0)).toFixed(5))
  })

  it('a coarser candle’s volume is exactly the sum of its minutes’ volumes, in every market', () => {
    for (const spec of defaultSimMarkets) {
      const all = history.get(spec.symbol)!
      const dp = spec.stepSize.split('.')[1]?.length ?? 0
      const minutes = new Map(all['1m'].map((c) => [c.time, c.volume]))
      for (const tf of ['5m', '15m', '1h'] as const) {
        const ms = TIMEFRAME_MS[tf]
        let checked = 0
        for (const c of all[tf].slice(0, -1)) {
          if (!minutes.has(c.time)) continue
          let sum = new Decimal(0)
          for (let t = c.time; t < c.time + ms; t += MIN) sum = sum.plus(minutes.get(t) ?? 'NaN')
          expect(c.volume, `${spec.symbol} ${tf} ${new Date(c.time).toISOString()}`).toBe(sum.toFixed(dp))
          checked++
        }
        expect(checked).toBeGreaterThan(10)
      }
    }
  })

  it('moves like the live market at every age: 1 m and 1 h returns scale to the model’s 1-minute volatility (BTC 0.06 %)', () => {
    // The live model's mean regime multiplier is about 1.3 and trends add some: a path stepped wrongly
    // (coarse steps clamped to a minute, say) would be several times too calm.
    const perMinute1m = logReturnSd(btc['1m'])
    const perMinute1h = logReturnSd(btc['1h']) / Math.sqrt(60)
    for (const v of [perMinute1m, perMinute1h]) {
      expect(v).toBeGreaterThan(0.0006 * 0.6)
      expect(v).toBeLessThan(0.0006 * 3)
    }
  })

  it('is the same for the same seed and differs for another', () => {
    expect(syntheticHistory(request()).candles.get('ETH/USDT')!['5m']).toEqual(history.get('ETH/USDT')!['5m'])
    expect(syntheticHistory(request({ rng: new Rng(12) })).candles.get('ETH/USDT')!['5m']).not.toEqual(history.get('ETH/USDT')!['5m'])
  })

  it('a gap after a saved session is a bridge: it starts at the saved close and comes back to it', () => {
    const from = Math.floor(NOW / MIN) * MIN - 6 * HOUR
    const saved = new Map([['BTC/USDT', 91234.56]])
    const gap = syntheticHistory(request({ specs: [BTC], from, startPrices: saved, endPrices: saved })).candles.get('BTC/USDT')!
    expect(gap['1m'][0]).toMatchObject({ time: from, open: '91234.56' })
    expect(gap['1m'].at(-1)!.close).toBe('91234.56')
    expect(gap['1m']).toHaveLength(361)
    // Not a flat line: the market moved meanwhile.
    expect(new Set(gap['1m'].map((c) => c.close)).size).toBeGreaterThan(100)
  })

  it('refuses an empty span and a market without a price', () => {
    expect(() => syntheticHistory(request({ from: NOW, to: NOW }))).toThrow(/span must be positive/)
    expect(() => syntheticHistory(request({ endPrices: new Map() }))).toThrow(/no positive price for BTC\/USDT/)
  })
})

describe('the simulated market starts with its past', () => {
  it('a first start: a day of 1 m candles and weeks of 1 h ending at the start price; the 24 h ticker reads them; live trades extend the open candle', () => {
    const market = createSimMarket({ seed: 3, startTime: NOW, history: true, traders: false, symbols: ['BTC/USDT'] })
    market.advance(1)
    const engine = market.engine
    const minutes = engine.candles('BTC/USDT', '1m')
    expect(minutes).toHaveLength(1500)
    expect(engine.candles('BTC/USDT', '1h')).toHaveLength(1000)
    const open = minutes.at(-1)!
    expect(open.time).toBe(Math.floor(NOW / MIN) * MIN)
    const day = minutes.filter((c) => c.time > NOW - 24 * HOUR)
    const ticker = engine.ticker('BTC/USDT')
    expect(n(ticker.high24h!)).toBeGreaterThanOrEqual(Math.max(...day.map((c) => n(c.high))))
    expect(n(ticker.low24h!)).toBeLessThanOrEqual(Math.min(...day.map((c) => n(c.low))))
    expect(n(ticker.volume24h!)).toBeGreaterThan(100)
    expect(ticker.changePct24h).not.toBeNull()
    // The live market trades on in the same minute: the same candle grows, no second one.
    market.advance(20_000)
    const after = engine.candles('BTC/USDT', '1m')
    expect(after).toHaveLength(1500)
    expect(after.at(-1)).toMatchObject({ time: open.time, open: open.open })
    expect(n(after.at(-1)!.volume)).toBeGreaterThan(n(open.volume))
  })

  it('a restart after six hours away fills them from the saved close, not with a flat line; a quick restart adds nothing', () => {
    const first = createSimMarket({ seed: 4, startTime: NOW - 6 * HOUR, history: false, traders: false, symbols: ['BTC/USDT'] })
    first.advance(10 * MIN)
    const state = (first.engine as ReturnType<typeof createMatchingEngine>).snapshot()
    const savedLast = first.engine.candles('BTC/USDT', '1m').at(-1)!
    const lastPrice = first.engine.ticker('BTC/USDT').last

    const later = createSimMarket({ seed: 5, startTime: NOW, history: true, traders: false, symbols: ['BTC/USDT'], engine: { state } })
    later.advance(1)
    const minutes = later.engine.candles('BTC/USDT', '1m', { since: savedLast.time })
    expect(minutes[0]).toEqual(savedLast)
    expect(minutes[1]).toMatchObject({ time: savedLast.time + MIN, open: lastPrice })
    for (let i = 1; i < minutes.length; i++) expect(minutes[i]!.time - minutes[i - 1]!.time).toBe(MIN)
    const gap = minutes.slice(1, -1)
    expect(gap.length).toBeGreaterThan(340)
    expect(gap.filter((c) => n(c.volume) === 0)).toHaveLength(0)
    expect(new Set(gap.map((c) => c.close)).size).toBeGreaterThan(100)

    // Ninety seconds away: under MIN_GAP_MS, nothing is made up.
    const quick = createSimMarket({ seed: 6, startTime: savedLast.time + MIN + 90_000, history: true, traders: false, symbols: ['BTC/USDT'], engine: { state } })
    quick.advance(1)
    expect(quick.engine.candles('BTC/USDT', '1m', { since: savedLast.time })).toEqual([savedLast])
  })

  it('the live market goes on in the regime, volatility and trends its history ended with, from the start price', () => {
    // The model level: the state moves over, the prices do not.
    const past = new FairPriceModel(defaultSimMarkets, new Rng(21), NOW - 6 * HOUR)
    for (let t = NOW - 6 * HOUR; t < NOW; t += 60_000) past.step(t + 60_000)
    const live = new FairPriceModel(defaultSimMarkets, new Rng(22), NOW)
    live.adoptVolatility(past.volatility())
    expect(live.regimeName()).toBe(past.regimeName())
    for (const s of defaultSimMarkets) expect(live.vol1m(s.symbol)).toBeCloseTo(past.vol1m(s.symbol), 12)
    expect(live.price('BTC/USDT')).toBeCloseTo(95_000, 6)
    // Wired into the runtime: without history every start is in the normal regime; with it, starts
    // inherit whatever regime their history ended in.
    const regimes = (history: boolean) =>
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => createSimMarket({ seed, startTime: NOW, history, traders: false, symbols: ['BTC/USDT'] }).regime())
    expect(new Set(regimes(false))).toEqual(new Set(['normal']))
    expect(regimes(true).some((r) => r !== 'normal')).toBe(true)
  })
})
