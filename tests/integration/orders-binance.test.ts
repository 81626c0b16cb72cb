import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { projectRoot, tempDir } from '../support/temp-core'
import { DB_FILE_NAME } from '../../src-main/store/open'
import type { AccountView } from '../../src-main/api/contract'
import { intentAt, type openOrdersEngine, type OrdersEngine } from './orders-engine'
import { ordersTestHooks } from './orders-test-hooks'
import { waitFor } from '../support/wait-for'

// The order manager with ccxt's real binance class against the local Binance server: the fault tests of
// issue #5 — the process killed between writing the intent and the ack, the user-data socket dropped while
// fills happen, a 429 on the order — plus a venue refusal and a cancel. The key is sealed in SQLite under a
// master key kept in a keychain file (tests/support/file-keychain.ts) that every process of a test reads.

const ALICE = 'alice' // the fixture's "trader" key
let fx: BinanceFixture
let dataDir: string
const engines = ordersTestHooks(async () => {
  fx = await createBinanceFixture()
  fx.engine.deposit('bob', 'BTC', '10')
  dataDir = tempDir('co-orders-binance-')
  return fx
})
const intent = intentAt('94000.00')

function engine(options: Parameters<typeof openOrdersEngine>[0]['manager'] = {}): OrdersEngine {
  return engines.open({ dataDir, manager: { retryDelaysMs: [100, 200, 400], lostRecheckMs: 500, resyncDelayMs: 200, ...options } })
}

async function addAccount(e: OrdersEngine): Promise<AccountView> {
  const { apiKey, secret } = fx.keys.trader
  return e.accounts.add({ exchange: 'binance', label: 'Binance test', apiBaseUrl: fx.server.restUrl, credentials: { apiKey, secret } })
}

const orderPosts = () => fx.server.faults.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')

/** Another account trading against ours, directly on the exchange's matching engine. */
function bob(side: 'buy' | 'sell', amount: string, price: string): void {
  fx.engine.placeOrder({ accountId: 'bob', clientOrderId: `bob${Math.random().toString(36).slice(2)}`, symbol: 'BTC/USDT', side, type: 'limit', amount, price, timeInForce: 'IOC', postOnly: false })
}

describe('orders on Binance through ccxt', () => {
  it('killed between writing the intent and the ack: after a restart exactly one order, shown open with its venue id', async () => {
    const setup = engine()
    const account = await addAccount(setup)
    await engines.close(setup)
    fx.server.faults.holdReply('POST', '/api/v3/order') // Binance places it; the answer never comes

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests', 'integration', 'orders-child.ts'), dataDir, JSON.stringify(intent(account.id))], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    let db: Database.Database | undefined
    try {
      const file = path.join(dataDir, DB_FILE_NAME)
      // the intent is in SQLite, and the exchange has acted on the request (its reply withheld)
      const row = await waitFor(() => {
        if (child.exitCode !== null) throw new Error(`the engine process exited early:\n${out}\n${err}`)
        db ??= fs.existsSync(file) ? new Database(file, { readonly: true, fileMustExist: true }) : undefined
        return db?.prepare('select client_order_id as id, status, venue_order_id as venueOrderId from orders').get() as { id: string; status: string; venueOrderId: string | null } | undefined
      }, 'the order row', 60_000)
      await waitFor(() => fx.server.faults.held.length === 1, 'the exchange to receive the order', 60_000)
      expect(fx.server.faults.held[0]!.entry.params.newClientOrderId).toBe(row.id)
      expect(row.status).toMatch(/^(pending|submitting)$/)
      expect(row.venueOrderId).toBeNull()
      child.kill('SIGKILL')
      await exited
    } finally {
      db?.close()
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    expect(out).not.toContain('"submitted"')

    // a fresh engine on the same data dir: the same sealed key opens, reconciliation finds the order
    const restarted = engine()
    await restarted.manager.start()
    const onExchange = fx.engine.openOrders(ALICE)
    expect(onExchange).toHaveLength(1)
    const [shown] = restarted.manager.list({ venueId: account.id, scope: 'open', limit: 10 })
    expect(shown).toMatchObject({ status: 'open', venueOrderId: onExchange[0]!.venueOrderId, clientOrderId: onExchange[0]!.clientOrderId, amount: '0.01', price: '94000.00' })
    expect(orderPosts()).toHaveLength(1) // never sent again
  }, 120_000)

  it('the user-data socket drops while fills happen: every fill recovered by REST, equal to the exchange own fills', async () => {
    const e = engine()
    const account = await addAccount(e)
    await e.manager.start()
    const buy = await e.manager.submit(intent(account.id, { amount: '0.3', price: '95000.00' }))
    const sell = await e.manager.submit(intent(account.id, { side: 'sell', amount: '0.2', price: '95005.00' }))
    expect([buy.status, sell.status]).toEqual(['open', 'open'])
    // the stream is live: a fill arrives on it
    bob('sell', '0.05', '95000.00')
    await waitFor(() => e.manager.fills({ venueId: account.id, limit: 10 }).length === 1, 'the first fill on the stream')
    const subscribes = () => fx.server.faults.wsMessages.filter((m) => m.event === 'message' && JSON.stringify(m.data).includes('userDataStream.subscribe')).length
    const subscribedBefore = subscribes()
    expect(subscribedBefore).toBeGreaterThan(0)

    fx.server.faults.dropSockets()
    const dropAt = Date.now()
    bob('sell', '0.1', '95000.00')
    bob('sell', '0.15', '95000.00') // the buy is filled now
    bob('buy', '0.2', '95005.00') // and the sell
    await waitFor(() => e.manager.fills({ venueId: account.id, limit: 10 }).length === 4, 'every fill, after the drop')
    expect(fx.server.faults.requests.some((r) => r.path === '/api/v3/myTrades' && r.time >= dropAt)).toBe(true)

    const ours = e.manager.fills({ venueId: account.id, limit: 10 })
    const theirs = fx.engine.fills(ALICE)
    const norm = (f: { tradeId: string; venueOrderId: string; side: string; price: string; amount: string; fee: { asset: string; amount: string }; liquidity: string; timestamp: number }) => ({
      tradeId: f.tradeId,
      venueOrderId: f.venueOrderId,
      side: f.side,
      price: new Decimal(f.price).toFixed(),
      amount: new Decimal(f.amount).toFixed(),
      fee: `${new Decimal(f.fee.amount).toFixed()} ${f.fee.asset}`,
      liquidity: f.liquidity,
      timestamp: f.timestamp,
    })
    const byId = (a: { tradeId: string }, b: { tradeId: string }) => a.tradeId.localeCompare(b.tradeId)
    expect(ours.map(norm).sort(byId)).toEqual(theirs.map(norm).sort(byId))
    expect(e.manager.get(buy.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.3', cost: '28500' })
    expect(e.manager.get(sell.clientOrderId)).toMatchObject({ status: 'filled', filled: '0.2', cost: '19001' })

    // the stream came back too: a new order's fill arrives
    await waitFor(() => subscribes() > subscribedBefore, 'the user-data stream to be subscribed again')
    const later = await e.manager.submit(intent(account.id, { amount: '0.1', price: '95001.00' }))
    bob('sell', '0.1', '95001.00')
    await waitFor(() => e.manager.get(later.clientOrderId)?.status === 'filled' && e.manager.fills({ venueId: account.id, limit: 10 }).length === 5, 'the fill after reconnecting')
  }, 60_000)

  it('a 429 on the order is retried after its Retry-After with the same newClientOrderId: one order', async () => {
    const e = engine({ retryDelaysMs: [100, 200, 400, 1000] })
    const account = await addAccount(e)
    await e.manager.start()
    fx.server.faults.clearLog()
    fx.server.faults.respondWith(429, 1, { path: '/api/v3/order', headers: { 'Retry-After': '1' } })
    const order = await e.manager.submit(intent(account.id))
    const posts = orderPosts()
    expect(posts.map((p) => [p.status, p.params.newClientOrderId])).toEqual([
      [429, order.clientOrderId],
      [200, order.clientOrderId],
    ])
    expect(posts[1]!.time - posts[0]!.time).toBeGreaterThanOrEqual(990) // waited as Binance asked (1 s), not the 100 ms backoff step
    expect(order).toMatchObject({ status: 'open', attempts: 2 })
    expect(fx.engine.openOrders(ALICE)).toEqual([expect.objectContaining({ clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId })])
  })

  it('a refusal keeps the order as rejected with Binance own words; a cancel cancels', async () => {
    const e = engine()
    const account = await addAccount(e)
    await e.manager.start()
    fx.server.faults.rejectNextOrder(-2010, 'Account has insufficient balance for requested action.')
    await expect(e.manager.submit(intent(account.id))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Account has insufficient balance for requested action.'),
    })
    expect(e.manager.list({ scope: 'history', limit: 5 })).toEqual([
      expect.objectContaining({ status: 'rejected', error: expect.stringContaining('insufficient balance') }),
    ])
    const order = await e.manager.submit(intent(account.id))
    expect(await e.manager.cancel(order.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0' })
    expect(fx.engine.openOrders(ALICE)).toEqual([])
  })
})
