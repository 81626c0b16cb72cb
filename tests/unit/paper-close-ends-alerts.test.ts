import path from 'node:path'
import Database from 'better-sqlite3'
import Decimal from 'decimal.js'
import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { commandValue } from '../support/contract-calls'
import { waitFor } from '../support/wait-for'
import type { Core } from '../../src-main/core'
import type { AlertView, ConditionalView, VenueView } from '../../src-main/api/contract'
import { DB_FILE_NAME } from '../../src-main/store/open'

// Closing a paper account ends what works through it, as removing an exchange account does: its active
// price alerts and armed conditional orders are canceled with the reason, rather than left waiting for
// ever on a venue that is gone. Ones an earlier version left active are ended at the next start.

const BTC = 'BTC/USDT'
const REASON = 'the paper account "Rehearsal" was closed'
let cores: Core[] = []
const open = (...args: Parameters<typeof tempCore>) => {
  const core = tempCore(...args)
  cores.push(core)
  return core
}
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop()
})

/** A paper account "Rehearsal" on the simulated exchange with a price alert far over the market and a stop far under it. */
async function setUp(core: Core) {
  core.sim.runtime.advance(30_000)
  await commandValue<VenueView>(core, 'paper.open', { source: { kind: 'venue', venueId: 'sim' }, label: 'Rehearsal', balances: [{ asset: 'BTC', amount: '1' }] })
  const mid = new Decimal(core.sim.engine.book(BTC, 1).bids[0]![0])
  const alert = await commandValue<AlertView>(core, 'alerts.create', { venueId: 'paper:1', symbol: BTC, condition: 'above', price: mid.times(1.5).toDecimalPlaces(2).toFixed() })
  const [stop] = await commandValue<ConditionalView[]>(core, 'conditional.create', {
    type: 'single',
    venueId: 'paper:1',
    symbol: BTC,
    placement: 'app',
    leg: { kind: 'stop-market', side: 'sell', amount: '0.01', trigger: 'last', triggerPrice: mid.times(0.5).toDecimalPlaces(2).toFixed() },
  })
  return { alert, stop: stop! }
}

describe('closing a paper account', () => {
  it('cancels its price alerts and conditional orders, saying why; alerts on other venues go on', async () => {
    const core = open({ alerts: { firstPriceWaitMs: 2000 } })
    const { alert, stop } = await setUp(core)
    const onSim = await commandValue<AlertView>(core, 'alerts.create', { venueId: 'sim', symbol: BTC, condition: 'above', price: '100000000' })

    await commandValue(core, 'paper.close', { venueId: 'paper:1' })

    expect((await commandValue<AlertView[]>(core, 'alerts.list', { scope: 'active' })).map((a) => a.id)).toEqual([onSim.id])
    const [gone] = await commandValue<AlertView[]>(core, 'alerts.list', { scope: 'history' })
    expect(gone).toMatchObject({ id: alert.id, status: 'canceled', reason: REASON })
    expect(await commandValue<ConditionalView[]>(core, 'conditional.list', { scope: 'active' })).toEqual([])
    const [ended] = await commandValue<ConditionalView[]>(core, 'conditional.list', { scope: 'history' })
    expect(ended).toMatchObject({ id: stop.id, status: 'canceled', reason: REASON })
  })

  it('ones an earlier version left active on a closed paper account are canceled at the next start', async () => {
    const first = open({ alerts: { firstPriceWaitMs: 2000 } })
    const { alert, stop } = await setUp(first)
    await first.stop()
    cores = cores.filter((c) => c !== first)
    // What an earlier version's paper.close left: the account closed, its alert and stop still active.
    const db = new Database(path.join((first as Core & { dataDir: string }).dataDir, DB_FILE_NAME))
    db.prepare("update paper_accounts set closed_at = ? where id = 'paper:1'").run(Date.now())
    db.close()

    const core = open({ dataDir: (first as Core & { dataDir: string }).dataDir })
    await waitFor(async () => (await commandValue<AlertView[]>(core, 'alerts.list', { scope: 'active' })).length === 0, 'no active alerts', 3000).catch(() => undefined) // asserted below
    expect(await commandValue<AlertView[]>(core, 'alerts.list', { scope: 'active' })).toEqual([])
    expect((await commandValue<AlertView[]>(core, 'alerts.list', { scope: 'history' }))[0]).toMatchObject({ id: alert.id, status: 'canceled', reason: REASON })
    expect(await commandValue<ConditionalView[]>(core, 'conditional.list', { scope: 'active' })).toEqual([])
    expect((await commandValue<ConditionalView[]>(core, 'conditional.list', { scope: 'history' }))[0]).toMatchObject({ id: stop.id, status: 'canceled', reason: REASON })
  })
})
