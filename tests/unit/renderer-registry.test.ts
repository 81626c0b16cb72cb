import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  listActions,
  onBeforeRun,
  registerAction,
  runAction,
  subscribeActions,
  type Action,
} from '../../src-renderer/app/hotkeys/registry'

const cleanups: (() => void)[] = []
afterEach(() => {
  cleanups.splice(0).forEach((off) => off())
  vi.restoreAllMocks()
})
const add = (action: Action) => {
  const off = registerAction(action)
  cleanups.push(off)
  return off
}

describe('action registry', () => {
  it('adds and removes actions and tells subscribers', () => {
    const listener = vi.fn()
    cleanups.push(subscribeActions(listener))
    const off = add({ id: 't.one', title: 'One', section: 'Test', run: () => {} })
    expect(listActions().map((a) => a.id)).toContain('t.one')
    off()
    expect(listActions().map((a) => a.id)).not.toContain('t.one')
    expect(listener).toHaveBeenCalledTimes(2)
  })

  it("an old registration's unregister does not remove a newer one with the same id", () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const first = add({ id: 't.same', title: 'First', section: 'Test', run: () => {} })
    add({ id: 't.same', title: 'Second', section: 'Test', run: () => {} })
    first()
    expect(listActions().find((a) => a.id === 't.same')?.title).toBe('Second')
  })

  it('runs only enabled actions, after telling onBeforeRun listeners', () => {
    const order: string[] = []
    cleanups.push(onBeforeRun((a) => order.push(`before ${a.id}`)))
    let enabled = false
    const action: Action = {
      id: 't.run',
      title: 'Run',
      section: 'Test',
      run: () => void order.push('ran'),
      enabled: () => enabled,
    }
    expect(runAction(action)).toBe(false)
    enabled = true
    expect(runAction(action)).toBe(true)
    expect(order).toEqual(['before t.run', 'ran'])
  })

  it('reports a failing action instead of throwing into the key handler', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(runAction({ id: 't.throws', title: 'x', section: 'Test', run: () => { throw new Error('boom') } })).toBe(true)
    runAction({ id: 't.rejects', title: 'x', section: 'Test', run: () => Promise.reject(new Error('later')) })
    await new Promise((r) => setTimeout(r, 0))
    expect(error).toHaveBeenCalledTimes(2)
  })
})
