import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { AccountView, AlertView, ConditionalView, OrderView, RiskAlertView, VenueView } from '../../src-main/api/contract'
import type { FollowView } from '../../src-main/api/schemas/copy'
import { DB_FILE_NAME } from '../../src-main/store/open'

// Removing an exchange account (local Binance server) stops what worked through it, each with the reason:
// copy relationships where it leads or follows, its armed in-app conditional orders, its price alerts and
// the risk alerts that watch it.
// Their rows keep the account's name. Orders open on the exchange stay there (the dialog says so): the app
// no longer lists them as open, but keeps them in history as left on the exchange, saying why.

const MIA = 'sim:trader:mean-mia'
const REASON = 'the account "Binance main" was removed'

let fx: BinanceFixture
let core: Core & { dataDir: string }

beforeEach(async () => {
  fx = await createBinanceFixture()
  core = tempCore({ alerts: { firstPriceWaitMs: 3000 } })
})

afterEach(async () => {
  await core.stop()
  await fx.close()
})

async function ok<T>(command: string, input: unknown): Promise<T> {
  const reply = await core.router.invoke(command as never, input as never, { door: 'test' } as never)
  if (!reply.ok) throw new Error(`${command}: ${reply.error.message}`)
  return reply.value as T
}

/** "Binance main" with a stop-market sell armed in the app, a price alert, a risk alert on its value, and copy relationships both ways. */
async function setUp() {
  const { apiKey, secret } = fx.keys.trader
  const account = await ok<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
  const asFollower = await ok<FollowView>('copy.follow', { leaderId: MIA, followerVenueId: account.id, sizing: { mode: 'proportional' }, allocationPct: '10' })
  const asLeader = await ok<FollowView>('copy.follow', { leaderId: account.id, followerVenueId: 'sim', sizing: { mode: 'proportional' }, allocationPct: '10' })
  const [stop] = await ok<ConditionalView[]>('conditional.create', {
    type: 'single',
    venueId: account.id,
    symbol: 'BTC/USDT',
    placement: 'app',
    leg: { kind: 'stop-market', side: 'sell', amount: '0.01', trigger: 'bid', triggerPrice: '50000' }, // (no trade has printed there yet: the bid is its price)
  })
  const alert = await ok<AlertView>('alerts.create', { venueId: account.id, symbol: 'BTC/USDT', condition: 'below', price: '50000' })
  const risk = await ok<RiskAlertView>('alerts.riskCreate', { metric: 'value', account: account.id, condition: 'above', threshold: '1000000000' })
  // A bid far under the ladder: it rests on the exchange.
  const order = await core.orders.submit({ venueId: account.id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', postOnly: false, amount: '0.001', price: '60000', origin: { kind: 'manual', ref: null } })
  return { account, asFollower, asLeader, stop: stop!, alert, risk, order }
}

describe('removing an exchange account', () => {
  it('stops its copy relationships, disarms its conditional orders and cancels its alerts, each saying why', async () => {
    const { account, asFollower, asLeader, stop, alert, risk, order } = await setUp()
    expect(['armed', 'waiting']).toContain(stop.status)
    // A risk alert over all your accounts is not bound to this one: it goes on.
    const mine = await ok<RiskAlertView>('alerts.riskCreate', { metric: 'value', account: null, condition: 'above', threshold: '1000000000' })

    await ok('accounts.remove', { id: account.id })

    const follows = await ok<FollowView[]>('copy.follows', {})
    const follower = follows.find((f) => f.id === asFollower.id)!
    const leader = follows.find((f) => f.id === asLeader.id)!
    expect(follower).toMatchObject({ status: 'stopped', statusReason: REASON, followerLabel: 'Binance main' })
    expect(leader).toMatchObject({ status: 'stopped', statusReason: REASON, leaderLabel: 'Binance main', followerLabel: 'Simulated exchange' })
    // Ended: it cannot be resumed onto an account that is gone.
    const resumed = await core.router.invoke('copy.resume' as never, { id: asFollower.id } as never, { door: 'test' } as never)
    expect(resumed.ok).toBe(false)

    expect(await ok<ConditionalView[]>('conditional.list', { scope: 'active' })).toEqual([])
    const [ended] = await ok<ConditionalView[]>('conditional.list', { scope: 'history' })
    expect(ended).toMatchObject({ id: stop.id, status: 'canceled', reason: REASON, venueLabel: 'Binance main' })

    expect(await ok<AlertView[]>('alerts.list', { scope: 'active' })).toEqual([])
    const [gone] = await ok<AlertView[]>('alerts.list', { scope: 'history' })
    expect(gone).toMatchObject({ id: alert.id, status: 'canceled', reason: REASON, venueLabel: 'Binance main' })

    expect((await ok<RiskAlertView[]>('alerts.riskList', { scope: 'active' })).map((r) => r.id)).toEqual([mine.id])
    const [riskGone] = await ok<RiskAlertView[]>('alerts.riskList', { scope: 'history' })
    expect(riskGone).toMatchObject({ id: risk.id, status: 'canceled', reason: REASON, accountLabel: 'Binance main' })

    // The order on the exchange is left there.
    expect(fx.engine.openOrders('alice').map((o) => o.clientOrderId)).toContain(order.clientOrderId)
  })

  it('lists its orders and native stops no longer as open: they are left on the exchange, saying why', async () => {
    const { account, order } = await setUp()
    // A stop held by the exchange itself ("on exchange"): its order is the venue's to trigger.
    const [native] = await ok<ConditionalView[]>('conditional.create', {
      type: 'single',
      venueId: account.id,
      symbol: 'BTC/USDT',
      placement: 'exchange',
      leg: { kind: 'stop-limit', side: 'sell', amount: '0.01', trigger: 'last', triggerPrice: '50000', limitPrice: '49990' },
    })
    expect(native!.status).toBe('armed')
    const stopOrder = native!.clientOrderId!
    const openIds = async () => (await ok<OrderView[]>('orders.list', { scope: 'open' })).map((o) => o.clientOrderId)
    expect(await openIds()).toEqual(expect.arrayContaining([order.clientOrderId, stopOrder]))

    await ok('accounts.remove', { id: account.id })

    expect(await openIds()).toEqual([])
    const history = await ok<OrderView[]>('orders.list', { scope: 'history' })
    const left = `left on the exchange: ${REASON} — the app can no longer see or cancel it`
    for (const id of [order.clientOrderId, stopOrder]) {
      expect(history.find((o) => o.clientOrderId === id)).toMatchObject({ status: 'left-on-exchange', error: left, venueLabel: 'Binance main' })
    }
    // No fake cancel: both are still live on the exchange (asked with the key, as the exchange shows them).
    const onExchange = await fx.rest().fetchOpenOrders('BTC/USDT')
    expect(onExchange.map((o) => o.clientOrderId)).toEqual(expect.arrayContaining([order.clientOrderId, stopOrder]))
    const cancel = await core.router.invoke('orders.cancel' as never, { clientOrderId: order.clientOrderId } as never, { door: 'test' } as never)
    expect(cancel).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: `order ${order.clientOrderId} was left on the exchange when its account was removed: the app can no longer see or cancel it (cancel it on the exchange itself)`,
      },
    })

    // The native stop's leg ends too, with the same words (it was not canceled, and it did not fail).
    const active = await ok<ConditionalView[]>('conditional.list', { scope: 'active' })
    expect(active.map((c) => c.id)).not.toContain(native!.id)
    const ended = await ok<ConditionalView[]>('conditional.list', { scope: 'history' })
    expect(ended.find((c) => c.id === native!.id)).toMatchObject({ status: 'left-on-exchange', reason: left, venueLabel: 'Binance main' })
  })

  it('an account removed by an earlier version: its orders listed open are left on the exchange at the next start', async () => {
    const { account, order } = await setUp()
    await core.stop()
    // What the earlier version's removal left: the account gone (its name kept), its order still 'open'.
    const db = new Database(path.join(core.dataDir, DB_FILE_NAME))
    db.prepare('delete from account_secrets where account_id = ?').run(account.id)
    db.prepare('delete from accounts where id = ?').run(account.id)
    db.prepare("insert into removed_accounts (id, exchange, label, removed_at) values (?, 'binance', 'Binance main', ?)").run(account.id, Date.now())
    db.close()
    core = tempCore({ dataDir: core.dataDir })

    expect(await ok<OrderView[]>('orders.list', { scope: 'open' })).toEqual([])
    const [left] = await ok<OrderView[]>('orders.list', { scope: 'history' })
    expect(left).toMatchObject({ clientOrderId: order.clientOrderId, status: 'left-on-exchange', error: `left on the exchange: ${REASON} — the app can no longer see or cancel it` })
  })

  it('tells beforehand what the removal will stop (accounts.removalImpact)', async () => {
    const { account, asFollower, asLeader } = await setUp()
    const impact = await ok<Record<string, unknown>>('accounts.removalImpact', { id: account.id })
    expect(impact).toEqual({
      accountId: account.id,
      label: 'Binance main',
      copyRelationships: [
        { id: asFollower.id, role: 'follower', leaderLabel: asFollower.leaderLabel, followerLabel: 'Binance main' },
        { id: asLeader.id, role: 'leader', leaderLabel: 'Binance main', followerLabel: 'Simulated exchange' },
      ],
      conditionalOrders: 1,
      alerts: 1,
      riskAlerts: 1,
      openOrders: 1,
    })
    const missing = await core.router.invoke('accounts.removalImpact' as never, { id: 'nope' } as never, { door: 'test' } as never)
    expect(missing.ok).toBe(false)
  })

  it('a paper account trading on it can never trade again: its alerts and conditional orders end too, counted beforehand', async () => {
    const { apiKey, secret } = fx.keys.trader
    const account = await ok<AccountView>('accounts.add', { exchange: 'binance', label: 'Binance main', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
    const paper = await ok<VenueView>('paper.open', { source: { kind: 'venue', venueId: account.id }, label: 'Rehearsal', balances: [{ asset: 'BTC', amount: '1' }] })
    const alert = await ok<AlertView>('alerts.create', { venueId: paper.id, symbol: 'BTC/USDT', condition: 'below', price: '50000' })
    const [stop] = await ok<ConditionalView[]>('conditional.create', {
      type: 'single',
      venueId: paper.id,
      symbol: 'BTC/USDT',
      placement: 'app',
      leg: { kind: 'stop-market', side: 'sell', amount: '0.01', trigger: 'bid', triggerPrice: '50000' }, // (no trade has printed there yet: the bid is its price)
    })
    expect(await ok<Record<string, unknown>>('accounts.removalImpact', { id: account.id })).toMatchObject({ conditionalOrders: 1, alerts: 1, riskAlerts: 0, openOrders: 0 })

    await ok('accounts.remove', { id: account.id })

    const reason = 'the account "Binance main" the paper account "Rehearsal" traded on was removed'
    expect(await ok<AlertView[]>('alerts.list', { scope: 'active' })).toEqual([])
    expect((await ok<AlertView[]>('alerts.list', { scope: 'history' }))[0]).toMatchObject({ id: alert.id, status: 'canceled', reason })
    expect(await ok<ConditionalView[]>('conditional.list', { scope: 'active' })).toEqual([])
    expect((await ok<ConditionalView[]>('conditional.list', { scope: 'history' }))[0]).toMatchObject({ id: stop!.id, status: 'canceled', reason })
  })
})
