import fs from 'node:fs'
import { parse } from 'csv-parse/sync'
import { test as shared, expect } from './fixtures'
import { startHeadless, type HeadlessProcess } from '../support/headless-process'
import { engineCall, openApp } from './app-helpers'
import { pdfText } from '../support/pdf-text'

// The Tax page against a real headless engine: a trade history imported into its own ledger account, the
// 2025 report under US rules by FIFO and then HIFO (figures worked out by hand below), both exports as
// the files a user saves (the CSV parsed, the PDF's text read), the UK's rules saying plainly that a
// USDT history has no GBP value until a rates file gives it one, and the user's own trade on the
// simulated exchange (its paper account: practice) left out of "All of mine", said so, and in the paper
// account's own report as the engine computes it.
//
// History: 0.2 BTC bought for 8,000 + 8 fee (2 Feb 2024), 0.1 for 9,000 + 9 fee (10 Jan 2025); 0.25 sold
// on 3 Mar 2025 at 80,000 less 20 fee = 19,980.
//   FIFO: 0.2 of 2024 (cost 8,008, long; proceeds 15,984.00, gain 7,976.00) and 0.05 of 2025 (cost
//         4,504.50, short; proceeds 3,996.00, gain −508.50): gain 7,467.50.
//   HIFO: the 2025 lot first (90,090 a BTC; cost 9,009, short, proceeds 7,992.00, gain −1,017.00), then 0.15
//         of 2024 (cost 6,006, long, proceeds 11,988.00, gain 5,982.00): gain 4,965.00.

const HISTORY = [
  'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
  '2024-01-01T00:00:00Z,deposit,USDT,,,,20000,,,tx-dep',
  '2024-02-02T15:00:00Z,trade,BTC,USDT,buy,40000,0.2,8,USDT,tx-1',
  '2025-01-10T15:00:00Z,trade,BTC,USDT,buy,90000,0.1,9,USDT,tx-2',
  '2025-03-03T15:00:00Z,trade,BTC,USDT,sell,80000,0.25,20,USDT,tx-3',
].join('\n')

interface TaxLine {
  asset: string
  amount: string
  proceeds: string
  cost: string
  gain: string
  account: string
}

/** Each row's cells as text: the disposal lines, or (by test id) the income lines. */
const lineCells = (page: import('@playwright/test').Page, testId = 'tax-line') =>
  page.getByTestId(testId).evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')))

// Its own engine: the figures below are this ledger's alone. A report of one account matches over all of
// the user's accounts (HMRC pools a person's holdings), so BTC other specs left in the shared engine's
// ledger would move the UK pool's cost.
const test = shared.extend<{ ownEngine: HeadlessProcess }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  ownEngine: async ({}, use) => {
    const server = await startHeadless()
    await use(server)
    await server.stop()
  },
})

test('Tax: a year’s gains by FIFO and HIFO, CSV and PDF saved, UK rules without GBP prices, and your own sim trade', async ({ page, ownEngine: engine }) => {
  const imported = await engineCall(engine, 'portfolio.import', { account: 'e2e-tax', format: 'generic', fileName: 'history.csv', text: HISTORY })
  expect(imported.ok, JSON.stringify(imported)).toBe(true)

  const problems = await openApp(page, engine)
  await page.keyboard.press('Control+Shift+G')
  await expect(page.getByTestId('tax-page')).toBeVisible()
  // The simulated exchange's paper account (its starting balance in the ledger) is practice: "All of mine"
  // leaves it out and says so, so the page is not a blank for the default app.
  await expect(page.getByTestId('tax-summary')).toBeVisible()
  await expect(page.getByTestId('tax-paper-left-out')).toContainText('Paper accounts are not in this report (')
  await expect(page.getByTestId('tax-paper-left-out')).toContainText('sim Simulated exchange')
  await expect(page.getByTestId('tax-paper-left-out')).toContainText('pick one in Accounts to see it alone')
  await expect(page.getByTestId('tax-account').locator('optgroup[label="Paper (not in All of mine)"] option[value="sim"]')).toHaveCount(1)
  await page.getByTestId('tax-account').selectOption('e2e-tax')
  await page.getByTestId('tax-year').selectOption('2025')

  const summary = page.getByTestId('tax-summary')
  await expect(summary).toHaveAttribute('data-year', '2025')
  await expect(page.getByTestId('tax-method')).toHaveValue('fifo')
  // US rules from 2025: basis account by account (one account here, so the same figures either way).
  await expect(page.getByTestId('tax-pooling')).toHaveValue('per-account')
  await expect(page.getByTestId('tax-proceeds')).toHaveText('19,980.00')
  await expect(page.getByTestId('tax-cost')).toHaveText('12,512.50')
  await expect(page.getByTestId('tax-gain')).toHaveText('+7,467.50')
  await expect(page.getByTestId('tax-short-gain')).toHaveText('-508.50')
  await expect(page.getByTestId('tax-long-gain')).toHaveText('+7,976.00')
  await expect(page.getByTestId('tax-taxable')).toHaveText('7,467.50')
  expect(await lineCells(page)).toEqual([
    ['BTC', '0.2', '2024-02-02', '2025-03-03', '15,984.00', '8,008.00', '+7,976.00', 'long', 'FIFO', 'e2e-tax'],
    ['BTC', '0.05', '2025-01-10', '2025-03-03', '3,996.00', '4,504.50', '-508.50', 'short', 'FIFO', 'e2e-tax'],
  ])

  await page.getByTestId('tax-method').selectOption('hifo')
  await expect(summary).toHaveAttribute('data-method', 'hifo')
  await expect(page.getByTestId('tax-gain')).toHaveText('+4,965.00')
  expect(await lineCells(page)).toEqual([
    ['BTC', '0.1', '2025-01-10', '2025-03-03', '7,992.00', '9,009.00', '-1,017.00', 'short', 'HIFO', 'e2e-tax'],
    ['BTC', '0.15', '2024-02-02', '2025-03-03', '11,988.00', '6,006.00', '+5,982.00', 'long', 'HIFO', 'e2e-tax'],
  ])

  // The CSV from the command palette (keyboard only), the PDF from its button.
  const csvDownload = page.waitForEvent('download')
  await page.keyboard.press('Control+K')
  await page.keyboard.type('tax report csv')
  await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText('Export the tax report as CSV')
  await page.keyboard.press('Enter')
  const csv = await csvDownload
  expect(csv.suggestedFilename()).toBe('capital-gains-us-2025-hifo-e2e-tax.csv')
  // A byte-order mark leads the file (for Excel); the reader skips it.
  const bytes = fs.readFileSync((await csv.path()) as string)
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const rows = parse(bytes.toString('utf8'), { columns: true, bom: true }) as Record<string, string>[]
  expect(rows.map((r) => [r['Description of property'], r['Date acquired'], r['Proceeds'], r['Cost or other basis'], r['Gain or (loss)'], r['Term']])).toEqual([
    ['0.1 BTC', '01/10/2025', '7992.00', '9009.00', '-1017.00', 'short'],
    ['0.15 BTC', '02/02/2024', '11988.00', '6006.00', '5982.00', 'long'],
  ])
  const pdfDownload = page.waitForEvent('download')
  await page.getByTestId('tax-export-pdf').click()
  const pdf = await pdfDownload
  expect(pdf.suggestedFilename()).toBe('capital-gains-us-2025-hifo-e2e-tax.pdf')
  const text = await pdfText(fs.readFileSync((await pdf.path()) as string))
  expect(text).toContain('Capital gains report 2025 — United States')
  expect(text).toContain('Taxable gain: 4,965.00 USD')
  expect(text).toContain('11,988.00')

  // UK rules: HMRC pooling is the only method, and a history in USDT has no GBP value here — said first.
  await page.getByTestId('tax-jurisdiction').selectOption('uk')
  await expect(summary).toHaveAttribute('data-jurisdiction', 'uk')
  await expect(page.getByTestId('tax-method')).toHaveValue('hmrc')
  await expect(page.getByTestId('tax-method')).toBeDisabled()
  await expect(page.getByTestId('tax-pooling')).toHaveValue('universal')
  await expect(page.getByTestId('tax-pooling')).toBeDisabled()
  // The tax year 2024/25, where the trades are: an old price or a missing one counts toward the year it was used in.
  await page.getByTestId('tax-year').selectOption('2024')
  await expect(summary).toHaveAttribute('data-year', '2024')
  await expect(page.getByTestId('tax-incomplete')).toContainText('could not be valued in GBP (no GBP price for USDT at the time)')

  // A rates file (1 GBP = 1.25 USD from 1 Dec 2023) values it. In 2024/25 under HMRC pooling: the 9,009
  // USDT spent on 10 Jan 2025 leave the USDT pool at what they cost (20,000 USDT came in at £16,000, 8,008
  // went in 2023/24: £0.80 each) — 7,207.20 for 7,207.20; the 0.25 BTC sold on 3 Mar 2025 leave the BTC
  // pool (0.3 BTC, £6,406.40 + £7,207.20) at 11,344.67 (13,613.60 × 0.25 / 0.3) for 15,984.00.
  await page.getByTestId('tax-rates-file').setInputFiles({ name: 'gbp-usd.csv', mimeType: 'text/csv', buffer: Buffer.from('date,base,quote,rate\n2023-12-01,GBP,USD,1.25\n') })
  await expect(page.getByTestId('toasts')).toContainText('Imported 1 daily rates (GBP/USD) from 2023-12-01 to 2023-12-01')
  // Priced now, but by one rate from months before the trades: the banner says that instead.
  await expect(page.getByTestId('tax-incomplete')).toContainText('valued at a GBP price more than a week old')
  await expect(page.getByTestId('tax-incomplete')).not.toContainText('could not be valued')
  expect(await lineCells(page)).toEqual([
    ['USDT', '9,009', 'pool', '2025-01-10', '7,207.20', '7,207.20', '0.00', '—', 'S104 pool', 'e2e-tax'],
    ['BTC', '0.25', 'pool', '2025-03-03', '15,984.00', '11,344.67', '+4,639.33', '—', 'S104 pool', 'e2e-tax'],
  ])
  await expect(page.getByTestId('tax-allowance')).toHaveText('3,000.00')
  await expect(page.getByTestId('tax-taxable')).toHaveText('1,639.33')

  // Losses carried from an earlier year (US): 2024 sold 1 BTC bought at 30,000 for 20,000 (−10,000 short term:
  // 3,000 offsets other income, 7,000 carries); 2025 gained 2,000: −5,000 net, 3,000 offsets, 2,000 to 2026.
  const carry = await engineCall(engine, 'portfolio.import', {
    account: 'e2e-carry',
    format: 'generic',
    fileName: 'carry.csv',
    text: [
      'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
      '2024-01-02T15:00:00Z,deposit,USDT,,,,60000,,,c-dep',
      '2024-02-01T15:00:00Z,trade,BTC,USDT,buy,30000,1,,,c-1',
      '2024-04-01T15:00:00Z,trade,BTC,USDT,sell,20000,1,,,c-2',
      '2025-02-01T15:00:00Z,trade,BTC,USDT,buy,20000,1,,,c-3',
      '2025-03-01T15:00:00Z,trade,BTC,USDT,sell,22000,1,,,c-4',
    ].join('\n'),
  })
  expect(carry.ok, JSON.stringify(carry)).toBe(true)
  // The page lists the accounts it found when it opened: away and back, the new one is there.
  await page.keyboard.press('Control+8')
  await page.keyboard.press('Control+Shift+G')
  await page.getByTestId('tax-jurisdiction').selectOption('us')
  await page.getByTestId('tax-account').selectOption('e2e-carry')
  await page.getByTestId('tax-year').selectOption('2025')
  await expect(summary).toHaveAttribute('data-jurisdiction', 'us')
  await expect(page.getByTestId('tax-gain')).toHaveText('+2,000.00')
  await expect(page.getByTestId('tax-carried-in')).toHaveText('-7,000.00')
  await expect(page.getByTestId('tax-deductible')).toHaveText('3,000.00')
  await expect(page.getByTestId('tax-carried-out')).toHaveText('-2,000.00')
  await expect(page.getByTestId('tax-taxable')).toHaveText('0.00')

  // Losses from before the ledger, typed from last year's return. A bad amount is refused under its field
  // and nothing is stored.
  const carryForm = page.getByTestId('tax-carry-form')
  await page.getByTestId('tax-carry-shortTerm').fill('12.345')
  await page.getByTestId('tax-carry-save').click()
  await expect(page.getByTestId('tax-carry-shortTerm-error')).toContainText('at most two decimals')
  await expect(carryForm).toHaveAttribute('data-stored', '')
  await page.getByTestId('tax-carry-year').selectOption('2025')
  await page.getByTestId('tax-carry-shortTerm').fill('1,000')
  await page.getByTestId('tax-carry-shortTerm').press('Enter')
  await expect(carryForm).toHaveAttribute('data-stored', '1000.00')
  await expect(page.getByTestId('toasts')).toContainText('Losses carried into 2025 saved')
  // They are the person's: one account's report keeps its own earlier years, and says why.
  await expect(page.getByTestId('tax-carried-in')).toHaveText('-7,000.00')
  await expect(page.getByTestId('tax-notes')).toContainText('apply to the report over all your accounts')
  // Over all accounts, 2025 starts from them instead of the ledger's 2024; the rest is the engine's.
  await page.getByTestId('tax-account').selectOption('')
  await expect(page.getByTestId('tax-carried-in')).toHaveText('-1,000.00')
  await expect(page.getByTestId('tax-notes')).toContainText('Losses carried into 2025 from before this ledger, as you entered them: short-term -1,000.00 USD, long-term 0.00 USD.')
  const withEntry = await engineCall(engine, 'tax.report', { jurisdiction: 'us', year: 2025, method: 'fifo' })
  if (!withEntry.ok) throw new Error(withEntry.error.message)
  const grouped = (v: string) => v.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  await expect(page.getByTestId('tax-taxable')).toHaveText(grouped((withEntry.value as { summary: { taxable: string } }).summary.taxable))
  // Cleared, the ledger's own 2024 loss is carried in again.
  await page.getByTestId('tax-carry-clear').click()
  await expect(carryForm).toHaveAttribute('data-stored', '')
  await expect(page.getByTestId('tax-notes')).not.toContainText('as you entered them')
  await expect(page.getByTestId('tax-carried-in')).not.toHaveText('-1,000.00')

  // Income: a staking reward at 3,200 (its stated price) is 320 of ordinary income and the cost of its
  // 0.1 ETH, its line saying what it was (the file's word); selling 1.1 ETH at 3,500 gains 500 + 30.
  // Refresh finds the newly imported account.
  const staked = await engineCall(engine, 'portfolio.import', {
    account: 'e2e-income',
    format: 'generic',
    fileName: 'staking.csv',
    text: [
      'timestamp,type,base,quote,side,price,amount,fee,fee_asset,trade_id',
      '2025-01-02T15:00:00Z,deposit,USDT,,,,5000,,,i-dep',
      '2025-01-03T15:00:00Z,trade,ETH,USDT,buy,3000,1,,,i-1',
      '2025-02-01T12:00:00Z,staking,ETH,USDT,,3200,0.1,,,i-2',
      '2025-03-01T12:00:00Z,trade,ETH,USDT,sell,3500,1.1,,,i-3',
    ].join('\n'),
  })
  expect(staked.ok, JSON.stringify(staked)).toBe(true)
  await page.getByTestId('tax-refresh').click()
  await page.getByTestId('tax-account').selectOption('e2e-income')
  await expect(page.getByTestId('tax-income-total')).toHaveText('320.00')
  await expect(page.getByTestId('tax-income-taxable')).toHaveText('320.00')
  await expect(page.getByTestId('tax-gain')).toHaveText('+530.00')
  expect(await lineCells(page, 'tax-income-line')).toEqual([
    ['ETH', '0.1', '2025-02-01', '320.00', 'staking', 'e2e-income'],
  ])
  await expect(page.getByTestId('tax-notes')).toContainText('ordinary income at its fair market value when received')

  // Your own trade on the simulated exchange, in this year's US report as the engine computes it.
  // Earlier specs may have sold on the sim account too (one engine per worker): our sale's lines are the
  // ones the year gains with it (lines are in time order, so they come last).
  const year = new Date().getFullYear()
  const btcLines = async () => {
    const r = await engineCall(engine, 'tax.report', { jurisdiction: 'us', year, account: 'sim' })
    if (!r.ok) throw new Error(r.error.message)
    return (r.value as { lines: TaxLine[] }).lines.filter((l) => l.asset === 'BTC')
  }
  const earlier = (await btcLines()).length
  const buy = await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'buy', type: 'market', size: { unit: 'base', value: '0.002' } })
  expect(buy.ok, JSON.stringify(buy)).toBe(true)
  const sell = await engineCall(engine, 'orders.submit', { venueId: 'sim', symbol: 'BTC/USDT', side: 'sell', type: 'market', size: { unit: 'base', value: '0.001' } })
  expect(sell.ok, JSON.stringify(sell)).toBe(true)
  let engineLines: TaxLine[] = []
  await expect
    .poll(async () => {
      engineLines = await btcLines()
      return engineLines.slice(earlier).reduce((n, l) => n + Number(l.amount), 0)
    })
    .toBeCloseTo(0.001, 12)
  await page.getByTestId('tax-jurisdiction').selectOption('us')
  await page.getByTestId('tax-year').selectOption(String(year))
  await page.getByTestId('tax-method').selectOption('fifo')
  // Over all accounts the paper sale is not there (the engine's report neither), and the page says why.
  await page.getByTestId('tax-account').selectOption('')
  await expect(summary).toHaveAttribute('data-year', String(year))
  const all = await engineCall(engine, 'tax.report', { jurisdiction: 'us', year, method: 'fifo' })
  if (!all.ok) throw new Error(all.error.message)
  expect((all.value as { lines: TaxLine[] }).lines.filter((l) => l.account === 'sim')).toEqual([])
  await expect(page.getByTestId('tax-paper-left-out')).toContainText('sim Simulated exchange')
  await expect(page.getByTestId('tax-line').filter({ hasText: 'sim' })).toHaveCount(0)
  await expect(page.getByTestId('tax-paper-account')).toHaveCount(0)
  // One click shows it alone, marked as paper.
  await page.locator('[data-testid="tax-paper-see"][data-account="sim"]').click()
  await expect(page.getByTestId('tax-account')).toHaveValue('sim')
  await expect(page.getByTestId('tax-paper-account')).toHaveText('Paper account: practice trades, not for a tax return.')
  await expect(page.getByTestId('tax-notes')).toContainText('sim (Simulated exchange) is a paper account')
  await expect(page.getByTestId('tax-paper-left-out')).toHaveCount(0)
  const btc = page.getByTestId('tax-line').filter({ hasText: 'BTC' })
  await expect(btc).toHaveCount(engineLines.length)
  const last = engineLines[engineLines.length - 1] as TaxLine
  await expect(btc.last().getByTestId('tax-line-proceeds')).toHaveAttribute('title', `${last.proceeds} USD`)
  await expect(btc.last().getByTestId('tax-line-cost')).toHaveAttribute('title', `${last.cost} USD`)
  expect(problems).toEqual([])
})
