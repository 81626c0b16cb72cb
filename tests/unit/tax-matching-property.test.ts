import { describe, expect, it } from 'vitest'
import { matchLots, type LotMethod } from '../../src-main/tax/lot-matching'
import { matchHmrc } from '../../src-main/tax/hmrc'
import { matchLotsPerAccount } from '../../src-main/tax/per-account'
import { MatchWarnings, type Disposal } from '../../src-main/tax/disposals'
import type { Flow } from '../../src-main/tax/flows'

// Whatever the method, cost is only moved, never made or lost: once everything bought has been sold,
// the cost matched to the disposals adds up exactly (to 18 places) to what the acquisitions cost, and
// every unit sold is matched once. Random histories, seeded.


function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function history(seed: number): { flows: Flow[]; bought: bigint; cost: bigint } {
  const r = rng(seed)
  const flows: Flow[] = []
  let held = 0n
  let bought = 0n
  let cost = 0n
  let t = Date.UTC(2023, 0, 1)
  for (let i = 0; i < 300; i++) {
    t += Math.floor(r() * 3 * 86_400_000)
    // Amounts with 8 decimals and prices with 2, so costs have all their digits.
    const amount = BigInt(Math.floor(r() * 5e8) + 1) * 10n ** 10n
    if (r() < 0.55 || held === 0n) {
      const value = (amount * BigInt(Math.floor(r() * 5e6) + 100)) / 100n
      flows.push({ account: 'a', asset: 'X', t, dir: 'in', amount, value, cause: 'trade' })
      held += amount
      bought += amount
      cost += value
    } else {
      const sold = amount < held ? amount : held
      flows.push({ account: 'a', asset: 'X', t, dir: 'out', amount: sold, value: sold * 3n, cause: 'trade' })
      held -= sold
    }
  }
  if (held > 0n) flows.push({ account: 'a', asset: 'X', t: t + 1, dir: 'out', amount: held, value: 0n, cause: 'trade' })
  return { flows, bought, cost }
}

function totals(disposals: Disposal[]): { amount: bigint; cost: bigint; missing: bigint } {
  let amount = 0n
  let cost = 0n
  let missing = 0n
  for (const d of disposals) {
    let parts = 0n
    for (const p of d.parts) {
      parts += p.amount
      cost += p.cost
      if (p.rule === 'no-cost-basis') missing += p.amount
    }
    expect(parts).toBe(d.amount)
    amount += d.amount
  }
  return { amount, cost, missing }
}

describe('tax matching conserves cost', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: every method matches each unit once and all of the cost`, () => {
      const { flows, bought, cost } = history(seed)
      let id = 0
      const methods: LotMethod[] = ['fifo', 'lifo', 'hifo', 'average']
      for (const method of methods) {
        const t = totals(matchLots('X', flows, method, new MatchWarnings(), () => ++id))
        expect({ method, amount: t.amount, cost: t.cost, missing: t.missing }).toEqual({ method, amount: bought, cost, missing: 0n })
      }
      const uk = totals(matchHmrc('X', flows, 'Europe/London', new MatchWarnings(), () => ++id))
      expect({ amount: uk.amount, cost: uk.cost, missing: uk.missing }).toEqual({ amount: bought, cost, missing: 0n })
    })
  }
})

/** Two accounts that buy, sell and send each other coins; everything is sold in the end. */
function twoAccounts(seed: number): { flows: Flow[]; bought: bigint; cost: bigint } {
  const r = rng(seed)
  const flows: Flow[] = []
  const held = { a: 0n, b: 0n }
  let bought = 0n
  let cost = 0n
  let t = Date.UTC(2023, 0, 1)
  for (let i = 0; i < 300; i++) {
    t += Math.floor(r() * 3 * 86_400_000)
    const account = r() < 0.5 ? 'a' : 'b'
    const other = account === 'a' ? 'b' : 'a'
    const amount = BigInt(Math.floor(r() * 5e8) + 1) * 10n ** 10n
    const roll = r()
    if (roll < 0.5 || held[account] === 0n) {
      const value = (amount * BigInt(Math.floor(r() * 5e6) + 100)) / 100n
      flows.push({ account, asset: 'X', t, dir: 'in', amount, value, cause: 'trade' })
      held[account] += amount
      bought += amount
      cost += value
    } else if (roll < 0.8) {
      const sold = amount < held[account] ? amount : held[account]
      flows.push({ account, asset: 'X', t, dir: 'out', amount: sold, value: sold * 2n, cause: 'trade' })
      held[account] -= sold
    } else {
      const sent = amount < held[account] ? amount : held[account]
      flows.push({ account, asset: 'X', t, dir: 'out', amount: sent, value: 0n, cause: 'withdrawal' })
      flows.push({ account: other, asset: 'X', t: t + 1, dir: 'in', amount: sent, value: 123n, cause: 'deposit' })
      held[account] -= sent
      held[other] += sent
    }
  }
  for (const account of ['a', 'b'] as const) if (held[account] > 0n) flows.push({ account, asset: 'X', t: (t += 2), dir: 'out', amount: held[account], value: 0n, cause: 'trade' })
  return { flows, bought, cost }
}

describe('per-account matching conserves cost too', () => {
  for (const seed of [11, 12, 13]) {
    it(`seed ${seed}: coins moved between accounts carry their cost, none is made or lost`, () => {
      const { flows, bought, cost } = twoAccounts(seed)
      let id = 0
      for (const method of ['fifo', 'lifo', 'hifo', 'average'] as const) {
        const warnings = new MatchWarnings()
        const t = totals(matchLotsPerAccount('X', flows, method, warnings, () => ++id))
        expect({ method, amount: t.amount, cost: t.cost, missing: t.missing, warnings: warnings.list() }).toEqual({ method, amount: bought, cost, missing: 0n, warnings: [] })
      }
    })
  }
})
