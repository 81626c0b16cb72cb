import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import type { CommandInput } from '../../src-main/api/contract'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'
import { overlapWarning, type ImportOverlap } from '../../src-renderer/features/portfolio/importChoice'

// Before an import the dialog asks which import account holds the file's rows already. The engine read the
// whole file once per import account, row by row: a 15 MiB file stalled it for 26 s with 20 accounts. Now
// it checks the file's first and last rows, with one query per row over all the accounts.

const header = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id'
const row = (i: number, id = true) =>
  `${new Date(Date.UTC(2023, 0, 1) + i * 60_000).toISOString()},trade,BTC,USDT,${i % 2 ? 'sell' : 'buy'},${30000 + (i % 1000)}.12,0.0${(i % 90) + 10}1,0.01,USDT,${id ? `T-${i}` : ''}`
const file = (from: number, to: number, id = true) => [header, ...Array.from({ length: to - from }, (_, k) => row(from + k, id))].join('\n')

const ctx = { door: 'test' } as const
let core: Core
const { call: invoke } = contractCalls(() => core, ctx)

beforeAll(async () => {
  core = tempCore()
  for (let a = 0; a < 8; a++) expect(await invoke('portfolio.import', { account: `import:w${a}`, format: 'generic', fileName: `w${a}.csv`, text: file(900_000 + a, 900_001 + a) })).toMatchObject({ ok: true })
})
afterAll(async () => {
  await core.stop()
})

/** The importCheck's answer and how many statement reads (get/all/iterate) it made. */
async function checked(input: CommandInput<'portfolio.importCheck'>): Promise<{ value: ImportOverlap[]; reads: number }> {
  const proto = Object.getPrototypeOf(core.store.sqlite.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>
  let reads = 0
  const saved = { get: proto.get, all: proto.all, iterate: proto.iterate } as Record<string, (...args: unknown[]) => unknown>
  for (const name of Object.keys(saved)) {
    const original = saved[name] as (...args: unknown[]) => unknown
    proto[name] = function (this: unknown, ...args: unknown[]) {
      reads++
      return original.apply(this, args)
    }
  }
  try {
    const r = await invoke('portfolio.importCheck', input)
    if (!r.ok) throw new Error(JSON.stringify(r))
    return { value: r.value as ImportOverlap[], reads }
  } finally {
    Object.assign(proto, saved)
  }
}

describe('import check of a large file', () => {
  for (const id of [true, false]) {
    it(`checks a sample of the rows, in all accounts at once, and says so (${id ? 'trade ids' : 'content hashes'})`, async () => {
      const account = id ? 'import:big' : 'import:big-hashed'
      const text = file(0, 3000, id)
      expect(await invoke('portfolio.import', { account, format: 'generic', fileName: 'big.csv', text })).toMatchObject({ ok: true, value: { inserted: 3000 } })
      const { value, reads } = await checked({ format: 'generic', fileName: 'big copy.csv', text })
      expect(value[0]).toEqual({ account, rows: 3000, sampled: 1000, already: 1000 })
      expect(value.slice(1).every((o) => o.already === 0 && o.sampled === 1000)).toBe(true)
      expect(value.length).toBeGreaterThanOrEqual(9)
      // One query per sampled row, whatever the number of accounts (not one per row and account).
      expect(reads).toBeLessThanOrEqual(1000 + 10)
      expect(overlapWarning(value, 'Mine')).toBe(`1000 of the 1000 rows checked (of 3000) are already in ${account} — import there instead?`)
    })
  }
})
