import Decimal from 'decimal.js'
import type { Balance, DecimalString } from './port'

export const VALUATION_ASSET = 'USDT'
/** Assets counted at par with the valuation asset. */
const PAR = new Set(['USDT', 'USDC', 'USD', 'FDUSD'])

/** Last price of a market on one venue, or null when the venue has no such market or no price. */
export type PriceOf = (symbol: string) => Promise<DecimalString | null>

/** Price of one unit of `asset` in USDT: directly, or through BTC (e.g. an ETH/BTC-only asset). */
export async function unitValue(asset: string, priceOf: PriceOf): Promise<Decimal | null> {
  if (PAR.has(asset)) return new Decimal(1)
  const direct = await priceOf(`${asset}/${VALUATION_ASSET}`)
  if (direct !== null) return new Decimal(direct)
  const viaBtc = asset === 'BTC' ? null : await priceOf(`${asset}/BTC`)
  const btc = viaBtc === null ? null : await priceOf(`BTC/${VALUATION_ASSET}`)
  return viaBtc !== null && btc !== null ? new Decimal(viaBtc).times(btc) : null
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
