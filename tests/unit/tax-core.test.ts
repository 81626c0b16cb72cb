import { afterEach, describe, expect, it } from 'vitest'
import { tempCore } from '../support/temp-core'
import type { Core } from '../../src-main/core'
import type { TaxExport, TaxReport } from '../../src-main/api/contract'
import { pdfText } from '../support/pdf-text'

// tax.report and tax.export through the engine's door (output checked against the contract) on the
// simulated exchange: the simulated traders trade in the same ledger, and a report of "my accounts" must
// never count their trades, while naming one of them still reports it. Nor does it count the paper
// account's (practice): named, it reports them, marked as paper.

const ctx = { door: 'test' } as const
let cores: Core[] = []
afterEach(async () => {
  for (const c of cores) await c.stop()
  cores = []
})

function value<T>(reply: { ok: boolean; value?: unknown; error?: unknown }): T {
  expect(reply.ok, JSON.stringify(reply)).toBe(true)
  return reply.value as T
}

describe('tax in the engine', () => {
  it('reports only the user’s real accounts by default, the paper account’s or a trader’s when named, and exports both files', async () => {
    const core = tempCore()
    cores.push(core)
    // The user's real trades this year, from a file: 1 BTC bought at 40,000 and sold at 45,000 (a few
    // hours ago, or from New Year on: in this year, never in the future).
    const year = new Date().getUTCFullYear()
    const from = Math.max(Date.UTC(year, 0, 1), Date.now() - 4 * 3_600_000)
    const at = (s: number) => new Date(from + s * 1000).toISOString()
    const history = ['timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id', `${at(0)},deposit,USDT,,,,50000,,,d-1`, `${at(1)},trade,BTC,USDT,buy,40000,1,,,t-1`, `${at(2)},trade,BTC,USDT,sell,45000,1,,,t-2`]
    value(await core.router.invoke('portfolio.import', { account: 'kraken-file', format: 'generic', fileName: 'h.csv', text: history.join('\n') }, ctx))
    // A few simulated hours: the traders trade; then the user buys and sells on the same market.
    for (let i = 0; i < 10; i++) core.sim.runtime.advance(60_000)
    core.portfolio.flush()
    const buy = await core.router.invoke('orders.submit', { venueId: 'sim', symbol: 'ETH/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.5' } }, ctx)
    value(buy)
    const sell = await core.router.invoke('orders.submit', { venueId: 'sim', symbol: 'ETH/USDT', side: 'sell', type: 'market', size: { unit: 'base', value: '0.2' } }, ctx)
    value(sell)
    core.portfolio.flush()
    // The fills are stamped now; the report's zone is UTC so that the year is today's UTC year.

    const mine = value<TaxReport>(await core.router.invoke('tax.report', { jurisdiction: 'us', year, timeZone: 'UTC' }, ctx))
    expect(mine.lines.map((l) => [l.account, l.asset, l.amount, l.gain])).toEqual([['kraken-file', 'BTC', '1', '5000.00']])
    expect(mine.paperLeftOut).toEqual([{ account: 'sim', label: 'Simulated exchange' }])
    // The paper account's sale, named: there, and marked as paper.
    const paper = value<TaxReport>(await core.router.invoke('tax.report', { jurisdiction: 'us', year, timeZone: 'UTC', account: 'sim' }, ctx))
    expect(new Set(paper.lines.map((l) => l.account))).toEqual(new Set(['sim']))
    expect(paper.lines.filter((l) => l.asset === 'ETH').reduce((n, l) => n + Number(l.amount), 0)).toBeCloseTo(0.2, 12)
    expect(paper.paperAccount).toBe(true)

    const accounts = value<{ account: string; kind: string }[]>(await core.router.invoke('portfolio.accounts', {}, ctx))
    const traders = accounts.filter((a) => a.kind === 'trader' && a.account !== 'sim')
    expect(traders.length, 'simulated traders with a ledger').toBeGreaterThan(0)
    let theirLines = 0
    for (const t of traders) {
      const theirs = value<TaxReport>(await core.router.invoke('tax.report', { jurisdiction: 'us', year, timeZone: 'UTC', account: t.account }, ctx))
      expect(theirs.lines.every((l) => l.account === t.account)).toBe(true)
      theirLines += theirs.lineCount
    }
    // Their disposals exist (named, they are reported) and none of them is in the user's report above.
    expect(theirLines).toBeGreaterThan(0)

    const csv = value<TaxExport>(await core.router.invoke('tax.export', { jurisdiction: 'us', year, timeZone: 'UTC', format: 'csv' }, ctx))
    expect(csv).toMatchObject({ fileName: `capital-gains-us-${year}-fifo.csv`, mime: 'text/csv', encoding: 'utf8' })
    expect(csv.data.trim().split('\r\n')).toHaveLength(mine.lineCount + 1)
    const pdf = value<TaxExport>(await core.router.invoke('tax.export', { jurisdiction: 'us', year, timeZone: 'UTC', format: 'pdf' }, ctx))
    expect(pdf.encoding).toBe('base64')
    const text = await pdfText(Buffer.from(pdf.data, 'base64'))
    expect(text).toContain(`Disposals (${mine.lineCount} line${mine.lineCount === 1 ? '' : 's'})`)
  })

  it('refuses bad questions with the field and the reason', async () => {
    const core = tempCore()
    cores.push(core)
    const zone = await core.router.invoke('tax.report', { jurisdiction: 'us', year: 2025, timeZone: 'Mars/Olympus' }, ctx)
    expect(zone).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: 'Invalid input for tax.report: timeZone: is not a time zone this system knows (e.g. America/New_York)' } })
    const place = await core.router.invoke('tax.report', { jurisdiction: 'fr', year: 2025 }, ctx)
    expect(place).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^Invalid input for tax.report: jurisdiction: /) } })
    const method = await core.router.invoke('tax.report', { jurisdiction: 'de', year: 2025, method: 'hmrc' }, ctx)
    expect(method).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: 'Germany reports use FIFO, LIFO, HIFO, average cost; "hmrc" does not apply there' } })
    const format = await core.router.invoke('tax.export', { jurisdiction: 'us', year: 2025, format: 'xlsx' }, ctx)
    expect(format).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^Invalid input for tax.export: format: /) } })
  })
})
