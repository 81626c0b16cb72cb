import type { FillRecord } from '../trading/model'
import type { LedgerTradeInput } from './model'

/** "BTC/USDT" or ccxt's "BTC/USDT:USDT" → base and quote; null when the symbol names no pair. */
export function splitSymbol(symbol: string): { base: string; quote: string } | null {
  const pair = symbol.split(':')[0] as string
  const slash = pair.indexOf('/')
  if (slash <= 0 || slash === pair.length - 1) return null
  return { base: pair.slice(0, slash), quote: pair.slice(slash + 1) }
}

/**
 * The ledger's key for a venue trade: exchanges number trades per market (Binance's BTC/USDT and ETH/USDT
 * both have a trade 1001), so the id alone would merge two fills. The app's own fills and the history sync
 * use the same key, so syncing a trade the app already recorded is a no-op.
 */
export const venueTradeKey = (symbol: string, tradeId: string): string => `${symbol}#${tradeId}`

/** One of the app's own fills (or a venue fill) as a ledger trade; null when the symbol is not a pair. */
export function fillToEntry(
  fill: Pick<FillRecord, 'tradeId' | 'symbol' | 'side' | 'price' | 'amount' | 'fee' | 'timestamp'>,
  account: string,
  source: LedgerTradeInput['source'],
  externalId: string = venueTradeKey(fill.symbol, fill.tradeId),
): LedgerTradeInput | null {
  const pair = splitSymbol(fill.symbol)
  if (!pair) return null
  const fee = fill.fee && fill.fee.asset && fill.fee.amount && fill.fee.amount !== '0' ? { asset: fill.fee.asset, amount: fill.fee.amount } : null
  return {
    kind: 'trade',
    account,
    timestamp: fill.timestamp,
    symbol: fill.symbol,
    base: pair.base,
    quote: pair.quote,
    side: fill.side,
    price: fill.price,
    amount: fill.amount,
    fee,
    source,
    externalId,
  }
}
