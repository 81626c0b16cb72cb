import type { LedgerEntryInput } from '../../../src-main/portfolio/model'

// The pnl bench's baseline: the same lots / P&L rules as src-main/portfolio/lots.ts (values in USDT at the
// trade's time, fees in quote / base / a third asset, FIFO or average), with plain floating-point numbers
// and no care for exactness — the lower bound of what the computation can cost.

interface Seen {
  p: number
  at: number
}

function listOf(m: Map<string, string[]>, key: string): string[] {
  let list = m.get(key)
  if (!list) m.set(key, (list = []))
  return list
}

interface FloatPosition {
  amount: number
  cost: number
  realized: number
  lots: number[] // FIFO: amount, cost, amount, cost, ...
  head: number
}

export function floatPnl(entries: readonly LedgerEntryInput[], method: 'fifo' | 'average'): { realized: number; cost: number } {
  const positions = new Map<string, FloatPosition>()
  // pair → last observation; asset → the quotes it was seen in, and the bases seen quoted in it.
  const last = new Map<string, Seen>()
  const quotesOf = new Map<string, string[]>()
  const basesOf = new Map<string, string[]>()
  const observe = (base: string, quote: string, p: number, at: number) => {
    const key = `${base}/${quote}`
    const seen = last.get(key)
    if (seen === undefined) {
      last.set(key, { p, at })
      listOf(quotesOf, base).push(quote)
      listOf(basesOf, quote).push(base)
    } else if (at >= seen.at) {
      seen.p = p
      seen.at = at
    }
  }
  const fifo = method === 'fifo'
  const position = (account: string, asset: string): FloatPosition => {
    const key = `${account}|${asset}`
    let p = positions.get(key)
    if (!p) positions.set(key, (p = { amount: 0, cost: 0, realized: 0, lots: [], head: 0 }))
    return p
  }
  // As the ledger's PriceBook (src-main/portfolio/prices.ts) prices: the newer of the direct price and the
  // newest price through one other asset (ETH/BTC × BTC/USDT, or BTC as ETH/USDT ÷ ETH/BTC), dated by its
  // older leg; on a tie the direct one.
  const usd = (asset: string): number => {
    if (asset === 'USDT') return 1
    const direct = last.get(`${asset}/USDT`)
    let hop = 0
    let hopAt = -Infinity
    for (const quote of quotesOf.get(asset) ?? []) {
      if (quote === 'USDT') continue
      const o = last.get(`${asset}/${quote}`) as Seen
      const q = last.get(`${quote}/USDT`)
      if (q !== undefined && Math.min(o.at, q.at) > hopAt) [hop, hopAt] = [o.p * q.p, Math.min(o.at, q.at)]
    }
    for (const base of basesOf.get(asset) ?? []) {
      if (base === 'USDT') continue
      const o = last.get(`${base}/${asset}`) as Seen
      const q = last.get(`${base}/USDT`)
      if (q !== undefined && Math.min(o.at, q.at) > hopAt) [hop, hopAt] = [q.p / o.p, Math.min(o.at, q.at)]
    }
    if (hopAt > -Infinity && (direct === undefined || hopAt > direct.at)) return hop
    return direct?.p ?? 0
  }
  const acquire = (account: string, asset: string, qty: number, cost: number) => {
    const p = position(account, asset)
    p.amount += qty
    p.cost += cost
    if (fifo && asset !== 'USDT') p.lots.push(qty, cost)
  }
  const dispose = (account: string, asset: string, qty: number, proceeds: number) => {
    const p = position(account, asset)
    if (asset === 'USDT') {
      p.amount -= qty
      p.cost -= qty
      return
    }
    let out = 0
    if (fifo) {
      let left = qty
      while (left > 0 && p.head < p.lots.length) {
        const a = p.lots[p.head]!
        const c = p.lots[p.head + 1]!
        if (a <= left) {
          out += c
          left -= a
          p.head += 2
        } else {
          const part = (c * left) / a
          out += part
          p.lots[p.head] = a - left
          p.lots[p.head + 1] = c - part
          left = 0
        }
      }
    } else {
      out = qty >= p.amount ? p.cost : (p.cost * qty) / p.amount
    }
    p.amount -= qty
    p.cost -= out
    p.realized += proceeds - out
  }
  for (const e of entries) {
    if (e.kind !== 'trade') {
      const qty = parseFloat(e.amount)
      if (e.kind === 'deposit') acquire(e.account, e.asset, qty, qty * usd(e.asset))
      else dispose(e.account, e.asset, qty, 0)
      continue
    }
    const price = parseFloat(e.price)
    const amount = parseFloat(e.amount)
    observe(e.base, e.quote, price, e.timestamp)
    const q = usd(e.quote)
    const quoteAmount = amount * price
    const value = quoteAmount * q
    let feeQuote = 0
    let feeBase = 0
    let third = 0
    const fee = e.fee ? parseFloat(e.fee.amount) : 0
    const feeAsset = e.fee ? e.fee.asset : ''
    if (feeAsset === e.quote) feeQuote = fee
    else if (feeAsset === e.base) feeBase = fee
    else if (fee) third = fee * usd(feeAsset)
    if (e.side === 'buy') {
      dispose(e.account, e.quote, quoteAmount + feeQuote, value + feeQuote * q)
      acquire(e.account, e.base, amount - feeBase, value + feeQuote * q + third)
    } else {
      dispose(e.account, e.base, amount + feeBase, value - feeQuote * q - third)
      acquire(e.account, e.quote, quoteAmount - feeQuote, value - feeQuote * q)
    }
    if (third) dispose(e.account, feeAsset, fee, third)
  }
  let realized = 0
  let cost = 0
  for (const p of positions.values()) {
    realized += p.realized
    cost += p.cost
  }
  return { realized, cost }
}
