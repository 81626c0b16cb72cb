import type { LedgerEntryInput, LedgerTradeInput } from '../../src-main/portfolio/model'
import { mulberry32 } from '../support/seeded'

// The portfolio benches' workload: a deterministic history of `n` fills over 4 accounts and 4 markets
// (BTC/USDT, ETH/USDT, BNB/USDT and ETH/BTC, a crypto-quoted market), prices on a random walk, amounts
// with 4–6 decimals, fees half in the quote, a fifth in the base and the rest in BNB (a third asset),
// buys and sells mixed so lots are opened, split and closed all the time. Each account starts with USDT,
// BTC and BNB deposits (priced by a first fill in each USDT market); sells never exceed what the account holds (no missing-cost warnings), so the
// exact computation does its full work on every fill. Used by pnl.ts and import.ts.

const MARKETS = [
  { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', price: 30000, dp: 2, size: 0.05, weight: 0.4 },
  { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', price: 2000, dp: 2, size: 0.8, weight: 0.3 },
  { symbol: 'BNB/USDT', base: 'BNB', quote: 'USDT', price: 300, dp: 3, size: 4, weight: 0.15 },
  { symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', price: 0.0666, dp: 6, size: 0.8, weight: 0.15 },
] as const
const ACCOUNTS = ['binance-1', 'kraken-1', 'coinbase-1', 'sim']

export function makeFills(n: number, seed = 42): LedgerEntryInput[] {
  const rand = mulberry32(seed)
  const out: LedgerEntryInput[] = []
  const prices: number[] = MARKETS.map((m) => m.price)
  // Noon UTC: 1 January 2023 in every time zone (midnight UTC is still 2022 in New York, which put the first
  // hours of fills outside the tax bench's US 2023 report). 1M fills span about 12 days.
  let t = Date.UTC(2023, 0, 1, 12)
  // float holdings only to keep sells within what is held (with a margin; the exact figures are the engine's)
  const held = new Map<string, number>()
  const key = (a: string, x: string) => `${a}/${x}`
  // one price observation for each USDT market first (so the BTC and BNB deposits are priced)...
  for (let i = 0; i < 3; i++) {
    const m = MARKETS[i]!
    out.push(trade(ACCOUNTS[0]!, t++, m, 'buy', prices[i]!.toFixed(m.dp), (m.size / 10).toFixed(4), null))
  }
  // ...then the deposits
  for (const account of ACCOUNTS) {
    for (const [asset, amount] of [['USDT', '5000000'], ['BTC', '20'], ['BNB', '500']] as const) {
      out.push({ kind: 'deposit', account, timestamp: t++, asset, amount, fee: null, source: 'csv', externalId: null })
      held.set(key(account, asset), Number(amount))
    }
  }
  while (out.length < n) {
    t += 1 + Math.floor(rand() * 2000)
    const r = rand()
    let i = 0
    for (let acc = MARKETS[0]!.weight; r > acc && i < MARKETS.length - 1; acc += MARKETS[++i]!.weight);
    const m = MARKETS[i]!
    prices[i] = Math.max(prices[i]! * (1 + (rand() - 0.5) * 0.004), 10 ** -m.dp * 100)
    const account = ACCOUNTS[Math.floor(rand() * ACCOUNTS.length)]!
    const price = prices[i]!.toFixed(m.dp)
    const dp = 4 + Math.floor(rand() * 3)
    let amount = Math.max(rand() * m.size, 10 ** -dp)
    const baseHeld = held.get(key(account, m.base)) ?? 0
    // lean toward buying when low, selling when high
    const side = rand() < (baseHeld > m.size * 20 ? 0.35 : 0.65) ? 'buy' : 'sell'
    if (side === 'sell' && amount > baseHeld * 0.5) amount = baseHeld * 0.5
    if (side === 'buy' && m.quote === 'BTC' && amount * prices[i]! > (held.get(key(account, 'BTC')) ?? 0) * 0.5) continue
    const amountText = amount.toFixed(dp)
    if (Number(amountText) <= 0) continue
    const fr = rand()
    const value = Number(amountText) * Number(price)
    let fee: LedgerTradeInput['fee']
    if (fr < 0.5) fee = { asset: m.quote, amount: (value * 0.001).toFixed(8) }
    else if (fr < 0.7) fee = { asset: m.base, amount: (Number(amountText) * 0.001).toFixed(8) }
    else fee = { asset: 'BNB', amount: ((value * 0.00075) / (m.quote === 'BTC' ? prices[2]! / prices[0]! : prices[2]!)).toFixed(8) }
    if (fee.asset === 'BNB' && (held.get(key(account, 'BNB')) ?? 0) < 1) fee = { asset: m.quote, amount: (value * 0.001).toFixed(8) }
    if (Number(fee.amount) === 0) fee = null
    const feeIn = (a: string) => (fee && fee.asset === a ? Number(fee.amount) : 0)
    const sign = side === 'buy' ? 1 : -1
    held.set(key(account, m.base), baseHeld + sign * Number(amountText) - feeIn(m.base))
    held.set(key(account, m.quote), (held.get(key(account, m.quote)) ?? 0) - sign * value - feeIn(m.quote))
    if (fee?.asset === 'BNB' && m.base !== 'BNB') held.set(key(account, 'BNB'), (held.get(key(account, 'BNB')) ?? 0) - feeIn('BNB'))
    out.push(trade(account, t, m, side, price, amountText, fee))
  }
  return out
}

function trade(account: string, timestamp: number, m: (typeof MARKETS)[number], side: 'buy' | 'sell', price: string, amount: string, fee: LedgerTradeInput['fee']): LedgerTradeInput {
  return { kind: 'trade', account, timestamp, symbol: m.symbol, base: m.base, quote: m.quote, side, price, amount, fee, source: 'csv', externalId: null }
}

/** Prices to value the end positions at (the walk's last prices, in USDT). */
export function endPrices(entries: LedgerEntryInput[]): Map<string, string> {
  const prices = new Map<string, string>()
  for (let i = entries.length - 1; i >= 0 && prices.size < 3; i--) {
    const e = entries[i]!
    if (e.kind === 'trade' && e.quote === 'USDT' && !prices.has(e.base)) prices.set(e.base, e.price)
  }
  return prices
}
