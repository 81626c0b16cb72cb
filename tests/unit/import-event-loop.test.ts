import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../src-main/core'
import { CsvImportError, parseExport, parseExportPaced, type ImportFormat } from '../../src-main/portfolio/import'
import { csvFixtureDir, readCsvFixture } from '../support/import-fixtures'
import { tempCore } from '../support/temp-core'
import { contractCalls } from '../support/contract-calls'

// Importing a large export used to read and check the whole file in one go: the engine did nothing else
// until it was done (6 s for 15 MiB) — no market stream, no stop trigger, no reply to the screen. Now the
// file is read and checked in slices with the event loop let in between, before anything is written.
// Asserted on behaviour: work the engine scheduled as the import started gets to run while the file is
// still being read (nothing of it written yet), not only once the import has finished.

const ROWS = 20_000
const HEADER = 'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id'

function genericFile(rows: number, bad?: { line: number; row: string }): string {
  const t0 = Date.UTC(2023, 0, 1)
  const lines = [HEADER]
  for (let i = 0; i < rows; i++) {
    lines.push(`${new Date(t0 + i * 60_000).toISOString()},trade,BTC,USDT,${i % 2 ? 'sell' : 'buy'},40000.${i % 100},0.001,0.04,USDT,t${i}`)
  }
  if (bad) lines[bad.line - 1] = bad.row
  return `${lines.join('\n')}\n`
}

const ctx = { door: 'test' } as const
let core: Core
const { call: invoke } = contractCalls(() => core, ctx)
const importsStored = () => core.store.sqlite.prepare("select count(*) from ledger_imports where account like 'import:%'").pluck().get() as number
const entriesStored = (account: string) => core.store.sqlite.prepare('select count(*) from ledger_entries where account = ?').pluck().get(account) as number

/** Counts the turns the event loop gets while `work` runs, and whether the import had written anything then. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number; turnsBeforeWrite: number }> {
  let turns = 0
  let turnsBeforeWrite = 0
  let running = true
  const tick = () => {
    if (!running) return
    turns++
    if (importsStored() === 0) turnsBeforeWrite++
    setImmediate(tick)
  }
  setImmediate(tick)
  try {
    return { result: await work(), turns, turnsBeforeWrite }
  } finally {
    running = false
  }
}

beforeAll(() => {
  core = tempCore()
})
afterAll(async () => {
  await core.stop()
})

describe('importing a large file leaves the engine running', () => {
  it('lets other work run while the file is read and checked, before anything is written', async () => {
    const text = genericFile(ROWS)
    const { result, turnsBeforeWrite } = await turnsDuring(() => invoke('portfolio.import', { account: 'import:big', format: 'generic', fileName: 'big.csv', text }))
    expect(result).toMatchObject({ ok: true, value: { rows: ROWS, inserted: ROWS } })
    expect(turnsBeforeWrite).toBeGreaterThan(0)
    expect(entriesStored('import:big')).toBe(ROWS)
  })

  it('the dialog’s check of the same file lets other work run too', async () => {
    const text = genericFile(ROWS)
    const { result, turns } = await turnsDuring(() => invoke('portfolio.importCheck', { account: 'import:other', format: 'generic', fileName: 'big.csv', text }))
    expect(result).toMatchObject({ ok: true })
    expect(turns).toBeGreaterThan(0)
  })

  it('still refuses the whole file for a bad row near its end, naming the line, with nothing stored', async () => {
    const line = ROWS
    const text = genericFile(ROWS, { line, row: '2023-03-01T00:00:00Z,trade,BTC,USDT,buy,abc,0.001,0,USDT,bad1' })
    const { result, turns } = await turnsDuring(() => invoke('portfolio.import', { account: 'import:bad', format: 'generic', fileName: 'bad.csv', text }))
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    const message = (result as { error: { message: string } }).error.message
    expect(message).toContain(`bad.csv: line ${line}, column "price"`)
    expect(message).toContain('"abc"')
    expect(message).toMatch(/nothing was imported$/)
    expect(turns).toBeGreaterThan(0)
    expect(entriesStored('import:bad')).toBe(0)
  })
})

describe('the file read a slice at a time', () => {
  const cases: [ImportFormat, string][] = fs
    .readdirSync(csvFixtureDir)
    .map((name) => [(name.split('-')[0] as ImportFormat), name])
  const outcome = async (read: () => unknown) => {
    try {
      return { parsed: await read() }
    } catch (err) {
      return { refused: err instanceof CsvImportError ? err.message : String(err) }
    }
  }

  it.each(cases)('reads %s export %s as the whole-file reader does (entries, skipped rows, or the refusal)', async (format, name) => {
    const text = readCsvFixture(name)
    const whole = await outcome(() => parseExport(format, text, { account: 'a' }))
    expect(await outcome(() => parseExportPaced(format, text, { account: 'a' }))).toEqual(whole)
  })

  it('names the same line for a broken quote far into a file, across the slices it is read in', async () => {
    const lines = genericFile(5_000).split('\n')
    lines[4_000] = '2023-03-01T00:00:00Z,trade,BTC,USDT,buy,"40000,0.001,0,USDT,x'
    const text = lines.join('\n')
    const whole = await outcome(() => parseExport('generic', text, { account: 'a' }))
    expect(whole).toMatchObject({ refused: expect.stringMatching(/^line \d+: the file is not valid CSV/) })
    expect(await outcome(() => parseExportPaced('generic', text, { account: 'a' }))).toEqual(whole)
  })
})
