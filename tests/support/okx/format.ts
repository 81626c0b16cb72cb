import { crc32 } from 'node:zlib'
import Decimal from 'decimal.js'
import type { SimMarketSpec, SimOrder } from '../../../src-main/venues/sim/engine-api'
import type { BookLevel, Candle, Fill, Timeframe } from '../../../src-main/venues/port'
import { TIMEFRAME_MS } from '../exchange-server/timeframes'

// Engine objects → OKX v5 JSON. Numbers are strings without trailing zeros ("0.01", "95000.1"), as OKX sends
// them; timestamps are millisecond strings; absent values are "" (ccxt treats "" as undefined).

export function instIdOf(spec: SimMarketSpec): string {
  return `${spec.base}-${spec.quote}`
}

/** "0.01000" → "0.01"; exact (decimal.js), never rounded. */
export function num(value: Decimal.Value): string {
  return new Decimal(value).toFixed()
}

/** OKX's negative-means-charged fee string. */
export function feeString(amount: Decimal.Value): string {
  const d = new Decimal(amount)
  return d.isZero() ? '0' : d.neg().toFixed()
}

export function instrument(spec: SimMarketSpec, listTime: number): Record<string, string> {
  return {
    instType: 'SPOT',
    instId: instIdOf(spec),
    instFamily: '',
    uly: '',
    category: '1',
    baseCcy: spec.base,
    quoteCcy: spec.quote,
    settleCcy: '',
    ctVal: '',
    ctMult: '',
    ctValCcy: '',
    ctType: '',
    optType: '',
    stk: '',
    alias: '',
    listTime: String(listTime),
    expTime: '',
    lever: '',
    tickSz: num(spec.tickSize),
    lotSz: num(spec.stepSize),
    minSz: num(spec.minAmount),
    maxLmtSz: '9999999999',
    maxMktSz: '1000000',
    maxLmtAmt: '20000000',
    maxMktAmt: '1000000',
    maxTwapSz: '9999999999',
    maxIcebergSz: '9999999999',
    maxTriggerSz: '9999999999',
    maxStopSz: '1000000',
    ruleType: 'normal',
    state: 'live',
  }
}

/** A book level as OKX sends it: [price, size, "0" (deprecated liquidated orders), number of orders]. */
export function level([price, amount]: BookLevel): [string, string, string, string] {
  const size = num(amount)
  return [num(price), size, '0', size === '0' ? '0' : '1']
}

/**
 * OKX's order book checksum: the first 25 bids and asks interleaved as "bidPx:bidSz:askPx:askSz:…" (a side
 * that runs out is simply skipped), with the price and size strings exactly as sent, CRC32 as a signed int.
 */
export function bookChecksum(bids: readonly (readonly string[])[], asks: readonly (readonly string[])[]): number {
  const parts: string[] = []
  for (let i = 0; i < 25; i++) {
    const b = bids[i]
    const a = asks[i]
    if (b !== undefined) parts.push(`${b[0]}:${b[1]}`)
    if (a !== undefined) parts.push(`${a[0]}:${a[1]}`)
  }
  return crc32(parts.join(':')) | 0
}

export function ordType(o: SimOrder): string {
  if (o.type === 'market') return 'market'
  if (o.postOnly) return 'post_only'
  if (o.timeInForce === 'IOC') return 'ioc'
  if (o.timeInForce === 'FOK') return 'fok'
  return 'limit'
}

export function orderState(o: SimOrder): string {
  if (o.status === 'open') return new Decimal(o.filled).isZero() ? 'live' : 'partially_filled'
  if (o.status === 'closed') return 'filled'
  return 'canceled'
}

export interface FillFields {
  fillPx: string
  fillSz: string
  fillTime: string
  tradeId: string
  execType: string
  fillFee: string
  fillFeeCcy: string
}

export const NO_FILL: FillFields = { fillPx: '', fillSz: '', fillTime: '', tradeId: '', execType: '', fillFee: '', fillFeeCcy: '' }

/** An order as GET /api/v5/trade/order, orders-pending and the `orders` channel show it. */
export function order(
  spec: SimMarketSpec,
  o: SimOrder,
  clOrdId: string,
  fee: { asset: string; amount: string },
  last: FillFields = NO_FILL,
  extra: Record<string, string> = {},
): Record<string, string> {
  const filled = new Decimal(o.filled)
  return {
    instType: 'SPOT',
    instId: instIdOf(spec),
    tgtCcy: o.type === 'market' ? 'base_ccy' : '',
    ccy: '',
    ordId: o.venueOrderId,
    clOrdId,
    tag: '',
    px: o.price === null ? '' : num(o.price),
    pxUsd: '',
    pxVol: '',
    pxType: '',
    sz: num(o.amount),
    pnl: '0',
    ordType: ordType(o),
    side: o.side,
    posSide: 'net',
    tdMode: 'cash',
    accFillSz: num(o.filled),
    fillPx: last.fillPx,
    tradeId: last.tradeId,
    fillSz: last.fillSz,
    fillTime: last.fillTime,
    avgPx: filled.isZero() ? '' : new Decimal(o.cost).div(filled).toFixed(),
    state: orderState(o),
    lever: '',
    attachAlgoClOrdId: '',
    tpTriggerPx: '',
    tpTriggerPxType: '',
    tpOrdPx: '',
    slTriggerPx: '',
    slTriggerPxType: '',
    slOrdPx: '',
    stpId: '',
    stpMode: 'cancel_maker',
    feeCcy: fee.asset,
    fee: feeString(fee.amount),
    rebateCcy: fee.asset,
    rebate: '0',
    source: '',
    category: 'normal',
    reduceOnly: 'false',
    isTpLimit: 'false',
    cancelSource: '',
    cancelSourceReason: '',
    quickMgnType: '',
    algoClOrdId: '',
    algoId: '',
    uTime: String(o.updatedAt),
    cTime: String(o.createdAt),
    ...(last.execType === '' ? {} : { execType: last.execType, fillFee: last.fillFee, fillFeeCcy: last.fillFeeCcy }),
    ...extra,
  }
}

export function fillFields(f: Fill): FillFields {
  return {
    fillPx: num(f.price),
    fillSz: num(f.amount),
    fillTime: String(f.timestamp),
    tradeId: f.tradeId,
    execType: f.liquidity === 'taker' ? 'T' : 'M',
    fillFee: feeString(f.fee.amount),
    fillFeeCcy: f.fee.asset,
  }
}

/** A fill as GET /api/v5/trade/fills(-history) shows it. */
export function fill(spec: SimMarketSpec, f: Fill, clOrdId: string): Record<string, string> {
  return {
    instType: 'SPOT',
    instId: instIdOf(spec),
    tradeId: f.tradeId,
    ordId: f.venueOrderId,
    clOrdId,
    billId: f.tradeId,
    subType: f.side === 'buy' ? '1' : '2',
    tag: '',
    fillPx: num(f.price),
    fillSz: num(f.amount),
    fillIdxPx: '',
    fillPnl: '0',
    fillPxVol: '',
    fillPxUsd: '',
    fillMarkVol: '',
    fillFwdPx: '',
    fillMarkPx: '',
    side: f.side,
    posSide: 'net',
    execType: f.liquidity === 'taker' ? 'T' : 'M',
    feeCcy: f.fee.asset,
    fee: feeString(f.fee.amount),
    ts: String(f.timestamp),
    fillTime: String(f.timestamp),
    feeRate: '',
  }
}

/** OKX candle bars the engine has ("1Dutc" is what ccxt sends for 1d in UTC). */
export const BARS: Record<string, Timeframe> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '1H': '1h',
  '4H': '4h',
  '1D': '1d',
  '1Dutc': '1d',
}

/**
 * [ts, o, h, l, c, vol (base), volCcy, volCcyQuote, confirm]. The engine keeps no quote volume per candle,
 * so volCcy / volCcyQuote are "" (ccxt reads only the base volume for spot).
 */
export function candle(c: Candle, timeframe: Timeframe, now: number): string[] {
  const confirm = c.time + TIMEFRAME_MS[timeframe] <= now ? '1' : '0'
  return [String(c.time), num(c.open), num(c.high), num(c.low), num(c.close), num(c.volume), '', '', confirm]
}
