import Decimal from 'decimal.js'
import type { ExchangeId } from '../../accounts/exchanges'

// A trade ccxt.pro pushes, made to mean what ccxt's REST trade of the same fill means.
//
// OKX: ccxt builds a pushed trade from the order channel's `fillFee`, which OKX signs as money flowing to
// the account (a charge negative, a rebate positive), and passes it through; its REST parseTrade negates
// OKX's `fee` so a charge is positive. A flip of the sign is exact both ways.

type Raw = Record<string, unknown>

export function streamTradeAsRest(exchange: ExchangeId, trade: Raw): Raw {
  if (exchange !== 'okx') return trade
  const fee = trade.fee !== null && typeof trade.fee === 'object' ? (trade.fee as Raw) : undefined
  const cost = fee?.cost
  if (cost === undefined || cost === null || cost === '') return trade
  let negated: Decimal
  try {
    negated = new Decimal(String(cost)).negated()
  } catch {
    return trade
  }
  // Kept as the type ccxt gave (a number from its float parse; the exact re-parse reads the raw reply).
  const flipped = typeof cost === 'number' ? negated.toNumber() : negated.toFixed()
  return { ...trade, fee: { ...fee, cost: flipped } }
}
