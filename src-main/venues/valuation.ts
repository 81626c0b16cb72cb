import Decimal from 'decimal.js'
import type { Balance, DecimalString } from './port'

export const VALUATION_ASSET = 'USDT'
/** Assets counted at par with the valuation asset. */
const PAR = new Set(['USDT', 'USDC', 'USD', 'FDUSD'])

/** Last price of a market on one venue, or null when the venue has no such market or no price. */
export type PriceOf = (symbol: string) => Promise<DecimalString | null>

/** Quotes tried for a direct price, most common first: each is worth one USDT (see PAR). */
const PAR_QUOTES = [VALUATION_ASSET, 'USDC', 'USD']

/**
 * Price of one unit of `asset` in USDT: directly (ASSET/USDT, or a USDC or USD market, at par), from the
 * inverse market (USDT/EUR on Kraken and Coinbase: 1 / price), or through BTC (ETH/BTC × BTC/USDT, or
 * BTC/USDT ÷ BTC/GBP for a currency only quoted against BTC). Null when none of them has a price.
 */
export async function unitValue(asset: string, priceOf: PriceOf): Promise<Decimal | null> {
  if (PAR.has(asset)) return new Decimal(1)
  const par = await parValue(asset, priceOf)
  if (par !== null || asset === 'BTC') return par
  const viaBtc = await positive(priceOf(`${asset}/BTC`))
  const btcInAsset = viaBtc === null ? await positive(priceOf(`BTC/${asset}`)) : null
  if (viaBtc === null && btcInAsset === null) return null
  const btc = await parValue('BTC', priceOf)
  if (btc === null) return null
  return viaBtc !== null ? viaBtc.times(btc) : btc.div(btcInAsset!)
}

/** The asset's price in a quote at par with USDT, from ASSET/QUOTE or the inverse QUOTE/ASSET. */
async function parValue(asset: string, priceOf: PriceOf): Promise<Decimal | null> {
  for (const quote of PAR_QUOTES) {
    const direct = await positive(priceOf(`${asset}/${quote}`))
    if (direct !== null) return direct
    const inverse = await positive(priceOf(`${quote}/${asset}`))
    if (inverse !== null) return new Decimal(1).div(inverse)
  }
  return null
}

/** A price read, or null when there is none (a zero price values nothing and cannot be inverted). */
async function positive(read: Promise<DecimalString | null>): Promise<Decimal | null> {
  const price = await read
  if (price === null || price === '') return null
  const value = new Decimal(price)
  return value.gt(0) ? value : null
}

export interface ValuedBalance extends Balance {
  value: DecimalString | null
}

/** Values every non-zero balance; the sum leaves out (and names) assets with no known price. */
export async function valueBalances(
  balances: Balance[],
  priceOf: PriceOf,
): Promise<{ rows: ValuedBalance[]; value: DecimalString | null; unvalued: string[] }> {
  const rows: ValuedBalance[] = []
  const unvalued: string[] = []
  let sum = new Decimal(0)
  for (const b of balances) {
    if (new Decimal(b.total).isZero()) continue
    const unit = await unitValue(b.asset, priceOf)
    const value = unit === null ? null : unit.times(b.total)
    if (value === null) unvalued.push(b.asset)
    else sum = sum.plus(value)
    rows.push({ ...b, value: value === null ? null : value.toDecimalPlaces(8).toFixed() })
  }
  rows.sort((a, b) => compareValue(b.value, a.value) || a.asset.localeCompare(b.asset))
  return { rows, value: rows.length === 0 || unvalued.length < rows.length ? sum.toDecimalPlaces(8).toFixed() : null, unvalued }
}

function compareValue(a: DecimalString | null, b: DecimalString | null): number {
  if (a === null && b === null) return 0
  if (a === null) return -1
  if (b === null) return 1
  return new Decimal(a).cmp(b)
}
