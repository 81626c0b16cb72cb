import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { TaxCarryIn } from '../../src-main/api/schemas/tax'
import type { AuditPage } from '../../src-main/api/schemas/audit'

// Losses carried in from before the ledger through the engine's door: what a return's figures look like
// when stored, every bad entry refused with its reason and nothing stored, replace and clear, and the
// audit log's record of each change.

type Reply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})
const call = (c: Core, name: string, input: unknown = {}) => c.router.invoke(name, input, { door: 'headless' }) as Promise<Reply>
async function ok<T>(c: Core, name: string, input: unknown = {}): Promise<T> {
  const reply = await call(c, name, input)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`)
  return reply.value as T
}
async function refused(c: Core, input: unknown): Promise<string> {
  const reply = await call(c, 'tax.carryInSet', input)
  expect(reply.ok, `${JSON.stringify(input)} should be refused`).toBe(false)
  const error = (reply as { error: { code: string; message: string } }).error
  expect(error.code).toBe('BAD_INPUT')
  return error.message
}

describe('losses carried in', () => {
  it('stores a return’s figures to the cent, replaces and clears them, and refuses bad entries', async () => {
    const core = tempCore({ now: () => Date.UTC(2026, 10, 22) })
    cores.push(core)
    const us = await ok<TaxCarryIn>(core, 'tax.carryInSet', { jurisdiction: 'us', year: 2025, shortTerm: '1234.5', longTerm: '0' })
    expect(us).toEqual({ jurisdiction: 'us', year: 2025, amount: '1234.50', shortTerm: '1234.50', longTerm: '0.00', updatedAt: Date.UTC(2026, 10, 22) })
    await ok(core, 'tax.carryInSet', { jurisdiction: 'de', year: 2024, amount: '800' })
    await ok(core, 'tax.carryInSet', { jurisdiction: 'us', year: 2024, shortTerm: '100', longTerm: '2900.99' })
    expect((await ok<{ entries: TaxCarryIn[] }>(core, 'tax.carryInList')).entries.map((e) => [e.jurisdiction, e.year, e.amount, e.shortTerm, e.longTerm])).toEqual([
      ['de', 2024, '800.00', null, null],
      ['us', 2024, '3000.99', '100.00', '2900.99'],
    ])

    // Each refusal names the field and why; the stored entries stay as they were.
    expect(await refused(core, { jurisdiction: 'us', year: 2025, shortTerm: '-5', longTerm: '0' })).toContain('shortTerm')
    expect(await refused(core, { jurisdiction: 'us', year: 2025, shortTerm: '-5', longTerm: '0' })).toContain('positive amount with at most two decimals')
    expect(await refused(core, { jurisdiction: 'uk', year: 2025, amount: '10.005' })).toContain('at most two decimals')
    expect(await refused(core, { jurisdiction: 'uk', year: 2025, amount: '0.00' })).toContain('all amounts are zero: to stop carrying losses in, clear the entry instead')
    expect(await refused(core, { jurisdiction: 'uk', year: 2025, amount: '100', longTerm: '5' })).toContain('longTerm: UK and German losses carry as one amount')
    expect(await refused(core, { jurisdiction: 'us', year: 2025, amount: '100' })).toContain('amount: US losses carry by term: give shortTerm and longTerm instead')
    expect(await refused(core, { jurisdiction: 'fr', year: 2025, amount: '100' })).toContain('jurisdiction')
    expect(await refused(core, { jurisdiction: 'de', year: 1999, amount: '100' })).toContain('year')
    expect((await ok<{ entries: TaxCarryIn[] }>(core, 'tax.carryInList')).entries.map((e) => e.amount)).toEqual(['800.00', '3000.99'])

    expect(await ok(core, 'tax.carryInClear', { jurisdiction: 'de' })).toEqual({ jurisdiction: 'de', cleared: true })
    expect(await ok(core, 'tax.carryInClear', { jurisdiction: 'de' })).toEqual({ jurisdiction: 'de', cleared: false })
    expect((await ok<{ entries: TaxCarryIn[] }>(core, 'tax.carryInList')).entries.map((e) => e.jurisdiction)).toEqual(['us'])

    // The audit log records each change with its figures (they are not secrets); listing is not recorded.
    const audit = (await ok<AuditPage>(core, 'audit.list', { search: 'tax.carryIn' })).entries.map((e) => `${e.action} ${e.outcome} ${e.detail}`)
    expect(audit).toContain('tax.carryInSet ok jurisdiction="us" year=2024 shortTerm="100" longTerm="2900.99"')
    expect(audit).toContain('tax.carryInClear ok jurisdiction="de"')
    expect(audit.some((a) => a.startsWith('tax.carryInList'))).toBe(false)
  })
})
