import type { ExchangeId } from '../../accounts/exchanges'

// Spot fee rates of each exchange's base tier (no volume, no VIP level, no token discount), from the
// exchange's published schedule. ccxt fills a market whose exchange publishes no fee with its own defaults
// for the exchange, some of them out of date (OKX: maker 0.10 %, taker 0.15 %); a market with fees of its
// own keeps them. Exchanges missing here keep ccxt's defaults.

export interface BaseFee {
  maker: string
  taker: string
}

export const baseSpotFees: Partial<Record<ExchangeId, BaseFee>> = {
  // https://www.binance.com/en/fee/schedule — Regular user, spot: maker 0.1000 %, taker 0.1000 %.
  binance: { maker: '0.001', taker: '0.001' },
  // https://www.okx.com/fees — Regular users Lv1, spot: maker 0.080 %, taker 0.100 %.
  okx: { maker: '0.0008', taker: '0.001' },
  // https://www.bybit.com/en/help-center/article/Trading-Fee-Structure — Non-VIP, spot: maker 0.1 %, taker 0.1 %.
  bybit: { maker: '0.001', taker: '0.001' },
  // https://www.bitget.com/fee — VIP 0, spot: maker 0.1 %, taker 0.1 %.
  bitget: { maker: '0.001', taker: '0.001' },
}

/**
 * A market's maker and taker rates: its own when ccxt read them from the exchange, else the exchange's
 * base tier (when known) instead of ccxt's defaults. `defaults` are ccxt's (its `fees.trading`).
 */
export function spotFees(
  exchange: ExchangeId,
  market: { maker?: unknown; taker?: unknown },
  defaults: { maker?: unknown; taker?: unknown } | undefined,
): { maker: unknown; taker: unknown } {
  const base = baseSpotFees[exchange]
  const own = market.maker !== undefined && market.taker !== undefined && (market.maker !== defaults?.maker || market.taker !== defaults?.taker)
  if (base === undefined || own) return { maker: market.maker, taker: market.taker }
  return base
}

/**
 * Exchanges that charge a spot buy's fee in the quote (MarketInfo.feeIn 'quote'), so a buy costs
 * price × amount × (1 + fee): Kraken by default (AddOrder oflags: "fciq: prefer fee in quote currency,
 * default when buying"), Coinbase always. The others charge it in what the trade brings in.
 */
export const quoteFeeExchanges: ReadonlySet<ExchangeId> = new Set(['kraken', 'coinbase'])
