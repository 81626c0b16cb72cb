import type { MarketInfo } from '../../venues/port'

// Which markets a history sync asks about. Binance (like most exchanges) answers "my trades" one market at a
// time and cannot list the markets an account ever traded, so the sync asks every market whose base AND
// quote are assets the account holds or held:
//   - the balances the exchange reports now,
//   - every asset the ledger already has for the account (earlier syncs, the app's own fills, and the
//     deposits and withdrawals the sync reads first),
// plus the markets synced before (their cursors) and the markets the user names. A market traded only with
// assets that left without trace (no balance, no deposit or withdrawal, no earlier fill) is found only when
// the user names it.

export interface MarketChoice {
  /** Symbols to sync, sorted. */
  symbols: string[]
  /** Named by the user but not a spot market of this venue. */
  unknown: string[]
}

export function chooseMarkets(input: {
  markets: readonly MarketInfo[]
  assets: Iterable<string>
  synced?: Iterable<string>
  given?: Iterable<string>
}): MarketChoice {
  const assets = new Set([...input.assets].map((a) => a.toUpperCase()))
  const bySymbol = new Map(input.markets.map((m) => [m.symbol, m]))
  const chosen = new Set<string>()
  for (const m of input.markets) if (assets.has(m.base.toUpperCase()) && assets.has(m.quote.toUpperCase())) chosen.add(m.symbol)
  for (const s of input.synced ?? []) if (bySymbol.has(s)) chosen.add(s)
  const unknown: string[] = []
  for (const raw of input.given ?? []) {
    const s = normalizeSymbol(raw)
    if (bySymbol.has(s)) chosen.add(s)
    else unknown.push(raw)
  }
  return { symbols: [...chosen].sort(), unknown }
}

/** "btc-usdt", "BTC_USDT", "btc/usdt" → "BTC/USDT". */
export function normalizeSymbol(raw: string): string {
  return raw.trim().toUpperCase().replace(/[-_ ]/g, '/')
}
