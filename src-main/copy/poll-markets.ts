import type { MarketInfo } from '../venues/port'
import { DOLLARS } from '../stablecoins'

// Which of a leader venue's markets the copier polls for the leader's fills: REST asks market by market,
// so at most a few. Every held coin gets one before any coin gets a second: with each coin listed against
// four dollars, the first coins' markets must not take the whole budget (DOT held, never polled).

/** Dollar quotes by preference (most liquid first); a dollar not listed comes after, then held non-dollars. */
const DOLLAR_PREFERENCE = ['USDT', 'USDC', 'FDUSD', 'USD', 'BUSD', 'TUSD', 'DAI', 'USDP', 'PYUSD']

function quoteRank(quote: string): number {
  const i = DOLLAR_PREFERENCE.indexOf(quote)
  if (i >= 0) return i
  return DOLLARS.has(quote) ? DOLLAR_PREFERENCE.length : DOLLAR_PREFERENCE.length + 1
}

/**
 * The markets to add to `polled` (already polled: traded ones, named in settings), up to `cap` in all: the
 * active markets of held coins quoted in a dollar or another held coin — first the best one of each coin
 * not polled yet, then the next best of each, and so on. `unpolled`: held coins left without any.
 */
export function pollMarkets(polled: ReadonlySet<string>, markets: readonly MarketInfo[], held: (asset: string) => boolean, cap: number): { add: string[]; unpolled: string[] } {
  const byCoin = new Map<string, MarketInfo[]>()
  for (const m of markets) {
    if (!m.active || !held(m.base) || !(DOLLARS.has(m.quote) || held(m.quote))) continue
    byCoin.set(m.base, [...(byCoin.get(m.base) ?? []), m])
  }
  for (const list of byCoin.values()) list.sort((a, b) => quoteRank(a.quote) - quoteRank(b.quote) || a.quote.localeCompare(b.quote))
  const taken = new Set(polled)
  const add: string[] = []
  const covered = (coin: string) => [...taken].some((s) => s.startsWith(`${coin}/`))
  const unpolled: string[] = []
  // Round 1: a coin with nothing polled gets its best market.
  for (const [coin, list] of byCoin) {
    if (covered(coin)) continue
    if (taken.size >= cap) {
      unpolled.push(coin)
      continue
    }
    taken.add(list[0]!.symbol)
    add.push(list[0]!.symbol)
  }
  // Then the next best of each coin, round by round, while under the cap.
  for (let round = 0; taken.size < cap; round++) {
    let more = false
    for (const list of byCoin.values()) {
      const m = list[round]
      if (m === undefined) continue
      more = true
      if (taken.size >= cap) break
      if (taken.has(m.symbol)) continue
      taken.add(m.symbol)
      add.push(m.symbol)
    }
    if (!more) break
  }
  return { add, unpolled }
}
