import type { Candle, DecimalString, PublicTrade, Ticker, Timeframe } from '../../port'
import { Dec, ZERO, fmt } from './decimal'
import { Bounded, selectByTime } from './history'

export const TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1h', '4h', '1d']

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
}

const MINUTE = 60_000
const DAY_MINUTES = 1440

/** Candles kept per timeframe: `limit`, and for 1 m at least a day and an hour (they feed the 24 h ticker). */
export function candleCapacity(tf: Timeframe, limit: number): number {
  return tf === '1m' ? Math.max(limit, DAY_MINUTES + 60) : limit
}

interface OpenCandle {
  time: number
  open: Dec
  high: Dec
  low: Dec
  close: Dec
  volume: Dec
}

/** A stored candle as the still-open current one. */
function openOf(c: Candle): OpenCandle {
  return { time: c.time, open: new Dec(c.open), high: new Dec(c.high), low: new Dec(c.low), close: new Dec(c.close), volume: new Dec(c.volume) }
}

/**
 * Candles of one timeframe built from trades: finished candles as immutable strings, the current one as
 * decimals. Buckets are aligned to UTC epoch multiples. A gap between trades is filled with flat candles
 * (volume 0 at the previous close), as exchanges do, so the series is contiguous.
 */
export class CandleSeries {
  private readonly closed: Bounded<Candle>
  private current: OpenCandle | null = null

  constructor(
    private readonly ms: number,
    private readonly capacity: number,
    private readonly priceDp: number,
    private readonly amountDp: number,
  ) {
    this.closed = new Bounded<Candle>(capacity)
  }

  add(price: Dec, amount: Dec, timestamp: number): void {
    const bucket = Math.floor(timestamp / this.ms) * this.ms
    const cur = this.current
    if (cur && bucket <= cur.time) {
      // Same bucket (or a clock that stepped back: the trade still belongs to the newest candle).
      if (price.gt(cur.high)) cur.high = price
      if (price.lt(cur.low)) cur.low = price
      cur.close = price
      cur.volume = cur.volume.plus(amount)
      return
    }
    this.closeUntil(bucket)
    this.current = { time: bucket, open: price, high: price, low: price, close: price, volume: amount }
  }

  /**
   * Appends candles of a span the market was not running (synthetic history), oldest first, none before the
   * current candle (one in its bucket extends it). Skipped buckets are filled flat, as between trades. The
   * newest becomes the current candle, which later trades in its bucket extend.
   */
  backfill(candles: readonly Candle[]): void {
    let i = 0
    const cur = this.current
    const first = candles[0]
    if (first === undefined) return
    if (cur && first.time < cur.time) throw new RangeError(`backfilled candle ${first.time} is older than the newest (${cur.time})`)
    if (cur && first.time === cur.time) {
      // The saved session's last bucket (a day, say) goes on in the span after it.
      const high = new Dec(first.high)
      const low = new Dec(first.low)
      if (high.gt(cur.high)) cur.high = high
      if (low.lt(cur.low)) cur.low = low
      cur.close = new Dec(first.close)
      cur.volume = cur.volume.plus(first.volume)
      i = 1
    }
    const last = candles[candles.length - 1] as Candle
    if (i === candles.length) return
    this.closeUntil((candles[i] as Candle).time)
    // Closed candles are kept as the given text (a day of 1 m candles at start: no decimal work per candle).
    for (; i < candles.length - 1; i++) {
      const c = candles[i] as Candle
      const next = candles[i + 1] as Candle
      if (next.time <= c.time) throw new RangeError(`backfilled candles must be in time order (${next.time} after ${c.time})`)
      this.closed.push({ ...c })
      this.fillFlat(c.time, next.time, c.close)
    }
    this.current = openOf(last)
  }

  /** Closes the current candle before a new one at `bucket`, filling skipped buckets flat at its close (as exchanges do). */
  private closeUntil(bucket: number): void {
    const cur = this.current
    if (!cur) return
    this.current = null
    this.closed.push(this.freeze(cur))
    this.fillFlat(cur.time, bucket, fmt(cur.close, this.priceDp))
  }

  /** The buckets strictly between two candles, flat at the earlier one's close with no volume (at most `capacity`). */
  private fillFlat(after: number, before: number, close: DecimalString): void {
    const missing = Math.min((before - after) / this.ms - 1, this.capacity)
    const volume = fmt(ZERO, this.amountDp)
    for (let i = missing; i >= 1; i--) this.closed.push({ time: before - i * this.ms, open: close, high: close, low: close, close, volume })
  }

  /** From `since` the first `limit` candles, otherwise the last `limit`; the current candle included. */
  query(since?: number, limit?: number): Candle[] {
    const all = this.closed.toArray()
    if (this.current) all.push(this.freeze(this.current))
    return selectByTime(all, 0, (c) => c.time, since, limit)
  }

  export(): Candle[] {
    return this.query()
  }

  /** Restore only: candles oldest first; the newest becomes the current (still open) candle. */
  restore(candles: readonly Candle[]): void {
    const sorted = [...candles].sort((a, b) => a.time - b.time).slice(-this.capacity)
    const last = sorted.pop()
    for (const c of sorted) this.closed.push({ ...c })
    if (last) this.current = openOf(last)
  }

  private freeze(c: OpenCandle): Candle {
    return {
      time: c.time,
      open: fmt(c.open, this.priceDp),
      high: fmt(c.high, this.priceDp),
      low: fmt(c.low, this.priceDp),
      close: fmt(c.close, this.priceDp),
      volume: fmt(c.volume, this.amountDp),
    }
  }
}

interface Rolling {
  minute: number
  open: Dec | null
  high: Dec | null
  low: Dec | null
  volume: Dec
}

/** A market's public trade tape, candles and 24 h rolling statistics. */
export class MarketData {
  readonly trades: Bounded<PublicTrade>
  readonly candles = new Map<Timeframe, CandleSeries>()
  lastPrice: Dec | null = null
  lastTrade: PublicTrade | null = null
  private rolling: Rolling | null = null

  constructor(
    readonly symbol: string,
    private readonly priceDp: number,
    amountDp: number,
    limits: { trades: number; candles: number },
  ) {
    this.trades = new Bounded<PublicTrade>(limits.trades)
    // 1m candles also feed the 24 h ticker, so keep at least a day of them.
    for (const tf of TIMEFRAMES) {
      const capacity = candleCapacity(tf, limits.candles)
      this.candles.set(tf, new CandleSeries(TIMEFRAME_MS[tf], capacity, priceDp, amountDp))
    }
  }

  record(trade: PublicTrade, price: Dec, amount: Dec): void {
    this.trades.push(trade)
    this.lastTrade = trade
    this.lastPrice = price
    for (const series of this.candles.values()) series.add(price, amount, trade.timestamp)
    const r = this.rolling
    if (r && Math.floor(trade.timestamp / MINUTE) === r.minute) {
      if (r.open === null) r.open = price
      if (r.high === null || price.gt(r.high)) r.high = price
      if (r.low === null || price.lt(r.low)) r.low = price
      r.volume = r.volume.plus(amount)
    } else {
      this.rolling = null
    }
  }

  /** Restore only. */
  restore(trades: readonly PublicTrade[], lastTrade: PublicTrade | null, candles: Partial<Record<Timeframe, Candle[]>>): void {
    for (const t of trades) this.trades.push({ ...t })
    const last = lastTrade ?? trades[trades.length - 1] ?? null
    this.lastTrade = last ? { ...last } : null
    this.lastPrice = last ? new Dec(last.price) : null
    for (const tf of TIMEFRAMES) {
      const list = candles[tf]
      if (list) this.series(tf).restore(list)
    }
    this.rolling = null
  }

  /** Synthetic history for a span the market was not running (see CandleSeries.backfill); the 24 h figures follow. */
  backfill(candles: Partial<Record<Timeframe, Candle[]>>): void {
    for (const tf of TIMEFRAMES) {
      const list = candles[tf]
      if (list) this.series(tf).backfill(list)
    }
    this.rolling = null
  }

  series(tf: Timeframe): CandleSeries {
    const s = this.candles.get(tf)
    if (!s) throw new Error(`unknown timeframe ${tf}`)
    return s
  }

  ticker(now: number, bid: DecimalString | null, ask: DecimalString | null, fallbackLast: Dec): Ticker {
    const r = this.rollingAt(now)
    const last = this.lastPrice ?? fallbackLast
    const change = r.open && !r.open.isZero() ? last.minus(r.open).div(r.open).times(100).toFixed(2) : null
    return {
      symbol: this.symbol,
      last: fmt(last, this.priceDp),
      bid,
      ask,
      high24h: r.high ? fmt(r.high, this.priceDp) : null,
      low24h: r.low ? fmt(r.low, this.priceDp) : null,
      volume24h: fmt(r.volume),
      changePct24h: change,
      timestamp: now,
    }
  }

  /** 24 h window = the current minute and the 1439 before it, from 1m candles; recomputed once a minute. */
  private rollingAt(now: number): Rolling {
    const minute = Math.floor(now / MINUTE)
    if (this.rolling && this.rolling.minute === minute) return this.rolling
    const from = (minute - (DAY_MINUTES - 1)) * MINUTE
    const r: Rolling = { minute, open: null, high: null, low: null, volume: ZERO }
    for (const c of this.series('1m').query(from)) {
      if (c.time > minute * MINUTE) break
      const high = new Dec(c.high)
      const low = new Dec(c.low)
      if (r.open === null) r.open = new Dec(c.open)
      if (r.high === null || high.gt(r.high)) r.high = high
      if (r.low === null || low.lt(r.low)) r.low = low
      r.volume = r.volume.plus(c.volume)
    }
    this.rolling = r
    return r
  }
}
