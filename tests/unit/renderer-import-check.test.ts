import { describe, expect, it } from 'vitest'
import { importChecker } from '../../src-renderer/features/portfolio/importCheck'
import { overlapQuestion, overlapWarning, type ImportFormat, type ImportOverlap } from '../../src-renderer/features/portfolio/importChoice'

// The import dialog checks a picked file against the import accounts (portfolio.importCheck: the whole
// file parsed by the engine) when it is picked, to propose an account, and asks before an import whose
// rows another account holds. The Import button uses the pick's check: the engine reads a 15 MiB file once.

const HELD: ImportOverlap[] = [{ account: 'import:binance', rows: 3, sampled: 3, already: 3 }]

function engine(answer: () => Promise<ImportOverlap[]> = () => Promise.resolve(HELD)) {
  const calls: { format: ImportFormat; fileName: string; text: string }[] = []
  const checker = importChecker((q) => {
    calls.push(q)
    return answer()
  })
  return { calls, checker }
}

const file = { name: 'Trades.csv', text: 'Date(UTC),Pair,Side\n2024-01-05 12:00:00,BTCUSDT,BUY\n' }

describe('import dialog: the overlap check', () => {
  it('the file checked on pick is not checked again on Import, whatever account it goes to', async () => {
    const { calls, checker } = engine()
    await checker.check(file, 'binance') // picked
    const overlaps = await checker.check(file, 'binance') // Import into "My Binance"
    expect(calls).toHaveLength(1)
    expect(overlapWarning(overlaps, 'My Binance')).toBe('3 of 3 rows are already in import:binance — import there instead?')
    // Into the account holding the rows: no question, from the same check.
    expect(overlapWarning(await checker.check(file, 'binance'), 'import:binance')).toBeNull()
    expect(calls).toHaveLength(1)
  })

  it('the pick’s check lists the target account too: the question names the other account holding the rows', async () => {
    // A re-import into "Binance 2023", which holds all the rows; an older copy in import:Trades holds two.
    const both: ImportOverlap[] = [
      { account: 'Binance 2023', rows: 3, sampled: 3, already: 3 },
      { account: 'import:Trades', rows: 3, sampled: 3, already: 2 },
    ]
    const { checker } = engine(() => Promise.resolve(both))
    await checker.check(file, 'binance')
    expect(overlapQuestion(await checker.check(file, 'binance'), 'Binance 2023')).toEqual({
      account: 'import:Trades',
      warning: '2 of 3 rows are already in import:Trades — import there instead?',
    })
  })

  it('an Import before the pick’s check has answered waits for it instead of asking again', async () => {
    let answer!: (o: ImportOverlap[]) => void
    const { calls, checker } = engine(() => new Promise((resolve) => (answer = resolve)))
    const picked = checker.check(file, 'binance')
    const submitted = checker.check(file, 'binance')
    answer(HELD)
    expect(await submitted).toEqual(await picked)
    expect(calls).toHaveLength(1)
  })

  it('another format or another file is checked anew', async () => {
    const { calls, checker } = engine()
    await checker.check(file, 'binance')
    await checker.check(file, 'generic')
    expect(calls.map((c) => c.format)).toEqual(['binance', 'generic'])
    await checker.check({ name: 'Trades (1).csv', text: file.text }, 'generic')
    await checker.check({ name: file.name, text: `${file.text}2024-01-06 12:00:00,BTCUSDT,SELL\n` }, 'generic')
    expect(calls).toHaveLength(4)
  })

  it('a check that failed is made again on Import (its error is then shown)', async () => {
    let fail = true
    const { calls, checker } = engine(() => (fail ? Promise.reject(new Error('engine busy')) : Promise.resolve(HELD)))
    await expect(checker.check(file, 'binance')).rejects.toThrow('engine busy')
    fail = false
    expect(await checker.check(file, 'binance')).toEqual(HELD)
    expect(calls).toHaveLength(2)
  })
})
