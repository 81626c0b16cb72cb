import { ownEntry } from './types'

// Market names in exports to base and quote assets. Exchanges write pairs without a separator (BTCUSDT,
// XXBTZUSD), so a pair is split at the longest known quote asset it ends with; Kraken's legacy X/Z-prefixed
// codes are mapped to the common ones. A pair that cannot be split is the caller's error (with the line).

/** Quote assets of Binance spot markets, longest first when matching. */
export const BINANCE_QUOTES = [
  'USDT', 'BUSD', 'USDC', 'FDUSD', 'TUSD', 'USDP', 'PAX', 'DAI', 'USD', 'USD1', 'AEUR', 'EURI', 'BTC', 'ETH', 'BNB',
  'XRP', 'TRX', 'DOGE', 'DOT', 'EUR', 'TRY', 'GBP', 'AUD', 'BRL', 'RUB', 'UAH', 'NGN', 'ZAR', 'IDRT', 'BIDR',
  'JPY', 'PLN', 'RON', 'ARS', 'MXN', 'COP', 'CZK', 'BVND', 'VAI',
] as const

/** Kraken's legacy asset codes (X for crypto, Z for fiat) and its own XBT/XDG, to the codes used elsewhere. */
export const KRAKEN_ASSETS: Readonly<Record<string, string>> = {
  XXBT: 'BTC', XBT: 'BTC', XETH: 'ETH', XXDG: 'DOGE', XDG: 'DOGE', XLTC: 'LTC', XXRP: 'XRP',
  XXLM: 'XLM', XXMR: 'XMR', XETC: 'ETC', XZEC: 'ZEC', XREP: 'REP', XMLN: 'MLN', XICN: 'ICN', XNMC: 'NMC',
  XXVN: 'XVN', XDAO: 'DAO', ZUSD: 'USD', ZEUR: 'EUR', ZGBP: 'GBP', ZCAD: 'CAD', ZJPY: 'JPY', ZAUD: 'AUD',
  ZCHF: 'CHF', ZKRW: 'KRW',
}

/** Quote assets of Kraken spot markets, in its legacy and current spellings. */
export const KRAKEN_QUOTES = [
  'ZUSD', 'ZEUR', 'ZGBP', 'ZCAD', 'ZJPY', 'ZAUD', 'ZCHF', 'XXBT', 'XETH', 'USDT', 'USDC', 'PYUSD', 'DAI', 'USD',
  'EUR', 'GBP', 'CAD', 'JPY', 'AUD', 'CHF', 'AED', 'XBT', 'ETH', 'DOT', 'POL',
] as const

export interface Pair {
  base: string
  quote: string
}

/** Splits at the longest quote the pair ends with, leaving a non-empty base; null when none fits. */
export function splitByQuotes(pair: string, quotes: readonly string[]): Pair | null {
  return splitsByQuotes(pair, quotes)[0] ?? null
}

/** Every split at a quote the pair ends with (ADAEUR: AD/AEUR and ADA/EUR), longest quote first. */
export function splitsByQuotes(pair: string, quotes: readonly string[]): Pair[] {
  const name = pair.trim().toUpperCase()
  return quotes
    .filter((quote) => name.length > quote.length && name.endsWith(quote))
    .sort((a, b) => b.length - a.length)
    .map((quote) => ({ base: name.slice(0, -quote.length), quote }))
}

/**
 * Binance pairs whose name also ends in a longer quote asset than their own (AEUR is a quote, but ADAEUR is
 * ADA/EUR), for rows that do not say which asset is which themselves.
 */
export const BINANCE_AMBIGUOUS_PAIRS: Readonly<Record<string, Pair>> = {
  ADAEUR: { base: 'ADA', quote: 'EUR' },
  LUNAEUR: { base: 'LUNA', quote: 'EUR' },
  THETAEUR: { base: 'THETA', quote: 'EUR' },
  GALAEUR: { base: 'GALA', quote: 'EUR' },
}

/** Splits "BTC/USDT", "BTC-USD" and "BTC_USDT" at the separator. */
export function splitSeparated(pair: string): Pair | null {
  const parts = pair.trim().toUpperCase().split(/[/_-]/)
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null
  return { base: parts[0], quote: parts[1] }
}

export const krakenAsset = (code: string): string => ownEntry(KRAKEN_ASSETS, code.toUpperCase()) ?? code.toUpperCase()

/** XXBTZUSD → BTC/USD, XETHZEUR → ETH/EUR, SOLUSD → SOL/USD, XBT/USDT → BTC/USDT. */
export function splitKrakenPair(pair: string): Pair | null {
  const name = pair.trim().toUpperCase()
  const parts =
    (name.includes('/') ? splitSeparated(name) : null) ??
    (/^[XZ][A-Z]{3}[XZ][A-Z]{3}$/.test(name) && KRAKEN_ASSETS[name.slice(0, 4)] && KRAKEN_ASSETS[name.slice(4)]
      ? { base: name.slice(0, 4), quote: name.slice(4) }
      : null) ??
    splitByLegacyOrPlainQuote(name)
  return parts ? { base: krakenAsset(parts.base), quote: krakenAsset(parts.quote) } : null
}

/**
 * USDTZUSD is USDT/USD, but XTZUSD is XTZ/USD (Tezos), not XT/ZUSD: a legacy-coded quote is taken only when
 * it leaves a base of four or more characters (like the legacy codes themselves, or USDT).
 */
function splitByLegacyOrPlainQuote(name: string): Pair | null {
  const split = splitByQuotes(name, KRAKEN_QUOTES)
  if (split && isLegacyCode(split.quote) && split.base.length < 4)
    return splitByQuotes(name, KRAKEN_QUOTES.filter((q) => !isLegacyCode(q)))
  return split
}

const isLegacyCode = (code: string) => /^[XZ][A-Z]{3}$/.test(code) && ownEntry(KRAKEN_ASSETS, code) !== undefined
