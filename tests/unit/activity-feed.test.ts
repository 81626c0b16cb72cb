import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { cond } from '../support/order-views'
import type { Core } from '../../src-main/core'
import type { ActivityEntry, AccountView, AlertEvent } from '../../src-main/api/contract'
import type { CopyRecordView } from '../../src-main/api/schemas/copy'

// The Activity feed says what happened to the user's money: fills, orders that ended without filling and
// why, stops triggered or failed, alerts fired, copies placed / skipped / failed, accounts added and
// removed, each once, with the figures as exact decimals. A setting saved with its own value is not news.

let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

const tick = () => new Promise((r) => setImmediate(r))

function start() {
  const core = tempCore({ sim: { mode: 'manual', seed: 7 } })
  cores.push(core)
  const call = async <T = unknown>(name: string, input: unknown = {}): Promise<T> => {
    const r = (await core.router.invoke(name as never, input as never, { door: 'headless' })) as { ok: boolean; value?: T; error?: { code: string; message: string } }
    if (!r.ok) throw new Error(`${name}: ${r.error?.code} ${r.error?.message}`)
    return r.value as T
  }
  const feed = async () => (await call<ActivityEntry[]>('activity.recent', { limit: 1000 })).map((e) => `[${e.kind}] ${e.message}`)
  return { core, call, feed }
}

const copyRecord = (over: Partial<CopyRecordView>): CopyRecordView => ({
  id: 'cr1',
  followId: 'f1',
  leaderId: 'sim-trader-3',
  leaderTradeId: 't9',
  leaderSymbol: 'ETH/USDT',
  side: 'buy',
  leaderAmount: '1.5',
  leaderPrice: '3200.5',
  leaderAt: Date.now(),
  followerVenueId: 'sim',
  followerSymbol: 'ETH/USDT',
  followerAmount: '0.15',
  followerFilled: '0',
  followerAvgPrice: null,
  clientOrderId: 'cp-f1-t9',
  status: 'pending',
  rule: null,
  reason: null,
  error: null,
  detectedMs: 1,
  decidedMs: 1,
  submittedMs: null,
  via: 'sim',
  createdAt: Date.now(),
  ...over,
})

describe('activity feed', () => {
  it('records fills, cancels, stops and fired alerts of the user’s own orders, each once, with exact figures', async () => {
    const { core, call, feed } = start()
    core.sim.runtime.advance(60_000)
    const filled = await call<{ clientOrderId: string }>('orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.02' } })
    for (let i = 0; i < 20; i++) {
      core.sim.runtime.advance(100)
      await tick()
    }
    const order = core.orders.get(filled.clientOrderId)!
    expect(order.status).toBe('filled')
    const avg = new Decimal(order.cost).div(order.filled).toDecimalPlaces(8).toFixed()
    const venue = await core.venues.open('sim')
    const p = new Decimal((await venue.fetchTicker('BTC/USDT')).last!)
    const resting = await call<{ clientOrderId: string }>('orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'limit', price: p.times(0.9).toFixed(2), size: { unit: 'base', value: '0.01' } })
    await call('orders.cancel', { clientOrderId: resting.clientOrderId })
    await new Promise((r) => setTimeout(r, 300))

    // A stop triggered (said again with a new reason: once), one failed; an alert fired and re-said on its webhook's settling (once).
    const now = Date.now()
    core.bus.emit('conditionalChanged', { view: cond('s1', { status: 'triggered', updatedAt: now }) })
    core.bus.emit('conditionalChanged', { view: cond('s1', { status: 'triggered', updatedAt: now, reason: 'order open' }) })
    core.bus.emit('conditionalChanged', { view: cond('s2', { status: 'failed', updatedAt: now, reason: 'Account has insufficient balance' }) })
    const event: AlertEvent = { id: 7, ruleId: 'alr1', kind: 'price', at: now, venueId: 'sim', symbol: 'BTC/USDT', price: '95161.71', title: 'BTC/USDT rose to 95155.85', body: 'Last 95161.71 on Simulated exchange', desktop: true, webhook: 'pending', webhookDetail: null, email: null, emailDetail: null }
    core.bus.emit('alertFired', { event })
    core.bus.emit('alertFired', { event: { ...event, webhook: 'delivered' } })

    const lines = await feed()
    const label = 'Simulated exchange'
    expect(lines).toContain(`[orders] Bought ${order.filled} BTC/USDT at ${avg} on ${label} (market order)`)
    expect(lines.filter((l) => l.startsWith('[orders] Bought'))).toHaveLength(1)
    expect(lines.some((l) => l.startsWith(`[orders] Limit buy 0.01 BTC/USDT at ${p.times(0.9).toFixed(2)} on ${label} canceled`))).toBe(true)
    expect(lines.filter((l) => l.startsWith('[conditional]'))).toEqual([
      '[conditional] Stop sell 0.01 BTC/USDT triggered at 90000 (last) on Simulated exchange',
      '[conditional] Stop sell 0.01 BTC/USDT failed on Simulated exchange: Account has insufficient balance',
    ])
    expect(lines.filter((l) => l.startsWith('[alerts]'))).toEqual(['[alerts] BTC/USDT rose to 95155.85 — Last 95161.71 on Simulated exchange'])
  })

  it('records copies placed, skipped and failed, and accounts added and removed', async () => {
    const { core, feed } = start()
    core.bus.emit('copyRecorded', { record: copyRecord({}) })
    core.bus.emit('copyRecorded', { record: copyRecord({ submittedMs: 5 }) }) // same copy, same state: once
    core.bus.emit('copyRecorded', { record: copyRecord({ id: 'cr2', status: 'skipped', rule: 'below-min', reason: 'below the market’s minimum amount 0.001', followerAmount: null, clientOrderId: null }) })
    core.bus.emit('copyRecorded', { record: copyRecord({ id: 'cr3', status: 'failed', error: 'insufficient balance' }) })
    // A busy leader: further skips for the same reason within a minute are counted, not listed.
    for (const n of [4, 5, 6]) core.bus.emit('copyRecorded', { record: copyRecord({ id: `cr${n}`, status: 'skipped', rule: 'below-min', reason: 'below the market’s minimum amount 0.001', followerAmount: null, clientOrderId: null }) })
    const account = { id: 'acc1', exchange: 'binance', exchangeName: 'Binance', label: 'Main Binance' } as AccountView
    core.bus.emit('accountsChanged', { change: 'added', id: 'acc1', account })
    core.bus.emit('accountsChanged', { change: 'updated', id: 'acc1', account })
    core.bus.emit('accountsChanged', { change: 'removed', id: 'acc1', account: null })
    const lines = await feed()
    expect(lines.filter((l) => l.startsWith('[copy]'))).toEqual([
      '[copy] Copy order placed: buy 0.15 ETH/USDT on Simulated exchange (leader bought 1.5 at 3200.5)',
      '[copy] Copy skipped: buy 1.5 ETH/USDT at 3200.5 — below the market’s minimum amount 0.001',
      '[copy] Copy failed: buy 0.15 ETH/USDT on Simulated exchange — insufficient balance',
    ])
    expect(lines.filter((l) => l.startsWith('[accounts]'))).toEqual(['[accounts] Account added: Main Binance (Binance)', '[accounts] Account removed: Main Binance'])
  })

  it('says a catch-up sale as the sales it makes up, not as a copy of one leader fill', async () => {
    const { core, feed } = start()
    const reason = "made up 2 sales skipped while the leader's ETH/USDT position was unknown (it sold 3 ETH in them): sells 0.175 ETH to bring the copies back to their share"
    core.bus.emit('copyRecorded', { record: copyRecord({ id: 'cu1', leaderTradeId: 'catch-up:77', side: 'sell', followerAmount: '0.175', leaderAmount: '3', reason }) })
    expect((await feed()).filter((l) => l.startsWith('[copy]'))).toEqual([`[copy] Copy catch-up placed: sell 0.175 ETH/USDT on Simulated exchange — ${reason}`])
  })

  it('says a catch-up not placed as the catch-up it is: not as the leader selling the skipped sales at the trigger price', async () => {
    const { core, feed } = start()
    const catchUp = { leaderTradeId: 'catch-up:78', side: 'sell' as const, leaderAmount: '3', leaderPrice: '3200.5', clientOrderId: null }
    const small = "catch-up for 2 sales skipped while the leader's ETH/USDT position was unknown (it sold 3 ETH in them), 0.00004 ETH, not placed: 0.0000 ETH rounds to 0 at the step 0.0001; the catch-up is tried again at the leader's next fill"
    core.bus.emit('copyRecorded', { record: copyRecord({ ...catchUp, id: 'cu2', status: 'skipped', rule: 'market-rules', followerAmount: '0', reason: small }) })
    // The follower venue could not be asked: no amount was decided.
    const notAsked = "catch-up for 2 sales skipped while the leader's ETH/USDT position was unknown (it sold 3 ETH in them) not placed; the catch-up is tried again at the leader's next fill"
    core.bus.emit('copyRecorded', { record: copyRecord({ ...catchUp, id: 'cu3', leaderTradeId: 'catch-up:79', status: 'failed', followerAmount: null, reason: notAsked, error: 'markets could not be read' }) })
    expect((await feed()).filter((l) => l.startsWith('[copy]'))).toEqual([
      `[copy] Copy catch-up skipped on Simulated exchange — ${small}`,
      `[copy] Copy catch-up failed on Simulated exchange — markets could not be read: ${notAsked}`,
    ])
  })

  it('does not announce a setting saved with the value it already had', async () => {
    const { call, feed } = start()
    await call('settings.set', { key: 'ui.theme', value: 'dark' }) // already its default
    await call('settings.set', { key: 'ui.theme', value: 'midnight' })
    await call('settings.set', { key: 'ui.theme', value: 'midnight' })
    expect((await feed()).filter((l) => l.startsWith('[settings]'))).toEqual(['[settings] Theme: dark → midnight'])
  })

  it('pages back through older entries with a before cursor', async () => {
    const { call } = start()
    for (const v of [13, 14, 15, 16, 17, 18]) await call('settings.set', { key: 'ui.fontSize', value: v })
    const newest = await call<ActivityEntry[]>('activity.recent', { limit: 3 })
    expect(newest.map((e) => e.message)).toEqual(['Font size: 15 → 16', 'Font size: 16 → 17', 'Font size: 17 → 18'])
    const older = await call<ActivityEntry[]>('activity.recent', { limit: 3, before: newest[0]!.id })
    expect(older.map((e) => e.message)).toEqual(['Font size: 12 → 13', 'Font size: 13 → 14', 'Font size: 14 → 15'])
    const oldest = await call<ActivityEntry[]>('activity.recent', { limit: 3, before: older[0]!.id })
    expect(oldest.map((e) => e.message)).toEqual(['Engine started (headless)'])
  })
})
