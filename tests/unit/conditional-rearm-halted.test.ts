import { afterEach, expect, it } from 'vitest'
import { bracket, closeStores, harness, oco, viewOf, type Harness } from './conditional-harness'

// An OCO leg (or a bracket exit) triggered and its order works; its partner was canceled by the trigger and
// re-arms for what that order leaves unfilled (engine.ts rearmPartner). Once the kill switch has been pulled,
// nothing re-arms: the order ending part-filled (canceled by the switch, rejected, expired) leaves the partner
// canceled by the kill switch — also after trading is resumed (the trader re-creates what they want).

afterEach(closeStores)

const HALT = 'Trading is halted by the kill switch since 10:00:00 UTC; resume it in Risk'

/** The kill switch as the risk service pulls it: halted, every conditional order disarmed, the event told. */
function pullKillSwitch(h: Harness, halt: () => void): void {
  halt()
  h.engine.disarmAll()
  h.bus.emit('killSwitchEngaged', { at: 0 })
}

/** An OCO (take-profit-limit 110 / stop-limit 95 → 94, 1 BTC) whose stop triggered at 94.5; its order is out and filled 0.4. */
async function ocoStopFilled04(h: Awaited<ReturnType<typeof harness>>): Promise<{ tp: string; stopOrder: string }> {
  h.ticks.price('100')
  const [tp] = await oco(h, [
    { kind: 'take-profit-limit', side: 'sell', amount: '1', triggerPrice: '110', limitPrice: '110' },
    { kind: 'stop-limit', side: 'sell', amount: '1', triggerPrice: '95', limitPrice: '94' },
  ])
  h.ticks.price('94.5')
  await h.settle() // the stop's order is out (its send answered)
  const stopOrder = h.gateway.last.clientOrderId as string
  h.gateway.fill(stopOrder, '0.4', '94')
  return { tp: tp as string, stopOrder }
}

for (const end of ['canceled', 'rejected', 'expired'] as const) {
  it(`an OCO stop whose order ends ${end} part-filled after the kill switch leaves its take-profit canceled by the switch, not re-armed (nor once resumed)`, async () => {
    let halted: string | null = null
    const h = await harness({ halted: () => halted })
    const { tp, stopOrder } = await ocoStopFilled04(h)
    expect(viewOf(h, tp)).toMatchObject({ status: 'canceled' })
    pullKillSwitch(h, () => void (halted = HALT))
    h.gateway.end(stopOrder, end)
    await h.settle()
    expect(viewOf(h, tp)).toMatchObject({ status: 'canceled', reason: expect.stringMatching(/kill switch/) })
    halted = null // resumed
    h.ticks.price('111')
    h.ticks.price('93')
    await h.settle()
    expect(h.gateway.submits).toHaveLength(1)
    expect(viewOf(h, tp).status).toBe('canceled')
    const h2 = await h.restart()
    h2.ticks.price('112')
    await h2.settle()
    expect(h2.gateway.submits).toHaveLength(1)
    expect(viewOf(h2, tp).status).toBe('canceled')
  })
}

it("a bracket's stop canceled part-filled by the kill switch leaves its take-profit canceled by the switch, not re-armed (nor once resumed)", async () => {
  let halted: string | null = null
  const h = await harness({ halted: () => halted })
  h.ticks.price('100')
  const b = await bracket(h, { stopLoss: { triggerPrice: '95', limitPrice: '94' } })
  h.gateway.fill(b.entry, '1', '100')
  h.ticks.price('94.5')
  await h.settle() // the stop's order is out (its send answered)
  const stopOrder = h.gateway.last.clientOrderId as string
  expect(h.gateway.last).toMatchObject({ side: 'sell', amount: '1', origin: { ref: b.sl } })
  h.gateway.fill(stopOrder, '0.4', '94')
  pullKillSwitch(h, () => void (halted = HALT))
  await h.gateway.cancel(stopOrder) // the switch's cancel-all
  await h.settle()
  expect(viewOf(h, b.sl)).toMatchObject({ status: 'canceled' })
  expect(viewOf(h, b.tp)).toMatchObject({ status: 'canceled', reason: expect.stringMatching(/kill switch/) })
  halted = null
  h.ticks.price('111')
  await h.settle()
  expect(h.gateway.submits).toHaveLength(2)
  expect(viewOf(h, b.tp).status).toBe('canceled')
})

it("an OCO stop's order rejected part-filled while halted, the switch's disarm not having reached the engine (it failed): its take-profit does not re-arm", async () => {
  let halted: string | null = null
  const h = await harness({ halted: () => halted })
  const { tp, stopOrder } = await ocoStopFilled04(h)
  halted = HALT // (risk service: the halt is written; its disarmAll threw and the event was not handled yet)
  h.gateway.end(stopOrder, 'rejected')
  await h.settle()
  expect(viewOf(h, tp)).toMatchObject({ status: 'canceled', reason: 'its stop partner triggered; disarmed by the kill switch, it does not re-arm' })
  h.ticks.price('111')
  await h.settle()
  expect(h.gateway.submits).toHaveLength(1)
})
