import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { appDataDir, cli, failing } from '../support/cli-process'
import { parse } from 'csv-parse/sync'
import { tempDir } from '../support/temp-core'
import { pdfText } from '../support/pdf-text'

// `tax` as a user runs it: a generic CSV imported into a temp data folder, then the year's report as
// text, JSON, CSV and PDF. Figures by hand: 0.1 BTC bought for 4,000 + 4 fee (2023-01-02), 0.1 bought for
// 3,000 + 3 fee (2024-01-02); on 2024-03-01 0.15 sold at 50,000 with a 7.5 fee → proceeds 7,492.50.
// FIFO: 0.1 from 2023 (cost 4,004, long: 4,995.00 − 4,004 = 991.00) and 0.05 from 2024 (cost 1,501.50,
// short: 2,497.50 − 1,501.50 = 996.00).

const dataDir = appDataDir('co-cli-tax-')
const work = tempDir('co-cli-tax-out-')

describe('cli tax', () => {
  beforeAll(async () => {
    const file = path.join(work, 'history.csv')
    fs.writeFileSync(
      file,
      [
        'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
        '2023-01-01T00:00:00Z,deposit,USDT,,,,20000,,,dep-1',
        '2023-01-02T15:00:00Z,trade,BTC,USDT,buy,40000,0.1,4,USDT,t-1',
        '2024-01-02T15:00:00Z,trade,BTC,USDT,buy,30000,0.1,3,USDT,t-2',
        '2024-03-01T15:00:00Z,trade,BTC,USDT,sell,50000,0.15,7.5,USDT,t-3',
      ].join('\n'),
    )
    await cli(['import', file, '--format', 'generic', '--account', 'ledger-x', '--data-dir', dataDir])
  }, 60_000)

  it('prints the summary, and the report as JSON', async () => {
    const { stdout } = await cli(['tax', '--jurisdiction', 'us', '--year', '2024', '--data-dir', dataDir])
    expect(stdout).toContain('Capital gains 2024 (US, FIFO across all accounts, USD, America/New_York)')
    expect(stdout).toMatch(/short term\s+1 disposal {3}proceeds 2497\.50 {2}cost 1501\.50 {2}gain 996\.00/)
    expect(stdout).toMatch(/long term\s+1 disposal {3}proceeds 4995\.00 {2}cost 4004\.00 {2}gain 991\.00/)
    expect(stdout).toContain('taxable gain: 1987.00 USD')
    const json = JSON.parse((await cli(['tax', '--jurisdiction', 'us', '--year', '2024', '--method', 'hifo', '--json', '--data-dir', dataDir])).stdout)
    // HIFO takes the 2023 lot (4,004 for 0.1 = 40,040 a unit) before the 2024 one (30,030).
    expect(json.lines.map((l: { amount: string; cost: string; term: string }) => [l.amount, l.cost, l.term])).toEqual([
      ['0.1', '4004.00', 'long'],
      ['0.05', '1501.50', 'short'],
    ])
  }, 60_000)

  it('writes the lines as CSV with Form 8949 columns, and a PDF with the summary', async () => {
    const csvFile = path.join(work, 'us-2024.csv')
    const { stdout } = await cli(['tax', '--jurisdiction', 'us', '--year', '2024', '--out', csvFile, '--data-dir', dataDir])
    expect(stdout).toContain(`wrote ${csvFile} (2 lines)`)
    // The app's CSV writer: a byte-order mark for Excel, every field quoted.
    const bytes = fs.readFileSync(csvFile)
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    const rows = parse(bytes.toString('utf8'), { columns: true, bom: true }) as Record<string, string>[]
    // Form 8949's Part I (short term, box C before 2025) first, then Part II (long term, box F).
    expect(rows.map((r) => [r['Form 8949 part'], r['Box'], r['Description of property'], r['Date acquired'], r['Date sold or disposed of'], r['Proceeds'], r['Cost or other basis'], r['Gain or (loss)'], r['Term']])).toEqual([
      ['I', 'C', '0.05 BTC', '01/02/2024', '03/01/2024', '2497.50', '1501.50', '996.00', 'short'],
      ['II', 'F', '0.1 BTC', '01/02/2023', '03/01/2024', '4995.00', '4004.00', '991.00', 'long'],
    ])
    const pdfFile = path.join(work, 'us-2024.pdf')
    await cli(['tax', '--jurisdiction', 'us', '--year', '2024', '--out', pdfFile, '--data-dir', dataDir])
    const text = await pdfText(fs.readFileSync(pdfFile))
    expect(text).toContain('Capital gains report 2024 — United States')
    expect(text).toContain('Taxable gain: 1,987.00 USD')
    expect(text).toContain('2,497.50')
    expect(text).toMatch(/Part I totals \(1 line\)\s*2,497\.50\s*1,501\.50\s*996\.00/)
    expect(text).toMatch(/Part II totals \(1 line\)\s*4,995\.00\s*4,004\.00\s*991\.00/)
  }, 60_000)

  it('refuses to overwrite an existing --out file, as backup does, and leaves it as it was', async () => {
    const mine = path.join(work, 'my-notes.csv')
    fs.writeFileSync(mine, 'my own work\n')
    const refused = await failing(['tax', '--jurisdiction', 'us', '--year', '2024', '--out', mine, '--data-dir', dataDir])
    expect([refused.code, refused.stderr]).toEqual([1, `cli: tax: ${mine} already exists; choose another name or delete it\n`])
    expect(refused.stdout).toBe('')
    expect(fs.readFileSync(mine, 'utf8')).toBe('my own work\n')
    expect(fs.readdirSync(work).filter((f) => f.startsWith('my-notes'))).toEqual(['my-notes.csv'])
  }, 60_000)

  it('refuses a bad command line with the flag named, and a method the UK does not use', async () => {
    const fail = async (args: string[]) => {
      try {
        await cli(args)
      } catch (err) {
        return err as { code: number; stderr: string }
      }
      throw new Error('expected a failure')
    }
    const zone = await fail(['tax', '--jurisdiction', 'us', '--year', '2024', '--zone', 'Mars/Olympus', '--data-dir', dataDir])
    expect([zone.code, zone.stderr.split('\n')[0]]).toEqual([2, 'cli: tax: --zone: is not a time zone this system knows (e.g. America/New_York)'])
    const out = await fail(['tax', '--jurisdiction', 'us', '--year', '2024', '--out', 'x.txt', '--data-dir', dataDir])
    expect(out.stderr).toContain('--out wants a file ending in .csv or .pdf, got "x.txt"')
    const uk = await fail(['tax', '--jurisdiction', 'uk', '--year', '2024', '--method', 'fifo', '--data-dir', dataDir])
    expect([uk.code, uk.stderr.trim()]).toEqual([1, 'cli: United Kingdom reports use HMRC share pooling; "fifo" does not apply there'])
    // A mistyped account is refused (a usage error), not reported as an empty year.
    const account = await fail(['tax', '--jurisdiction', 'us', '--year', '2024', '--account', 'nosuch', '--data-dir', dataDir])
    expect([account.code, account.stderr.split('\n')[0]]).toEqual([2, 'cli: tax: --account "nosuch" is not a ledger account (known: ledger-x)'])
  }, 60_000)

  it('values the USDT history in GBP from an imported rates file, for a UK report', async () => {
    const file = path.join(work, 'gbp-usd.csv')
    fs.writeFileSync(file, 'date,base,quote,rate\n2022-12-01,GBP,USD,1.25\n')
    const imported = JSON.parse((await cli(['rates', file, '--json', '--data-dir', dataDir])).stdout)
    expect(imported).toEqual({ format: 'rates', rows: 1, rates: 1, inserted: 1, changed: 0, changes: [], pairs: ['GBP/USD'], from: Date.UTC(2022, 11, 1), to: Date.UTC(2022, 11, 1) })
    // 2023/24 at 1.25: 3,003 USDT spent on 2 Jan 2024 leave the USDT pool (15,996 left of 20,000 bought at
    // £16,000) at £2,402.40 for £2,402.40; 0.15 BTC of the pool of 0.2 (£3,203.20 + £2,402.40) at £4,204.20
    // for 7,492.50 USDT = £5,994.00. Gain £1,789.80, under 2023/24's £6,000 exempt amount.
    const report = JSON.parse((await cli(['tax', '--jurisdiction', 'uk', '--year', '2023', '--json', '--data-dir', dataDir])).stdout)
    expect(report.lines.map((l: { asset: string; amount: string; proceeds: string; cost: string; rule: string }) => [l.asset, l.amount, l.proceeds, l.cost, l.rule])).toEqual([
      ['USDT', '3003', '2402.40', '2402.40', 'section-104'],
      ['BTC', '0.15', '5994.00', '4204.20', 'section-104'],
    ])
    expect([report.summary.net, report.summary.allowance.amount, report.summary.taxable]).toEqual(['1789.80', '6000.00', '0.00'])
    // The one rate is a year older than the trades it values: used, but the report says so.
    expect(report.summary.incomplete).toMatch(/valued at a GBP price more than a week old/)
    const bad = path.join(work, 'bad-rates.csv')
    fs.writeFileSync(bad, 'date,base,quote,rate\n2024-01-05,GBP,USD,abc\n')
    try {
      await cli(['rates', bad, '--data-dir', dataDir])
      throw new Error('expected a failure')
    } catch (err) {
      expect((err as { code: number; stderr: string }).stderr.trim()).toBe('cli: bad-rates.csv: line 2, column "rate": "abc" is not a number; nothing was imported')
    }
  }, 60_000)
})

