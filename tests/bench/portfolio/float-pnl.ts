import type { LedgerEntryInput } from '../../../src-main/portfolio/model'

// The pnl bench's baseline: the same lots / P&L rules as src-main/portfolio/lots.ts (values in USDT at the
// trade's time, fees in quote / base / a third asset, FIFO or average), with plain floating-point numbers
// and no care for exactness — the lower bound of what the computation can cost.

interface FloatPosition {
  amount: number
  cost: number
  realized: number
  lots: number[] // FIFO: amount, cost, amount, cost, ...
  head: number
}

export function floatPnl(entries: readonly LedgerEntryInput[], method: 'fifo' | 'average'): { realized: number; cost: number } {
  const positions = new Map<string, FloatPosition>()
  const last = new Map<string, number>()
  const fifo = method === 'fifo'
  const position = (account: string, asset: string): FloatPosition => {
    const key = `${account}|${asset}`
    let p = positions.get(key)
    if (!p) positions.set(key, (p = { amount: 0, cost: 0, realized: 0, lots: [], head: 0 }))
    return p
  }
  const usd = (asset: string): number => {
    if (asset === 'USDT') return 1
    const direct = last.get(`${asset}/USDT`)
    if (direct !== undefined) return direct
    const viaBtc = last.get(`${asset}/BTC`)
    return viaBtc === undefined ? 0 : viaBtc * (last.get('BTC/USDT') ?? 0)
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
    last.set(`${e.base}/${e.quote}`, price)
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
