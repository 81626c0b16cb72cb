import { afterEach, describe, expect, it } from 'vitest'
import { tempCore, tempDir } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { RiskAlertView } from '../../src-main/api/schemas/alerts'

// A risk alert's threshold through the engine's door: compared exactly (a drawdown just under 100 % is
// under 100, not rounded up to it) and kept as the number it is, as a price alert's level is ('0100' is 100).

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})
const start = (dataDir?: string) => {
  const core = tempCore(dataDir ? { dataDir } : {})
  cores.push(core)
  return core
}
const call = (c: Core, input: Record<string, unknown>) => c.router.invoke('alerts.riskCreate', { currency: 'USD', ...input }, { door: 'test' }) as Promise<Reply>

describe('a risk alert’s threshold', () => {
  it('a drawdown is compared exactly: 99.99999999999999999 % is taken, 100 and more refused', async () => {
    const core = start()
    const taken = await call(core, { metric: 'drawdown', condition: 'above', threshold: '99.99999999999999999' })
    expect(taken).toMatchObject({ ok: true, value: { threshold: '99.99999999999999999' } })
    for (const threshold of ['100', '100.00000000000000001', '0']) {
      expect(await call(core, { metric: 'drawdown', condition: 'above', threshold })).toEqual({
        ok: false,
        error: { code: 'BAD_INPUT', message: expect.stringContaining('a drawdown is a percentage greater than 0 and less than 100') as string },
      })
    }
    expect(await call(core, { metric: 'value', condition: 'above', threshold: '0.000' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('a portfolio value must be greater than zero') as string } })
  })

  it('is kept as the number it is, not as typed, also across a restart', async () => {
    const dataDir = tempDir()
    const core = start(dataDir)
    const value = await call(core, { metric: 'value', condition: 'above', threshold: '020000.50' })
    const pnl = await call(core, { metric: 'pnl24h', condition: 'below', threshold: '-0500.0' })
    const drawdown = await call(core, { metric: 'drawdown', condition: 'above', threshold: '010' })
    expect([value, pnl, drawdown].map((r) => r.ok && (r.value as RiskAlertView).threshold)).toEqual(['20000.5', '-500', '10'])
    await core.stop()
    cores = []
    const again = start(dataDir)
    const listed = (await again.router.invoke('alerts.riskList', { scope: 'active', limit: 10 }, { door: 'test' })) as Reply
    expect(listed.ok && (listed.value as RiskAlertView[]).map((a) => a.threshold).sort()).toEqual(['-500', '10', '20000.5'])
  })
})
