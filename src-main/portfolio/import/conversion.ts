import type { LedgerTradeInput, LedgerSource } from '../model'
import { LEDGER_SCALE, LedgerDecimal } from '../arith'
import { MONEY } from '../../stablecoins'

// A conversion (Binance Convert, Kraken's Buy Crypto spend/receive, Coinbase Convert): the export states
// what left and what arrived, never a price. It becomes one trade that buys the received asset with the
// spent one — or sells the spent asset when what arrived is money (a fiat or a stablecoin), so that
// selling ETH for USDC reads as a sale — with both sides exact: the quote side as the trade's total, the
// price (their ratio, which often has no finite decimal) rounded to the ledger's scale for display.

export interface Side {
  asset: string
  /** A positive exact decimal, fees already taken out (received) or added in (spent). */
  amount: string
}

export function conversionTrade(
  account: string,
  timestamp: number,
  spent: Side,
  received: Side,
  source: LedgerSource,
  externalId: string | null,
): LedgerTradeInput {
  const sell = MONEY.has(received.asset) && !MONEY.has(spent.asset)
  const [base, quote, side] = sell ? [spent, received, 'sell' as const] : [received, spent, 'buy' as const]
  const price = ratio(quote.amount, base.amount)
  return {
    kind: 'trade', account, timestamp, symbol: `${base.asset}/${quote.asset}`, base: base.asset, quote: quote.asset, side,
    price, amount: base.amount, total: quote.amount, fee: null, source, externalId,
  }
}

/** The price a stated total implies (total ÷ amount), rounded half-even to the ledger's 18 places. */
export function ratio(total: string, amount: string): string {
  return new LedgerDecimal(total).div(amount).toDecimalPlaces(LEDGER_SCALE, LedgerDecimal.ROUND_HALF_EVEN).toFixed()
}
