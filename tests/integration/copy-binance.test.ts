import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBinanceFixture, type BinanceFixture } from '../support/binance/fixture'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { FollowSettings } from '../../src-main/api/schemas/copy'
import { waitFor } from '../support/wait-for'

// An exchange leader seen the two ways: on the user-data WebSocket (polling held off), and by REST polling
// when the socket drops — each fill copied exactly once whichever way (or both ways) it arrives.

let fx: BinanceFixture
let core: Core | undefined

beforeEach(async () => {
  fx = await createBinanceFixture()
})

afterEach(async () => {
  await core?.stop()
  core = undefined
  await fx.close()
})

let seq = 0
/** bob (the leader) buys in exactly one fill against a resting sell of carol's just under the ladder. */
function leaderBuys(amount: string): string {
  const ask = fx.engine.book('BTC/USDT', 1).asks[0]![0]
  const price = (Number(ask) - 1).toFixed(2)
  fx.engine.placeOrder({ accountId: 'carol', clientOrderId: `carol${seq++}`, symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount, price, timeInForce: 'GTC', postOnly: false })
  // bob's limit is above the fill's price (see the report: a fill at exactly its order's price and amount
  // loses its order id in the ccxt venue's stream parsing, and the copier then finds it by polling)
  const limit = (Number(price) + 5).toFixed(2)
  const { fills } = fx.engine.placeOrder({ accountId: 'bob', clientOrderId: `bob${seq++}`, symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount, price: limit, timeInForce: 'IOC', postOnly: false })
  expect(fills).toHaveLength(1)
  return fills[0]!.tradeId
}

async function setUp(pollEveryMs: number) {
  const c = tempCore({ copy: { pollEveryMs } })
  core = c
  const add = (key: 'trader' | 'readOnly', label: string) =>
    c.accounts.add({ exchange: 'binance', label, apiBaseUrl: fx.server.restUrl, credentials: { apiKey: fx.keys[key].apiKey, secret: fx.keys[key].secret } })
  const leader = await add('readOnly', 'Manager')
  const follower = await add('trader', 'Mine')
  const settings: FollowSettings = {
    leaderId: leader.id,
    followerVenueId: follower.id,
    sizing: { mode: 'multiplier', value: '0.5' },
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
  }
  const follow = await c.copy.follow(settings)
  return { c, follow }
}

const subscribes = () => fx.server.faults.wsMessages.filter((m) => m.event === 'message' && JSON.stringify(m.data).includes('userDataStream.subscribe')).length

describe('an exchange leader on the local Binance server', () => {
  it('a leader fill on the user-data socket is copied (polling held off)', async () => {
    const { c, follow } = await setUp(600_000)
    // The server took the leader's (bob's) subscription and answered it: his fills go out on the socket now.
    await waitFor(() => fx.server.userDataSubscriptions('bob') > 0, 'the leader user-data subscription answered')
    const tradeId = leaderBuys('0.02')
    const record = await waitFor(() => c.copy.records({ followId: follow.id, limit: 5 }).find((r) => r.status !== 'pending'), 'the copy')
    expect(record).toMatchObject({ leaderTradeId: tradeId, via: 'stream', status: 'copied', followerAmount: '0.01', followerFilled: '0.01' })
    expect(record.detectedMs).not.toBeNull()
  })

  it('the socket drops: the REST poll finds the fills; each is copied once', async () => {
    const { c, follow } = await setUp(300)
    await waitFor(() => subscribes() > 0, 'the leader user-data subscription')
    fx.server.faults.dropSockets()
    const trades = [leaderBuys('0.02'), leaderBuys('0.04')]
    const records = () => c.copy.records({ followId: follow.id, limit: 10 })
    await waitFor(() => records().length === 2 && records().every((r) => r.status === 'copied'), 'both copies')
    // More polls and the socket back (on the server's own record): nothing new comes of them.
    const leaderPolls = () => fx.server.faults.requests.filter((r) => r.path === '/api/v3/myTrades' && r.apiKey === fx.keys.readOnly.apiKey).length
    const pollsThen = leaderPolls()
    await waitFor(() => leaderPolls() >= pollsThen + 2 && fx.server.userDataSubscriptions('bob') > 0, 'two more polls and the leader socket back')
    await c.copy.idle()
    expect(records().map((r) => r.leaderTradeId).sort()).toEqual([...trades].sort())
    expect(records().map((r) => r.followerFilled).sort()).toEqual(['0.01', '0.02'])
    const posts = fx.server.faults.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')
    expect(posts).toHaveLength(2)
  })
})
