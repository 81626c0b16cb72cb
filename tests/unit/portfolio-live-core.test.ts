import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import type { PortfolioView } from '../../src-main/api/schemas/portfolio'
import { tempCore } from '../support/temp-core'

// The commands and the stream through the engine's one door, outputs checked against the contract: the
// simulated paper account and traders are in the view with their labels, and the settings apply.

describe('portfolio.summary / portfolio.equity / portfolio.live in the engine', () => {
  let core: (Core & { dataDir: string }) | undefined
  afterEach(async () => {
    await core?.stop()
    if (core) fs.rmSync(core.dataDir, { recursive: true, force: true })
    core = undefined
  })

  it('answers within the contract, follows the settings, and streams the view', async () => {
    core = tempCore()
    const ctx = { door: 'test' as const }
    const summary = await core.router.invoke('portfolio.summary', { period: '7d' }, ctx)
    expect(summary.ok, JSON.stringify(summary)).toBe(true)
    const view = (summary as { value: PortfolioView }).value
    expect(view.method).toBe('fifo')
    expect(view.currency).toBe('USD')
    expect(view.accounts.find((a) => a.account === 'sim')?.label).toBe('Simulated exchange')
    // The simulated traders keep books in the same ledger; they are not the user's money.
    expect(view.scope).toBe('mine')
    expect(view.accounts.some((a) => a.label.startsWith('Trader: '))).toBe(false)
    expect(Number(view.totals.value)).toBeGreaterThan(0)
    const traders = await core.router.invoke('portfolio.summary', { period: '7d', scope: 'traders' }, ctx)
    expect(traders.ok && (traders.value as PortfolioView).accounts.length > 0).toBe(true)
    expect(traders.ok && (traders.value as PortfolioView).accounts.every((a) => a.label.startsWith('Trader: '))).toBe(true)

    const equity = await core.router.invoke('portfolio.equity', { period: '24h' }, ctx)
    expect(equity.ok, JSON.stringify(equity)).toBe(true)

    core.settings.set('portfolio.costMethod', 'average')
    core.settings.set('portfolio.currency', 'USDT')
    const after = (await core.router.invoke('portfolio.summary', { account: 'sim' }, ctx)) as { ok: true; value: PortfolioView }
    expect(after.value).toMatchObject({ method: 'average', currency: 'USDT', account: 'sim' })
    expect(after.value.accounts.map((a) => a.account)).toEqual(['sim'])

    const frames: unknown[] = []
    const opened = core.streams.open('portfolio.live', { period: '24h' }, (v) => frames.push(v))
    expect(opened.ok).toBe(true)
    expect(frames).toHaveLength(1)
    if (opened.ok) opened.value()
    const bad = core.streams.open('portfolio.live', { period: '2d' }, () => undefined)
    expect(bad.ok).toBe(false)
  })
})
