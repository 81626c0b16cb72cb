import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { fileKeychain } from '../support/file-keychain'
import { projectRoot, tempCore, tempDir } from '../support/temp-core'
import { silentLogger } from '../../src-main/log'
import { DB_FILE_NAME } from '../../src-main/store/open'
import type { Core } from '../../src-main/core'
import type { AccountView } from '../../src-main/api/contract'
import { copyClientOrderId } from '../../src-main/copy/ids'
import type { FollowSettings } from '../../src-main/api/schemas/copy'
import { keychainFileOf } from './orders-engine'
import { waitFor } from '../support/wait-for'

// The copier's crash test (issue #7, point 1): a leader on the local Binance server (bob, a read-only key —
// a manager's shared account) followed by the user's own account on the same server (alice). The engine
// runs in a child process and is killed between writing the follower order's intent and the exchange's ack
// (the server places the order and withholds the reply). Meanwhile the leader trades again. After a
// restart: exactly one follower order on the exchange for the first fill, and the fill that happened while
// the app was down is recorded on start — skipped "too-old" (the relationship allows MAX_AGE_SEC).

/** The age limit of the crash test's relationship (see where it is set). */
const MAX_AGE_SEC = 6

let fx: BinanceFixture
let dataDir: string
const cores: Core[] = []

beforeEach(async () => {
  fx = await createBinanceFixture()
  dataDir = tempDir('co-copy-restart-')
})

afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop()
  await fx.close()
})

function engine(): Core {
  const core = tempCore({ dataDir, keychain: fileKeychain(keychainFileOf(dataDir)), log: silentLogger, sim: { mode: 'manual', seed: 7, persist: false }, copy: { pollEveryMs: 300 } })
  cores.push(core)
  return core
}

let seq = 0
/** The leader (bob) buys `amount` BTC in exactly one fill: carol rests a sell just under the ladder's ask, bob takes it. */
function leaderBuys(amount: string): string {
  const ask = fx.engine.book('BTC/USDT', 1).asks[0]![0]
  const price = (Number(ask) - 1).toFixed(2)
  fx.engine.placeOrder({ accountId: 'carol', clientOrderId: `carol${seq++}`, symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
  const { fills } = fx.engine.placeOrder({ accountId: 'bob', clientOrderId: `bob${seq++}`, symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount, price, timeInForce: 'IOC', postOnly: false })
  expect(fills).toHaveLength(1)
  return fills[0]!.tradeId
}

function settings(leaderId: string, followerVenueId: string, over: Partial<FollowSettings> = {}): FollowSettings {
  return {
    leaderId,
    followerVenueId,
    sizing: { mode: 'multiplier', value: '1' },
    allocationPct: '100',
    minTradeQuote: null,
    maxTradeQuote: null,
    sides: 'both',
    allow: ['BTC/USDT'],
    deny: [],
    symbolMap: [],
    priceGuard: null,
    maxOpenPositions: null,
    dailyLossStop: null,
    totalStopLoss: null,
    copyExisting: false,
    maxAgeSec: 60,
    ...over,
  }
}

const orderPosts = () => fx.server.faults.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')

describe('copy trading across a crash', () => {
  it('killed between the follower order intent and the ack: after a restart exactly one follower order; a fill made while down is skipped "too-old" on start', async () => {
    // set up: both accounts and the relationship, stored in the data dir
    const setup = engine()
    const add = (key: 'trader' | 'readOnly', label: string): Promise<AccountView> =>
      setup.accounts.add({ exchange: 'binance', label, apiBaseUrl: fx.server.restUrl, credentials: { apiKey: fx.keys[key].apiKey, secret: fx.keys[key].secret } })
    const leader = await add('readOnly', 'Manager (read-only)')
    const follower = await add('trader', 'My Binance')
    // the read-only key can be followed, never copied onto
    expect((await setup.accounts.test(leader.id)).canTrade).toBe(false)
    await expect(setup.copy.follow(settings(follower.id, leader.id))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('Manager (read-only) has a read-only key') })
    // Long enough for the first copy to be decided in time on a loaded machine (the age is checked again once it
    // is decided: the follower's first connection takes a second or two), short enough to outwait while down.
    const follow = await setup.copy.follow(settings(leader.id, follower.id, { maxAgeSec: MAX_AGE_SEC }))
    await setup.stop()
    cores.splice(0)

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests', 'integration', 'copy-child.ts'), dataDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    let db: Database.Database | undefined
    let firstTrade: string
    let clientOrderId: string
    try {
      const alive = () => {
        if (child.exitCode !== null) throw new Error(`the engine process exited early:\n${out}\n${err}`)
      }
      await waitFor(() => (alive(), out.includes('"started"')), 'the engine to start', 60_000)
      // the copier is watching the leader: its first catch-up poll reached the exchange
      fx.server.faults.clearLog()
      await waitFor(() => (alive(), fx.server.faults.requests.some((r) => r.path === '/api/v3/myTrades')), 'the leader to be polled', 60_000)

      // Binance places the copy; the answer never comes. The user-data stream is held back too, or the order's
      // own execution report would tell the engine what the REST answer would have (the leader's fill is
      // still seen, by the copier's REST poll).
      fx.server.faults.delay(120_000, 'ws')
      fx.server.faults.holdReply('POST', '/api/v3/order')
      firstTrade = leaderBuys('0.01')
      clientOrderId = copyClientOrderId(follow.id, 'BTC/USDT', firstTrade)
      const file = path.join(dataDir, DB_FILE_NAME)
      db = new Database(file, { readonly: true, fileMustExist: true })
      const readDb = db
      // the copy record (pending, with its derived client id) and the order intent are in SQLite, and the
      // exchange has acted on the order
      const record = await waitFor(() => {
        alive()
        return readDb.prepare('select status, client_order_id as clientOrderId from copy_records where leader_trade_id = ?').get(firstTrade) as { status: string; clientOrderId: string } | undefined
      }, 'the copy record', 30_000)
      expect(record).toEqual({ status: 'pending', clientOrderId })
      await waitFor(() => (alive(), fx.server.faults.held.length === 1), 'the exchange to receive the copy', 30_000)
      expect(fx.server.faults.held[0]!.entry.params.newClientOrderId).toBe(clientOrderId)
      const order = readDb.prepare('select status, venue_order_id as venueOrderId from orders where client_order_id = ?').get(clientOrderId) as { status: string; venueOrderId: string | null }
      expect(order.status).toMatch(/^(pending|submitting)$/)
      expect(order.venueOrderId).toBeNull()
      child.kill('SIGKILL')
      await exited
    } finally {
      db?.close()
      if (child.exitCode === null) child.kill('SIGKILL')
      fx.server.faults.delay(0, 'ws')
    }
    expect(out).not.toContain('"copied"')

    // while the app is down the leader trades again, and more than maxAgeSec passes
    const whileDown = leaderBuys('0.02')
    await new Promise((r) => setTimeout(r, MAX_AGE_SEC * 1000 + 500))

    const restarted = engine()
    const records = () => restarted.copy.records({ followId: follow.id, limit: 10 })
    await waitFor(() => records().length === 2 && records().every((r) => r.status !== 'pending'), 'both fills to be settled after the restart', 30_000)
    await restarted.copy.idle()
    const byTrade = new Map(records().map((r) => [r.leaderTradeId, r]))
    expect(byTrade.get(firstTrade)).toMatchObject({ status: 'copied', clientOrderId, followerFilled: '0.01', followerSymbol: 'BTC/USDT', side: 'buy' })
    expect(byTrade.get(whileDown)).toMatchObject({ status: 'skipped', rule: 'too-old', via: 'start', clientOrderId: null })
    expect(byTrade.get(whileDown)!.reason).toContain(`more than the ${MAX_AGE_SEC} s allowed`)

    // exactly one follower order reached the exchange, and alice holds exactly its fill
    expect(orderPosts().map((p) => p.params.newClientOrderId)).toEqual([clientOrderId])
    const aliceFills = fx.engine.fills('alice')
    expect(aliceFills.map((f) => [f.clientOrderId, f.side])).toEqual(aliceFills.map(() => [clientOrderId, 'buy']))
    expect(aliceFills.reduce((sum, f) => sum + Number(f.amount), 0)).toBeCloseTo(0.01, 10)
    expect(restarted.orders.get(clientOrderId)).toMatchObject({ status: 'filled', origin: { kind: 'copy', ref: follow.id } })
    expect(fs.existsSync(path.join(dataDir, DB_FILE_NAME))).toBe(true)
  }, 180_000)

  it('a leader fill made while the app was stopped is copied on start when it is recent enough', async () => {
    const first = engine()
    const leader = await first.accounts.add({ exchange: 'binance', label: 'Manager', apiBaseUrl: fx.server.restUrl, credentials: { apiKey: fx.keys.readOnly.apiKey, secret: fx.keys.readOnly.secret } })
    const follower = await first.accounts.add({ exchange: 'binance', label: 'Mine', apiBaseUrl: fx.server.restUrl, credentials: { apiKey: fx.keys.trader.apiKey, secret: fx.keys.trader.secret } })
    const follow = await first.copy.follow(settings(leader.id, follower.id, { sizing: { mode: 'multiplier', value: '0.5' } }))
    await first.stop()
    cores.splice(0)

    const tradeId = leaderBuys('0.02')
    const second = engine()
    const record = await waitFor(() => second.copy.records({ followId: follow.id, limit: 10 }).find((r) => r.status !== 'pending'), 'the fill to be copied on start', 30_000)
    expect(record).toMatchObject({ leaderTradeId: tradeId, status: 'copied', via: 'start', followerAmount: '0.01', followerFilled: '0.01', clientOrderId: copyClientOrderId(follow.id, 'BTC/USDT', tradeId) })
    expect(orderPosts().map((p) => p.params.newClientOrderId)).toEqual([record.clientOrderId])
  }, 60_000)
})
