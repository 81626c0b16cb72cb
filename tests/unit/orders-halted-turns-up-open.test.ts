import { afterEach, expect, it } from 'vitest'
import { fail, haltable, harness, held, ME_FAKE, unacknowledged, waitFor, type Harness } from './orders-support'

// No order can be placed while the kill switch halts trading, so every order that turns up open then is one the
// kill switch means to cancel. A restart while halted cancelled those its start-up reconcile found open, but an
// order still 'submitting' then (intent written, its send's answer lost) that the exchange confirmed open only
// later — on the order stream, or at a later reconcile — was left working while trading stayed halted. It is
// now canceled as soon as it turns up open (then on the re-cancel's waits), and its row says why.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const OPTIONS = { retryDelaysMs: [], haltedRecancelMs: [20, 40], reconcileRetryMs: 60_000, resyncDelayMs: 60_000 }

/** An order that landed on the exchange but whose answer was lost; trading halted (or not), and the app restarted:
 * the start-up reconcile cannot reach the exchange, so the order is still 'submitting'. */
async function restartedWithUnacknowledged(halted: boolean) {
  const ks = haltable()
  const first = await harness({ risk: ks.gate, ...OPTIONS })
  h = first
  const id = await unacknowledged(first, true)
  ks.halt(halted)
  const local = await first.restart({ risk: ks.gate, start: false })
  h = local
  local.fake.script('fetchOpenOrders', fail('unreachable', 'request timed out'))
  await local.manager.start()
  expect(local.manager.get(id)?.status).toBe('submitting')
  return { local, id }
}

/** The exchange's own report of the order, as it really rests there. */
const reportOf = async (local: Harness, id: string) => (await local.fake.inner.fetchOrder('BTC/USDT', { clientOrderId: id }))!

const canceled = (local: Harness, id: string) => (local.manager.get(id)?.status === 'canceled' ? true : undefined)

it('restarted while halted, a submitting order the order stream then shows open is canceled', async () => {
  const { local, id } = await restartedWithUnacknowledged(true)
  local.fake.pushOrder(await reportOf(local, id))
  expect(local.manager.get(id)?.error).toMatch(/trading is halted by the kill switch.*turned up open.*canceled/i)
  expect(await waitFor(() => canceled(local, id), 'the order canceled', 15_000)).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  expect(local.manager.get(id)?.error ?? '').not.toMatch(/it is canceled/)
})

it('restarted while halted, a submitting order a later reconcile finds open is canceled', async () => {
  const { local, id } = await restartedWithUnacknowledged(true)
  await local.manager.reconcile('fake')
  expect(await waitFor(() => canceled(local, id), 'the order canceled', 15_000)).toBe(true)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
})

it('not halted, an order that turns up open is left working', async () => {
  const { local, id } = await restartedWithUnacknowledged(false)
  local.fake.pushOrder(await reportOf(local, id))
  await new Promise((r) => setTimeout(r, 150))
  expect(local.manager.get(id)?.status).toBe('open')
  expect(local.manager.get(id)?.error ?? '').not.toMatch(/kill switch/)
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(0)
})

it('the kill switch canceling an unacknowledged order it finds open sends one cancel', async () => {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, ...OPTIONS })
  h = local
  const id = await unacknowledged(local, true)
  ks.halt(true)
  const result = await local.manager.cancelAll()
  expect(result.canceled).toBe(1)
  await new Promise((r) => setTimeout(r, 150))
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(1)
  expect(local.manager.get(id)).toMatchObject({ status: 'canceled' })
})

it('halted, an order marked lost that the exchange then shows open (its send landed late) is canceled', async () => {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, ...OPTIONS, lostRecheckMs: 20 })
  h = local
  const id = await unacknowledged(local, false)
  ks.halt(true)
  await local.manager.cancelAll()
  await waitFor(() => local.manager.get(id)?.status === 'lost', 'the order marked lost')
  local.engine.placeOrder({ accountId: ME_FAKE, clientOrderId: id, symbol: 'BTC/USDT', side: 'sell', type: 'limit', amount: '1', price: '110.00', timeInForce: 'GTC', postOnly: false })
  local.fake.pushOrder(await reportOf(local, id))
  expect(await waitFor(() => canceled(local, id), 'the order canceled', 15_000)).toBe(true)
  expect(local.engine.openOrders(ME_FAKE)).toEqual([])
})

// The kill switch cancels a venue's orders one after another; an order that turns up open meanwhile is canceled on
// its own wait (turnedUpOpen) and may be canceled before the kill switch's turn for it comes. That order is canceled
// as the kill switch meant: the kill switch must not report it among the orders it could not cancel.
it('an order that turns up open during the kill switch and is canceled before its turn counts as canceled', async () => {
  const ks = haltable()
  const local = await harness({ risk: ks.gate, ...OPTIONS })
  h = local
  const first = await local.manager.submit(local.intent({ venueId: 'fake', side: 'sell', price: '111.00', amount: '1' }))
  const id = await unacknowledged(local, true)
  const slow = held()
  local.fake.script('cancelOrder', slow.behaviour)
  ks.halt(true)
  const killing = local.manager.cancelAll()
  await waitFor(() => slow.sent(), 'the first cancel on its way')
  local.fake.pushOrder(await reportOf(local, id))
  expect(await waitFor(() => canceled(local, id), 'the order that turned up open canceled', 15_000)).toBe(true)
  slow.release()
  const result = await killing
  expect(local.manager.get(first.clientOrderId)?.status).toBe('canceled')
  expect(result).toMatchObject({ canceled: 2, failed: [] })
  expect(local.fake.callsOf('cancelOrder')).toHaveLength(2)
})
