import path from 'node:path'
import Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { tempCore, tempDir } from '../support/temp-core'
import { commandValue } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import { DB_FILE_NAME } from '../../src-main/store/open'

// A paper account's starting balance is money put in: the Portfolio shows what the account holds (as the
// Balances page does), the deposit in net deposits, and a P&L against it — not only its fills. Accounts
// an earlier version opened get their deposit at the next start (once); a closed account's money leaves.

const BTC = 'BTC/USDT'
let cores: Core[] = []
const open = (dataDir: string) => {
  const core = tempCore({ dataDir })
  cores.push(core)
  return core
}
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop()
})

interface Summary {
  positions: { asset: string; amount: string }[]
  totals: { netDeposits: string; pnl: string; pnlPct: string | null }
}
interface Balances {
  venues: { venueId: string; balances: { asset: string; total: string }[] }[]
}

/** What the Portfolio holds for the account, by asset (zero amounts left out). */
async function held(core: Core, account: string): Promise<Record<string, string>> {
  const s = await commandValue<Summary>(core, 'portfolio.summary', { account, period: 'all' })
  return Object.fromEntries(s.positions.filter((p) => !new Decimal(p.amount).isZero()).map((p) => [p.asset, new Decimal(p.amount).toFixed()]))
}

async function balances(core: Core, venueId: string): Promise<Record<string, string>> {
  const all = await commandValue<Balances>(core, 'balances.list')
  const venue = all.venues.find((v) => v.venueId === venueId)
  return Object.fromEntries((venue?.balances ?? []).map((b) => [b.asset, new Decimal(b.total).toFixed()]))
}

/** A paper account on the simulated exchange with 10,000 USDT and 0.5 ETH that bought 0.01 BTC. */
async function openAndBuy(core: Core): Promise<void> {
  core.sim.runtime.advance(30_000)
  await commandValue(core, 'paper.open', {
    source: { kind: 'venue', venueId: 'sim' },
    balances: [
      { asset: 'USDT', amount: '10000' },
      { asset: 'ETH', amount: '0.5' },
    ],
  })
  await commandValue(core, 'orders.submit', { venueId: 'paper:1', symbol: BTC, side: 'buy', type: 'market', size: { unit: 'base', value: '0.01' } })
  await new Promise((r) => setTimeout(r, 300))
}

function openingEntries(dataDir: string): number {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true })
  try {
    return (db.prepare(`select count(*) as n from ledger_entries where account = 'paper:1' and external_id like 'opening:%'`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('a paper account in the Portfolio', () => {
  it('holds its starting balance less what it spent, as on the Balances page, and counts it as a deposit', async () => {
    const core = open(tempDir())
    await openAndBuy(core)
    const paid = new Decimal(10000).minus((await balances(core, 'paper:1')).USDT ?? '0')
    expect(paid.gt(0)).toBe(true)
    expect(await held(core, 'paper:1')).toEqual(await balances(core, 'paper:1'))
    expect(await held(core, 'paper:1')).toMatchObject({ BTC: '0.01', ETH: '0.5' })
    const s = await commandValue<Summary>(core, 'portfolio.summary', { account: 'paper:1', period: 'all' })
    expect(new Decimal(s.totals.netDeposits).gt(10000)).toBe(true) // 10,000 USDT and 0.5 ETH
    expect(s.totals.pnlPct).not.toBeNull()
  })

  it('an account an earlier version opened gets its starting balance at the next start, once', async () => {
    const dataDir = tempDir()
    const first = open(dataDir)
    await openAndBuy(first)
    const before = await balances(first, 'paper:1')
    await first.stop()
    cores = []
    // As an earlier version left it: the ledger holds the account's fills only.
    const db = new Database(path.join(dataDir, DB_FILE_NAME))
    db.prepare(`delete from ledger_entries where account = 'paper:1' and external_id like 'opening:%'`).run()
    db.close()

    const second = open(dataDir)
    expect(await held(second, 'paper:1')).toEqual(before)
    await second.stop()
    cores = []
    const third = open(dataDir)
    expect(await held(third, 'paper:1')).toEqual(before)
    expect(openingEntries(dataDir)).toBe(2)
  })

  it('a closed account no longer holds anything: its money leaves with it', async () => {
    const core = open(tempDir())
    await openAndBuy(core)
    await commandValue(core, 'paper.close', { venueId: 'paper:1' })
    expect(await held(core, 'paper:1')).toEqual({})
  })

  it('a closed account keeps the return it made: its P&L in % of the money it was opened with, not −100 %', async () => {
    const core = open(tempDir())
    await openAndBuy(core)
    const before = (await commandValue<Summary>(core, 'portfolio.summary', { account: 'paper:1', period: 'all' })).totals
    await commandValue(core, 'paper.close', { venueId: 'paper:1' })
    const after = (await commandValue<Summary>(core, 'portfolio.summary', { account: 'paper:1', period: 'all' })).totals
    // The holdings written out as withdrawals count in the P&L, but the capital stays what was put to work.
    const pct = new Decimal(after.pnl).times(100).div(before.netDeposits).toDecimalPlaces(2).toFixed()
    expect(after.pnlPct).toBe(pct)
    expect(new Decimal(after.pnlPct ?? '-100').abs().lt(1)).toBe(true)
    const row = (await commandValue<{ rows: { account: string; pnlPct: string | null }[] }>(core, 'analytics.leaderboard', { period: 'all' })).rows.find((r) => r.account === 'paper:1')
    expect(new Decimal(row?.pnlPct ?? '-100').abs().lt(1)).toBe(true)
  })

  it('an account an earlier version closed: its money in and out are both written at the next start', async () => {
    const dataDir = tempDir()
    const first = open(dataDir)
    await openAndBuy(first)
    await commandValue(first, 'paper.close', { venueId: 'paper:1' })
    await first.stop()
    cores = []
    const db = new Database(path.join(dataDir, DB_FILE_NAME))
    db.prepare(`delete from ledger_entries where account = 'paper:1' and (external_id like 'opening:%' or external_id like 'closed:%')`).run()
    db.close()

    const second = open(dataDir)
    expect(await held(second, 'paper:1')).toEqual({})
    expect(openingEntries(dataDir)).toBe(2)
  })
})
