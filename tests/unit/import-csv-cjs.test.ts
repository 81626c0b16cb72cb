import { describe, expect, it, vi } from 'vitest'
import { CsvImportError } from '../../src-main/portfolio/import/errors'
import { readRows, readRowsPaced } from '../../src-main/portfolio/import/table'

// Under the CLI and the headless engine (tsx, CommonJS resolution) 'csv-parse' and 'csv-parse/sync' are two
// separately bundled files, each with its own CsvError class. The paced reader's refusals came from the
// stream entry and failed an `instanceof` check against the sync entry's class, so the user got the raw
// "Quote Not Closed: … at line 3012" with no line number. Here both entries are the CommonJS builds, as there.
vi.mock('csv-parse', async () => {
  const { createRequire } = await import('node:module')
  return createRequire(import.meta.url)('csv-parse') as object
})
vi.mock('csv-parse/sync', async () => {
  const { createRequire } = await import('node:module')
  return createRequire(import.meta.url)('csv-parse/sync') as object
})

const rows = (n: number) => Array.from({ length: n }, (_, i) => `2024-01-01,${i}`).join('\n')

const refusal = async (read: () => unknown): Promise<unknown> => {
  try {
    await read()
  } catch (err) {
    return err
  }
  throw new Error('the file was read')
}

describe('an invalid CSV file with the CommonJS builds of csv-parse', () => {
  it('uses two CsvError classes (the situation this guards)', async () => {
    const stream = await import('csv-parse')
    const sync = await import('csv-parse/sync')
    expect(stream.CsvError).not.toBe(sync.CsvError)
  })

  for (const [name, text, line] of [
    ['an unclosed quote', `a,b\n${rows(3000)}\n"unterminated,1\n${rows(10)}`, 3012], // csv-parse names where the parse ended,
    ['a stray quote', `a,b\r\n${rows(3000)}\r\nx,"y"z,1\r\n`, 3002],
  ] as const) {
    it(`is refused with its line, read paced or at once: ${name}`, async () => {
      for (const read of [() => readRows(text), () => readRowsPaced(text)]) {
        const err = await refusal(read)
        expect(err).toBeInstanceOf(CsvImportError)
        expect(err).toMatchObject({ line })
        expect((err as Error).message).toMatch(new RegExp(`^line ${line}: the file is not valid CSV \\(`))
      }
    })
  }
})
