import { afterEach, describe, expect, it } from 'vitest'
import Decimal from 'decimal.js'
import { tempCore } from '../support/temp-core'
import { waitFor } from '../support/wait-for'
import { commandValue } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { BalancesView, VenueBalances, VenueView } from '../../src-main/api/contract'
import type { VenueOrder } from '../../src-main/venues/port'

// Paper accounts in the engine: paper.open / paper.close through the contract, the registry listing and
// valuing them, matching against the market module's live book of the source (here the simulated
// exchange, whose book is exact and still in manual mode), and a restart.

const ctx = { door: 'test' } as const
const BTC = 'BTC/USDT'
let cores: Core[] = []
const open = (...args: Parameters<typeof tempCore>) => {
  const core = tempCore(...args)
  cores.push(core)
  return core
}
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

async function refused(core: Core, name: string, input: unknown): Promise<{ code: string; message: string }> {
  const reply = await core.router.invoke(name, input, ctx)
  if (reply.ok) throw new Error(`${name} was accepted`)
  return reply.error
}

describe('paper accounts in the venue registry', () => {
  it('paper.open on the simulated exchange: listed, valued, announced', async () => {
    const core = open()
    core.sim.runtime.advance(30_000)
    const changed: VenueView[] = []
    core.bus.on('venueChanged', (e) => changed.push(e.view))
    const view = await commandValue<VenueView>(core, 'paper.open', { source: { kind: 'venue', venueId: 'sim' } })
    expect(view).toEqual({
      id: 'paper:1',
      exchange: 'sim',
      label: 'Paper · Simulated exchange',
      kind: 'paper',
      accountId: null,
      connection: 'live',
      reason: null,
      marketCount: 5,
    })
    expect(changed.some((v) => v.id === 'paper:1' && v.connection === 'live')).toBe(true)
    expect((await commandValue<VenueView[]>(core, 'venues.list')).map((v) => v.id)).toEqual(['sim', 'paper:1'])
    const balances = await commandValue<BalancesView>(core, 'balances.list')
    expect(balances.venues.find((v) => v.venueId === 'paper:1')).toMatchObject({
      kind: 'paper',
      label: 'Paper · Simulated exchange',
      balances: [{ asset: 'USDT', free: '10000', used: '0', total: '10000', value: '10000' }],
      error: null,
    })
    // A second one on the same source gets its own id and a label told apart.
    const second = await commandValue<VenueView>(core, 'paper.open', {
      source: { kind: 'venue', venueId: 'sim' },
      balances: [
        { asset: 'usdt', amount: '500' },
        { asset: 'BTC', amount: '0.25' },
      ],
    })
    expect(second).toMatchObject({ id: 'paper:2', label: 'Paper · Simulated exchange 2' })
    const b2 = await commandValue<BalancesView>(core, 'balances.list')
    const rows = b2.venues.find((v) => v.venueId === 'paper:2')?.balances.map((b) => `${b.asset} ${b.total}`)
    expect(rows?.sort()).toEqual(['BTC 0.25', 'USDT 500'])
  })

  it('a market buy fills at the source book’s prices; the source account is untouched', async () => {
    const core = open()
    core.sim.runtime.advance(30_000)
    await commandValue<VenueView>(core, 'paper.open', { source: { kind: 'venue', venueId: 'sim' }, balances: [{ asset: 'USDT', amount: '1000000' }] })
    const pushed: VenueBalances[] = []
    core.bus.on('balancesChanged', (e) => pushed.push(e.balances))
    const simBefore = await core.sim.paper.fetchBalances()
    const venue = await core.venues.open('paper:1')
    const market = (await venue.loadMarkets()).find((m) => m.symbol === BTC)!
    const book = core.sim.engine.book(BTC, 50)
    const [a0, a1] = book.asks
    const amount = new Decimal(a0![1]).plus(new Decimal(a1![1]).div(2)).toDecimalPlaces(new Decimal(market.stepSize).decimalPlaces(), Decimal.ROUND_DOWN)
    const placed = await venue.placeOrder({ clientOrderId: 'p1', symbol: BTC, side: 'buy', type: 'market', amount: amount.toFixed(), timeInForce: 'GTC', postOnly: false })
    const expectedCost = new Decimal(a0![0]).times(a0![1]).plus(new Decimal(a1![0]).times(amount.minus(a0![1])))
    expect(placed).toMatchObject({ status: 'closed', filled: amount.toFixed(), cost: expectedCost.toFixed() })
    const fee = expectedCost.times(market.takerFee)
    const usdt = (await venue.fetchBalances()).find((b) => b.asset === 'USDT')
    expect(usdt?.total).toBe(new Decimal(1000000).minus(expectedCost).minus(fee).toFixed())
    expect(await core.sim.paper.fetchBalances()).toEqual(simBefore)
    expect(core.sim.engine.book(BTC, 50)).toEqual(book) // nothing reached the simulated exchange
    await waitFor(() => pushed.some((p) => p.venueId === 'paper:1' && p.balances.some((b) => b.asset === 'BTC')), 'balancesChanged')
    // The book it matched against is the market module's own loop for the paper venue.
    expect(core.market.health().find((h) => h.venueId === 'paper:1' && h.symbol === BTC)?.status).toBe('live')
  })

  it('refuses bad paper.open / paper.close input with specific messages and stores nothing', async () => {
    const core = open()
    const cases: [unknown, string, string][] = [
      [{ source: { kind: 'venue', venueId: 'kraken-main' } }, 'NOT_FOUND', 'No venue "kraken-main"'],
      [{ source: { kind: 'venue', venueId: 'paper:1' } }, 'BAD_INPUT', 'A paper account trades on a real venue’s markets, not on another paper account'],
      [
        { source: { kind: 'venue', venueId: 'sim' }, balances: [{ asset: 'USDT', amount: '1' }, { asset: 'usdt', amount: '2' }] },
        'BAD_INPUT',
        'USDT is listed twice in the starting balances',
      ],
      [{ source: { kind: 'venue', venueId: 'sim' }, balances: [{ asset: 'USDT', amount: '-5' }] }, 'BAD_INPUT', 'The starting USDT balance must be zero or more, not -5'],
      [{ source: { kind: 'venue', venueId: 'sim' }, balances: [{ asset: 'US DT', amount: '5' }] }, 'BAD_INPUT', 'Asset "US DT" is not an asset symbol such as USDT'],
    ]
    for (const [input, code, message] of cases) expect(await refused(core, 'paper.open', input)).toEqual({ code, message })
    expect(await refused(core, 'paper.close', { venueId: 'sim' })).toEqual({
      code: 'BAD_INPUT',
      message: '"sim" is not a paper account; only paper accounts can be closed here',
    })
    expect(await refused(core, 'paper.close', { venueId: 'paper:9' })).toEqual({ code: 'NOT_FOUND', message: 'No paper account "paper:9"' })
    expect((await commandValue<VenueView[]>(core, 'venues.list')).map((v) => v.id)).toEqual(['sim'])
  })

  it('paper.close cancels open orders, removes the account, and never reuses its id', async () => {
    const core = open()
    core.sim.runtime.advance(30_000)
    await commandValue<VenueView>(core, 'paper.open', { source: { kind: 'venue', venueId: 'sim' } })
    const venue = await core.venues.open('paper:1')
    const events: VenueOrder[] = []
    venue.watchMyOrders((o) => events.push(o), () => undefined)
    const bid = new Decimal(core.sim.engine.book(BTC, 1).bids[0]![0]).times(0.9).toDecimalPlaces(2).toFixed()
    const resting = await venue.placeOrder({ clientOrderId: 'r1', symbol: BTC, side: 'buy', type: 'limit', price: bid, amount: '0.01', timeInForce: 'GTC', postOnly: false })
    expect(resting.status).toBe('open')
    const changed: VenueView[] = []
    core.bus.on('venueChanged', (e) => changed.push(e.view))
    expect(await commandValue(core, 'paper.close', { venueId: 'paper:1' })).toEqual({ venueId: 'paper:1', closed: true })
    expect(events.at(-1)).toMatchObject({ venueOrderId: resting.venueOrderId, status: 'canceled' })
    expect(changed.at(-1)).toMatchObject({ id: 'paper:1', connection: 'down', reason: 'Closed', closed: true })
    expect((await commandValue<VenueView[]>(core, 'venues.list')).map((v) => v.id)).toEqual(['sim'])
    await expect(core.venues.open('paper:1')).rejects.toThrow('No venue "paper:1"')
    expect((await commandValue<VenueView>(core, 'paper.open', { source: { kind: 'venue', venueId: 'sim' } })).id).toBe('paper:2')
  })

  it('a restart restores paper accounts, balances and resting orders, which follow their market again', async () => {
    const first = open()
    first.sim.runtime.advance(30_000)
    await commandValue<VenueView>(first, 'paper.open', { source: { kind: 'venue', venueId: 'sim' }, label: 'Rehearsal' })
    const venue = await first.venues.open('paper:1')
    const bid = new Decimal(first.sim.engine.book(BTC, 1).bids[0]![0]).times(0.9).toDecimalPlaces(2).toFixed()
    const resting = await venue.placeOrder({ clientOrderId: 'r1', symbol: BTC, side: 'buy', type: 'limit', price: bid, amount: '0.01', timeInForce: 'GTC', postOnly: false })
    const balances = await venue.fetchBalances()
    await first.stop()
    cores = cores.filter((c) => c !== first)

    const second = open({ dataDir: (first as Core & { dataDir: string }).dataDir })
    expect((await commandValue<VenueView[]>(second, 'venues.list')).find((v) => v.id === 'paper:1')).toMatchObject({ label: 'Rehearsal', kind: 'paper' })
    await waitFor(() => second.market.health().some((h) => h.venueId === 'paper:1' && h.symbol === BTC), 'the resting order’s market followed at start')
    const again = await second.venues.open('paper:1')
    expect(await again.fetchBalances()).toEqual(balances)
    expect(await again.fetchOpenOrders()).toEqual([resting])
  })
})
