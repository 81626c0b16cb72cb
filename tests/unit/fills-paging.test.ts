import { afterEach, describe, expect, it } from 'vitest'
import { OrderStore } from '../../src-main/trading/orders/store'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { CommandInput, FillView } from '../../src-main/api/contract'

// Fills page back like order history: `fills.list` takes `before` (the last shown fill's timestamp, venue
// and trade id) and lists the fills strictly after it in the list's order (newest first; fills of one
// millisecond by venue, then trade id, descending), so a trader walks back through every fill, one page at
// a time, none skipped nor shown twice, however many fills one millisecond holds.

const ctx = { door: 'test' } as const
let core: Core | null = null
afterEach(async () => {
  await core?.stop()
  core = null
})

function setup(): OrderStore {
  core = tempCore()
  return new OrderStore(core.store.db)
}

/** Records a fill straight into the engine's store. */
function filled(store: OrderStore, venueId: string, tradeId: string, timestamp: number, symbol = 'BTC/USDT'): void {
  const fill = {
    tradeId,
    venueOrderId: `v-${tradeId}`,
    clientOrderId: null,
    symbol,
    side: 'buy' as const,
    price: '50000',
    amount: '0.001',
    fee: { asset: 'USDT', amount: '0.05' },
    liquidity: 'taker' as const,
    timestamp,
  }
  if (store.insertFill(venueId, fill, null, timestamp) === undefined) throw new Error(`fill ${venueId} ${tradeId} not recorded`)
}

async function list(input: CommandInput<'fills.list'>): Promise<FillView[]> {
  const reply = await core!.router.invoke('fills.list', input, ctx)
  if (!reply.ok) throw new Error(`fills.list failed: ${reply.error.code} ${reply.error.message}`)
  return reply.value as FillView[]
}

const keys = (rows: readonly FillView[]) => rows.map((f) => `${f.venueId}:${f.tradeId}`)
const cursor = (f: FillView) => ({ timestamp: f.timestamp, venueId: f.venueId, symbol: f.symbol, tradeId: f.tradeId })

/** Every page of `limit` fills of the scope, from the newest, each after the last one of the page before. */
async function walk(scope: { venueId?: string; symbol?: string }, limit: number): Promise<string[]> {
  const seen: string[] = []
  let page = await list({ ...scope, limit })
  for (let pages = 0; page.length > 0; pages++) {
    if (pages > 1000) throw new Error('paging does not end')
    seen.push(...keys(page))
    page = await list({ ...scope, limit, before: cursor(page.at(-1)!) })
  }
  return seen
}

describe('fills page back', () => {
  it('walks every fill of every account, many of one millisecond across the pages’ edges, none skipped or twice', async () => {
    const store = setup()
    // 25 fills in one millisecond on two accounts (written in an order unlike their ids), more than a
    // page holds, between older and newer ones
    filled(store, 'acct-a', 'old1', 1_000)
    filled(store, 'acct-b', 'old2', 2_000)
    const tied = Array.from({ length: 25 }, (_, i) => ({ venueId: i % 2 === 0 ? 'acct-a' : 'acct-b', tradeId: `t${String((i * 7) % 25).padStart(2, '0')}` }))
    for (const t of tied) filled(store, t.venueId, t.tradeId, 3_000)
    filled(store, 'acct-a', 'new1', 4_000)
    const whole = await list({ limit: 1000 })
    expect(whole).toHaveLength(28)
    expect(keys(whole.slice(0, 1))).toEqual(['acct-a:new1'])
    expect(keys(whole.slice(-2))).toEqual(['acct-b:old2', 'acct-a:old1'])
    // within the millisecond: by account, then trade id, descending
    const inMs = whole.slice(1, 26)
    expect(keys(inMs)).toEqual(tied.map((t) => `${t.venueId}:${t.tradeId}`).sort().reverse())

    for (const limit of [1, 3, 10, 24]) expect(await walk({}, limit)).toEqual(keys(whole))
  })

  it('pages one account, and one market of it, only', async () => {
    const store = setup()
    for (let i = 0; i < 12; i++) filled(store, 'acct-a', `a${String(i).padStart(2, '0')}`, 5_000, i % 3 === 0 ? 'ETH/USDT' : 'BTC/USDT')
    for (let i = 0; i < 12; i++) filled(store, 'acct-b', `a${String(i).padStart(2, '0')}`, 5_000)
    filled(store, 'acct-a', 'early', 4_000)
    const account = await list({ venueId: 'acct-a', limit: 100 })
    expect(account).toHaveLength(13)
    expect(account.every((f) => f.venueId === 'acct-a')).toBe(true)
    expect(await walk({ venueId: 'acct-a' }, 5)).toEqual(keys(account))

    const market = await list({ venueId: 'acct-a', symbol: 'BTC/USDT', limit: 100 })
    expect(keys(market)).toEqual(['acct-a:a11', 'acct-a:a10', 'acct-a:a08', 'acct-a:a07', 'acct-a:a05', 'acct-a:a04', 'acct-a:a02', 'acct-a:a01', 'acct-a:early'])
    expect(await walk({ venueId: 'acct-a', symbol: 'BTC/USDT' }, 2)).toEqual(keys(market))
  })

  it('refuses a bad cursor, saying what is wrong with it', async () => {
    setup()
    const refused = async (input: unknown) => {
      const reply = await core!.router.invoke('fills.list', input as CommandInput<'fills.list'>, ctx)
      if (reply.ok) throw new Error(`accepted ${JSON.stringify(input)}`)
      expect(reply.error.code).toBe('BAD_INPUT')
      return reply.error.message
    }
    const good = { timestamp: 1, venueId: 'sim', symbol: 'BTC/USDT', tradeId: 't1' }
    expect(await refused({ before: { ...good, timestamp: 1.5 } })).toContain('before.timestamp')
    expect(await refused({ before: { ...good, timestamp: -1 } })).toContain('before.timestamp')
    expect(await refused({ before: { timestamp: 1, tradeId: 't1' } })).toContain('before.venueId')
    expect(await refused({ before: { timestamp: 1, venueId: 'sim', tradeId: 't1' } })).toContain('before.symbol')
    expect(await refused({ before: { ...good, venueId: '' } })).toContain('before.venueId')
    expect(await refused({ before: { ...good, tradeId: '' } })).toContain('before.tradeId')
    expect(await refused({ before: { ...good, id: 4 } })).toContain('before')
    // a bare time can not say where in its millisecond the page ended
    expect(await refused({ before: 12345 })).toContain('before')
  })
})
