import { afterEach, describe, expect, it } from 'vitest'
import { closeStores, harness, single } from './conditional-harness'

// The live figures of the conditional-orders screen (price, distance: conditionalLive, ≤ 4 a second) are
// built on the thread that handles ticks. With thousands of armed orders one batch takes tens of ms; a
// tick that arrives meanwhile, and the order it fires, must not wait for it.

afterEach(closeStores)

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('live figures of many orders', () => {
  it('a tick arriving while the batch is being built fires its order before the batch is finished; the batch still has every order', async () => {
    const h = await harness()
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-market', side: 'sell', amount: '0.1', triggerPrice: '95' })
    const others: string[] = []
    for (let i = 0; i < 1200; i++) others.push(await single(h, { kind: 'take-profit-market', side: 'sell', amount: '0.1', triggerPrice: `${200 + i}` }))
    h.ticks.price('99') // the market moved: every order has new figures
    const seen: string[] = []
    h.gateway.onSubmit = () => seen.push('order sent')
    h.bus.on('conditionalLive', () => seen.push('live batch'))
    h.timers.run(250) // the screen's batch starts
    setImmediate(() => h.ticks.price('94')) // a tick, as from the socket, while it is being built
    for (let i = 0; i < 10 && !seen.includes('live batch'); i++) await nextTurn()
    expect(seen).toEqual(['order sent', 'live batch'])
    expect(h.gateway.last.origin.ref).toBe(stop)
    const batch = h.live.at(-1) ?? []
    const ids = new Set(batch.map((f) => f.id))
    expect(others.filter((id) => !ids.has(id))).toEqual([])
    expect(batch.find((f) => f.id === others[0])).toMatchObject({ currentPrice: expect.any(String), triggerPrice: '200' })
  }, 30_000)
})
