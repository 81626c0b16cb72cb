import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import type { Core } from '../../src-main/core'
import type { RiskView } from '../../src-main/api/contract'

// Two windows (the desktop window and a browser tab on the headless engine) with the risk limits loaded:
// each save names the version of the limits it was made from, so the second save from the same version is
// refused, saying what the limits are now, instead of silently undoing the first one's change.

const ctx = { door: 'test' } as const
let core: Core

beforeEach(() => {
  core = tempCore()
})
afterEach(async () => {
  await core.stop()
})

const { ok, refused } = contractCalls(() => core, ctx)
const noLimits = { maxOrderNotional: null, maxPositionNotional: null, priceBandPct: null, dailyLossLimit: null }
const get = async () => (await ok('risk.get', {})) as RiskView

describe('risk.set from the version it was based on', () => {
  it('refuses the second of two saves made from the same version, keeping the first; a save from the current version goes through', async () => {
    const loaded = await get()
    // Window A sets a max order; window B, still showing the limits as loaded, sets a price band.
    const first = (await ok('risk.set', { ...noLimits, maxOrderNotional: '1000', expectedVersion: loaded.version })) as RiskView
    expect(first.version).not.toBe(loaded.version)
    const message = await refused('risk.set', { ...noLimits, priceBandPct: '5', expectedVersion: loaded.version })
    expect(message).toBe(
      'The risk limits were changed in another window and nothing was saved. They are now: max order 1000 USDT, max position no limit, price band no limit, daily loss limit no limit. Check them and save again.',
    )
    expect(await get()).toMatchObject({ maxOrderNotional: '1000', priceBandPct: null, version: first.version })

    // Window B reloads and saves again from the current version: both changes stand.
    const both = (await ok('risk.set', { ...noLimits, maxOrderNotional: '1000', priceBandPct: '5', expectedVersion: first.version })) as RiskView
    expect(both).toMatchObject({ maxOrderNotional: '1000', priceBandPct: '5' })
    expect(await get()).toEqual(both)
  })

  it('tells every window the new version, and the kill switch does not make a limits form stale', async () => {
    const seen: RiskView[] = []
    const opened = core.streams.open('risk.changed', {}, (v) => seen.push(v as RiskView))
    if (!opened.ok) throw new Error('no risk stream')
    const saved = (await ok('risk.set', { ...noLimits, dailyLossLimit: '300', expectedVersion: (await get()).version })) as RiskView
    expect(seen.at(-1)).toEqual(saved)
    await ok('trading.killSwitch', {})
    expect(seen.at(-1)).toMatchObject({ halted: true, version: saved.version })
    await ok('trading.resume', {})
    expect(await ok('risk.set', { ...noLimits, dailyLossLimit: '200', expectedVersion: saved.version })).toMatchObject({ dailyLossLimit: '200' })
    opened.value()
  })

  it('a save that names no version is refused as bad input (it could undo another window’s change unseen)', async () => {
    const message = await refused('risk.set', noLimits as never, 'BAD_INPUT')
    expect(message).toMatch(/expectedVersion/)
  })
})
