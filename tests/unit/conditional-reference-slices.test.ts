import { afterEach, describe, expect, it } from 'vitest'
import { closeStores, harness, rowOf, single } from './conditional-harness'

// Trailing references are written once a second (so a restart resumes them). With thousands of trailing
// stops one pass took 25–40 ms on the thread that handles ticks; a tick that arrives meanwhile, and the
// stop it fires, must not wait for the whole pass — and every moved reference must still be written.

afterEach(closeStores)

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r))

describe('trailing references of many orders', () => {
  it('a tick arriving while the references are being written fires its stop before the pass ends; every reference is written', async () => {
    const h = await harness()
    h.ticks.price('100')
    const stop = await single(h, { kind: 'stop-market', side: 'sell', amount: '0.1', triggerPrice: '95' })
    const trails: string[] = []
    for (let i = 0; i < 2500; i++) trails.push(await single(h, { kind: 'trailing-stop', side: 'sell', amount: '0.1', distance: { unit: 'percent', value: `${10 + i / 1000}` } }))
    h.ticks.price('101') // every trail's reference moves to 101
    let written = -1
    h.gateway.onSubmit = () => {
      written = trails.filter((id) => rowOf(h, id).trailing_reference === '101').length
    }
    h.timers.run(1000) // the reference pass starts
    setImmediate(() => h.ticks.price('94')) // a tick, as from the socket, while it is being written
    for (let i = 0; i < 20 && h.gateway.submits.length === 0; i++) await nextTurn()
    expect(h.gateway.last.origin.ref).toBe(stop)
    // The stop went out while the pass was still under way…
    expect(written).toBeGreaterThan(0)
    expect(written).toBeLessThan(trails.length)
    // …and the pass then finished: every trail that did not fire at 94 has its reference written.
    for (let i = 0; i < 20; i++) await nextTurn()
    const armed = trails.filter((id) => rowOf(h, id).status === 'armed')
    expect(armed.length).toBeGreaterThan(0)
    expect(armed.filter((id) => rowOf(h, id).trailing_reference !== '101')).toEqual([])
  }, 60_000)

  it('stop writes every moved reference at once, a pass under way included', async () => {
    const h = await harness()
    h.ticks.price('100')
    const trails: string[] = []
    for (let i = 0; i < 1500; i++) trails.push(await single(h, { kind: 'trailing-stop', side: 'sell', amount: '0.1', distance: { unit: 'percent', value: '10' } }))
    h.ticks.price('101')
    h.timers.run(1000) // a pass starts and yields after its first slice
    h.ticks.price('102') // moves references the first slice already wrote
    const h2 = await h.restart()
    expect(trails.filter((id) => rowOf(h2, id).trailing_reference !== '102')).toEqual([])
  }, 60_000)
})

describe('a reference write that fails', () => {
  it('is tried again by the next pass; later passes still write', async () => {
    const h = await harness()
    h.ticks.price('100')
    const trails: string[] = []
    for (let i = 0; i < 1200; i++) trails.push(await single(h, { kind: 'trailing-stop', side: 'sell', amount: '0.1', distance: { unit: 'percent', value: '10' } }))
    const store = (h.engine as unknown as { store: { saveReferences: (legs: unknown[]) => void } }).store
    const real = store.saveReferences.bind(store)
    let fail = true
    store.saveReferences = (legs) => {
      if (fail) {
        fail = false
        throw new Error('SQLITE_BUSY: database is locked')
      }
      real(legs)
    }
    h.ticks.price('101')
    h.timers.run(1000) // the first slice's write fails
    expect(h.logs).toContain('conditional engine: could not write trailing references; trying again in a second')
    h.ticks.price('110')
    for (let s = 0; s < 2; s++) {
      h.timers.run(1000)
      for (let i = 0; i < 5; i++) await nextTurn()
    }
    expect(trails.filter((id) => rowOf(h, id).trailing_reference !== '110')).toEqual([])
  }, 60_000)
})
